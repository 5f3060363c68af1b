using SslCourse.Export;

namespace SslCourse.Notebooks.Tests;

/// <summary>How notebook cells become one file-based app's code.</summary>
public sealed class ExportTranslationTests
{
    private static NotebookDocument Notebook(params (string Source, bool Parameters)[] cells)
    {
        var doc = new NotebookDocument();
        foreach (var (source, parameters) in cells)
        {
            var cell = new NotebookCell("code", source);
            if (parameters) cell.Metadata["tags"] = new System.Text.Json.Nodes.JsonArray("parameters");
            doc.Cells.Add(cell);
        }
        return doc;
    }

    private static string Export(NotebookDocument doc) =>
        AppWriter.Write(doc, "/repo/notebooks/x.ipynb", "/repo/out/apps/x.cs", "/repo");

    [Fact]
    public void Usings_go_first_and_the_library_reference_becomes_a_project_directive()
    {
        var app = Export(Notebook(("#r \"../lib/SslCourse/bin/course/SslCourse.dll\"\nusing SslCourse.Viz;\nvar a = 1;", false), ("using System.Text;\nvar b = a + 1;", false)));
        Assert.StartsWith("#:project ../../lib/SslCourse/SslCourse.csproj\n", app);
        Assert.True(app.IndexOf("using System.Text;", StringComparison.Ordinal) < app.IndexOf("var a = 1;", StringComparison.Ordinal));
        Assert.DoesNotContain("#r ", app);
    }

    [Fact]
    public void Parameters_become_options_and_a_final_expression_is_shown()
    {
        var app = Export(Notebook(("var Profile = \"ci\";\nvar Seed = 0;", true), ("Profile + Seed", false)));
        Assert.Contains("var Profile = __Arg(args, \"profile\", \"ci\");", app);
        Assert.Contains("__CheckArgs(args, [\"profile\", \"seed\"]);", app);
        Assert.Contains("__Show(Profile + Seed, \"x cell 2\");", app);
    }

    [Fact]
    public void A_variable_declared_again_in_a_later_cell_is_assigned_and_inner_clashes_are_renamed()
    {
        var app = Export(Notebook(("var n = 1;", false), ("var n = 2;", false),
            ("var f = new Func<int, int>(k => { var acc = k; return acc; });", false),
            ("foreach (var (name, acc) in new[] { (\"a\", 1) }) Console.WriteLine(acc);", false),
            ("var acc = f(n);\nConsole.WriteLine(acc);", false)));
        Assert.Contains("n = 2;", app);
        Assert.DoesNotContain("var n = 2;", app);
        Assert.Contains("var acc = k; return acc;", app);            // the lambda's own acc is untouched
        Assert.Contains("var acc_top = f(n);", app);
        Assert.Contains("Console.WriteLine(acc_top);", app);
        Assert.Contains("foreach (var (name, acc) in new[] { (\"a\", 1) }) Console.WriteLine(acc);", app);   // the loop's own acc too
    }

    [Fact]
    public void A_magic_command_is_refused_naming_the_cell()
    {
        var e = Assert.Throws<ExportException>(() => Export(Notebook(("var a = 1;", false), ("#!time\nvar b = 2;", false))));
        Assert.Equal("x cell 2: '#!time' has no file-based-app equivalent here", e.Message);
    }
}
