using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// Builds the notebook that is graded: the learner's cells in the learner's order, except that every check cell is
/// the master's (matched by <c>grade_id</c> or cell id; hidden tests included), a check the learner deleted is
/// re-inserted where the master has it, duplicates of a check are dropped, and the master's <c>parameters</c> cell
/// replaces the learner's (so the grader can always inject the profile).
/// </summary>
internal static class SubmissionAssembler
{
    /// <summary>The graded notebook, the cell id of each auto question's check in it, and notes for the gradebook.</summary>
    public sealed record Assembled(NotebookDocument Doc, IReadOnlyDictionary<string, string> CheckCellIds, IReadOnlyList<string> Notes);

    public static Assembled Assemble(MasterNotebook master, NotebookDocument submission)
    {
        var notes = new List<string>();
        var checks = master.AutoQuestions.ToDictionary(q => q.Id, q => master.Doc.Cells[q.MasterIndex], StringComparer.Ordinal);
        var checkByCellId = checks.Where(kv => kv.Value.Id is not null)
            .ToDictionary(kv => kv.Value.Id!, kv => kv.Key, StringComparer.Ordinal);
        var masterParams = master.Doc.Cells.FindIndex(c => c.IsParameters);

        var doc = submission.Clone();
        var cells = new List<NotebookCell>();
        var placed = new Dictionary<string, NotebookCell>(StringComparer.Ordinal);
        var paramsPlaced = false;
        foreach (var cell in doc.Cells)
        {
            if (cell.IsParameters && masterParams >= 0)
            {
                if (!paramsPlaced)
                {
                    cells.Add(master.Doc.Cells[masterParams].Clone());
                    paramsPlaced = true;
                }
                continue;
            }
            var question = MatchCheck(cell, checks, checkByCellId);
            if (question is null)
            {
                cells.Add(cell);
                continue;
            }
            if (placed.ContainsKey(question))
            {
                notes.Add($"{question}: extra copy of the check cell ignored");
                continue;
            }
            var masterCell = checks[question];
            var learner = cell.Source;
            if (learner != Regions.Release(masterCell.Source, markdown: false) && learner != masterCell.Source)
            {
                notes.Add($"{question}: check cell was edited; the master's check was used");
            }
            cells.Add(placed[question] = masterCell.Clone());
        }
        if (masterParams >= 0 && !paramsPlaced)
        {
            Insert(cells, master, masterParams);
            notes.Add("parameters cell was missing; the master's was used");
        }
        foreach (var q in master.AutoQuestions.Where(q => !placed.ContainsKey(q.Id)))
        {
            placed[q.Id] = Insert(cells, master, q.MasterIndex);
            notes.Add($"{q.Id}: check cell was deleted; re-inserted from the master");
        }
        doc.Cells.Clear();
        doc.Cells.AddRange(cells);
        var ids = UniqueIds(doc, placed.Values.ToHashSet(ReferenceEqualityComparer.Instance));
        var checkIds = master.AutoQuestions.ToDictionary(q => q.Id, q => ids[placed[q.Id]], StringComparer.Ordinal);
        doc.ClearOutputs();
        return new Assembled(doc, checkIds, notes);
    }

    private static string? MatchCheck(NotebookCell cell, Dictionary<string, NotebookCell> checks, Dictionary<string, string> byCellId)
    {
        if (CellGrading.Of(cell)?.GradeId is { } gid && checks.ContainsKey(gid))
        {
            return gid;
        }
        return cell.Id is { } id && byCellId.TryGetValue(id, out var q) ? q : null;
    }

    /// <summary>Inserts the master's cell after the nearest earlier master cell present (by id), else at the top.</summary>
    private static NotebookCell Insert(List<NotebookCell> cells, MasterNotebook master, int masterIndex)
    {
        var at = 0;
        for (var m = masterIndex - 1; m >= 0; m--)
        {
            var anchor = master.Doc.Cells[m];
            var gid = CellGrading.Of(anchor)?.GradeId;
            var id = anchor.Id;
            var found = cells.FindLastIndex(c => (gid is not null && CellGrading.Of(c)?.GradeId == gid) || (id is not null && c.Id == id));
            if (found >= 0)
            {
                at = found + 1;
                break;
            }
        }
        var clone = master.Doc.Cells[masterIndex].Clone();
        cells.Insert(at, clone);
        return clone;
    }

    /// <summary>Gives every cell a unique id (the master's check cells keep theirs first); returns each cell's id.</summary>
    private static Dictionary<NotebookCell, string> UniqueIds(NotebookDocument doc, HashSet<object?> checkCells)
    {
        var result = new Dictionary<NotebookCell, string>(ReferenceEqualityComparer.Instance);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var ordered = doc.Cells.Where(checkCells.Contains).Concat(doc.Cells.Where(c => !checkCells.Contains(c)));
        var n = 0;
        foreach (var cell in ordered)
        {
            var id = cell.Id;
            if (id is null || !used.Add(id))
            {
                do
                {
                    id = $"graded-{++n}";
                }
                while (!used.Add(id));
                cell.Id = id;
            }
            result[cell] = id;
        }
        return result;
    }
}
