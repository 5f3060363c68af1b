namespace SslCourse.Grading.Tests;

/// <summary>The grader's JUnit report and its shard merge, byte for byte (no kernels: built from results directly).</summary>
public sealed class JUnitReportTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("sslcourse-junit-").FullName;

    public void Dispose() => RunnerProcessExecutor.TryDelete(_root);

    private static readonly Question Q1 = new("q1_add", 2, false, 3);
    private static readonly Question Q2 = new("q2_mean", 1.5, false, 5);
    private static readonly Question Q3 = new("q3_essay", 3, true, 7);

    private static SubmissionResult Submission(string name, double seconds, string? q2Message) => new(name, "graded",
        [new(Q1, 2, true, null), new(Q2, q2Message is null ? 1.5 : 0, q2Message is null, q2Message), new(Q3, null, false, null)], [], seconds);

    private const string Header = "submission,q1_add,q2_mean,q3_essay (manual),total,max,status,notes";

    private string Shard(string name, params SubmissionResult[] results)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "grades.csv"), Header + "\n" + string.Concat(results.Select(r => r.Name + ",x\n")));
        Reports.WriteJUnit(Path.Combine(dir, "junit.xml"), results);
        return dir;
    }

    private const string BSuite = """
          <testsuite name="b_wrong" tests="3" failures="1" skipped="1" time="0.500">
            <testcase classname="b_wrong" name="q1_add" />
            <testcase classname="b_wrong" name="q2_mean">
              <failure message="expected 2 &lt; 3 &amp; &quot;x&quot;">  expected 2 &lt; 3 &amp; "x"
        but got 5</failure>
            </testcase>
            <testcase classname="b_wrong" name="q3_essay">
              <skipped message="graded by hand" />
            </testcase>
          </testsuite>
        """;

    private const string ASuite = """
          <testsuite name="a_right" tests="3" failures="0" skipped="1" time="12.346">
            <testcase classname="a_right" name="q1_add" />
            <testcase classname="a_right" name="q2_mean" />
            <testcase classname="a_right" name="q3_essay">
              <skipped message="graded by hand" />
            </testcase>
          </testsuite>
        """;

    [Fact]
    public void WriteJUnit_gives_the_same_bytes_as_always()
    {
        var dir = Shard("one", Submission("b_wrong", 0.5, "  expected 2 < 3 & \"x\"\nbut got 5"), Submission("a_right", 12.3456, null));
        var expected = "<testsuites name=\"grades\">\n" + BSuite + "\n" + ASuite + "\n</testsuites>\n";
        Assert.Equal(expected, File.ReadAllText(Path.Combine(dir, "junit.xml")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Merge_joins_the_shards_suites_in_name_order()
    {
        var shards = new[] { Shard("s1", Submission("b_wrong", 0.5, "  expected 2 < 3 & \"x\"\nbut got 5")), Shard("s2", Submission("a_right", 12.3456, null)) };
        Assert.Equal(2, ShardMerge.Merge(shards, Path.Combine(_root, "merged")));
        var expected = "<testsuites name=\"grades\">\n" + ASuite + "\n" + BSuite + "\n</testsuites>\n";
        Assert.Equal(expected, File.ReadAllText(Path.Combine(_root, "merged", "junit.xml")).ReplaceLineEndings("\n"));
    }
}
