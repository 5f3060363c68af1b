namespace SslCourse.Grading;

/// <summary>One public code cell of the master that the judge runs before any check (setup, parameters, helpers).</summary>
/// <param name="Source">The cell's code.</param>
/// <param name="IsParameters">True for the cell tagged <c>parameters</c> (the run's parameters are injected after it).</param>
public sealed record JudgeCell(string Source, bool IsParameters);

/// <summary>
/// What the judge needs for one run, built from the master alone: the master's public cells, one stub per learner
/// function (same signature, body calling <c>SslCourse.Grading.Judge.Call</c>), and the full source of every check
/// (hidden tests included) by the id of the cell that stands for it in the learner's notebook. It goes to the
/// judge, never into the learner's process.
/// </summary>
/// <param name="Directory">The master's folder (relative <c>#r</c> paths of the public cells resolve from here).</param>
/// <param name="Prelude">The master's public code cells, in order.</param>
/// <param name="Stubs">Declarations of the learner functions the checks may call.</param>
/// <param name="Checks">Check source by cell id.</param>
public sealed record JudgeSpec(string Directory, IReadOnlyList<JudgeCell> Prelude, string Stubs, IReadOnlyDictionary<string, string> Checks);
