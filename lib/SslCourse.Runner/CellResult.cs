using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Outcome of one cell.</summary>
public sealed class CellResult
{
    /// <summary>1-based position of the cell among all cells of the executed notebook.</summary>
    public int Index { get; set; }

    /// <summary>First line of the cell's source.</summary>
    public string FirstLine { get; set; } = "";

    /// <summary>What happened.</summary>
    public CellStatus Status { get; set; }

    /// <summary>Wall time of the cell in seconds.</summary>
    public double Seconds { get; set; }

    /// <summary>The error message for failed, timed-out or crashed cells.</summary>
    public string? Error { get; set; }

    /// <summary>True when the cell's output was cut at the output cap.</summary>
    public bool OutputTruncated { get; set; }

    /// <summary>Why the notebook's process stopped during this cell, when it did.</summary>
    public StopReason? Stop { get; set; }
}
