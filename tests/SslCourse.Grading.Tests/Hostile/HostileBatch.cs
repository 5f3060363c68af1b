using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using static SslCourse.Grading.Tests.Hostile.HostileSubmissions;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests.Hostile;

/// <summary>
/// Grades every hostile submission once, through the real command line (<c>sslcourse grade</c> in its own process,
/// sandbox on by default, as root in CI), with a secret in the grader's environment, descriptors 7 and 8 left open by
/// the shell that starts it, and a TCP listener on the host's loopback. Kernel starts cost seconds, so all attack
/// assertions share this one batch. <c>SSLCOURSE_RUNNER</c> points it at another grader's build (the previous one, to
/// see each attack succeed there).
/// </summary>
public sealed class HostileBatch : IDisposable
{
    public const string Secret = "hostile-secret-5f1c9e2a7b";
    public const string Token = "nuget-token-0d6b3a91c4";

    private readonly TcpListener _listener;
    private int _connections;

    public HostileBatch()
    {
        // Without the sandbox these attacks would really write outside the batch (the detached process, the forger).
        if (Bubblewrap.Path is null)
        {
            throw new InvalidOperationException("the hostile suite needs a working bubblewrap: apt-get install bubblewrap (.ci/run installs it)");
        }
        Root = CourseLayout();
        Master = Path.Combine(Root, "notebooks", "m.ipynb");
        File.WriteAllText(Master, Json(MasterCells()));
        Subs = Path.Combine(Root, "submissions");
        Out = Path.Combine(Root, "out");
        Directory.CreateDirectory(Subs);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await _listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref _connections);
            }
        });

        Write("a_honest", Learner(solved: true));
        Write("b_bystander", Learner(solved: true));
        BystanderBytes = File.ReadAllBytes(Path.Combine(Subs, "b_bystander.ipynb"));
        Write("c_forge_exit", With(false, ForgeOnExit));
        Write("d_shadow_check", With(false, ShadowCheck));
        Write("e_shadow_math", Replace(With(false, ShadowMath), "q4-sol", "double Root(double x)\n{\n    return x / 4;\n}"));
        Write("f_detached", With(false, Detached(Path.Combine(Subs, "b_bystander.ipynb"), Out)));
        Write("g_snoop", With(false, Snoop(Master, Path.Combine(Subs, "a_honest.ipynb"), Out, Secret, port)));
        Write("h_memory", With(false, MemoryHog));
        Write("i_background", With(true, Background));
        Write("j_middleware", With(false, Middleware));
        Write("k_liar", Replace(Learner(solved: false), "q3-sol", Liar));
        var fake = Learner(solved: false);
        foreach (var check in fake.Where(c => ((string?)c["id"])!.EndsWith("-check", StringComparison.Ordinal)))
        {
            // Claims the runner already ran the check and it passed.
            check["metadata"]!["sslcourse"] = new JsonObject { ["status"] = "ok" };
            check["outputs"] = new JsonArray(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "✓ passed\n" });
        }
        fake.Insert(2, Code("q2-check", "Console.WriteLine(\"✓ q2_mean: visible checks passed\");"));
        fake.Insert(2, Code("extra", "Console.WriteLine(\"✓\");", Check("q1_add", 100)));
        Write("l_fake_metadata", fake);
        Write("m_exfiltrate", Replace(With(false, Exfiltrate), "q4-sol", "double Root(double x)\n{\n    throw new InvalidOperationException(stolen);\n}"));
        Write("n_reflect", Replace(With(false, Reflect), "q4-sol", "double Root(double x)\n{\n    throw new InvalidOperationException(ReflectReport());\n}"));
        var scan = With(false, "// memory scan");
        scan[2]["source"] = "using System.IO;\n" + MemoryScan(scan.Select((c, i) => (c, i)).Where(p => ((string?)p.c["id"])!.EndsWith("-check", StringComparison.Ordinal)).Select(p => p.i).ToList());
        Write("o_memscan", scan);
        var binds = With(false, "// probe");
        binds.Insert(2, Code("attack-binds", ReferenceBinds));
        binds.Single(c => (string?)c["id"] == "attack-0")["source"] = "using System.IO;\n" + ReferenceProbe(Master, Path.Combine(Subs, "a_honest.ipynb"));
        Write("p_rbinds", binds);
        Write("q_remount", With(false, RemountAndPoison, Crash));
        Write("r_fds", With(false, InheritedFds));
        Write("s_nproc", With(false, ProcessStorm));
        Write("t_tmpfs", With(false, TmpfsHog));
        // In Q4's solution cell, after the master's helper cell, so the shadow is the declaration a check in this kernel would see.
        Write("u_unicode", Replace(Learner(solved: true), "q4-sol", UnicodeShadow + "\ndouble Root(double x)\n{\n    return x / 4;\n}"));
        Write("w_dll", Replace(With(true, EmitLiarDll), "q3-sol", LiarFromDll));
        Write("-2-3", Replace(Learner(solved: true), "q3-sol", MarkupGreet));
        Write("z_after_poison", Learner(solved: true));
        RunnerFiles = Snapshot(Path.GetDirectoryName(Runner)!);
        File.WriteAllText(FdSecret, Secret + "-fd");
        File.WriteAllText(FdVictim, "unchanged\n");

        var clock = Stopwatch.StartNew();
        // Started by a shell that leaves descriptors 7 (a secret, read) and 8 (a file, append) open, as a CI step might.
        var psi = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "-c", "exec 7<\"$0\" 8>>\"$1\"; shift; exec dotnet \"$@\"", FdSecret, FdVictim,
            Runner, "grade", "--master", Master, "--submissions", Subs, "--out", Out,
            "--cell-timeout", "25", "--timeout", "120", "--memory-limit", "1200", "--retries", "1",
        })
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["HOSTILE_SECRET"] = Secret;
        psi.Environment["NUGET_AUTH_TOKEN"] = Token;
        using var grader = Process.Start(psi)!;
        var stdout = grader.StandardOutput.ReadToEndAsync();
        var stderr = grader.StandardError.ReadToEndAsync();
        if (!grader.WaitForExit(TimeSpan.FromMinutes(20)))
        {
            grader.Kill(entireProcessTree: true);
            throw new TimeoutException("grading the hostile batch took over 20 minutes");
        }
        Seconds = clock.Elapsed.TotalSeconds;
        Log = $"exit {grader.ExitCode}\n{stdout.Result}\n{stderr.Result}";
        // Give a surviving detached process time to do its damage before anything is checked.
        Thread.Sleep(1500);
        Gradebook = File.Exists(Path.Combine(Out, "grades.csv")) ? File.ReadAllText(Path.Combine(Out, "grades.csv")) : throw new InvalidOperationException($"the grader wrote no gradebook: {Log}");
        JUnit = XDocument.Load(Path.Combine(Out, "junit.xml"));
    }

    public string Root { get; }
    public string FdSecret => Path.Combine(Root, "fd-secret.txt");
    public string FdVictim => Path.Combine(Root, "fd-victim.txt");
    public Dictionary<string, string> RunnerFiles { get; }
    public string Master { get; }
    public string Subs { get; }
    public string Out { get; }
    public string Gradebook { get; }
    public XDocument JUnit { get; }
    public string Log { get; }
    public double Seconds { get; }
    public byte[] BystanderBytes { get; }
    public int Connections => Volatile.Read(ref _connections);

    public static readonly string[] Names =
    [
        "-2-3", "a_honest", "b_bystander", "c_forge_exit", "d_shadow_check", "e_shadow_math", "f_detached", "g_snoop", "h_memory",
        "i_background", "j_middleware", "k_liar", "l_fake_metadata", "m_exfiltrate", "n_reflect", "o_memscan", "p_rbinds",
        "q_remount", "r_fds", "s_nproc", "t_tmpfs", "u_unicode", "w_dll", "z_after_poison",
    ];

    /// <summary>Every file under <paramref name="dir"/> with its SHA-256 (what a poisoning submission would change).</summary>
    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .ToDictionary(f => f, f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);

    public Dictionary<string, string> Row(string name)
    {
        var records = CsvRecords.Parse(Gradebook);
        var row = records.Skip(1).Single(r => r.Fields[0].TrimStart('\'') == name);
        return records[0].Fields.Zip(row.Fields).ToDictionary(p => p.First, p => p.Second);
    }

    public JsonObject Executed(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Out, "executed", name + ".ipynb")))!.AsObject();

    /// <summary>All output text of the cell with id <paramref name="id"/> in the executed notebook.</summary>
    public string Outputs(string name, string id)
    {
        var cell = Executed(name)["cells"]!.AsArray().Single(c => (string?)c!["id"] == id)!;
        return cell["outputs"]!.ToJsonString();
    }

    public string? Status(string name, string id) =>
        (string?)Executed(name)["cells"]!.AsArray().Single(c => (string?)c!["id"] == id)!["metadata"]?["sslcourse"]?["status"];

    public string Feedback(string name) => File.ReadAllText(Path.Combine(Out, "feedback", name + ".md"));

    public double JUnitSeconds(string name) =>
        double.Parse((string)JUnit.Root!.Elements("testsuite").Single(s => (string?)s.Attribute("name") == name).Attribute("time")!, System.Globalization.CultureInfo.InvariantCulture);

    private void Write(string name, List<JsonObject> cells) => File.WriteAllText(Path.Combine(Subs, name + ".ipynb"), Json(cells));

    public void Dispose()
    {
        _listener.Stop();
        if (Environment.GetEnvironmentVariable("SSLCOURSE_KEEP_TEST_OUTPUT") is null)
        {
            RunnerProcessExecutor.TryDelete(Root);
        }
    }
}
