using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// <c>sslcourse validate</c>: runs a notebook with its visible checks only (hidden tests of a master are dropped)
/// and prints one line per question: ✓ or ✗, points, and the failing message.
/// </summary>
public static class Validator
{
    /// <summary>Runs and reports.</summary>
    /// <param name="path">A learner's notebook or a master.</param>
    /// <param name="executor">Runs the notebook.</param>
    /// <param name="options">Limits and parameters (retries are not used).</param>
    /// <param name="stdout">Receives the per-question lines.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>0 when every check passes, 1 otherwise.</returns>
    /// <exception cref="NotebookFormatException">The notebook's grading metadata or markers are malformed.</exception>
    public static async Task<int> ValidateAsync(string path, INotebookExecutor executor, GradeOptions options, TextWriter stdout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(stdout);
        var master = MasterNotebook.Load(path);
        var doc = master.Doc.Clone();
        var checkIds = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = doc.Cells.Select(c => c.Id).OfType<string>().ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < doc.Cells.Count; i++)
        {
            var cell = doc.Cells[i];
            if (cell.Id is null)
            {
                var n = i;
                while (!used.Add($"validate-{n}")) n++;
                cell.Id = $"validate-{n}";
            }
            if (CellGrading.IsCheck(cell))
            {
                cell.Source = Regions.WithoutHidden(cell.Source);
            }
        }
        foreach (var q in master.AutoQuestions)
        {
            checkIds[q.Id] = doc.Cells[q.MasterIndex].Id!;
        }
        doc.ClearOutputs();

        NotebookDocument? executed;
        string? error;
        using (var work = WorkingCopy.Create(master))
        {
            (executed, var outcome) = await work.RunAsync(executor, doc, Path.GetFileName(path), options, options.Progress, cancellationToken);
            error = outcome.Error;
        }
        if (executed is null)
        {
            stdout.WriteLine($"✗ {Path.GetFileName(path)}: {Reports.OneLine(error ?? "the notebook did not run")}");
        }
        var results = master.Questions.Select(q => Grader.Score(q, checkIds, executed, [])).ToList();
        foreach (var r in results)
        {
            var points = $"{Reports.Points(r.Points ?? 0)}/{Reports.Points(r.Question.Points)}";
            stdout.WriteLine(r.Question.Manual
                ? $"· {r.Question.Id} ({Reports.Points(r.Question.Points)} points, graded by hand)"
                : r.Passed ? $"✓ {r.Question.Id} {points}" : $"✗ {r.Question.Id} {points}: {r.Message}");
        }
        var auto = results.Where(r => !r.Question.Manual).ToList();
        stdout.WriteLine($"{auto.Count(r => r.Passed)} of {auto.Count} checks passed; {Reports.Points(auto.Sum(r => r.Points ?? 0))} of {Reports.Points(auto.Sum(r => r.Question.Points))} points (visible checks only)");
        return executed is not null && auto.All(r => r.Passed) ? 0 : 1;
    }
}
