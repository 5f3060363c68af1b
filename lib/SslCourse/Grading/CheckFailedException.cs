namespace SslCourse.Grading;

/// <summary>
/// A failed exercise check. Its message is one paragraph for the learner (what was checked, expected vs actual,
/// tolerance, hint), and <see cref="ToString"/> omits the stack trace, which says nothing useful about the exercise.
/// </summary>
public sealed class CheckFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The learner-facing paragraph.</param>
    public CheckFailedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with the underlying cause (e.g. the learner's <see cref="NotImplementedException"/>).</summary>
    /// <param name="message">The learner-facing paragraph.</param>
    /// <param name="inner">The cause.</param>
    public CheckFailedException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>The type name and the paragraph, without a stack trace (notebooks print this on failure).</summary>
    public override string ToString() => $"{nameof(CheckFailedException)}: {Message}";
}
