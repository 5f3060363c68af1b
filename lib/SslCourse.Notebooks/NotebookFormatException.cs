namespace SslCourse.Notebooks;

/// <summary>
/// Bad input: a file that is missing, malformed or not a runnable C# notebook, a malformed master, a leak found at
/// release, or a bad argument (CLI exit code 2). The message is one line.
/// </summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/>.</summary>
    /// <param name="file">The offending file (or argument) as the user named it.</param>
    /// <param name="message">What is wrong, one line.</param>
    public NotebookFormatException(string file, string message)
        : base(message)
    {
        File = file;
    }

    /// <summary>The offending file (or argument).</summary>
    public string File { get; }
}
