namespace SslCourse.Grading;

/// <summary>Names shared by the judge (runner) and the learner-side probe (the course library's <c>SslCourse.Grading.Probe</c>).</summary>
public static class JudgeProtocol
{
    /// <summary>Prefix of the probe's lines on the learner kernel's stdout; equals <c>SslCourse.Grading.Probe.Prefix</c>.</summary>
    public const string ProbePrefix = "@@sslcourse-probe ";
}
