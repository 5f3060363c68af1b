using System.Text.Json;

namespace SslCourse.Training;

/// <summary>Saves a <see cref="History"/> as JSON beside a checkpoint and reads it back.</summary>
public static class HistoryJson
{
    private sealed record Dto(List<int> Steps, List<double> Loss, Dictionary<string, List<double[]>> Metrics, double Seconds, double Throughput);

    /// <summary>The history as JSON.</summary>
    public static string Write(History h) => JsonSerializer.Serialize(new Dto(h.Steps, h.Loss,
        h.Metrics.ToDictionary(kv => kv.Key, kv => kv.Value.Select(p => new[] { p.Step, p.Value }).ToList()), h.Seconds, h.Throughput));

    /// <summary>Reads what <see cref="Write"/> wrote.</summary>
    /// <exception cref="JsonException">The text is not such a history.</exception>
    public static History Read(string json)
    {
        var dto = JsonSerializer.Deserialize<Dto>(json) ?? throw new JsonException("empty history");
        var h = new History { Seconds = dto.Seconds, Throughput = dto.Throughput };
        h.Steps.AddRange(dto.Steps);
        h.Loss.AddRange(dto.Loss);
        foreach (var (name, points) in dto.Metrics) foreach (var p in points) h.Add(name, (int)p[0], p[1]);
        return h;
    }
}
