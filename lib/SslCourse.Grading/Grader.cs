using System.Diagnostics;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// <c>sslcourse grade</c>: grades every submission against the master, each in its own process and working copy,
/// and writes <c>grades.csv</c>, <c>feedback/NAME.md|.html</c>, <c>executed/NAME.ipynb</c> and <c>junit.xml</c>.
/// Each check is judged outside the learner's process (<see cref="JudgePlan"/>): the learner's kernel, sandboxed, only
/// returns what its functions compute; the judge runs the master's check code on those values. A check the judge
/// passes earns its points; anything else earns 0.
/// </summary>
/// <param name="executor">Runs each assembled submission (normally <see cref="RunnerProcessExecutor"/>).</param>
public sealed class Grader(INotebookExecutor executor)
{
    /// <summary>Grades every submission in <paramref name="submissionsDir"/> (in name order) and writes the reports.</summary>
    /// <param name="masterPath">The master notebook.</param>
    /// <param name="submissionsDir">Folder of submissions: <c>NAME.ipynb</c> files, or <c>NAME/</c> folders holding a notebook named like the master.</param>
    /// <param name="outDir">Output folder.</param>
    /// <param name="options">Limits and parameters.</param>
    /// <param name="cancellationToken">Stops grading.</param>
    /// <exception cref="NotebookFormatException">A malformed master or a missing submissions folder.</exception>
    public async Task<IReadOnlyList<SubmissionResult>> GradeAsync(string masterPath, string submissionsDir, string outDir, GradeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var master = MasterNotebook.Load(masterPath);
        var plan = JudgePlan.For(master);
        WorkingCopy.CheckLibraries(master, [submissionsDir, outDir]);
        var submissions = FindSubmissions(submissionsDir, master);
        if (options.Shard is { } shard)
        {
            // Every N-th in name order: shards stay balanced however names are spread.
            submissions = submissions.Where((_, i) => i % shard.N == shard.K - 1).ToList();
        }
        var results = new List<SubmissionResult>();
        foreach (var (name, path) in submissions)
        {
            options.Progress?.WriteLine($"grading {name}");
            var result = await GradeOneAsync(master, plan, name, path, outDir, options, cancellationToken);
            options.Progress?.WriteLine($"graded {name}: {Reports.Points(result.Total)}/{Reports.Points(result.Max)} {result.Status} ({result.Seconds:0.0}s)");
            results.Add(result);
        }
        Reports.WriteGradebook(Path.Combine(outDir, "grades.csv"), master, results);
        Reports.WriteJUnit(Path.Combine(outDir, "junit.xml"), results);
        return results;
    }

    /// <summary>Submissions as (name, path), sorted by name.</summary>
    internal static List<(string Name, string Path)> FindSubmissions(string dir, MasterNotebook master)
    {
        if (!Directory.Exists(dir))
        {
            throw new NotebookFormatException(dir, "submissions folder not found");
        }
        var found = Directory.EnumerateFiles(dir, "*.ipynb").Select(f => (Name: Path.GetFileNameWithoutExtension(f), Path: f))
            .Concat(Directory.EnumerateDirectories(dir)
                .Select(d => (Name: Path.GetFileName(d), Path: Path.Combine(d, Path.GetFileName(master.Path))))
                .Where(s => File.Exists(s.Path)))
            .OrderBy(s => s.Name, StringComparer.Ordinal).ThenBy(s => s.Path, StringComparer.Ordinal)
            .ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return found.Select(s =>
        {
            var name = Reports.SafeName(s.Name);
            for (var n = 2; !seen.Add(name); n++)
            {
                name = $"{Reports.SafeName(s.Name)}-{n}";
            }
            return (name, s.Path);
        }).ToList();
    }

    internal async Task<SubmissionResult> GradeOneAsync(MasterNotebook master, JudgePlan plan, string name, string path, string outDir, GradeOptions options, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        NotebookDocument submission;
        try
        {
            submission = NotebookDocument.Load(path);
        }
        catch (NotebookFormatException e)
        {
            var malformed = new SubmissionResult(name, "malformed",
                master.Questions.Select(q => new QuestionResult(q, q.Manual ? null : 0, false, "the submission is not a readable notebook")).ToList(),
                [$"not a notebook: {e.Message}"], clock.Elapsed.TotalSeconds);
            Reports.WriteFeedback(outDir, master, malformed);
            return malformed;
        }

        var assembled = SubmissionAssembler.Assemble(master, submission);
        var hardening = SubmissionHardening.Analyze(master, assembled);
        var notes = assembled.Notes.Concat(hardening.Notes).ToList();
        foreach (var (q, names) in hardening.Shadowed)
        {
            notes.Add($"{q}: the notebook declares {string.Join(", ", names)}, which the check also uses; the check ran in the grader, which never sees them");
        }
        var doc = assembled.Doc;
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        NotebookDocument? executed = null;
        string status = "graded";
        using (var work = WorkingCopy.Create(master))
        {
            for (var attempt = 0; attempt <= options.Retries; attempt++)
            {
                // The learner's kernel gets probes where the checks stand; the checks themselves go to the judge only.
                var run = doc.Clone();
                hardening.Probe(run, assembled.CheckCellIds, plan);
                (executed, var outcome) = await work.RunAsync(executor, run, Path.GetFileName(master.Path), options, progress: null, cancellationToken, plan.Spec(assembled.CheckCellIds));
                if (executed is null)
                {
                    status = "error";
                    notes.Add(Reports.OneLine(outcome.Error ?? "the notebook did not run"));
                    break;
                }
                if (executed.Metadata[CellRunMetadata.Key]?[CellRunMetadata.RejectedChannelLines] is not null && !notes.Contains(ForgedNote))
                {
                    notes.Add(ForgedNote);
                }
                var fatal = executed.Cells.FirstOrDefault(CellOutcome.StoppedTheNotebook);
                if (fatal is null)
                {
                    if (executed.Cells.Where(c => c.IsCode).All(c => CellOutcome.Status(c) is null))
                    {
                        status = "error";
                        notes.Add(Reports.OneLine(outcome.Error ?? $"the notebook did not run (runner exit code {outcome.ExitCode})"));
                    }
                    break;
                }
                var id = fatal.Id ?? "";
                var why = CellOutcome.Category(fatal);
                var index = doc.Cells.FindIndex(c => c.Id == id);
                notes.Add($"{(index >= 0 ? doc.CellLabel(index) : "a cell")} {why}" + (attempt < options.Retries && index >= 0 ? "; re-ran without it" : ""));
                if (attempt == options.Retries || index < 0)
                {
                    break;
                }
                skipped[id] = why;
                // The cell is replaced, not removed, so its check (if it is one) still fails visibly in the feedback.
                doc.Cells[index].Source = SubmissionHardening.Skipped(why);
            }
        }

        var questions = master.Questions.Select(q => Score(q, assembled.CheckCellIds, executed, skipped))
            .Select(r => r.Message is null ? r : r with { Message = hardening.Redact(r.Message) }).ToList();
        if (executed is not null)
        {
            hardening.Release(executed, assembled.CheckCellIds);
            Directory.CreateDirectory(Path.Combine(outDir, "executed"));
            executed.Save(Path.Combine(outDir, "executed", name + ".ipynb"));
        }
        var result = new SubmissionResult(name, status, questions, notes.Select(hardening.Redact).ToList(), clock.Elapsed.TotalSeconds);
        Reports.WriteFeedback(outDir, master, result);
        return result;
    }

    internal static QuestionResult Score(Question q, IReadOnlyDictionary<string, string> checkIds, NotebookDocument? executed, Dictionary<string, string> skipped)
    {
        if (q.Manual)
        {
            return new QuestionResult(q, null, false, "graded by hand");
        }
        if (executed is null)
        {
            return new QuestionResult(q, 0, false, "the notebook could not be run");
        }
        var id = checkIds[q.Id];
        if (skipped.TryGetValue(id, out var why))
        {
            return new QuestionResult(q, 0, false, $"this check {why}, so it was skipped.");
        }
        var cell = executed.Cells.FirstOrDefault(c => c.Id == id);
        // Under the judge, a check cell's status is the judge's verdict (the runner never takes it from the learner's kernel).
        var status = cell is null ? null : CellOutcome.Status(cell);
        if (status == CellStatus.Ok)
        {
            return new QuestionResult(q, q.Points, true, null);
        }
        if (cell is null || status is null)
        {
            var stop = executed.Cells.FirstOrDefault(CellOutcome.StoppedTheNotebook);
            return new QuestionResult(q, 0, false, stop is null
                ? "not run: the notebook stopped before this check."
                : $"not run: the notebook stopped before this check because an earlier cell {CellOutcome.Category(stop)}.");
        }
        return new QuestionResult(q, 0, false, CellOutcome.Message(cell));
    }

    private const string ForgedNote = "the notebook wrote forged results on the runner's results channel; they were ignored";
}
