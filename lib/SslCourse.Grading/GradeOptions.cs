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

    /// <summary>
    /// Run each submission in the bubblewrap sandbox. On by default; <see cref="GradingCli"/> turns it off (with a
    /// warning) only on a host without a working bubblewrap, or when asked to with <c>--no-sandbox</c>.
    /// </summary>
    public bool Sandbox { get; init; } = true;

    /// <summary>Grade only submission K of every N (1-based K), e.g. (2, 4): the 2nd, 6th, 10th, … in name order.</summary>
    public (int K, int N)? Shard { get; init; }

    /// <summary>Progress lines; null to discard.</summary>
    public TextWriter? Progress { get; init; }
}
