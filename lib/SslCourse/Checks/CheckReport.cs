namespace SslCourse.Checks;

/// <summary>
/// The outcome of a check against an independent reference (a loop written differently, an analytic value, a
/// property): one printable line per comparison and an overall verdict. Notebooks print it and throw when it failed;
/// unit tests run the same check on deliberately broken code and expect <see cref="Passed"/> to be false.
/// </summary>
public sealed class CheckReport
{
    private readonly List<string> _lines = [];

    /// <summary>What was checked, e.g. "NT-Xent against a per-anchor loop".</summary>
    public string Title { get; }

    /// <summary>True when every comparison agreed.</summary>
    public bool Passed { get; private set; } = true;

    /// <summary>One line per comparison, starting with "ok" or "FAIL".</summary>
    public IReadOnlyList<string> Lines => _lines;

    /// <summary>A new, empty report.</summary>
    public CheckReport(string title) => Title = title;

    /// <summary>Records one comparison.</summary>
    public void Add(bool ok, string line)
    {
        if (!ok) Passed = false;
        _lines.Add($"  {(ok ? "ok  " : "FAIL")} {line}");
    }

    /// <summary>Runs one comparison, recording an exception from the code under test as a failure (a crash is a failed check).</summary>
    public void Try(string what, Func<(bool Ok, string Line)> compare)
    {
        try
        {
            var (ok, line) = compare();
            Add(ok, line);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Add(false, $"{what}: threw {e.GetType().Name}: {e.Message.Split('\n')[0]}");
        }
    }

    /// <summary>Throws with every line when a comparison failed; returns the report otherwise, for printing.</summary>
    public CheckReport ThrowIfFailed() => Passed ? this : throw new InvalidOperationException($"FAIL: {Title}{Environment.NewLine}{this}");

    /// <summary>The title, the lines and the verdict.</summary>
    public override string ToString() =>
        $"{Title}{Environment.NewLine}{string.Join(Environment.NewLine, _lines)}{Environment.NewLine}  → {(Passed ? "PASS" : "FAIL")}";
}
