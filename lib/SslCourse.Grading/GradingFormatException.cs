namespace SslCourse.Grading;

/// <summary>Bad input to a grading command: a malformed master, a leak found at release, bad arguments. One line.</summary>
public sealed class GradingFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="file">The file (or option) at fault.</param>
    /// <param name="message">One line naming the cell and the problem.</param>
    public GradingFormatException(string file, string message) : base(message)
    {
        File = file;
    }

    /// <summary>The file (or option) at fault.</summary>
    public string File { get; }
}
