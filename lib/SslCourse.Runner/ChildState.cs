using System.Text.Json;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>What the child process reports to its parent, rewritten atomically after every cell.</summary>
internal sealed class ChildState
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>starting, running, done or exited (Environment.Exit inside a cell).</summary>
    public string Phase { get; set; } = "starting";

    /// <summary>0-based index of the cell being run, or null between cells.</summary>
    public int? CurrentCell { get; set; }

    /// <summary>When the current cell started (UTC).</summary>
    public DateTime? CurrentCellStartedUtc { get; set; }

    /// <summary>Seconds the kernel took to start.</summary>
    public double KernelStartSeconds { get; set; }

    /// <summary>Results of the cells run so far.</summary>
    public List<CellResult> Cells { get; set; } = [];

    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    public static ChildState? TryLoad(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<ChildState>(File.ReadAllText(path), Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
