using System.Diagnostics;
using System.Text.RegularExpressions;
using SslCourse.Notebooks;
using SslCourse.Runner;

namespace SslCourse.Notebooks.Tests.Kernel;

/// <summary>
/// Runs a notebook's code cells in order in the real .NET Interactive kernel, with the notebook's folder as the
/// working directory and the <c>parameters</c> cell's values applied as the runner applies them, and checks what a
/// learner would see: every cell succeeds, every chart cell shows a chart as text/html, and every progress display
/// is one display updated in place a bounded number of times.
/// </summary>
public sealed partial class RealKernelRun
{
    /// <summary>Seconds the whole notebook took in the kernel, start-up included.</summary>
    public double Seconds { get; private set; }

    /// <summary>Peak resident memory of the kernel's process tree, in MB.</summary>
    public double PeakMemoryMb { get; private set; }

    /// <summary>Every problem found, one line each, naming the cell; empty when the notebook passed.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Standard output of every cell, in order.</summary>
    public string Stdout { get; private set; } = "";

    /// <summary>
    /// Compiler warnings and standard-error text, one line per cell that had any ("code cell N (…): …"): what Jupyter
    /// prints in red. Recorded, not counted as problems: a caller decides (KernelCompilerWarningTests requires none).
    /// </summary>
    public List<string> Noise { get; } = [];

    /// <summary>Number of cells that showed a chart.</summary>
    public int ChartCells { get; private set; }

    /// <summary>Progress displays seen and the updates they received in all.</summary>
    public (int Displays, int Updates) Progress { get; private set; }

    /// <summary>Runs <paramref name="path"/> in a fresh kernel (or in <paramref name="kernel"/>, to test re-runs).</summary>
    public static async Task<RealKernelRun> RunAsync(string path, IReadOnlyList<KeyValuePair<string, string>> parameters, TimeSpan cellTimeout, StdioKernel? kernel = null)
    {
        var run = new RealKernelRun();
        var clock = Stopwatch.StartNew();
        var doc = NotebookDocument.Load(path);
        ParameterInjector.Inject(doc, parameters, Path.GetFileName(path));
        var own = kernel is null;
        kernel ??= new StdioKernel(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var stdout = new System.Text.StringBuilder();
        try
        {
            var number = 0;
            foreach (var cell in doc.Cells.Where(c => c.IsCode))
            {
                number++;
                CellEvents events;
                try { events = await kernel.SubmitAsync(cell.Source, cellTimeout); }
                catch (Exception e) when (e is TimeoutException or InvalidOperationException)
                {
                    run.Problems.Add($"{Label(number, cell)}: {e.Message}");
                    break;
                }
                stdout.Append(events.Stdout);
                if (!run.Check(number, cell, events)) break;
            }
        }
        finally
        {
            run.PeakMemoryMb = kernel.PeakMemoryMb;
            if (own) kernel.Dispose();
        }
        run.Stdout = stdout.ToString();
        run.Seconds = clock.Elapsed.TotalSeconds;
        return run;
    }

    /// <summary>True when the cell draws a chart a learner should see: it calls a Charts helper or a result's Chart().</summary>
    public static bool IsChartCell(NotebookCell cell) => ChartCall().IsMatch(cell.Source);

    /// <summary>The PASS/FAIL verdict lines of <paramref name="stdout"/>, with numbers masked so timing figures compare.</summary>
    public static IReadOnlyList<string> Verdicts(string stdout) =>
        stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("PASS", StringComparison.Ordinal) || l.StartsWith("FAIL", StringComparison.Ordinal))
            .Select(l => Number().Replace(l, "#")).ToList();

    private bool Check(int number, NotebookCell cell, CellEvents events)
    {
        var label = Label(number, cell);
        if (events.Failure is not null)
        {
            var line = events.Errors.Count > 0 ? SourceLine(cell, events.Errors[0].Line) : FirstLine(cell);
            Problems.Add($"{label} failed at `{line}`: {Head(events.Failure)}");
            return false;
        }
        if (events.Warnings.Count > 0) Noise.Add($"{label}: {string.Join(" | ", events.Warnings)}");
        if (events.Stderr.Length > 0) Noise.Add($"{label}: stderr {Head(events.Stderr.ToString())}");
        var charts = events.Shown.Count(v => v.IsChart);
        if (charts > 0) ChartCells++;
        if (IsChartCell(cell) && charts == 0)
            Problems.Add($"{label} draws a chart but the kernel showed no text/html chart (shown: {string.Join(", ", events.Shown.Select(v => $"{v.Kind} {string.Join("+", v.Values.Keys)}"))})");
        CheckProgress(label, events);
        return true;
    }

    private void CheckProgress(string label, CellEvents events)
    {
        var displays = events.Shown.Where(v => v.Kind == "DisplayedValueProduced" && v.ValueId is not null).Select(v => v.ValueId!).ToHashSet();
        var updates = events.Shown.Where(v => v.Kind == "DisplayedValueUpdated").ToList();
        foreach (var stray in updates.Select(u => u.ValueId).Distinct().Where(id => id is null || !displays.Contains(id)))
            Problems.Add($"{label}: a display update names id {stray ?? "(none)"}, which no display in the cell has, so a front end would append it instead of updating in place");
        // About two updates a second per display, plus the final line; 4 a second leaves room for scheduling jitter.
        var bound = displays.Count * 2 + 4 * (int)Math.Ceiling(events.Seconds);
        if (updates.Count > bound)
            Problems.Add($"{label}: {updates.Count} display updates in {events.Seconds:F0} s exceeds {bound}");
        Progress = (Progress.Displays + updates.Select(u => u.ValueId).Distinct().Count(), Progress.Updates + updates.Count);
    }

    private static string Label(int number, NotebookCell cell) => $"code cell {number} ({FirstLine(cell)})";

    private static string FirstLine(NotebookCell cell) =>
        cell.Source.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith("//", StringComparison.Ordinal)) ?? "";

    private static string SourceLine(NotebookCell cell, int line) =>
        cell.Source.Split('\n').ElementAtOrDefault(line)?.Trim() ?? FirstLine(cell);

    private static string Head(string text) => string.Join('\n', text.Split('\n').Take(6));

    [GeneratedRegex(@"\bCharts\.\w+\s*\(|\.Chart\s*\(")]
    private static partial Regex ChartCall();

    [GeneratedRegex(@"[-+]?\d+([.,]\d+)*")]
    private static partial Regex Number();
}
