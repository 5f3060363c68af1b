using static SslCourse.Runner.Tests.NotebookFiles;

namespace SslCourse.Runner.Tests;

/// <summary>Bad input is refused before any kernel starts: exit code 2 and one line naming the file.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder _temp = new();

    [Fact]
    public async Task Malformed_json_is_refused()
    {
        File.WriteAllText(_temp.File("broken.ipynb"), "{\"cells\": [");
        await AssertBadInput("broken.ipynb", "malformed JSON", _temp.File("broken.ipynb"));
    }

    [Fact]
    public async Task Missing_file_is_refused() =>
        await AssertBadInput("nope.ipynb", "file not found", _temp.File("nope.ipynb"));

    [Fact]
    public async Task Non_notebook_files_are_refused()
    {
        File.WriteAllText(_temp.File("notes.txt"), "hello");
        await AssertBadInput("notes.txt", "not a notebook", _temp.File("notes.txt"));
        File.WriteAllText(_temp.File("data.ipynb"), "{\"rows\": []}");
        await AssertBadInput("data.ipynb", "not a notebook", _temp.File("data.ipynb"));
    }

    [Fact]
    public async Task FSharp_kernel_is_refused()
    {
        var path = WriteWithLanguage(_temp.Path, "fsharp.ipynb", "F#", Code("printfn \"hi\""));
        await AssertBadInput("fsharp.ipynb", "kernelspec language 'fsharp' is not C#", path);
    }

    [Fact]
    public async Task FSharp_cell_in_a_csharp_notebook_is_refused()
    {
        var path = Write(_temp.Path, "mixed.ipynb", Code("1"), Code("#!fsharp\nprintfn \"hi\""));
        await AssertBadInput("mixed.ipynb", "unknown kernel language 'fsharp' in cell 2", path);
    }

    [Fact]
    public async Task A_python_kernelspec_is_refused_whatever_the_polyglot_metadata_says()
    {
        var nb = new System.Text.Json.Nodes.JsonObject
        {
            ["cells"] = new System.Text.Json.Nodes.JsonArray(Code("1")),
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["kernelspec"] = new System.Text.Json.Nodes.JsonObject { ["display_name"] = "Python 3", ["language"] = "python", ["name"] = "python3" },
                ["polyglot_notebook"] = new System.Text.Json.Nodes.JsonObject { ["kernelInfo"] = new System.Text.Json.Nodes.JsonObject { ["defaultKernelName"] = "csharp" } },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(_temp.File("py.ipynb"), nb.ToJsonString());
        await AssertBadInput("py.ipynb", "kernelspec language 'python' is not C#", _temp.File("py.ipynb"));
    }

    [Fact]
    public async Task An_unwritable_out_folder_is_refused_before_anything_runs()
    {
        var path = Write(_temp.Path, "ok.ipynb", Code("1"));
        File.WriteAllText(_temp.File("a-file"), "");
        // Under a regular file: not writable even for root.
        var (code, stdout, stderr) = await Run("run", path, "--out", _temp.File("a-file/out"));
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"sslcourse: {_temp.File("a-file/out")}: --out folder is not writable", line);
    }

    [Fact]
    public async Task Undeclared_parameter_is_refused()
    {
        var path = Write(_temp.Path, "params.ipynb", Code("var Profile = \"dev\";", "parameters"));
        await AssertBadInput("params.ipynb", "parameter 'Seed' is not declared", path, "--param", "Seed=1");
    }

    [Fact]
    public async Task Parameter_value_of_the_wrong_type_is_refused()
    {
        var path = Write(_temp.Path, "typed.ipynb", Code("int Epochs = 1;", "parameters"));
        await AssertBadInput("typed.ipynb", "not a valid int", path, "--param", "Epochs=many");
    }

    [Fact]
    public async Task Output_over_the_source_is_refused()
    {
        var path = Write(_temp.Path, "same.ipynb", Code("1"));
        var (code, _, stderr) = await Run("run", path, "--out", _temp.Path);
        Assert.Equal(2, code);
        Assert.Contains("output path is the source itself", stderr);
    }

    [Fact]
    public async Task Unknown_option_is_refused()
    {
        var path = Write(_temp.Path, "ok.ipynb", Code("1"));
        var (code, _, stderr) = await Run("run", path, "--out", _temp.File("out"), "--frobnicate");
        Assert.Equal(2, code);
        Assert.Equal("sslcourse: --frobnicate: unknown option", stderr.Trim());
    }

    public void Dispose() => _temp.Dispose();

    private async Task AssertBadInput(string fileName, string what, string path, params string[] extra)
    {
        var (code, stdout, stderr) = await Run(["run", path, "--out", _temp.File("out"), .. extra]);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("sslcourse: ", line);
        Assert.Contains(fileName, line);
        Assert.Contains(what, line);
        Assert.False(File.Exists(_temp.File("out/junit.xml")), "nothing may run on bad input");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await Program.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
