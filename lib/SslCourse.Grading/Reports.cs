using System.Globalization;
using System.Text;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>The grading outputs: gradebook CSV, per-submission feedback (Markdown and HTML) and JUnit XML.</summary>
internal static class Reports
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>
    /// One row per submission (name order), one column per question (master order; manual ones left empty for the
    /// grader), then total, max, status and notes. No timestamps or timings, so re-grading gives the same bytes.
    /// </summary>
    public static void WriteGradebook(string path, MasterNotebook master, IReadOnlyList<SubmissionResult> results)
    {
        var sb = new StringBuilder();
        var header = new List<string> { "submission" };
        header.AddRange(master.Questions.Select(q => q.Manual ? q.Id + " (manual)" : q.Id));
        header.AddRange(["total", "max", "status", "notes"]);
        sb.AppendLine(string.Join(',', header.Select(Csv)));
        foreach (var r in results.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var row = new List<string> { r.Name };
            row.AddRange(r.Questions.Select(q => q.Points is { } p ? Points(p) : ""));
            row.AddRange([Points(r.Total), Points(r.Max), r.Status, string.Join("; ", r.Notes)]);
            sb.AppendLine(string.Join(',', row.Select(Csv)));
        }
        AtomicFile.WriteAllText(path, sb.ToString());
    }

    /// <summary>Writes <c>feedback/NAME.md</c> and <c>feedback/NAME.html</c>; every learner string is escaped (<see cref="ReportText"/>).</summary>
    public static void WriteFeedback(string outDir, MasterNotebook master, SubmissionResult r)
    {
        static string M(string s) => ReportText.Markdown(s);
        var dir = Path.Combine(outDir, "feedback");
        var notebook = Path.GetFileName(master.Path);
        var manual = r.Questions.Where(q => q.Question.Manual).ToList();
        var md = new StringBuilder();
        md.AppendLine($"# Feedback for {M(r.Name)}: {notebook}").AppendLine();
        md.AppendLine($"**Autograded score: {Points(r.Total)} / {Points(r.Max)}**" + (r.Status == "graded" ? "" : $" (status: {M(r.Status)})")).AppendLine();
        if (manual.Count > 0)
        {
            md.AppendLine($"Graded by hand later: {string.Join(", ", manual.Select(q => $"{q.Question.Id} ({Points(q.Question.Points)} points)"))}.").AppendLine();
        }
        foreach (var note in r.Notes)
        {
            md.AppendLine($"- Note: {M(note).Replace("\n", " ", StringComparison.Ordinal)}");
        }
        if (r.Notes.Count > 0)
        {
            md.AppendLine();
        }
        md.AppendLine("| Question | Points | Result |").AppendLine("|---|---|---|");
        foreach (var q in r.Questions)
        {
            md.AppendLine($"| {q.Question.Id} | {(q.Points is { } p ? Points(p) : "–")} / {Points(q.Question.Points)} | {M(Mark(q))} |");
        }
        md.AppendLine();
        foreach (var q in r.Questions.Where(q => !q.Passed && !q.Question.Manual))
        {
            md.AppendLine($"## {q.Question.Id}: 0 / {Points(q.Question.Points)}").AppendLine();
            md.AppendLine("> " + M(q.Message ?? "failed").Replace("\n", "  \n> ", StringComparison.Ordinal)).AppendLine();
        }
        AtomicFile.WriteAllText(Path.Combine(dir, r.Name + ".md"), md.ToString());

        var h = new StringBuilder();
        string E(string s) => ReportText.Html(s);
        h.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .AppendLine($"<title>Feedback for {E(r.Name)}</title>")
            .AppendLine("<style>body{font-family:sans-serif;max-width:50em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em}.ok{color:#070}.bad{color:#a00}blockquote{background:#f6f6f6;margin:0;padding:.5em 1em}</style>")
            .AppendLine("</head><body>");
        h.AppendLine($"<h1>Feedback for {E(r.Name)}: {E(notebook)}</h1>");
        h.AppendLine($"<p><strong>Autograded score: {Points(r.Total)} / {Points(r.Max)}</strong>{(r.Status == "graded" ? "" : $" (status: {E(r.Status)})")}</p>");
        if (manual.Count > 0)
        {
            h.AppendLine($"<p>Graded by hand later: {E(string.Join(", ", manual.Select(q => $"{q.Question.Id} ({Points(q.Question.Points)} points)")))}.</p>");
        }
        if (r.Notes.Count > 0)
        {
            h.AppendLine("<ul>" + string.Concat(r.Notes.Select(n => $"<li>Note: {E(n)}</li>")) + "</ul>");
        }
        h.AppendLine("<table><tr><th>Question</th><th>Points</th><th>Result</th></tr>");
        foreach (var q in r.Questions)
        {
            var css = q.Question.Manual ? "" : q.Passed ? " class=\"ok\"" : " class=\"bad\"";
            h.AppendLine($"<tr><td>{E(q.Question.Id)}</td><td>{(q.Points is { } p ? Points(p) : "–")} / {Points(q.Question.Points)}</td><td{css}>{E(Mark(q))}</td></tr>");
        }
        h.AppendLine("</table>");
        foreach (var q in r.Questions.Where(q => !q.Passed && !q.Question.Manual))
        {
            h.AppendLine($"<h2>{E(q.Question.Id)}: 0 / {Points(q.Question.Points)}</h2><blockquote>{E(q.Message ?? "failed")}</blockquote>");
        }
        h.AppendLine("</body></html>");
        AtomicFile.WriteAllText(Path.Combine(dir, r.Name + ".html"), h.ToString());
    }

    /// <summary>One testsuite per submission, one testcase per autograded question (manual ones skipped).</summary>
    public static void WriteJUnit(string path, IReadOnlyList<SubmissionResult> results)
    {
        var root = JUnitXml.Suites("grades", []);
        foreach (var r in results)
        {
            var auto = r.Questions.Where(q => !q.Question.Manual).ToList();
            var suite = JUnitXml.Suite(r.Name, tests: r.Questions.Count, failures: auto.Count(q => !q.Passed), seconds: r.Seconds,
                skipped: r.Questions.Count - auto.Count);
            foreach (var q in r.Questions)
            {
                var tc = JUnitXml.Case(r.Name, q.Question.Id);
                if (q.Question.Manual)
                {
                    tc.Add(JUnitXml.Skipped("graded by hand"));
                }
                else if (!q.Passed)
                {
                    tc.Add(JUnitXml.Failure(OneLine(q.Message ?? "failed"), q.Message ?? "failed"));
                }
                suite.Add(tc);
            }
            root.Add(suite);
        }
        JUnitXml.Write(path, root);
    }

    public static string Points(double p) => p.ToString("0.##", Inv);

    public static string OneLine(string s) => s.Split('\n')[0].Trim();

    /// <summary>A name safe as a file name and CSV cell: letters, digits, '-', '_', '.'.</summary>
    public static string SafeName(string name)
    {
        var s = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray()).Trim('.');
        return s.Length == 0 ? "submission" : s;
    }

    private static string Mark(QuestionResult q) =>
        q.Question.Manual ? "graded by hand" : q.Passed ? "✓ passed" : "✗ " + OneLine(q.Message ?? "failed");

    private static string Csv(string s) => ReportText.Csv(s);
}
