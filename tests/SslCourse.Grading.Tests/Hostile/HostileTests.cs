using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace SslCourse.Grading.Tests.Hostile;

/// <summary>Each attack scores what it should, and no attack changes another row or file.</summary>
public sealed class HostileTests(HostileBatch batch, ITestOutputHelper output) : IClassFixture<HostileBatch>
{
    private const string Full = "10";

    [Fact]
    public void Honest_submissions_get_full_marks_and_every_attacker_gets_zero()
    {
        output.WriteLine(batch.Gradebook);
        output.WriteLine($"hostile batch of {HostileBatch.Names.Length} graded in {batch.Seconds:0.0} s");
        output.WriteLine(batch.Log);
        var lines = batch.Gradebook.TrimEnd().Split('\n');
        Assert.Equal("submission,q1_add,q2_mean,q3_greet,q4_root,p1_essay (manual),total,max,status,notes", lines[0]);
        Assert.Equal(HostileBatch.Names, lines.Skip(1).Select(l => l.Split(',')[0]));
        foreach (var honest in new[] { "a_honest", "b_bystander" })
        {
            Assert.Equal((Full, "graded", ""), (batch.Row(honest)["total"], batch.Row(honest)["status"], batch.Row(honest)["notes"]));
        }
        foreach (var attacker in HostileBatch.Names.Where(n => n is not ("a_honest" or "b_bystander" or "i_background")))
        {
            Assert.True(batch.Row(attacker)["total"] == "0", $"{attacker} scored {batch.Row(attacker)["total"]}\n{batch.Gradebook}");
        }
    }

    [Fact]
    public void Forged_results_from_an_exit_hook_count_for_nothing()
    {
        Assert.Contains("forged", batch.Outputs("c_forge_exit", "attack-0"));
        Assert.Equal("0", batch.Row("c_forge_exit")["total"]);
        Assert.Contains("not implemented yet", batch.Feedback("c_forge_exit"));
        Assert.Contains("the notebook wrote forged results on the runner's results channel; they were ignored", batch.Row("c_forge_exit")["notes"]);
    }

    [Fact]
    public void A_shadowed_Check_scores_zero_with_a_note()
    {
        Assert.Equal("ok", batch.Status("d_shadow_check", "attack-0"));
        var notes = batch.Row("d_shadow_check")["notes"];
        foreach (var q in new[] { "q1_add", "q2_mean", "q3_greet", "q4_root" })
        {
            Assert.Contains($"{q}: the notebook declares Check, which the check uses; scored 0", notes);
        }
        Assert.Contains("your notebook declares `Check`", batch.Feedback("d_shadow_check"));
    }

    [Fact]
    public void A_shadowed_Math_or_helper_scores_zero_with_a_note()
    {
        Assert.Equal("ok", batch.Status("e_shadow_math", "attack-0"));
        Assert.Contains("q4_root: the notebook declares Math, Square, which the check uses; scored 0", batch.Row("e_shadow_math")["notes"]);
        Assert.Equal("0", batch.Row("e_shadow_math")["q4_root"]);
    }

    [Fact]
    public void A_detached_process_cannot_touch_another_submission_or_the_gradebook()
    {
        Assert.DoesNotContain("LEAK", batch.Outputs("f_detached", "attack-0"));
        Assert.Equal(3, Count(batch.Outputs("f_detached", "attack-0"), "BLOCKED write"));
        Assert.Equal(batch.BystanderBytes, File.ReadAllBytes(Path.Combine(batch.Subs, "b_bystander.ipynb")));
        Assert.DoesNotContain("HACKED", batch.Gradebook);
        Assert.DoesNotContain("HACKED", batch.Feedback("b_bystander"));
        Assert.Equal(HostileBatch.Names.Length + 1, batch.Gradebook.TrimEnd().Split('\n').Length);
        Assert.Empty(Survivors());
    }

    [Fact]
    public void The_master_other_submissions_the_environment_the_grader_and_the_network_are_out_of_reach()
    {
        Assert.Equal("ok", batch.Status("g_snoop", "attack-0"));
        var text = batch.Outputs("g_snoop", "attack-0");
        output.WriteLine(text);
        Assert.DoesNotContain("LEAK", text);
        Assert.Equal(10, Count(text, "BLOCKED"));
        Assert.Equal(0, batch.Connections);
        foreach (var file in Directory.EnumerateFiles(batch.Out, "*", SearchOption.AllDirectories))
        {
            var content = File.ReadAllText(file);
            Assert.DoesNotContain(HostileBatch.Secret, content);
            Assert.DoesNotContain(HostileBatch.Token, content);
        }
    }

    [Fact]
    public void Memory_is_limited_for_the_whole_process_tree()
    {
        var row = batch.Row("h_memory");
        Assert.Contains("exceeded the memory limit", row["notes"]);
        Assert.DoesNotContain("the hog survived", File.ReadAllText(Path.Combine(batch.Out, "executed", "h_memory.ipynb")));
        Assert.Equal("0", row["total"]);
    }

    [Fact]
    public void An_honest_submission_that_leaves_background_processes_gets_full_marks_in_time()
    {
        var row = batch.Row("i_background");
        Assert.Equal((Full, "graded", ""), (row["total"], row["status"], row["notes"]));
        Assert.True(batch.JUnitSeconds("i_background") < 40, $"took {batch.JUnitSeconds("i_background")} s: the grader waited for the leftover processes");
        Assert.Empty(Survivors());
    }

    [Fact]
    public void Kernel_middleware_that_skips_the_checks_earns_nothing()
    {
        Assert.Equal("ok", batch.Status("j_middleware", "attack-0"));
        Assert.Equal("ok", batch.Status("j_middleware", "q1-check")); // the kernel "ran" it without error ...
        Assert.Contains("the check did not run to its end", batch.Feedback("j_middleware")); // ... but its seal never came
        Assert.Equal("0", batch.Row("j_middleware")["total"]);
    }

    [Fact]
    public void A_value_whose_equality_always_says_yes_is_refused()
    {
        Assert.Equal("0", batch.Row("k_liar")["q3_greet"]);
        Assert.Contains("Liar, which is declared in the notebook", batch.Feedback("k_liar"));
    }

    [Fact]
    public void Status_and_outputs_in_the_submitted_file_and_fake_check_cells_count_for_nothing()
    {
        var row = batch.Row("l_fake_metadata");
        Assert.Equal("0", row["total"]);
        Assert.Contains("q1_add: extra copy of the check cell ignored", row["notes"]);
    }

    [Fact]
    public void Hidden_tests_never_reach_a_learner()
    {
        Assert.Contains("found it", batch.Outputs("m_exfiltrate", "attack-0"));
        Assert.Contains("[hidden test]", batch.Outputs("m_exfiltrate", "attack-0"));
        Assert.DoesNotContain("LEAK file", batch.Outputs("m_exfiltrate", "attack-0"));
        var master = MasterNotebook.Load(batch.Master);
        var hidden = master.Doc.Cells.SelectMany(c => Regions.Parse(c.Source)).Where(l => l.Kind == LineKind.Hidden).Select(l => l.Text).ToList();
        Assert.Equal(4, hidden.Count);
        foreach (var name in HostileBatch.Names)
        {
            var path = Path.Combine(batch.Out, "executed", name + ".ipynb");
            var text = File.ReadAllText(path);
            Assert.DoesNotContain(HostileSubmissions.Sentinel, text);
            Assert.DoesNotContain("BEGIN HIDDEN", text);
            Assert.DoesNotContain(CheckHardening.SealPrefix, text);
            var shown = AllText(Notebooks.NotebookDocument.Load(path));
            Assert.All(hidden, line => Assert.DoesNotContain(line, shown));
            var cells = JsonNode.Parse(text)!["cells"]!.AsArray();
            Assert.Equal(Regions.WithoutHidden(HostileSubmissions.MasterCells().Single(c => (string?)c["id"] == "q4-check")["source"]!.GetValue<string>()),
                Notebooks.NotebookDocument.JoinText(cells.Single(c => (string?)c!["id"] == "q4-check")!["source"]));
            Assert.DoesNotContain(HostileSubmissions.Sentinel, batch.Feedback(name));
            Assert.DoesNotContain(HostileSubmissions.Sentinel, File.ReadAllText(Path.Combine(batch.Out, "feedback", name + ".html")));
        }
        Assert.DoesNotContain(HostileSubmissions.Sentinel, batch.Gradebook + File.ReadAllText(Path.Combine(batch.Out, "junit.xml")));
        // The feedback still says which hidden check failed, in the instructor's words around the redaction.
        Assert.Contains("InvalidOperationException", batch.Feedback("m_exfiltrate"));
    }

    /// <summary>Every source and every string in every output of a notebook, unescaped.</summary>
    private static string AllText(Notebooks.NotebookDocument doc)
    {
        static IEnumerable<string> Strings(JsonNode? n) => n switch
        {
            JsonObject o => o.SelectMany(kv => Strings(kv.Value)),
            JsonArray a => a.SelectMany(Strings),
            JsonValue v when v.TryGetValue<string>(out var s) => [s],
            _ => [],
        };
        return string.Join("\n", doc.Cells.SelectMany(c => Strings(c.Outputs).Prepend(c.Source)));
    }

    private static int Count(string text, string what) => (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    /// <summary>Processes any attack left running (their command lines carry a marker).</summary>
    private static List<int> Survivors() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), out var pid), Pid: pid))
            .Where(p => p.Ok && Read(Path.Combine(p.Dir, "cmdline")).Contains("HOSTILE-", StringComparison.Ordinal) && !Read(Path.Combine(p.Dir, "cmdline")).Contains("dotnet", StringComparison.Ordinal))
            .Select(p => p.Pid).ToList();

    private static string Read(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
