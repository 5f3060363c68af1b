using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SslCourse.Grading;

/// <summary>Tensors on the judge's wire: dtype, shape and the raw little-endian bytes of a contiguous CPU copy, size-checked both ways.</summary>
internal static class WireTensors
{
    public static JsonObject Encode(Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        if (cpu.NumberOfElements * cpu.ElementSize > JudgeWire.MaxTensorBytes)
        {
            throw new JudgeValueException($"a tensor of shape [{string.Join(", ", cpu.shape)}] is larger than the grader accepts ({JudgeWire.MaxTensorBytes / (1024 * 1024)} MB)");
        }
        return new JsonObject
        {
            ["t"] = "tensor",
            ["dtype"] = cpu.dtype.ToString(),
            ["shape"] = new JsonArray(cpu.shape.Select(d => (JsonNode?)d).ToArray()),
            ["data"] = Convert.ToBase64String(cpu.bytes.ToArray()),
        };
    }

    public static Tensor Decode(JsonObject data)
    {
        if (!Enum.TryParse<ScalarType>(JudgeWire.Text(data["dtype"]), out var dtype) || !Enum.IsDefined(dtype))
        {
            throw JudgeWire.Bad($"unknown dtype '{JudgeWire.Text(data["dtype"])}'");
        }
        var shape = (data["shape"] as JsonArray ?? throw JudgeWire.Bad("a tensor without a shape")).Select(d => d?.GetValue<long>() ?? -1).ToArray();
        var bytes = JudgeWire.Base64(data["data"]);
        using var probe = empty([0], dtype);
        var elements = shape.Aggregate(1.0, (n, d) => d < 0 ? double.NaN : n * d);
        if (double.IsNaN(elements) || shape.Length > 16 || elements * probe.ElementSize != bytes.Length || bytes.Length > JudgeWire.MaxTensorBytes)
        {
            throw JudgeWire.Bad($"a tensor of shape [{string.Join(", ", shape)}] and dtype {dtype} with {bytes.Length} bytes");
        }
        var t = empty(shape, dtype);
        if (bytes.Length > 0)
        {
            t.bytes = bytes;
        }
        return t;
    }
}
