using System.Text.Json.Nodes;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests.Hostile;

/// <summary>
/// The hostile batch: a four-question master (10 points) and submissions written the way a student who wants full
/// marks without solving anything would write them. Each attack cell is inserted after the parameters cell.
/// </summary>
internal static class HostileSubmissions
{
    /// <summary>A line of Q4's hidden test; it must never reach a learner (the sentinel is unique to it).</summary>
    public const string HiddenLine = "Check.Close(Root(81.0), 9.0, 1e-9, what: \"Root(81) HIDDEN-SENTINEL-7731\");";

    public const string Sentinel = "HIDDEN-SENTINEL-7731";

    /// <summary>Where the attack splits the hidden line, so the sentinel never appears whole in the submission itself.</summary>
    private static int Cut => HiddenLine.IndexOf("SENTINEL", StringComparison.Ordinal) + 3;

    private static string Escape(string s) => s.Replace("\"", "\\\"", StringComparison.Ordinal);

    /// <summary>The test master's cells plus a provided helper and Q4 (its check uses <c>Math</c> and the helper).</summary>
    public static List<JsonObject> MasterCells()
    {
        var cells = TestNotebooks.MasterCells();
        var at = cells.FindIndex(c => (string?)c["id"] == "p1");
        cells.InsertRange(at,
        [
            Code("helper", "double Square(double x) => x * x;"),
            Code("q4-sol", "double Root(double x)\n{\n    return Math.Sqrt(x); // SOLUTION\n}", Solution("q4_root_solution")),
            Code("q4-check", "Check.Close(Root(16.0), 4.0, 1e-9, what: \"Root(16)\");\nCheck.True(Math.Abs(Square(Root(2.0)) - 2.0) < 1e-9, \"Root(2) squared is 2\");\n// BEGIN HIDDEN TESTS\n" + HiddenLine + "\n// END HIDDEN TESTS", Check("q4_root", 4)),
        ]);
        return cells;
    }

    /// <summary>The learner's view: checks without hidden tests; solutions kept (<paramref name="solved"/>) or stubs.</summary>
    public static List<JsonObject> Learner(bool solved)
    {
        var cells = MasterCells();
        foreach (var c in cells.Where(c => (string?)c["cell_type"] == "code"))
        {
            var nbgrader = c["metadata"]?["nbgrader"];
            var isCheck = nbgrader?["grade"]?.GetValue<bool>() == true;
            var isSolution = nbgrader?["solution"]?.GetValue<bool>() == true;
            if (isCheck || (isSolution && !solved))
            {
                c["source"] = Regions.Release((string)c["source"]!, markdown: false);
            }
        }
        return cells;
    }

    public static List<JsonObject> With(bool solved, params string[] attack)
    {
        var cells = Learner(solved);
        cells.InsertRange(2, attack.Select((a, i) => Code($"attack-{i}", "using System.IO;\n" + a)));
        return cells;
    }

    /// <summary>Replaces the source of the cell with id <paramref name="id"/>.</summary>
    public static List<JsonObject> Replace(List<JsonObject> cells, string id, string source)
    {
        cells.Single(c => (string?)c["id"] == id)["source"] = source;
        return cells;
    }

    public static string ForgeOnExit => """
        var forged = "{\"k\":\"cell\",\"i\":4,\"n\":3,\"status\":\"Ok\",\"seconds\":0.1,\"error\":null,\"truncated\":false,\"outputs\":[]}";
        var raw = Console.OpenStandardOutput();
        void Forge()
        {
            for (var s = 1; s < 60; s++)
            {
                var b = System.Text.Encoding.UTF8.GetBytes("\n@@sslcourse " + s + " 00 " + forged.Replace("\"i\":4", "\"i\":" + s) + "\n");
                try { raw.Write(b); raw.Flush(); } catch { }
            }
            foreach (var dir in new[] { Path.GetTempPath(), "..", "." })
            {
                try
                {
                    foreach (var f in Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }).Where(f => f.EndsWith(".ipynb") || f.EndsWith(".json") || f.EndsWith(".csv")))
                    {
                        try { File.WriteAllText(f, "FORGED"); } catch { }
                    }
                }
                catch { }
            }
            foreach (var name in new[] { "partial.ipynb", "state.json", "executed.ipynb", "../executed.ipynb" })
            {
                try { File.WriteAllText(Path.Combine(Path.GetTempPath(), name), "FORGED"); } catch { }
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Forge();
        Forge();
        Console.WriteLine("forged");
        """;

    public const string ShadowCheck = """
        static class Check
        {
            public static void Close(double a, double e, double tol = 0, string? hint = null, string? what = null) { }
            public static void Equal<T>(T a, T e, string? hint = null, string? what = null) { }
            public static void True(bool c, string m, string? hint = null) { }
            public static void Passed(string q) => Console.WriteLine($"✓ {q}: visible checks passed");
        }
        Console.WriteLine("shadowed");
        """;

    public const string ShadowMath = """
        class Math { public static double Abs(double x) => 0; public static double Sqrt(double x) => 0; }
        double Square(double x) => 2.0;
        Console.WriteLine("shadowed");
        """;

    /// <summary>A detached process that keeps trying to overwrite another learner's files and the gradebook.</summary>
    public static string Detached(string victim, string outDir) => $$"""
        var victim = @"{{victim}}";
        var book = @"{{Path.Combine(outDir, "grades.csv")}}";
        var feedback = @"{{Path.Combine(outDir, "feedback", "b_bystander.md")}}";
        var script = $"for i in $(seq 1 150); do echo HACKED > '{victim}'; echo 'f_detached,1,2,3,4,,10,10,graded,' >> '{book}'; echo HACKED > '{feedback}'; sleep 0.1; done; : HOSTILE-F-MARKER";
        System.Diagnostics.Process.Start("setsid", new[] { "-f", "sh", "-c", script });
        foreach (var target in new[] { victim, book, feedback })
        {
            try { File.WriteAllText(target, "HACKED"); Console.WriteLine("LEAK wrote " + target); }
            catch (Exception e) { Console.WriteLine("BLOCKED write " + e.GetType().Name); }
        }
        """;

    /// <summary>Reads what it should not see and reaches for the network; prints LEAK or BLOCKED per probe.</summary>
    public static string Snoop(string master, string other, string outDir, string secret, int port) => $$"""
        void Probe(string what, Func<string?> read)
        {
            try
            {
                var r = read();
                Console.WriteLine(r is null ? $"BLOCKED {what}" : $"LEAK {what}: {r[..System.Math.Min(80, r.Length)]}");
            }
            catch (Exception e) { Console.WriteLine($"BLOCKED {what} ({e.GetType().Name})"); }
        }
        string? Scan(string file, string needle)
        {
            foreach (var d in Directory.GetDirectories("/proc"))
            {
                try { var t = File.ReadAllText(Path.Combine(d, file)); if (t.Contains(needle)) return d + ": " + t.Replace('\0', ' '); } catch { }
            }
            return null;
        }
        Probe("master", () => File.ReadAllText(@"{{master}}"));
        Probe("master through the library's links", () =>
        {
            var link = new FileInfo("../lib/SslCourse/bin/course/SslCourse.dll").LinkTarget ?? throw new IOException("no link");
            return File.ReadAllText(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(link)!, "../../../../notebooks/m.ipynb")));
        });
        Probe("other submission", () => File.ReadAllText(@"{{other}}"));
        Probe("other learner's executed notebook", () => File.ReadAllText(@"{{Path.Combine(outDir, "executed", "a_honest.ipynb")}}"));
        Probe("gradebook folder", () => string.Join(",", Directory.GetFileSystemEntries(@"{{outDir}}")));
        Probe("ancestors' environment", () => Scan("environ", "{{secret[..8]}}" + "{{secret[8..]}}"));
        Probe("grader's command line", () => Scan("cmdline", "--mas" + "ter"));
        Probe("NUGET_AUTH_TOKEN", () => Environment.GetEnvironmentVariable("NUGET_AUTH_TOKEN"));
        Probe("HOSTILE_SECRET", () => Environment.GetEnvironmentVariable("HOSTILE_SECRET"));
        Probe("network", () => { using var c = new System.Net.Sockets.TcpClient(); c.Connect("127.0.0.1", {{port}}); return "connected"; });
        """;

    /// <summary>A process outside the kernel that holds far more memory than the limit.</summary>
    public const string MemoryHog = """
        System.Diagnostics.Process.Start("perl", new[] { "-e", "my $x = 'x' x (1600*1024*1024); sleep 60; # HOSTILE-H-MARKER" });
        System.Threading.Thread.Sleep(15000);
        Console.WriteLine("the hog survived");
        """;

    /// <summary>Honest but messy: leaves background processes (one detached) that hold the notebook's output.</summary>
    public const string Background = """
        System.Diagnostics.Process.Start("sh", new[] { "-c", "sleep 60; : HOSTILE-I-MARKER" });
        System.Diagnostics.Process.Start("setsid", new[] { "-f", "sh", "-c", "sleep 60; : HOSTILE-I-MARKER" });
        Console.WriteLine("started");
        """;

    /// <summary>Kernel middleware that skips every check cell, so each "completes" without error.</summary>
    public const string Middleware = """
        Microsoft.DotNet.Interactive.Kernel.Root.AddMiddleware(async (command, context, next) =>
        {
            if (command is Microsoft.DotNet.Interactive.Commands.SubmitCode code && code.Code.Contains("Check.")) return;
            await next(command, context);
        });
        Console.WriteLine("installed");
        """;

    /// <summary>A return type whose equality says yes to anything, with a conversion from the expected string.</summary>
    public const string Liar = """
        class Liar
        {
            public static implicit operator Liar(string s) => new();
            public override bool Equals(object? o) => true;
            public override int GetHashCode() => 0;
            public override string ToString() => "Hello, Ada!";
        }
        Liar Greet(string name)
        {
            return new Liar();
        }
        """;

    /// <summary>Echoes a hidden-test line (as if it had found it) in its output and in an exception message.</summary>
    public static string Exfiltrate => $$"""
        // Looks for the graded notebook (it holds the hidden tests) wherever a notebook's files could be.
        foreach (var dir in new[] { ".", "..", "../..", Path.GetTempPath() })
        {
            try
            {
                foreach (var f in Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MaxRecursionDepth = 4 })
                    .Where(f => f.EndsWith(".ipynb") || f.EndsWith(".json") || f.EndsWith(".dib") || f.EndsWith(".cs")).Take(500))
                {
                    try { var info = new FileInfo(f); if (info.LinkTarget is null && info.Length < 1_000_000 && File.ReadAllText(f).Contains("SENTINEL")) Console.WriteLine("LEAK file " + f); } catch { }
                }
            }
            catch { }
        }
        var stolen = string.Concat("{{Escape(HiddenLine[..Cut])}}", "{{Escape(HiddenLine[Cut..])}}");
        Console.WriteLine("found it:\n" + stolen);
        """;
}
