using SslCourse.Notebooks;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace SslCourse.Runner;

/// <summary>
/// What the parent learned from the child's results channel, recorded the moment each verified message arrived.
/// This, not anything the child leaves behind, is the notebook's outcome.
/// </summary>
internal sealed class LiveResults
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _currentStarted;

    /// <summary>Where the child is; <see cref="RunPhase.Exited"/> means Environment.Exit inside a cell.</summary>
    public RunPhase Phase { get; private set; } = RunPhase.Starting;

    public double? KernelStartSeconds { get; private set; }

    /// <summary>0-based index of the cell being run, or null between cells.</summary>
    public int? CurrentCell { get; private set; }

    /// <summary>Seconds the current cell has run, by the parent's clock.</summary>
    public double CurrentCellSeconds => _clock.Elapsed.TotalSeconds - _currentStarted;

    /// <summary>Completed cells in order: result, outputs, execution count.</summary>
    public List<(int Index, CellResult Result, JsonArray Outputs, int Count)> Cells { get; } = [];

    /// <summary>Execution count of each started cell.</summary>
    public Dictionary<int, int> Counts { get; } = [];

    /// <summary>Outputs of the cell that ended the process (Environment.Exit), if any.</summary>
    public JsonArray? ExitedOutputs { get; private set; }

    /// <summary>Lines that looked like channel messages but failed verification (forged, replayed, corrupted).</summary>
    public int Rejected { get; private set; }

    /// <summary>
    /// The child's unsigned exit report: kept only as the outputs of the cell that was running (which is marked
    /// crashed anyway), and only once. Notebook code could forge it; it can change no verdict.
    /// </summary>
    public void AcceptExitReport(string json)
    {
        lock (_gate)
        {
            try
            {
                if (ExitedOutputs is null && JsonNode.Parse(json) is JsonObject m && (int?)m["i"] is { } i && i == CurrentCell && m["outputs"] is JsonArray outputs)
                {
                    ExitedOutputs = outputs;
                    Phase = Phase == RunPhase.Done ? Phase : RunPhase.Exited;
                }
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                Rejected++;
            }
        }
    }

    public void Accept(JsonObject? m, Func<int, string> firstLine)
    {
        lock (_gate)
        {
            if (m is null)
            {
                Rejected++;
                return;
            }
            var i = (int?)m["i"];
            switch ((string?)m["k"])
            {
                case ChannelKind.Started:
                    KernelStartSeconds = (double?)m["kernel"];
                    Phase = RunPhase.Running;
                    break;
                case ChannelKind.Begin when i is { } b:
                    CurrentCell = b;
                    Counts[b] = (int?)m["n"] ?? 0;
                    _currentStarted = _clock.Elapsed.TotalSeconds;
                    break;
                case ChannelKind.Cell when i is { } c && Enum.TryParse<CellStatus>((string?)m["status"], out var status):
                    Cells.Add((c, new CellResult
                    {
                        Index = c + 1,
                        FirstLine = firstLine(c),
                        Status = status,
                        Seconds = (double?)m["seconds"] ?? 0,
                        Error = (string?)m["error"],
                        OutputTruncated = (bool?)m["truncated"] ?? false,
                    }, m["outputs"] as JsonArray ?? [], (int?)m["n"] ?? 0));
                    CurrentCell = null;
                    break;
                case ChannelKind.Done:
                    Phase = RunPhase.Done;
                    break;
                default:
                    Rejected++;
                    break;
            }
        }
    }
}
