using System.Text.Json;
using System.Text.Json.Nodes;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>What nbgrader's cell metadata (<c>metadata.nbgrader</c>, schema 3) says about a cell.</summary>
internal sealed record CellGrading(bool Grade, bool Solution, bool Task, bool Locked, string? GradeId, double? Points)
{
    public static CellGrading? Of(NotebookCell cell)
    {
        if (cell.Metadata["nbgrader"] is not JsonObject m)
        {
            return null;
        }
        return new CellGrading(Flag(m, "grade"), Flag(m, "solution"), Flag(m, "task"), Flag(m, "locked"),
            m["grade_id"] is JsonValue id && id.TryGetValue<string>(out var s) && s.Trim().Length > 0 ? s.Trim() : null,
            m["points"] is JsonValue p && p.GetValueKind() == JsonValueKind.Number ? p.GetValue<double>() : null);
    }

    /// <summary>An autograded check cell: code, graded, not a solution.</summary>
    public static bool IsCheck(NotebookCell cell) => cell.IsCode && Of(cell) is { Grade: true, Solution: false };

    /// <summary>A manually graded cell or task (points given by a person).</summary>
    public bool IsManual(NotebookCell cell) => (Task || (Grade && Solution)) || (Grade && !cell.IsCode);

    private static bool Flag(JsonObject m, string key) => m[key] is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}
