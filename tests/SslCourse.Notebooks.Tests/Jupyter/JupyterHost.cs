using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using SslCourse.Runner;

namespace SslCourse.Notebooks.Tests.Jupyter;

/// <summary>What nbclient_run.py reports on its last stdout line.</summary>
public sealed record JupyterSummary(
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("cpu_seconds")] double CpuSeconds,
    [property: JsonPropertyName("kernel")] string? Kernel,
    [property: JsonPropertyName("failed_cell")] int? FailedCell,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("warnings")] IReadOnlyList<string> Warnings,
    [property: JsonPropertyName("input_problems")] IReadOnlyList<string> InputProblems,
    [property: JsonPropertyName("output_problems")] IReadOnlyList<string> OutputProblems);

/// <summary>One notebook run by Jupyter's client: the summary, the executed notebook and what it printed.</summary>
/// <param name="Executed">The executed notebook nbclient wrote.</param>
/// <param name="Summary">nbclient_run.py's report.</param>
/// <param name="Seconds">Wall time of the whole run, kernel start included.</param>
/// <param name="Stderr">The client's and the kernel's own standard error (kernel logging; not notebook output).</param>
public sealed record JupyterRun(string Executed, JupyterSummary Summary, double Seconds, string Stderr);

/// <summary>
/// Jupyter as a host: Debian's python3-nbclient drives the .NET kernel registered by <c>dotnet interactive jupyter
/// install</c> (kernelspec <c>.net-csharp</c>), through Jupyter's wire protocol, exactly as JupyterLab or
/// <c>jupyter nbconvert --execute</c> would. Parameters are injected as the course's runner injects them.
/// </summary>
public static class JupyterHost
{
    private static string Scripts => Path.Combine(RepositoryPaths.Root, "tests", "SslCourse.Notebooks.Tests", "Jupyter");

    /// <summary>The Python that Debian's packages install into; a pyenv or venv python3 earlier on PATH lacks them.</summary>
    public static string Python => File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

    /// <summary>
    /// Runs <paramref name="notebook"/> with its own folder as the kernel's working folder, writing the executed
    /// copy to <paramref name="outDir"/>. Throws when the client cannot run at all (packages or kernel missing).
    /// </summary>
    public static async Task<JupyterRun> RunAsync(string notebook, IReadOnlyList<KeyValuePair<string, string>> parameters, string outDir, TimeSpan cellTimeout)
    {
        var name = Path.GetFileName(notebook);
        Directory.CreateDirectory(outDir);
        var input = notebook;
        if (parameters.Count > 0)
        {
            var doc = NotebookDocument.Load(notebook);
            ParameterInjector.Inject(doc, parameters, name);
            input = Path.Combine(outDir, "input", name);
            Directory.CreateDirectory(Path.GetDirectoryName(input)!);
            doc.Save(input);
        }
        var executed = Path.Combine(outDir, name);
        File.Delete(executed);
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(Scripts, "nbclient_run.py"), input, executed, "--cwd", Path.GetDirectoryName(Path.GetFullPath(notebook))!, "--timeout", $"{cellTimeout.TotalSeconds:F0}" })
            psi.ArgumentList.Add(a);
        // What a learner's kernel sees: the runner's headless switch must not leak in from the test host.
        psi.Environment.Remove("SSLCOURSE_HEADLESS");
        psi.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Python}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var (outText, errText) = (await stdout, await stderr);
        var last = outText.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        if (process.ExitCode == 2 || !last.StartsWith('{'))
            throw new InvalidOperationException($"nbclient could not run {name} (exit {process.ExitCode}): {Tail(errText)}");
        var summary = JsonSerializer.Deserialize<JupyterSummary>(last) ?? throw new InvalidOperationException($"{name}: unreadable nbclient summary: {last}");
        return new JupyterRun(executed, summary, clock.Elapsed.TotalSeconds, errText);
    }

    /// <summary>Runs nbschema.py over <paramref name="paths"/>: its exit code and its lines.</summary>
    public static (int ExitCode, string Output) Validate(params string[] paths)
    {
        var psi = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(Scripts, "nbschema.py"));
        foreach (var p in paths) psi.ArgumentList.Add(p);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {Python}");
        var stderr = process.StandardError.ReadToEndAsync();
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, text + stderr.Result);
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("info:", StringComparison.Ordinal) && !l.StartsWith("      ", StringComparison.Ordinal)).TakeLast(12));
}
