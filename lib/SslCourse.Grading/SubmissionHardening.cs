using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// Applies <see cref="CheckHardening"/> to an assembled submission: finds shadowed names per question, qualifies and
/// seals every check cell (a fresh seal per run), and later undoes it all in the notebook handed back to the learner,
/// which also loses every hidden-test region and every hidden-test line its outputs might echo.
/// </summary>
internal sealed class SubmissionHardening
{
    private readonly MasterNotebook _master;
    private readonly Redactor _redactor;

    private SubmissionHardening(MasterNotebook master, Dictionary<string, IReadOnlyList<string>> shadowed)
    {
        _master = master;
        Shadowed = shadowed;
        _redactor = Redactor.For(master);
    }

    /// <summary>Per question: the learner's top-level declarations that shadow a name its check cell uses.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Shadowed { get; }

    /// <summary>Per question: the seal its check cell prints in the current run.</summary>
    public Dictionary<string, string> Seals { get; } = new(StringComparer.Ordinal);

    public static SubmissionHardening Analyze(MasterNotebook master, SubmissionAssembler.Assembled assembled)
    {
        var checkIds = assembled.CheckCellIds.Values.ToHashSet(StringComparer.Ordinal);
        var masterCode = master.Doc.Cells.Where(c => c.IsCode && !CellGrading.IsCheck(c))
            .SelectMany(c => new[] { c.Source.Trim(), Regions.Release(c.Source, markdown: false).Trim() })
            .ToHashSet(StringComparer.Ordinal);
        var exempt = master.Doc.Cells.Where(c => c.IsCode && CellGrading.Of(c) is { Solution: true })
            .SelectMany(c => CheckHardening.Declared(c.Source, topLevelOnly: true))
            .ToHashSet(StringComparer.Ordinal);
        var learner = assembled.Doc.Cells
            .Where(c => c.IsCode && !c.IsParameters && !(c.Id is { } id && checkIds.Contains(id)) && !masterCode.Contains(c.Source.Trim()))
            .SelectMany(c => CheckHardening.Declared(c.Source, topLevelOnly: true))
            .ToHashSet(StringComparer.Ordinal);
        var shadowed = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var q in master.AutoQuestions)
        {
            var names = CheckHardening.Used(master.Doc.Cells[q.MasterIndex].Source)
                .Where(n => learner.Contains(n) && !exempt.Contains(n)).Order(StringComparer.Ordinal).ToList();
            if (names.Count > 0)
            {
                shadowed[q.Id] = names;
            }
        }
        return new SubmissionHardening(master, shadowed);
    }

    /// <summary>Qualifies and seals each check cell of <paramref name="doc"/> with fresh seals.</summary>
    public void Seal(NotebookDocument doc, IReadOnlyDictionary<string, string> checkIds)
    {
        foreach (var q in _master.AutoQuestions)
        {
            var cell = doc.Cells.FirstOrDefault(c => c.Id == checkIds[q.Id]);
            if (cell is null || cell.Source.StartsWith("throw new Exception(\"Skipped by the grader", StringComparison.Ordinal))
            {
                continue;
            }
            var seal = Seals[q.Id] = CheckHardening.NewSeal();
            cell.Source = CheckHardening.Sealed(CheckHardening.Qualify(_master.Doc.Cells[q.MasterIndex].Source), seal);
        }
    }

    /// <summary>True when the executed check cell printed its seal.</summary>
    public bool IsSealed(string questionId, NotebookCell executed) =>
        Seals.TryGetValue(questionId, out var seal) && Text(executed).Contains(CheckHardening.SealPrefix + seal, StringComparison.Ordinal);

    /// <summary>
    /// The notebook to hand back: check cells show the master's source without hidden tests (no qualification, no
    /// seal), seal lines are gone from outputs, and any hidden-test line echoed anywhere in an output is redacted.
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
            var outputs = (System.Text.Json.Nodes.JsonArray)_redactor.Redact(cell.Outputs, dropSeals: true)!;
            foreach (var empty in outputs.OfType<System.Text.Json.Nodes.JsonObject>().Where(o => (string?)o["output_type"] == "stream" && NotebookDocument.JoinText(o["text"]).Length == 0).ToList())
            {
                outputs.Remove(empty);
            }
            cell.Outputs = outputs;
        }
    }

    /// <summary>A message or note with hidden-test lines redacted.</summary>
    public string Redact(string text) => _redactor.Redact(text);

    private static string Text(NotebookCell cell) =>
        string.Concat(cell.Outputs.OfType<System.Text.Json.Nodes.JsonObject>()
            .Where(o => (string?)o["output_type"] == "stream")
            .Select(o => NotebookDocument.JoinText(o["text"])));
}
