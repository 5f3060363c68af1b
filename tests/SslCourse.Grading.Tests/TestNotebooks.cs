using System.Text.Json.Nodes;

namespace SslCourse.Grading.Tests;

/// <summary>Builds small synthetic notebooks (a three-question master and learner variants) for the tests.</summary>
internal static class TestNotebooks
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The runner assembly: SSLCOURSE_RUNNER, else the repository's runner build output.</summary>
    public static string Runner =>
        Environment.GetEnvironmentVariable("SSLCOURSE_RUNNER") is { Length: > 0 } r ? r
        : new[] { "Release", "Debug" }.Select(c => Path.Combine(RepoRoot, "lib", "SslCourse.Runner", "bin", c, "net10.0", "SslCourse.Runner.dll"))
            .FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("build lib/SslCourse.Runner or set SSLCOURSE_RUNNER");

    public static JsonObject Code(string id, string source, JsonObject? nbgrader = null, string[]? tags = null)
    {
        var meta = new JsonObject
        {
            ["dotnet_interactive"] = new JsonObject { ["language"] = "csharp" },
            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
        };
        if (nbgrader is not null) meta["nbgrader"] = nbgrader;
        if (tags is not null) meta["tags"] = new JsonArray(tags.Select(t => (JsonNode?)t).ToArray());
        return new JsonObject { ["cell_type"] = "code", ["id"] = id, ["metadata"] = meta, ["source"] = source, ["outputs"] = new JsonArray(), ["execution_count"] = null };
    }

    public static JsonObject Markdown(string id, string source, JsonObject? nbgrader = null)
    {
        var meta = new JsonObject();
        if (nbgrader is not null) meta["nbgrader"] = nbgrader;
        return new JsonObject { ["cell_type"] = "markdown", ["id"] = id, ["metadata"] = meta, ["source"] = source };
    }

    public static JsonObject Check(string gradeId, double points) => new()
    {
        ["grade"] = true, ["grade_id"] = gradeId, ["points"] = points, ["solution"] = false, ["locked"] = true, ["schema_version"] = 3,
    };

    public static JsonObject Solution(string gradeId) => new()
    {
        ["grade"] = false, ["grade_id"] = gradeId, ["solution"] = true, ["locked"] = false, ["schema_version"] = 3,
    };

    public const string Q1Solution = "int Add(int a, int b)\n{\n    // BEGIN SOLUTION\n    return a + b;\n    // END SOLUTION\n}";
    public const string Q2Solution = "double Mean(double[] xs)\n{\n    return xs.Sum() / xs.Length; // SOLUTION\n}";
    public const string Q3Solution = "string Greet(string name)\n{\n    // BEGIN SOLUTION\n    // STUB: return \"\";\n    var greeting = $\"Hello, {name}!\";\n    return greeting;\n    // END SOLUTION\n}";
    public const string Q1Check = "Check.Equal(Add(2, 3), 5, what: \"Add(2, 3)\");\n// BEGIN HIDDEN TESTS\nCheck.Equal(Add(-7, 7), 0, hint: \"negative numbers\", what: \"Add(-7, 7)\");\n// END HIDDEN TESTS";
    public const string Q2Check = "Check.Close(Mean([1.0, 2.0, 3.0]), 2.0, 1e-9, what: \"Mean of 1, 2, 3\");\n// BEGIN HIDDEN TESTS\nCheck.Close(Mean([5.0, 7.0]), 6.0, 1e-9, what: \"Mean of 5, 7\");\n// END HIDDEN TESTS";
    public const string Q3Check = "Check.Equal(Greet(\"Ada\"), \"Hello, Ada!\");\n// BEGIN HIDDEN TESTS\nCheck.Equal(Greet(\"Bob\"), \"Hello, Bob!\");\n// END HIDDEN TESTS";

    /// <summary>Master cells; <paramref name="q1"/>..<paramref name="q3"/> replace the solution cells' sources.</summary>
    public static List<JsonObject> MasterCells(string q1 = Q1Solution, string q2 = Q2Solution, string q3 = Q3Solution) =>
    [
        Code("setup", "#r \"../lib/SslCourse/bin/course/SslCourse.dll\"\nusing SslCourse.Grading;"),
        Code("params", "var Profile = \"ci\";", tags: ["parameters"]),
        Markdown("q1-task", "**Q1.** Write `Add`."),
        Code("q1-sol", q1, Solution("q1_add_solution")),
        Code("q1-check", Q1Check, Check("q1_add", 1)),
        Code("q2-sol", q2, Solution("q2_mean_solution")),
        Code("q2-check", Q2Check, Check("q2_mean", 2)),
        Code("q3-sol", q3, Solution("q3_greet_solution")),
        Code("q3-check", Q3Check, Check("q3_greet", 3)),
        Markdown("p1", "**Project.** Explain it. Rubric: 5 points.", new JsonObject
        {
            ["grade"] = false, ["grade_id"] = "p1_essay", ["points"] = 5, ["solution"] = false, ["task"] = true, ["locked"] = true, ["schema_version"] = 3,
        }),
    ];

    public static string Json(IEnumerable<JsonObject> cells) => new JsonObject
    {
        ["cells"] = new JsonArray(cells.Select(c => (JsonNode?)c.DeepClone()).ToArray()),
        ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
        ["nbformat"] = 4,
        ["nbformat_minor"] = 5,
    }.ToJsonString();

    /// <summary>A temporary course layout: ROOT/notebooks/ and ROOT/lib/SslCourse/bin/course → the built library.</summary>
    public static string CourseLayout()
    {
        var root = Directory.CreateTempSubdirectory("grading-test-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        Directory.CreateDirectory(Path.Combine(root, "lib", "SslCourse", "bin"));
        Directory.CreateSymbolicLink(Path.Combine(root, "lib", "SslCourse", "bin", "course"), Path.Combine(RepoRoot, "lib", "SslCourse", "bin", "course"));
        return root;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "SslCourse.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("repository root not found");
    }
}
