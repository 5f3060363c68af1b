using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Reads a notebook the runner accepts: .ipynb with the shared model, .dib through <see cref="DibReader"/>.</summary>
internal static class NotebookReader
{
    /// <summary>Reads a notebook by extension.</summary>
    /// <param name="path">The notebook file.</param>
    /// <exception cref="NotebookFormatException">Missing file, malformed content or unsupported extension.</exception>
    public static NotebookDocument Load(string path)
    {
        var text = NotebookDocument.ReadText(path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".ipynb" => NotebookDocument.ParseIpynb(text, path),
            ".dib" => DibReader.Parse(text),
            _ => throw new NotebookFormatException(path, "not a notebook (expected .ipynb or .dib)"),
        };
    }
}
