namespace SslCourse.Notebooks.Tests;

/// <summary>
/// Per-notebook time and peak memory in both hosts, appended to <c>out/notebook-hosts.tsv</c> so a run's figures
/// can be read after it (the README and closing notes quote them).
/// </summary>
internal static class HostTimes
{
    private static readonly object Gate = new();

    /// <summary>Appends one notebook's figures.</summary>
    public static void Record(string notebook, double runnerSeconds, double runnerPeakMb, double kernelSeconds, double kernelPeakMb)
    {
        var path = Path.Combine(RepositoryPaths.Root, "out", "notebook-hosts.tsv");
        lock (Gate)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            if (!File.Exists(path)) File.WriteAllText(path, "time\tnotebook\trunner_s\trunner_peak_mb\tkernel_s\tkernel_peak_mb\n");
            File.AppendAllText(path, FormattableString.Invariant($"{DateTime.UtcNow:O}\t{notebook}\t{runnerSeconds:F1}\t{runnerPeakMb:F0}\t{kernelSeconds:F1}\t{kernelPeakMb:F0}\n"));
        }
    }
}
