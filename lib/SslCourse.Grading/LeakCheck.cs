using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// Verifies a released notebook: no solution or hidden-test line of the master appears in it. Lines are compared
/// trimmed, anywhere in any cell's source or output. Exempt: trivial lines (see <see cref="Regions.IsTrivial"/>),
/// <c>// STUB:</c> lines (released on purpose) and lines that also appear outside every region of the master
/// (they are public anyway, e.g. a <c>return loss;</c> shown elsewhere).
/// </summary>
internal static class LeakCheck
{
    /// <summary>A one-line description of the first leak, or null when clean.</summary>
    public static string? Find(MasterNotebook master, NotebookDocument released)
    {
        var secret = new List<(string Line, int Cell, LineKind Kind)>();
        var publicLines = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < master.Doc.Cells.Count; i++)
        {
            foreach (var line in Regions.Parse(master.Doc.Cells[i].Source))
            {
                if (line.Kind == LineKind.Public)
                {
                    publicLines.Add(line.Text);
                }
                else if (line.Kind is LineKind.Solution or LineKind.Hidden && !Regions.IsTrivial(line.Text))
                {
                    secret.Add((line.Text, i, line.Kind));
                }
            }
        }
        var shown = new HashSet<string>(StringComparer.Ordinal);
        foreach (var cell in released.Cells)
        {
            foreach (var raw in cell.Source.Split('\n'))
            {
                shown.Add(raw.Trim());
            }
            foreach (var raw in cell.Outputs.ToJsonString().Split("\\n"))
            {
                shown.Add(raw.Trim());
            }
        }
        foreach (var (line, cell, kind) in secret)
        {
            if (!publicLines.Contains(line) && shown.Contains(line))
            {
                var what = kind == LineKind.Solution ? "solution" : "hidden-test";
                return $"leak: {what} line '{line}' of {master.Doc.CellLabel(cell)} appears in the released notebook";
            }
        }
        return null;
    }
}
