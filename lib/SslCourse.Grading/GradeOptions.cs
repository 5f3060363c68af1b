namespace SslCourse.Grading;

/// <summary>How <see cref="Grader"/> runs submissions.</summary>
public sealed class GradeOptions
{
    /// <summary>Limits for each run of a submission.</summary>
    public SandboxLimits Limits { get; init; } = new();

    /// <summary>Parameters injected into every submission (default: the ci profile).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [new("Profile", "ci")];

    /// <summary>
    /// Re-runs after a cell hangs or kills the kernel: that cell is replaced by one that fails, so the rest of the
    /// notebook still earns its points. 0 = a hang loses every later question.
    /// </summary>
    public int Retries { get; init; } = 2;

    /// <summary>Progress lines; null to discard.</summary>
    public TextWriter? Progress { get; init; }
}
