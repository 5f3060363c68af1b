using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// Prepares an assembled submission for the judge and undoes it for the learner. Before the run: every <c>#r</c> of
/// a learner cell that is not one of the master's own references or a NuGet package is refused (the line becomes a
/// comment, with a note: a DLL the submission wrote, or an absolute path, never loads), names the learner declares
/// that a check also uses are noted, and each check cell becomes a probe (<see cref="JudgePlan.Probe"/>). After: check
/// cells show the master's source without hidden tests, and hidden-test lines echoed in any output are redacted.
/// </summary>
internal sealed class SubmissionHardening
{
    private const string SkippedPrefix = "throw new Exception(\"Skipped by the grader";
    private readonly MasterNotebook _master;
    private readonly Redactor _redactor;

    private SubmissionHardening(MasterNotebook master, Dictionary<string, IReadOnlyList<string>> shadowed, List<string> notes)
    {
        _master = master;
        Shadowed = shadowed;
        Notes = notes;
        _redactor = Redactor.For(master);
    }

    /// <summary>Per question: the learner's top-level declarations whose names the check also uses (it runs in the judge, which never sees them).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Shadowed { get; }

    /// <summary>Gradebook notes: refused references.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Analyses the learner's cells and refuses their disallowed references in place.</summary>
    public static SubmissionHardening Analyze(MasterNotebook master, SubmissionAssembler.Assembled assembled)
    {
        var checkIds = assembled.CheckCellIds.Values.ToHashSet(StringComparer.Ordinal);
        var masterCode = master.Doc.Cells.Where(c => c.IsCode && !CellGrading.IsCheck(c))
            .SelectMany(c => new[] { c.Source.Trim(), Regions.Release(c.Source, markdown: false).Trim() })
            .ToHashSet(StringComparer.Ordinal);
        var allowed = master.Doc.Cells.Where(c => c.IsCode).SelectMany(c => CSharpSource.References(c.Source)).Select(r => r.Target).ToHashSet(StringComparer.Ordinal);
        // The functions the learner writes are the learner's to declare; the master's own imports are not news.
        var exempt = master.Doc.Cells.Where(c => c.IsCode && CellGrading.Of(c) is { Solution: true })
            .SelectMany(c => CSharpSource.Declared(c.Source))
            .Concat(master.Doc.Cells.Where(c => c.IsCode).SelectMany(c => CSharpSource.Declared(c.Source)).Where(n => n.StartsWith("using static ", StringComparison.Ordinal)))
            .ToHashSet(StringComparer.Ordinal);
        var notes = new List<string>();
        var learner = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in assembled.Doc.Cells.Where(c => c.IsCode && !c.IsParameters && !(c.Id is { } id && checkIds.Contains(id))))
        {
            var refused = CSharpSource.References(cell.Source)
                .Where(r => !allowed.Contains(r.Target) && !r.Target.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase)).ToList();
            if (refused.Count > 0)
            {
                var lines = cell.Source.Split('\n');
                foreach (var (line, target) in refused)
                {
                    lines[line] = $"// #r refused by the grader: {Reports.OneLine(target)}";
                    notes.Add($"#r \"{Reports.OneLine(target)}\" refused: in grading only the master's own references and NuGet packages load");
                }
                cell.Source = string.Join('\n', lines);
            }
            if (!masterCode.Contains(cell.Source.Trim()))
            {
                learner.UnionWith(CSharpSource.Declared(cell.Source));
            }
        }
        var shadowed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var q in master.AutoQuestions)
        {
            var used = CSharpSource.Used(master.Doc.Cells[q.MasterIndex].Source);
            var names = learner.Where(n => !exempt.Contains(n) && (used.Contains(n) || n.StartsWith("using static ", StringComparison.Ordinal)))
                .Order(StringComparer.Ordinal).ToList();
            if (names.Count > 0)
            {
                shadowed[q.Id] = names;
            }
        }
        return new SubmissionHardening(master, shadowed, notes.Distinct(StringComparer.Ordinal).ToList());
    }

    /// <summary>Each check cell of <paramref name="doc"/> (but one the grader skipped) becomes the probe that stands for it.</summary>
    public void Probe(NotebookDocument doc, IReadOnlyDictionary<string, string> checkIds, JudgePlan plan)
    {
        foreach (var q in _master.AutoQuestions)
        {
            var cell = doc.Cells.FirstOrDefault(c => c.Id == checkIds[q.Id]);
            if (cell is null || cell.Source.StartsWith(SkippedPrefix, StringComparison.Ordinal))
            {
                continue;
            }
            cell.Source = plan.Probe(q.Id, cell.Id!);
        }
    }

    /// <summary>Replaces a cell that stopped the notebook with one that fails, so a re-run goes on past it.</summary>
    public static string Skipped(string why) => $"{SkippedPrefix}: this cell {why} in an earlier run.\");";

    /// <summary>
    /// The notebook to hand back: check cells show the master's source without hidden tests, and any hidden-test line
    /// echoed anywhere in an output is redacted.
    /// </summary>
    public void Release(NotebookDocument executed, IReadOnlyDictionary<string, string> checkIds)
    {
        foreach (var q in _master.AutoQuestions)
        {
            if (executed.Cells.FirstOrDefault(c => c.Id == checkIds[q.Id]) is { } cell)
            {
                cell.Source = Regions.WithoutHidden(_master.Doc.Cells[q.MasterIndex].Source);
            }
        }
        foreach (var cell in executed.Cells)
        {
            cell.Outputs = (JsonArray)_redactor.Redact(cell.Outputs)!;
        }
    }

    /// <summary>A message or note with hidden-test lines redacted.</summary>
    public string Redact(string text) => _redactor.Redact(text);
}
