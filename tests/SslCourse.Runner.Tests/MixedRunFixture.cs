using System.Text.Json.Nodes;
using static SslCourse.Runner.Tests.NotebookFiles;

namespace SslCourse.Runner.Tests;

/// <summary>
/// One <c>sslcourse run</c> over several notebooks (passing, failing, exiting, hanging, noisy, .dib), shared by
/// the tests in <see cref="RunnerEndToEndTests"/> because every notebook costs a kernel start.
/// </summary>
public sealed class MixedRunFixture : IDisposable
{
    private readonly TempFolder _temp = new();

    public MixedRunFixture()
    {
        var src = Directory.CreateDirectory(_temp.File("src")).FullName;
        Out = _temp.File("out");
        Write(src, "a_pass.ipynb",
            Markdown("# A passing notebook"),
            Code("var Profile = \"dev\";\nint Epochs = 1;", "parameters"),
            Code("Console.WriteLine($\"profile={Profile} epochs={Epochs}\");\n40 + 2"),
            Code("""
                 public sealed class Foo { public int X { get; set; } = 7; }
                 Microsoft.DotNet.Interactive.Formatting.Formatter.Register<Foo>((foo, writer) => writer.Write($"<b>foo {foo.X}</b>"), "text/html");
                 new Foo().Display();
                 """),
            Code("Console.WriteLine(\"headless=\" + Environment.GetEnvironmentVariable(\"SSLCOURSE_HEADLESS\"));"));
        Write(src, "b_fail.ipynb",
            Code("Console.WriteLine(\"first\");"),
            Code("throw new InvalidOperationException(\"boom\");"),
            Code("Console.WriteLine(\"after the failure\");"));
        Write(src, "c_exit.ipynb",
            Code("Console.WriteLine(\"before exit\");\nEnvironment.Exit(3);"),
            Code("Console.WriteLine(\"unreachable\");"));
        Write(src, "c_overflow.ipynb",
            Code("int Down(int n) => Down(n + 1) + 1;\nDown(0)"));
        Write(src, "d_timeout.ipynb",
            Code("while (true) { }"),
            Code("Console.WriteLine(\"unreachable\");"));
        Write(src, "e_big.ipynb",
            Code("Console.Write(new string('x', 5 * 1024 * 1024));"));
        File.WriteAllText(Path.Combine(src, "f_polyglot.dib"), "#!markdown\n\n# dib\n\n#!csharp\n\nConsole.WriteLine(\"from dib \" + Profile);\n\n#!csharp\n\n6 * 7\n");
        Write(src, "g_after.ipynb",
            Code("Console.WriteLine(\"still running\");"));
        Sources = Directory.GetFiles(src).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);
        Result = RunnerProcess.Run("run", src, "--out", Out, "--param", "Profile=ci", "--param", "Epochs=3", "--cell-timeout", "5");
        SourceFolder = src;
    }

    public string SourceFolder { get; }

    public string Out { get; }

    public IReadOnlyDictionary<string, byte[]> Sources { get; }

    public RunnerProcess.Result Result { get; }

    public JsonObject Executed(string name) => Read(Path.Combine(Out, name));

    public void Dispose() => _temp.Dispose();
}
