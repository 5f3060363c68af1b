using System.Diagnostics;

namespace SslCourse.Notebooks.Tests.Jupyter;

/// <summary>The course's runner (what graders use) on one notebook, for the Jupyter-host comparisons.</summary>
public static class RunnerHost
{
    /// <summary>Runs the runner's <c>run</c> command; returns its exit code, its stdout and stderr, and the seconds it took.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr, double Seconds)> RunAsync(params string[] arguments)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "SslCourse.Runner.dll"));
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr, clock.Elapsed.TotalSeconds);
    }
}
