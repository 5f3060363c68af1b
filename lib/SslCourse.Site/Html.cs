using System.Net;

namespace SslCourse.Site;

/// <summary>HTML escaping and the page frame every page shares.</summary>
internal static class Html
{
    public static string E(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A whole page: head with the bundled scripts (plotly.js first, so charts draw as the page loads), nav, body.</summary>
    public static string Page(string title, string nav, string body) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{E(title)} · SslCourse</title>
        <link rel="stylesheet" href="assets/katex/katex.min.css">
        <link rel="stylesheet" href="assets/hljs/github.min.css">
        <link rel="stylesheet" href="assets/site.css">
        <script src="assets/plotly.min.js"></script>
        <script defer src="assets/katex/katex.min.js"></script>
        <script defer src="assets/hljs/highlight.min.js"></script>
        <script defer src="assets/hljs/csharp.min.js"></script>
        <script defer src="assets/site.js"></script>
        </head>
        <body>
        <nav class="top"><a href="index.html">SslCourse</a> · <a href="results.html">results</a>{nav}</nav>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;
}
