using SslCourse.Notebooks;

namespace SslCourse.Runner.Tests;

/// <summary>The runner's JUnit report, byte for byte (CI parsers and the merge of concurrent runs read it).</summary>
public sealed class JUnitWriterTests
{
    private static NotebookResult Result(string name, double seconds, string? error = null, params CellResult[] cells) => new()
    {
        SourcePath = "/nb/" + name,
        Executed = new NotebookDocument(),
        Cells = cells,
        Seconds = seconds,
        Error = error,
    };

    private static readonly NotebookResult[] Results =
    [
        Result("a_ok.ipynb", 1.25, null, new CellResult { Index = 0, FirstLine = "var a = 1;", Status = CellStatus.Ok }),
        Result("b_fail.ipynb", 2, null,
            new CellResult { Index = 0, FirstLine = "x", Status = CellStatus.Ok },
            new CellResult { Index = 3, FirstLine = "if (a < b && c) \"q\"", Status = CellStatus.Failed, Error = "\u001b[31mboom\u001b[0m <&>\nat line 2" }),
        Result("c_error.ipynb", 0.5, "kernel did not start\ndetails"),
    ];

    private const string Expected = """
        <testsuite name="notebooks" tests="3" failures="2" errors="0" time="3.750">
          <testcase classname="notebooks" name="a_ok.ipynb" time="1.250" />
          <testcase classname="notebooks" name="b_fail.ipynb" time="2.000">
            <failure message="cell 3 &quot;if (a &lt; b &amp;&amp; c) &quot;q&quot;&quot; : ?[31mboom?[0m &lt;&amp;&gt;" type="Failed">cell 3 "if (a &lt; b &amp;&amp; c) "q"" FAILED
        ?[31mboom?[0m &lt;&amp;&gt;
        at line 2</failure>
          </testcase>
          <testcase classname="notebooks" name="c_error.ipynb" time="0.500">
            <failure message="kernel did not start" type="Error">kernel did not start</failure>
          </testcase>
        </testsuite>

        """;

    [Fact]
    public void Write_gives_the_same_bytes_as_always()
    {
        using var temp = new TempFolder();
        JUnitWriter.Write(temp.File("junit.xml"), Results);
        Assert.Equal(Expected.ReplaceLineEndings("\n"), File.ReadAllText(temp.File("junit.xml")).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Merge_keeps_other_notebooks_first_and_replaces_rerun_ones()
    {
        using var temp = new TempFolder();
        var path = temp.File("junit.xml");
        JUnitWriter.Write(path, Results);
        JUnitWriter.Merge(path, [Result("b_fail.ipynb", 4)]);
        const string merged = """
            <testsuite name="notebooks" tests="3" failures="1" errors="0" time="5.750">
              <testcase classname="notebooks" name="a_ok.ipynb" time="1.250" />
              <testcase classname="notebooks" name="c_error.ipynb" time="0.500">
                <failure message="kernel did not start" type="Error">kernel did not start</failure>
              </testcase>
              <testcase classname="notebooks" name="b_fail.ipynb" time="4.000" />
            </testsuite>

            """;
        Assert.Equal(merged.ReplaceLineEndings("\n"), File.ReadAllText(path).ReplaceLineEndings("\n"));
    }
}
