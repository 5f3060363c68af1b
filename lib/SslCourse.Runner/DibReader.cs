using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Documents;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Reads a Polyglot .dib file into an nbformat model, tagging each cell with its kernel name.</summary>
internal static class DibReader
{
    /// <summary>Parses .dib text.</summary>
    /// <param name="text">The .dib content.</param>
    public static NotebookDocument Parse(string text)
    {
        // Every kernel a .dib may name must be known here, otherwise "#!fsharp" would be read as C# source.
        var kernels = new KernelInfoCollection { DefaultKernelName = "csharp" };
        foreach (var name in NotebookLanguage.KnownKernels)
        {
            kernels.Add(new KernelInfo(name.Key, aliases: name.Value));
        }
        var parsed = CodeSubmission.Parse(text, kernels);
        var doc = new NotebookDocument { Metadata = NotebookLanguage.CSharpNotebookMetadata() };
        foreach (var element in parsed.Elements)
        {
            var kernel = element.KernelName ?? "csharp";
            var isMarkdown = kernel is "markdown" or "md";
            var cell = new NotebookCell(isMarkdown ? "markdown" : "code", element.Contents)
            {
                Id = Guid.NewGuid().ToString("N")[..12],
            };
            if (!isMarkdown)
            {
                cell.Metadata["polyglot_notebook"] = new JsonObject { ["kernelName"] = kernel };
            }
            doc.Cells.Add(cell);
        }
        return doc;
    }
}
