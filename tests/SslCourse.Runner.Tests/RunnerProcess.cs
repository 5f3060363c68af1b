using System.Diagnostics;

namespace SslCourse.Runner.Tests;

/// <summary>Runs the built <c>sslcourse</c> as a real process, as users and CI do.</summary>
public static class RunnerProcess
{
    /// <summary>What a run printed and returned.</summary>
    /// <param name="ExitCode">Process exit code.</param>
    /// <param name="Stdout">Standard output.</param>
    /// <param name="Stderr">Standard error.</param>
    /// <param name="Elapsed">Wall time.</param>
    public sealed record Result(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

    /// <summary>The runner copied next to the tests by the project reference.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "SslCourse.Runner.dll");

    public static Result Run(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException("sslcourse did not finish in 3 minutes");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result, clock.Elapsed);
    }
}
