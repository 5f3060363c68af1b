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
/// sandbox on by default), with a secret in the grader's environment and a TCP listener on the host's loopback.
/// Kernel starts cost seconds, so all attack assertions share this one batch.
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

        var clock = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[]
        {
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
        if (!grader.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            grader.Kill(entireProcessTree: true);
            throw new TimeoutException("grading the hostile batch took over 8 minutes");
        }
        Seconds = clock.Elapsed.TotalSeconds;
        Log = $"exit {grader.ExitCode}\n{stdout.Result}\n{stderr.Result}";
        // Give a surviving detached process time to do its damage before anything is checked.
        Thread.Sleep(1500);
        Gradebook = File.ReadAllText(Path.Combine(Out, "grades.csv"));
        JUnit = XDocument.Load(Path.Combine(Out, "junit.xml"));
    }

    public string Root { get; }
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
        "a_honest", "b_bystander", "c_forge_exit", "d_shadow_check", "e_shadow_math", "f_detached", "g_snoop", "h_memory",
        "i_background", "j_middleware", "k_liar", "l_fake_metadata", "m_exfiltrate",
    ];

    public Dictionary<string, string> Row(string name)
    {
        var lines = Gradebook.TrimEnd().Split('\n');
        var header = lines[0].Split(',');
        var row = lines.Single(l => l.StartsWith(name + ",", StringComparison.Ordinal));
        return header.Zip(GradingBatch.SplitCsv(row)).ToDictionary(p => p.First, p => p.Second);
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
