using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using SslCourse.Notebooks;
using static SslCourse.Site.Html;

namespace SslCourse.Site;

/// <summary>
/// Builds the course website from executed notebooks: an index with the chapter table and each notebook's status
/// and time, one page per notebook (markdown with math, highlighted C#, every output, charts drawn by the bundled
/// plotly.js), a results page with every PASS/FAIL line and printed table, and the img/ diagrams. Works offline.
/// </summary>
public sealed partial class SiteBuilder(SiteOptions options)
{
    private sealed record Entry(string Name, string Title, NotebookDocument Doc, string Status, string Time);

    /// <summary>Writes the site; returns the number of HTML pages.</summary>
    public int Build()
    {
        var runs = ReadJUnit();
        var entries = Directory.GetFiles(options.Notebooks, "*.ipynb").Order(StringComparer.Ordinal).Select(path =>
        {
            var doc = NotebookDocument.Load(path);
            var name = Path.GetFileNameWithoutExtension(path);
            var title = doc.Cells.Where(c => c.IsMarkdown).Select(c => MarkdownRenderer.Title(c.Source)).FirstOrDefault(t => t is not null) ?? name;
            var failed = doc.Cells.Any(c => c.Outputs.OfType<JsonObject>().Any(o => (string?)o["output_type"] == "error"));
            var (status, time) = runs.TryGetValue(name + ".ipynb", out var r) ? (r.Failed || failed ? "FAIL" : "PASS", $"{r.Seconds:F0} s") : (failed ? "FAIL" : "ran", "—");
            return new Entry(name, title, doc, status, time);
        }).ToList();

        if (Directory.Exists(options.Out)) Directory.Delete(options.Out, recursive: true);
        Directory.CreateDirectory(Path.Combine(options.Out, "notebooks"));
        CopyAssets();
        for (int i = 0; i < entries.Count; i++)
            File.WriteAllText(Path.Combine(options.Out, entries[i].Name + ".html"), NotebookPage(entries[i], i > 0 ? entries[i - 1] : null, i + 1 < entries.Count ? entries[i + 1] : null));
        File.WriteAllText(Path.Combine(options.Out, "index.html"), Index(entries));
        File.WriteAllText(Path.Combine(options.Out, "results.html"), Results(entries));
        return entries.Count + 2;
    }

    private string NotebookPage(Entry e, Entry? prev, Entry? next)
    {
        var body = new StringBuilder();
        var source = Path.Combine(options.Repo, "notebooks", e.Name + ".ipynb");
        if (File.Exists(source)) File.Copy(source, Path.Combine(options.Out, "notebooks", e.Name + ".ipynb"), overwrite: true);
        body.Append($"<p class=\"source\">{e.Status} · {e.Time} · <a href=\"notebooks/{e.Name}.ipynb\">notebook source</a></p>\n");
        foreach (var cell in e.Doc.Cells)
        {
            if (cell.IsMarkdown) body.Append(MarkdownRenderer.ToHtml(cell.Source));
            else if (cell.IsCode)
                body.Append($"<pre><code class=\"language-csharp\">{E(cell.Source)}</code></pre>\n").Append(OutputRenderer.Render(cell));
        }
        body.Append("<nav class=\"pager\">")
            .Append(prev is null ? "<span></span>" : $"<a rel=\"prev\" href=\"{prev.Name}.html\">← {E(prev.Title)}</a>")
            .Append(next is null ? "<span></span>" : $"<a rel=\"next\" href=\"{next.Name}.html\">{E(next.Title)} →</a>")
            .Append("</nav>\n");
        return Page(e.Title, "", body.ToString());
    }

    private string Index(List<Entry> entries)
    {
        var descriptions = ReadmeChapterTable();
        var body = new StringBuilder("<h1>Self-supervised learning and foundation models, in C#</h1>\n")
            .Append("<p>The course's notebooks, executed with the <code>ci</code> profile on a CPU. Every chart, number and sample below was produced by the run; <a href=\"results.html\">results</a> gathers the checks.</p>\n")
            .Append("<table><thead><tr><th>notebook</th><th>what it covers</th><th>status</th><th>time</th></tr></thead><tbody>\n");
        foreach (var e in entries)
            body.Append($"<tr><td><a href=\"{e.Name}.html\">{E(e.Title)}</a></td><td>{E(descriptions.GetValueOrDefault(e.Name, ""))}</td><td class=\"{e.Status.ToLowerInvariant()}\">{e.Status}</td><td>{e.Time}</td></tr>\n");
        body.Append("</tbody></table>\n");
        return Page("Index", "", body.ToString());
    }

    private static string Results(List<Entry> entries)
    {
        var body = new StringBuilder("<h1>Results</h1>\n<p>Every PASS/FAIL line and every printed table, by notebook.</p>\n");
        foreach (var e in entries)
        {
            var stdout = string.Concat(e.Doc.Cells.SelectMany(c => c.Outputs.OfType<JsonObject>())
                .Where(o => (string?)o["output_type"] == "stream" && (string?)o["name"] == "stdout").Select(o => NotebookDocument.JoinText(o["text"])));
            var lines = stdout.Split('\n');
            var blocks = new List<string>();
            for (int i = 0; i < lines.Length; i++)
            {
                if (Verdict().IsMatch(lines[i])) { blocks.Add($"<p class=\"{(lines[i].StartsWith("PASS", StringComparison.Ordinal) ? "pass" : "fail")}\">{E(lines[i])}</p>"); continue; }
                int j = i;
                while (j < lines.Length && lines[j].Count(ch => ch == '|') >= 2) j++;
                if (j - i >= 3) { blocks.Add($"<pre class=\"out\">{E(string.Join('\n', lines[i..j]))}</pre>"); i = j - 1; }
            }
            if (blocks.Count == 0) continue;
            body.Append($"<h2><a href=\"{e.Name}.html\">{E(e.Title)}</a></h2>\n").AppendJoin('\n', blocks).Append('\n');
        }
        return Page("Results", "", body.ToString());
    }

    private Dictionary<string, (double Seconds, bool Failed)> ReadJUnit()
    {
        var runs = new Dictionary<string, (double, bool)>();
        foreach (var file in Directory.GetFiles(options.Notebooks, "*.xml"))
        {
            XDocument xml;
            try { xml = XDocument.Load(file); }
            catch (System.Xml.XmlException) { continue; } // not a JUnit report
            foreach (var tc in xml.Descendants("testcase"))
                if (tc.Attribute("name")?.Value is { } name && double.TryParse(tc.Attribute("time")?.Value, System.Globalization.CultureInfo.InvariantCulture, out var t))
                    runs[name] = (t, tc.Elements().Any(x => x.Name.LocalName is "failure" or "error"));
        }
        return runs;
    }

    private Dictionary<string, string> ReadmeChapterTable() =>
        File.ReadLines(Path.Combine(options.Repo, "README.md")).Select(l => ChapterRow().Match(l)).Where(m => m.Success)
            .GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.First().Groups[2].Value.Replace("`", ""));

    private void CopyAssets()
    {
        var assets = Path.Combine(options.Out, "assets");
        void Copy(string from, string to)
        {
            var src = Path.Combine(options.Assets, from);
            if (!File.Exists(src)) throw new SiteInputException($"{src}: missing (install the site's npm packages: scripts/setup)");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(assets, to))!);
            File.Copy(src, Path.Combine(assets, to), overwrite: true);
        }
        Copy("plotly.js-dist-min/plotly.min.js", "plotly.min.js");
        Copy("katex/dist/katex.min.js", "katex/katex.min.js");
        Copy("katex/dist/katex.min.css", "katex/katex.min.css");
        foreach (var font in Directory.GetFiles(Path.Combine(options.Assets, "katex/dist/fonts"), "*.woff2"))
            Copy(Path.GetRelativePath(options.Assets, font), "katex/fonts/" + Path.GetFileName(font));
        Copy("@highlightjs/cdn-assets/highlight.min.js", "hljs/highlight.min.js");
        Copy("@highlightjs/cdn-assets/languages/csharp.min.js", "hljs/csharp.min.js");
        Copy("@highlightjs/cdn-assets/styles/github.min.css", "hljs/github.min.css");
        foreach (var own in new[] { "site.css", "site.js" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, own), Path.Combine(assets, own), overwrite: true);
        var img = Path.Combine(options.Repo, "img");
        if (Directory.Exists(img))
        {
            Directory.CreateDirectory(Path.Combine(options.Out, "img"));
            foreach (var f in Directory.GetFiles(img)) File.Copy(f, Path.Combine(options.Out, "img", Path.GetFileName(f)), overwrite: true);
        }
    }

    [GeneratedRegex(@"^(PASS|FAIL)\b")]
    private static partial Regex Verdict();

    [GeneratedRegex(@"^\|\s*`([0-9]{2}_[A-Za-z0-9_]+)`\s*\|\s*(.*?)\s*\|\s*$")]
    private static partial Regex ChapterRow();
}
