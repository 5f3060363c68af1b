using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace SslCourse.Checkpoints;

/// <summary>What a shipped encoder's figures were, measured right after training on the full test set.</summary>
/// <param name="ProbeAll">Linear-probe accuracy with all training labels, on every test image.</param>
/// <param name="Probe10Mean">Linear-probe accuracy with 10 labels per class: mean over <paramref name="Draws"/> stratified draws.</param>
/// <param name="Probe10Sd">Standard deviation of those draws (sample, n − 1).</param>
/// <param name="Draws">Label draws at 10 per class.</param>
/// <param name="ProbeCheck">The cheap figure a test re-measures: a linear probe on the first <paramref name="CheckTrain"/> training images, scored on the first <paramref name="CheckTest"/> test images.</param>
/// <param name="CheckTrain">Training images of the cheap figure.</param>
/// <param name="CheckTest">Test images of the cheap figure.</param>
public sealed record PretrainedFigures(double ProbeAll, double Probe10Mean, double Probe10Sd, int Draws, double ProbeCheck, int CheckTrain, int CheckTest);

/// <summary>
/// The manifest beside a shipped weights file (<c>data/pretrained/NAME-seedS.json</c>): how the weights were made
/// (recipe, configs, seed, data, library commit, time, hardware), what they are (hash, size, every tensor's shape)
/// and what they reached. <see cref="Pretrained.Verify"/> checks a file against it.
/// </summary>
public sealed record PretrainedManifest(
    int FormatVersion,
    string Name,
    string Method,
    string Recipe,
    string Dataset,
    long TrainImages,
    long TestImages,
    int Seed,
    string Profile,
    JsonNode? Config,
    JsonNode Architecture,
    string LibraryCommit,
    double TrainingSeconds,
    string Hardware,
    string Created,
    string WeightsFile,
    string Sha256,
    long Bytes,
    SortedDictionary<string, long[]> Shapes,
    PretrainedFigures Figures,
    double? FirstLoss,
    double? LastLoss)
{
    /// <summary>The manifest format this code writes and reads.</summary>
    public const int CurrentFormat = 1;

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        IncludeFields = true,                 // configs hold (Min, Max) tuples
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>A config record as the manifest stores it.</summary>
    public static JsonNode? ConfigNode(object? config) => config is null ? null : JsonSerializer.SerializeToNode(config, config.GetType(), Json);

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="InvalidDataException">The file is not a manifest of this format (the message names it).</exception>
    public static PretrainedManifest Read(string path)
    {
        try
        {
            var m = JsonSerializer.Deserialize<PretrainedManifest>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
            if (m.FormatVersion != CurrentFormat) throw new JsonException($"format {m.FormatVersion}, expected {CurrentFormat}");
            return m;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a pretrained-weights manifest ({e.Message})", e);
        }
    }

    /// <summary>The manifest as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
