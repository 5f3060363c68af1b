using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace SslCourse.Grading.Tests.Hostile;

/// <summary>
/// Each attack scores what an honest submission with the same answers scores, and no attack changes another row, a
/// file outside its scratch folder, or a later run. Tests named "Class N" cover the attack classes of issue 21.
/// </summary>
public sealed class HostileTests(HostileBatch batch, ITestOutputHelper output) : IClassFixture<HostileBatch>
{
    private const string Full = "10";

    private static readonly string[] Honest = ["a_honest", "b_bystander", "i_background", "z_after_poison"];

    [Fact]
    public void Honest_submissions_get_full_marks_and_no_attacker_gains_a_point()
    {
        output.WriteLine(batch.Gradebook);
        output.WriteLine($"hostile batch of {HostileBatch.Names.Length} graded in {batch.Seconds:0.0} s");
        output.WriteLine(batch.Log);
        var records = CsvRecords.Parse(batch.Gradebook);
        Assert.Equal("submission,q1_add,q2_mean,q3_greet,q4_root,p1_essay (manual),total,max,status,notes", records[0].Raw);
        Assert.Equal(HostileBatch.Names, records.Skip(1).Select(r => r.Fields[0].TrimStart('\'')));
        foreach (var honest in Honest)
        {
            Assert.Equal((Full, "graded", ""), (batch.Row(honest)["total"], batch.Row(honest)["status"], batch.Row(honest)["notes"]));
        }
        // Unsolved attackers score 0; the solved ones (u_unicode, w_dll, -2-3) lose exactly the question they broke.
        foreach (var attacker in HostileBatch.Names.Except(Honest).Except(["u_unicode", "w_dll", "-2-3"]))
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
    public void A_shadowed_Check_or_Math_changes_nothing_and_is_noted()
    {
        Assert.Equal("ok", batch.Status("d_shadow_check", "attack-0"));
        Assert.Contains("q1_add: the notebook declares Check, which the check also uses", batch.Row("d_shadow_check")["notes"]);
        Assert.Contains("not implemented yet", batch.Feedback("d_shadow_check"));
        Assert.Contains("q4_root: the notebook declares Math, Square, which the check also uses", batch.Row("e_shadow_math")["notes"]);
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
        Assert.Equal(HostileBatch.Names.Length + 1, CsvRecords.Parse(batch.Gradebook).Count);
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
    public void Class_3_kernel_middleware_that_runs_seals_or_skips_probes_earns_nothing()
    {
        Assert.Equal("ok", batch.Status("j_middleware", "attack-0"));
        Assert.Contains("the check was not judged", batch.Feedback("j_middleware"));
        Assert.Equal("0", batch.Row("j_middleware")["total"]);
    }

    [Fact]
    public void Class_3_reflection_into_the_kernel_finds_no_check_code()
    {
        Assert.Contains("REFLECT armed", batch.Outputs("n_reflect", "attack-0"));
        var report = batch.Feedback("n_reflect");
        output.WriteLine(report);
        // The timer saw the kernel's submissions (not a vacuous pass), and none of them held a line of check code.
        Assert.Matches(@"REFLECT 0 check lines of ([5-9]|\d\d+) submissions", report);
        Assert.Equal("0", batch.Row("n_reflect")["total"]);
    }

    [Fact]
    public void Class_3_a_memory_scan_finds_no_hidden_test_and_keys_it_steals_forge_nothing()
    {
        var text = batch.Outputs("o_memscan", "attack-0");
        output.WriteLine(text);
        Assert.Contains("MEMSCAN keys", text);
        Assert.Contains(" hidden 0", text);
        Assert.DoesNotContain("MEMSCAN LEAK", text);
        Assert.Equal("0", batch.Row("o_memscan")["total"]);
    }

    [Fact]
    public void Class_2_r_lines_of_the_submission_are_refused_and_bind_nothing()
    {
        var text = batch.Outputs("p_rbinds", "attack-0");
        output.WriteLine(text);
        Assert.Equal(4, Count(text, "BLOCKED"));
        Assert.DoesNotContain("LEAK", text);
        Assert.Contains("#r \"/tmp/x.dll\" refused", batch.Row("p_rbinds")["notes"]);
        Assert.Contains("#r \"/proc/x.dll\" refused", batch.Row("p_rbinds")["notes"]);
        Assert.Equal(Full, batch.Row("a_honest")["total"]);
    }

    [Fact]
    public void Class_1_root_in_the_sandbox_has_no_capabilities_and_cannot_remount()
    {
        var text = batch.Outputs("q_remount", "attack-0");
        output.WriteLine(text);
        Assert.Contains("CapEff: 0000000000000000", text);
        Assert.Contains("NoNewPrivs: 1", text);
        Assert.DoesNotContain("Uid: 0 ", text);
        Assert.DoesNotContain("exit 0", text);
        Assert.DoesNotContain("LEAK", text);
        Assert.Equal(3, Count(text, "BLOCKED write"));
    }

    [Fact]
    public void Class_1_a_poisoned_runner_cannot_reach_later_submissions()
    {
        // The startup-hook poisoning of issue 21: write the runner's files, crash to force a re-run, wait for the next learner.
        Assert.Equal(batch.RunnerFiles, HostileBatch.Snapshot(Path.GetDirectoryName(TestNotebooks.Runner)!));
        Assert.False(File.Exists(Path.Combine(TestNotebooks.RepoRoot, "lib", "SslCourse", "bin", "course", "poison.txt")));
        Assert.Contains("crashed", batch.Row("q_remount")["notes"]);
        Assert.Equal((Full, ""), (batch.Row("z_after_poison")["total"], batch.Row("z_after_poison")["notes"]));
    }

    [Fact]
    public void Class_5_descriptors_inherited_by_the_grader_do_not_reach_the_notebook()
    {
        var text = batch.Outputs("r_fds", "attack-0");
        output.WriteLine(text);
        Assert.Contains("FDS inherited from the grader: 0", text);
        Assert.DoesNotContain("LEAK", text);
        Assert.DoesNotContain(HostileBatch.Secret, text);
        Assert.Equal("unchanged\n", File.ReadAllText(batch.FdVictim));
    }

    [Fact]
    public void Class_5_the_number_of_processes_is_capped()
    {
        var text = batch.Outputs("s_nproc", "attack-0");
        output.WriteLine(text);
        var started = int.Parse(text.Split("STORM started ")[1].Split('\\', '"')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(started, 1, new SandboxLimits().MaxProcesses);
        Assert.Contains("STORM stopped by", text);
        Assert.Empty(Survivors());
    }

    [Fact]
    public void Class_5_the_in_memory_folders_are_size_limited()
    {
        var text = batch.Outputs("t_tmpfs", "attack-0");
        output.WriteLine(text);
        var limits = new SandboxLimits();
        var most = text.Split("TMPFS ").Skip(1).Select(l => l.Split(' ')).Where(p => p.Length > 2 && p[2].StartsWith("MB", StringComparison.Ordinal) || p.Length > 4 && p[1] == "stopped")
            .Select(p => int.Parse(p[1] == "stopped" ? p[3] : p[1], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max();
        Assert.True(most <= Math.Max(limits.TmpMb, limits.ScratchMb), $"held {most} MB in one in-memory folder\n{text}");
        Assert.Equal(2, Count(text, "stopped at"));
    }

    [Fact]
    public void Class_4_a_unicode_escaped_shadow_of_a_helper_scores_as_the_wrong_answer_it_hides()
    {
        // Root(x) = x / 4 is wrong whatever Square is: an honest notebook with that Root loses Q4, and so does this one.
        var row = batch.Row("u_unicode");
        Assert.Equal(("1", "2", "3", "0", "6"), (row["q1_add"], row["q2_mean"], row["q3_greet"], row["q4_root"], row["total"]));
        Assert.Contains("q4_root: the notebook declares Square, which the check also uses", row["notes"]);
    }

    [Fact]
    public void Class_4_equality_from_a_dll_the_submission_wrote_is_never_loaded_or_trusted()
    {
        Assert.Contains("emitted True", batch.Outputs("w_dll", "attack-0"));
        var row = batch.Row("w_dll");
        Assert.Equal(("0", "7"), (row["q3_greet"], row["total"]));
        Assert.Contains("#r \"liar.dll\" refused", row["notes"]);
    }

    [Fact]
    public void A_value_of_a_type_the_notebook_declares_cannot_cross_to_the_judge()
    {
        Assert.Equal("0", batch.Row("k_liar")["q3_greet"]);
        Assert.Contains("a value of type Liar cannot be passed to the grader", batch.Feedback("k_liar"));
    }

    [Fact]
    public void Class_5_learner_strings_are_escaped_in_every_report()
    {
        var md = batch.Feedback("-2-3");
        var html = File.ReadAllText(Path.Combine(batch.Out, "feedback", "-2-3.html"));
        output.WriteLine(md);
        foreach (var report in new[] { md, html, File.ReadAllText(Path.Combine(batch.Out, "junit.xml")) })
        {
            Assert.DoesNotContain("<script", report);
            Assert.DoesNotContain("<img", report);
        }
        foreach (var report in new[] { md, html, batch.Gradebook, File.ReadAllText(Path.Combine(batch.Out, "junit.xml")) })
        {
            Assert.DoesNotContain('\u001b', report);
            Assert.DoesNotContain('\u0007', report);
        }
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;\\|x\\|", md);
        Assert.Equal("'-2-3", CsvRecords.Parse(batch.Gradebook).Single(r => r.Fields[0].EndsWith("-2-3", StringComparison.Ordinal)).Fields[0]);
        Assert.Equal("0", batch.Row("-2-3")["q3_greet"]);
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
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(HostileSubmissions.Sentinel));
        foreach (var name in HostileBatch.Names)
        {
            var path = Path.Combine(batch.Out, "executed", name + ".ipynb");
            var text = File.ReadAllText(path);
            Assert.DoesNotContain(HostileSubmissions.Sentinel, text);
            Assert.DoesNotContain(encoded[..12], text);
            Assert.DoesNotContain("BEGIN HIDDEN", text);
            var shown = AllText(Notebooks.NotebookDocument.Load(path));
            Assert.All(hidden, line => Assert.DoesNotContain(line, shown));
            var cells = JsonNode.Parse(text)!["cells"]!.AsArray();
            Assert.Equal(Regions.WithoutHidden(HostileSubmissions.MasterCells().Single(c => (string?)c["id"] == "q4-check")["source"]!.GetValue<string>()),
                Notebooks.NotebookDocument.JoinText(cells.Single(c => (string?)c!["id"] == "q4-check")!["source"]));
            // Check cells show the master's check again, not the probe that stood there.
            Assert.All(cells.Where(c => ((string?)c!["id"])!.EndsWith("-check", StringComparison.Ordinal)),
                c => Assert.DoesNotContain("Probe.Serve", Notebooks.NotebookDocument.JoinText(c!["source"])));
            Assert.DoesNotContain(HostileSubmissions.Sentinel, batch.Feedback(name));
            Assert.DoesNotContain(HostileSubmissions.Sentinel, File.ReadAllText(Path.Combine(batch.Out, "feedback", name + ".html")));
        }
        Assert.DoesNotContain(HostileSubmissions.Sentinel, batch.Gradebook + File.ReadAllText(Path.Combine(batch.Out, "junit.xml")));
        Assert.Contains("InvalidOperationException", batch.Feedback("m_exfiltrate"));
    }

    /// <summary>Every string in every output of an executed notebook (not its sources).</summary>
    private string AllOutputs(string name) =>
        string.Join("\n", JsonNode.Parse(File.ReadAllText(Path.Combine(batch.Out, "executed", name + ".ipynb")))!["cells"]!.AsArray().Select(c => c!["outputs"]?.ToJsonString() ?? ""));

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
            .Where(p => p.Ok && (Read(Path.Combine(p.Dir, "cmdline")) is var cmd) && (cmd.Contains("HOSTILE-", StringComparison.Ordinal) || cmd.StartsWith("/bin/sleep\0" + "30", StringComparison.Ordinal)) && !cmd.Contains("dotnet", StringComparison.Ordinal))
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
