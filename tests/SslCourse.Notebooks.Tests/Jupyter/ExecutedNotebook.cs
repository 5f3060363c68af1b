using System.Text.Json.Nodes;
using SslCourse.Notebooks.Tests.Kernel;

namespace SslCourse.Notebooks.Tests.Jupyter;

/// <summary>
/// An executed notebook read back as a learner sees it: what each code cell printed, and every output that should
/// not be there. Works on any host's .ipynb (nbclient's, the runner's).
/// </summary>
public sealed partial class ExecutedNotebook
{
    /// <summary>Standard output of every code cell, in order.</summary>
    public string Stdout { get; private set; } = "";

    /// <summary>What a learner would see as wrong, one line each naming the cell: error outputs, stderr (Jupyter prints compiler warnings there), a chart cell without its chart or its text fallback.</summary>
    public List<string> Problems { get; } = [];

    /// <summary>Cells that showed a course chart.</summary>
    public int ChartCells { get; private set; }

    /// <summary>Reads <paramref name="path"/>.</summary>
    public static ExecutedNotebook Read(string path)
    {
        var doc = NotebookDocument.Load(path);
        var result = new ExecutedNotebook();
        var stdout = new System.Text.StringBuilder();
        var number = 0;
        foreach (var cell in doc.Cells.Where(c => c.IsCode))
        {
            number++;
            var label = $"code cell {number} ({cell.FirstLine})";
            var charts = 0;
            foreach (var o in cell.Outputs.OfType<JsonObject>())
            {
                switch ((string?)o["output_type"])
                {
                    case "stream" when (string?)o["name"] == "stdout":
                        stdout.Append(NotebookDocument.JoinText(o["text"]));
                        break;
                    case "stream":
                        result.Problems.Add($"{label}: {(string?)o["name"]}: {Head(NotebookDocument.JoinText(o["text"]))}");
                        break;
                    case "error":
                        result.Problems.Add($"{label}: error {(string?)o["ename"]}: {Head((string?)o["evalue"] ?? "")}");
                        break;
                    case "display_data" or "execute_result":
                        var html = NotebookDocument.JoinText(o["data"]?["text/html"]);
                        if (!html.Contains("class=\"sslcourse-chart\"", StringComparison.Ordinal)) break;
                        charts++;
                        if (NotebookDocument.JoinText(o["data"]?["text/plain"]) is not { Length: > 0 } text || !text.StartsWith("Chart \"", StringComparison.Ordinal))
                            result.Problems.Add($"{label}: a chart output has no text/plain summary beside its text/html");
                        break;
                }
            }
            if (charts > 0) result.ChartCells++;
            if (RealKernelRun.IsChartCell(cell) && charts == 0 && !cell.Outputs.OfType<JsonObject>().Any(o => (string?)o["output_type"] == "error"))
                result.Problems.Add($"{label} draws a chart but shows no text/html chart");
        }
        result.Stdout = stdout.ToString();
        return result;
    }

    /// <summary>
    /// The printed lines two hosts must agree on: every stdout line except the headless runner's progress lines
    /// (a host with displays shows those as one updating display instead), with numbers that measure time or speed
    /// masked, and Course.Init's banner without what the libstdc++ step did to this machine's files (the first
    /// process to load libtorch marks them; later ones find them marked); every other number is compared as printed.
    /// </summary>
    public static IReadOnlyList<string> PrintedResults(string stdout) =>
        stdout.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0 && !ProgressLine().IsMatch(l))
            .Select(l => l.StartsWith("SslCourse · profile", StringComparison.Ordinal) && l.IndexOf(" · libtorch", StringComparison.Ordinal) is var i and > 0 ? l[..i] : l)
            .Select(l => Timing().Replace(l, "#")).ToList();

    private static string Head(string text) => string.Join(" ⏎ ", text.Trim().Split('\n').Take(4));

    // Progress's headless line: "name: step 10/200 · loss 1.2345 · 512 samples/s · ETA 3s".
    [System.Text.RegularExpressions.GeneratedRegex(@"^[^:]+: (step \d+/\d+|starting)")]
    private static partial System.Text.RegularExpressions.Regex ProgressLine();

    [System.Text.RegularExpressions.GeneratedRegex(@"\d[\d,.]*\s?(ms|s|min|h|µs|ns|[a-z]+/s)\b")]
    private static partial System.Text.RegularExpressions.Regex Timing();
}
