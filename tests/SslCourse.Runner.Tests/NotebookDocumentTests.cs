using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Runner.Tests;

/// <summary>The reusable notebook model and parameter parsing.</summary>
public sealed class NotebookDocumentTests
{
    [Fact]
    public void Round_trip_keeps_metadata_ids_and_unknown_fields()
    {
        const string json = """
            {"cells":[{"cell_type":"markdown","id":"m1","metadata":{"x":{"y":1}},"source":["a\n","b"],"attachments":{"k":{}}},
                      {"cell_type":"code","id":"c1","metadata":{"tags":["parameters"]},"source":"var A = 1;","outputs":[],"execution_count":null}],
             "metadata":{"kernelspec":{"name":".net-csharp","language":"C#"},"custom":[1,2]},"nbformat":4,"nbformat_minor":5}
            """;
        var doc = NotebookDocument.ParseIpynb(json, "t.ipynb");
        var again = (JsonObject)JsonNode.Parse(doc.ToIpynbJson())!;
        Assert.Equal("m1", (string?)again["cells"]![0]!["id"]);
        Assert.Equal(1, (int?)again["cells"]![0]!["metadata"]!["x"]!["y"]);
        Assert.NotNull(again["cells"]![0]!["attachments"]);
        Assert.Equal("a\nb", NotebookDocument.JoinText(again["cells"]![0]!["source"]));
        Assert.Equal("[1,2]", again["metadata"]!["custom"]!.ToJsonString());
        Assert.Equal(["parameters"], doc.Cells[1].Tags);
    }

    [Fact]
    public void Round_trip_keeps_top_level_fields_and_writes_text_unescaped()
    {
        const string json = """
            {"cells":[{"cell_type":"markdown","metadata":{},"source":"✓ <b>é</b>","outputs":[{"odd":true}]},
                      {"cell_type":"code","id":"c1","metadata":{"sslcourse":{"status":"ok"}},"source":"1","outputs":[{"output_type":"stream"}],"execution_count":3}],
             "metadata":{},"nbformat":4,"nbformat_minor":5,"x-custom":{"kept":true}}
            """;
        var doc = NotebookDocument.ParseIpynb(json, "t.ipynb");
        var text = doc.ToIpynbJson();
        Assert.Contains("✓ <b>é</b>", text);
        var again = (JsonObject)JsonNode.Parse(text)!;
        Assert.Equal(true, (bool?)again["x-custom"]!["kept"]);
        Assert.Equal("[{\"odd\":true}]", again["cells"]![0]!["outputs"]!.ToJsonString());
        Assert.Equal("cell 2 (id c1)", doc.CellLabel(1));
        doc.ClearOutputs();
        Assert.Empty(doc.Cells[1].Outputs);
        Assert.Null(doc.Cells[1].ExecutionCount);
        Assert.Null(doc.Cells[1].Metadata["sslcourse"]);
    }

    [Fact]
    public void Format_errors_name_the_file_and_the_cell()
    {
        var e = Assert.Throws<NotebookFormatException>(() => NotebookDocument.ParseIpynb("""{"cells":[{"cell_type":"code"},{"source":""}]}""", "bad.ipynb"));
        Assert.Equal("bad.ipynb", e.File);
        Assert.Equal("not a notebook (cell 2 has no \"cell_type\")", e.Message);
    }

    [Fact]
    public void Declarations_take_their_type_from_the_declaration_or_initializer()
    {
        var d = ParameterInjector.Declarations("var Profile = \"dev\";\nint Epochs = 3;\nvar Lr = 0.1;\nbool Fast = false;\nvar Big = 5L;\nstatic double Wd = 1e-4;");
        Assert.Equal("string", d["Profile"]);
        Assert.Equal("int", d["Epochs"]);
        Assert.Equal("double", d["Lr"]);
        Assert.Equal("bool", d["Fast"]);
        Assert.Equal("long", d["Big"]);
        Assert.Equal("double", d["Wd"]);
    }

    [Fact]
    public void Injected_literals_follow_the_declared_type()
    {
        var doc = NotebookDocument.ParseIpynb("""
            {"cells":[{"cell_type":"code","metadata":{"tags":["parameters"]},"source":"var S = \"a\";\ndouble Lr = 0.1;\nbool Fast = true;","outputs":[],"execution_count":null}],
             "metadata":{},"nbformat":4,"nbformat_minor":4}
            """, "p.ipynb");
        ParameterInjector.Inject(doc, [new("S", "say \"hi\"\\"), new("Lr", "0.5"), new("Fast", "False")], "p.ipynb");
        Assert.Equal("// Parameters injected by sslcourse run\nS = \"say \\\"hi\\\"\\\\\";\nLr = 0.5d;\nFast = false;\n", doc.Cells[1].Source);
        Assert.Null(doc.Cells[1].Id);
    }
}
