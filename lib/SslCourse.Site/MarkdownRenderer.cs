using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace SslCourse.Site;

/// <summary>
/// Notebook markdown to HTML with Markdig (CommonMark plus tables and math). Math stays as TeX inside
/// <c>span.math</c>/<c>div.math</c> for KaTeX to render in the page; links to <c>../img/</c> and to other notebooks
/// are rewritten to the site's copies.
/// </summary>
internal static class MarkdownRenderer
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    public static string ToHtml(string markdown)
    {
        var doc = Markdown.Parse(markdown, Pipeline);
        foreach (var link in doc.Descendants<LinkInline>())
            if (link.Url is { } url) link.Url = Rewrite(url);
        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(doc);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>The first level-1 heading's text, or null.</summary>
    public static string? Title(string markdown) =>
        Markdown.Parse(markdown, Pipeline).Descendants<HeadingBlock>().FirstOrDefault(h => h.Level == 1)?.Inline?.Descendants<LiteralInline>()
            .Aggregate("", (s, l) => s + l.Content.ToString());

    private static string Rewrite(string url)
    {
        if (url.StartsWith("../img/", StringComparison.Ordinal)) return url[3..];
        if (!url.Contains("://", StringComparison.Ordinal) && url.EndsWith(".ipynb", StringComparison.Ordinal))
            return Path.GetFileNameWithoutExtension(url) + ".html";
        return url;
    }
}
