using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>
/// Puts the judge's verdicts into the executed notebook: a check cell's status, error and outputs are the judge's,
/// followed by whatever the learner's functions printed while the judge called them. A check cell the learner's kernel
/// ran "ok" without ever asking to be judged (kernel middleware that skipped the probe, say) failed; one that stopped
/// the notebook (timeout, crash) keeps the child's record, so the grader can re-run without it.
/// </summary>
internal static class JudgeMerge
{
    public static void Apply(NotebookDocument executed, IReadOnlyList<CellResult> cells, JudgeSession judge)
    {
        foreach (var id in judge.CheckCells)
        {
            var index = executed.Cells.FindIndex(c => c.Id == id);
            var result = cells.LastOrDefault(r => r.Index == index + 1);
            if (index < 0 || result is null || result.Status is CellStatus.Timeout or CellStatus.Crashed)
            {
                continue;
            }
            var cell = executed.Cells[index];
            if (judge.TryGetVerdict(id, out var verdict))
            {
                var outputs = (JsonArray)verdict.Outputs.DeepClone();
                foreach (var printed in cell.Outputs)
                {
                    outputs.Add(printed?.DeepClone());
                }
                cell.Outputs = outputs;
                // A judge that ran out of time did not stop the learner's kernel: the check fails, the notebook goes on.
                result.Status = verdict.Status == CellStatus.Ok ? CellStatus.Ok : CellStatus.Failed;
                result.Error = verdict.Error;
            }
            else if (result.Status == CellStatus.Ok)
            {
                const string why = "the check was not judged: the notebook's kernel ran this cell without handing its functions to the grader";
                cell.Outputs.Add(new JsonObject { ["output_type"] = "error", ["ename"] = "NotJudged", ["evalue"] = why, ["traceback"] = new JsonArray(why) });
                result.Status = CellStatus.Failed;
                result.Error = why;
            }
            cell.Metadata[CellRunMetadata.Key] = ChildSession.CellMetadata(result);
        }
    }
}
