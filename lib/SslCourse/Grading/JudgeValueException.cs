namespace SslCourse.Grading;

/// <summary>
/// A value that cannot cross between the learner's kernel and the grader's judge (a type the notebook declares, a
/// malformed or oversized payload), or an exception the learner's code threw whose type the judge does not recreate.
/// The message is one sentence for the learner; the check that received it fails.
/// </summary>
public sealed class JudgeValueException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">The learner-facing sentence.</param>
    public JudgeValueException(string message) : base(message)
    {
    }

    /// <summary>The type name and the sentence, without a stack trace.</summary>
    public override string ToString() => $"{nameof(JudgeValueException)}: {Message}";
}
