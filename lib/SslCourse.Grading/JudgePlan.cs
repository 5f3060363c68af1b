using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// How a master's checks are judged, worked out once from the master with Roslyn. The functions the master's solution
/// cells declare are the learner's: the judge gets a stub of each (same signature, body calling
/// <c>SslCourse.Grading.Judge.Call</c>), runs the master's public cells (setup, parameters, helpers: those that call no
/// learner function), then each check's full source. The learner's notebook gets, where a check cell stands, a probe
/// that hands the judge exactly the functions that check calls — no check code, no hidden test, no expected value.
/// </summary>
internal sealed class JudgePlan
{
    /// <summary>A learner function: its name and arity (the key), and the master's declaration texts.</summary>
    public sealed record Function(string Name, string Key, string Declaration, string ReturnType, string ParameterList, IReadOnlyList<(string Type, string Name)> Parameters);

    private readonly MasterNotebook _master;
    private readonly Dictionary<string, List<Function>> _calls;

    private JudgePlan(MasterNotebook master, List<Function> functions, List<JudgeCell> prelude, Dictionary<string, List<Function>> calls)
    {
        _master = master;
        Functions = functions;
        Prelude = prelude;
        _calls = calls;
        Stubs = string.Join("\n", functions.Select(Stub));
    }

    public IReadOnlyList<Function> Functions { get; }

    public IReadOnlyList<JudgeCell> Prelude { get; }

    public string Stubs { get; }

    /// <exception cref="NotebookFormatException">A check the judge cannot run (one line naming the question and why).</exception>
    public static JudgePlan For(MasterNotebook master)
    {
        var file = Path.GetFileName(master.Path);
        var functions = new List<Function>();
        var variables = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in master.Doc.Cells.Where(c => c.IsCode && CellGrading.Of(c) is { Solution: true }))
        {
            var unit = CSharpSource.Parse(cell.Source);
            foreach (var m in unit.Members.OfType<MethodDeclarationSyntax>())
            {
                functions.Add(Describe(m, file));
            }
            variables.UnionWith(CSharpSource.Declared(cell.Source).Except(functions.Select(f => f.Name)));
        }
        if (functions.GroupBy(f => f.Key).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new NotebookFormatException(file, $"the solution cells declare {twice.Key} twice; the judge tells the learner's functions apart by name and number of parameters");
        }
        var learnerNames = functions.Select(f => f.Name).Concat(variables).ToHashSet(StringComparer.Ordinal);
        var prelude = new List<JudgeCell>();
        var skipped = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in master.Doc.Cells.Where(c => c.IsCode && !CellGrading.IsCheck(c) && CellGrading.Of(c) is not { Solution: true }))
        {
            if (CSharpSource.Used(cell.Source).Overlaps(learnerNames))
            {
                // A public cell that calls the learner's code is a demonstration: the judge has no learner code to run it with.
                skipped.UnionWith(CSharpSource.Declared(cell.Source));
                continue;
            }
            prelude.Add(new JudgeCell(cell.Source, cell.IsParameters));
        }
        var calls = new Dictionary<string, List<Function>>(StringComparer.Ordinal);
        foreach (var q in master.AutoQuestions)
        {
            var used = CSharpSource.Used(master.Doc.Cells[q.MasterIndex].Source);
            if (used.FirstOrDefault(variables.Contains) is { } variable)
            {
                throw new NotebookFormatException(file, $"{q.Id}: the check reads {variable}, a variable of a solution cell; the judge can only call the learner's functions (make it a function)");
            }
            if (used.FirstOrDefault(skipped.Contains) is { } helper)
            {
                throw new NotebookFormatException(file, $"{q.Id}: the check uses {helper}, declared in a public cell that calls the learner's code; the judge cannot run that cell");
            }
            calls[q.Id] = functions.Where(f => used.Contains(f.Name)).ToList();
        }
        return new JudgePlan(master, functions, prelude, calls);
    }

    /// <summary>What the judge runs for one submission, with each check keyed by the id of the cell that stands for it.</summary>
    public JudgeSpec Spec(IReadOnlyDictionary<string, string> checkCellIds) => new(
        Path.GetDirectoryName(Path.GetFullPath(_master.Path))!,
        Prelude,
        Stubs,
        _master.AutoQuestions.ToDictionary(q => checkCellIds[q.Id], q => _master.Doc.Cells[q.MasterIndex].Source, StringComparer.Ordinal));

    /// <summary>The probe that stands in the learner's notebook for question <paramref name="questionId"/>'s check cell.</summary>
    public string Probe(string questionId, string cellId)
    {
        var entries = _calls[questionId].Select(f =>
        {
            var args = string.Join(", ", f.Parameters.Select((p, i) => $"__a.Get<{p.Type}>({i})"));
            var call = $"{f.Declaration}({args})";
            return f.ReturnType == "void"
                ? $"    new(\"{f.Key}\", __a => {{ {call}; return null; }}),"
                : $"    new(\"{f.Key}\", __a => {call}),";
        });
        return $"// The grader judges this check outside your notebook: it calls your functions here and compares their results itself.\n"
               + $"global::SslCourse.Grading.Probe.Serve(\"{cellId}\", new global::SslCourse.Grading.ProbeEntry[]\n{{\n{string.Join("\n", entries)}\n}});";
    }

    private static Function Describe(MethodDeclarationSyntax m, string file)
    {
        var name = m.Identifier.ValueText;
        NotebookFormatException Unsupported(string why) => new(file, $"the solution function {name} {why}; the judge passes values to the learner's functions and back, so use plain parameters");
        if (m.TypeParameterList is not null)
        {
            throw Unsupported("is generic");
        }
        var parameters = new List<(string, string)>();
        foreach (var p in m.ParameterList.Parameters)
        {
            if (p.Modifiers.Any(t => t.IsKind(SyntaxKind.RefKeyword) || t.IsKind(SyntaxKind.OutKeyword) || t.IsKind(SyntaxKind.InKeyword) || t.IsKind(SyntaxKind.ThisKeyword)) || p.Type is null)
            {
                throw Unsupported($"has a ref, out, in or untyped parameter ({p.Identifier.ValueText})");
            }
            parameters.Add((p.Type.ToString(), p.Identifier.Text));
        }
        // The stub keeps the master's parameter list as written (defaults, params), so check code compiles against it as against the solution.
        return new Function(name, $"{name}/{parameters.Count}", m.Identifier.Text, m.ReturnType.ToString(), m.ParameterList.ToString(), parameters);
    }

    private static string Stub(Function f)
    {
        var signature = $"{f.ReturnType} {f.Declaration}{f.ParameterList}";
        var call = $"global::SslCourse.Grading.Judge.Call<{(f.ReturnType == "void" ? "object?" : f.ReturnType)}>(\"{f.Key}\", new object?[] {{ {string.Join(", ", f.Parameters.Select(p => p.Name))} }})";
        return f.ReturnType == "void" ? $"{signature} {{ {call}; }}" : $"{signature} => {call};";
    }
}
