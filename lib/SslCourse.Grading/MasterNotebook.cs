using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// An instructor's master notebook, checked on load: every nbgrader cell has a <c>grade_id</c>, graded cells have
/// points, ids are unique, markers balance, hidden tests sit only in check cells and solutions never in them.
/// </summary>
internal sealed class MasterNotebook
{
    private MasterNotebook(string path, NotebookDocument doc, List<Question> questions)
    {
        Path = path;
        Doc = doc;
        Questions = questions;
    }

    public string Path { get; }

    public NotebookDocument Doc { get; }

    public IReadOnlyList<Question> Questions { get; }

    public IEnumerable<Question> AutoQuestions => Questions.Where(q => !q.Manual);

    /// <exception cref="NotebookFormatException">One line naming the cell and the problem.</exception>
    public static MasterNotebook Load(string path)
    {
        var doc = NotebookDocument.Load(path);
        var file = System.IO.Path.GetFileName(path);
        var questions = new List<Question>();
        var gradeIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var cellIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            var label = doc.CellLabel(i);
            NotebookFormatException Bad(string problem) => new(file, $"{label}: {problem}");
            if (cell.Id is { } cellId && !cellIds.TryAdd(cellId, i))
            {
                throw Bad($"duplicate cell id '{cellId}' (also cell {cellIds[cellId] + 1})");
            }
            var source = cell.Source;
            List<SourceLine> lines;
            try
            {
                lines = Regions.Parse(source);
            }
            catch (RegionException e)
            {
                throw Bad(e.Message);
            }
            var g = CellGrading.Of(cell);
            var isCheck = CellGrading.IsCheck(cell);
            var hasHidden = lines.Any(l => l.Kind == LineKind.Hidden || l.Kind == LineKind.Marker && l.Text.Contains("HIDDEN", StringComparison.Ordinal));
            var hasSolution = lines.Any(l => l.Kind is LineKind.Solution or LineKind.Stub || l.Kind == LineKind.Marker && l.Text.Contains("SOLUTION", StringComparison.Ordinal));
            if (hasHidden && !isCheck)
            {
                throw Bad("hidden tests outside a check cell (only cells with nbgrader grade=true, solution=false may hold them)");
            }
            if (hasSolution && isCheck)
            {
                throw Bad("solution region inside a check cell (grading replaces check cells with the master's, so it would run the answer)");
            }
            if (g is null || !(g.Grade || g.Solution || g.Task))
            {
                continue;
            }
            if (g.GradeId is null)
            {
                throw Bad("nbgrader cell has no grade_id");
            }
            if (!gradeIds.TryAdd(g.GradeId, i))
            {
                throw Bad($"duplicate grade_id '{g.GradeId}' (also cell {gradeIds[g.GradeId] + 1})");
            }
            if (g.Grade || g.Task)
            {
                if (g.Points is not { } points || points < 0 || double.IsNaN(points))
                {
                    throw Bad($"graded cell '{g.GradeId}' has no points (set metadata.nbgrader.points)");
                }
                questions.Add(new Question(g.GradeId, points, g.IsManual(cell), i));
            }
        }
        return new MasterNotebook(path, doc, questions);
    }

    /// <summary>The master cell holding check <paramref name="gradeId"/>.</summary>
    public NotebookCell CheckCell(string gradeId) => Doc.Cells[Questions.First(q => q.Id == gradeId).MasterIndex];
}
