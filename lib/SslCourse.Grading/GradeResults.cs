namespace SslCourse.Grading;

/// <summary>Outcome of one question for one submission.</summary>
/// <param name="Question">The question.</param>
/// <param name="Points">Points earned; null for a manually graded question (a person enters them).</param>
/// <param name="Passed">True when the check cell ran without error.</param>
/// <param name="Message">Why it failed (one paragraph), or null.</param>
public sealed record QuestionResult(Question Question, double? Points, bool Passed, string? Message);

/// <summary>Outcome of one submission.</summary>
/// <param name="Name">Submission name (file name without extension, or folder name).</param>
/// <param name="Status">graded, malformed, or error (the notebook could not run at all).</param>
/// <param name="Questions">One entry per question of the master, in master order.</param>
/// <param name="Notes">Short, deterministic notes for the gradebook (edited checks, timeouts, ...).</param>
/// <param name="Seconds">Wall time spent grading it.</param>
public sealed record SubmissionResult(string Name, string Status, IReadOnlyList<QuestionResult> Questions, IReadOnlyList<string> Notes, double Seconds)
{
    /// <summary>Autograded points earned.</summary>
    public double Total => Questions.Sum(q => q.Points ?? 0);

    /// <summary>Autograded points possible.</summary>
    public double Max => Questions.Where(q => !q.Question.Manual).Sum(q => q.Question.Points);
}
