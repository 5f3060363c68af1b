using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace SslCourse.Checkpoints;

/// <summary>Element types the course reads and writes.</summary>
public enum SafeDType
{
    /// <summary>IEEE float32.</summary>
    F32,
    /// <summary>IEEE float16.</summary>
    F16,
    /// <summary>bfloat16 (the top 16 bits of a float32).</summary>
    BF16,
}

/// <summary>One tensor's header entry: name, element type, shape and where its bytes lie in the data section.</summary>
/// <param name="Name">The name as stored in the file.</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">First byte, relative to the data section.</param>
/// <param name="End">One past the last byte, relative to the data section.</param>
public sealed record SafeTensorInfo(string Name, SafeDType DType, long[] Shape, long Begin, long End);

/// <summary>
/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then raw little-endian data. Read tensors come back as float32 on the CPU.
/// Validated as the reference implementation does: the tensors' byte ranges must tile the data section exactly,
/// from 0 to the end of the file, without gaps or overlaps, so a header one byte short or long cannot shift the data.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header accepted (the reference implementation's limit is 100 MB too).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads and validates the header of <paramref name="path"/> without reading any tensor data.</summary>
    /// <exception cref="InvalidDataException">The file is not valid safetensors; the message names the file and tensor.</exception>
    public static IReadOnlyList<SafeTensorInfo> ReadHeader(string path)
    {
        using var fs = File.OpenRead(path);
        return ReadHeader(path, fs).Entries;
    }

    /// <summary>Reads every tensor of <paramref name="path"/>; a truncated or inconsistent file throws naming the tensor.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var fs = File.OpenRead(path);
        // Every entry is checked before any data is read, so a bad entry leaves no tensors allocated.
        var (dataStart, entries) = ReadHeader(path, fs);
        var result = new Dictionary<string, Tensor>();
        foreach (var e in entries)
        {
            var raw = new byte[e.End - e.Begin];
            fs.Position = dataStart + e.Begin;
            fs.ReadExactly(raw);
            result[e.Name] = tensor(ToFloats(raw, e.DType), e.Shape);
        }
        return result;
    }

    private static (long DataStart, List<SafeTensorInfo> Entries) ReadHeader(string path, FileStream fs)
    {
        var lenBytes = new byte[8];
        if (fs.ReadAtLeast(lenBytes, 8, throwOnEndOfStream: false) != 8) throw new InvalidDataException($"{path}: shorter than the 8-byte header length");
        var headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen > MaxHeaderBytes) throw new InvalidDataException($"{path}: header length {headerLen} exceeds the {MaxHeaderBytes:N0}-byte limit");
        if (headerLen > (ulong)(fs.Length - 8)) throw new InvalidDataException($"{path}: header length {headerLen} exceeds the file ({fs.Length} bytes)");
        var headerBytes = new byte[headerLen];
        fs.ReadExactly(headerBytes);
        var header = ParseHeader(path, headerBytes);
        var dataStart = 8 + (long)headerLen;
        var entries = new List<SafeTensorInfo>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__") continue;
            var (dtype, shape, offsets) = Entry(path, name, node);
            var count = shape.Aggregate(1L, (a, b) => checked(a * b));
            var size = dtype == SafeDType.F32 ? 4 : 2;
            if (offsets[1] - offsets[0] != count * size)
                throw new InvalidDataException($"{path}: tensor '{name}' has {offsets[1] - offsets[0]} bytes but shape [{string.Join(", ", shape)}] {dtype} needs {count * size}");
            entries.Add(new SafeTensorInfo(name, dtype, shape, offsets[0], offsets[1]));
        }
        // The byte ranges, in order, must start at 0, follow each other without a gap or overlap, and end at the file's end.
        long expected = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < expected)
                throw new InvalidDataException($"{path}: tensor '{e.Name}' (bytes {e.Begin}..{e.End}) overlaps the tensor before it, which ends at {expected}");
            if (e.Begin > expected)
                throw new InvalidDataException($"{path}: tensor '{e.Name}' starts at byte {e.Begin} of the data, leaving a gap after byte {expected}");
            expected = e.End;
        }
        var dataBytes = fs.Length - dataStart;
        if (expected > dataBytes)
        {
            var last = entries.MaxBy(e => e.End)!;
            throw new InvalidDataException($"{path}: tensor '{last.Name}' is truncated: needs data bytes up to {expected}, the file has {dataBytes} after the header");
        }
        if (expected < dataBytes)
            throw new InvalidDataException($"{path}: the tensors cover {expected} data bytes but the file has {dataBytes} after the header (a wrong header length, or trailing bytes)");
        return (dataStart, entries);
    }

    /// <summary>Writes <paramref name="tensors"/> (any float dtype, any device) as <paramref name="dtype"/>, names sorted.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors, SafeDType dtype = SafeDType.F32)
    {
        var header = new JsonObject();
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, t) in tensors.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            using var f = t.detach().to(ScalarType.Float32).cpu().contiguous();
            var bytes = FromFloats(f.data<float>().ToArray(), dtype);
            header[name] = new JsonObject
            {
                ["dtype"] = dtype.ToString(),
                ["shape"] = new JsonArray(t.shape.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
                ["data_offsets"] = new JsonArray(JsonValue.Create(offset), JsonValue.Create(offset + bytes.Length)),
            };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        var padded = (json.Length + 7) / 8 * 8; // the format pads the header with spaces to 8 bytes
        var file = new byte[8 + padded + offset];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        json.CopyTo(file, 8);
        for (int i = 8 + json.Length; i < 8 + padded; i++) file[i] = (byte)' ';
        long at = 8 + padded;
        foreach (var b in blobs) { b.CopyTo(file, at); at += b.Length; }
        Runtime.AtomicFile.WriteAllBytes(path, file);
    }

    private static JsonObject ParseHeader(string path, byte[] headerBytes)
    {
        try
        {
            return JsonNode.Parse(headerBytes) as JsonObject ?? throw new InvalidDataException($"{path}: the header is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: the header is not valid JSON ({e.Message})", e);
        }
    }

    // One header entry: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}; anything else is named, not thrown bare.
    private static (SafeDType DType, long[] Shape, long[] Offsets) Entry(string path, string name, JsonNode? node)
    {
        try
        {
            var dtypeName = node?["dtype"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: tensor '{name}' has no dtype");
            if (!Enum.GetNames<SafeDType>().Contains(dtypeName))
                throw new InvalidDataException($"{path}: tensor '{name}' has dtype {dtypeName}; the course reads only {string.Join(", ", Enum.GetNames<SafeDType>())}");
            long[] Longs(string key) => node[key]?.AsArray().Select(v => v?.GetValue<long>() ?? throw new InvalidDataException($"{path}: tensor '{name}' has null in its {key}")).ToArray()
                                        ?? throw new InvalidDataException($"{path}: tensor '{name}' has no {key}");
            var (shape, offsets) = (Longs("shape"), Longs("data_offsets"));
            if (shape.Any(d => d < 0)) throw new InvalidDataException($"{path}: tensor '{name}' has a negative dimension in [{string.Join(", ", shape)}]");
            if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] < offsets[0])
                throw new InvalidDataException($"{path}: tensor '{name}' has data_offsets [{string.Join(", ", offsets)}], expected [begin, end] with 0 ≤ begin ≤ end");
            return (Enum.Parse<SafeDType>(dtypeName), shape, offsets);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: tensor '{name}' has a malformed header entry ({e.Message})", e);
        }
    }

    private static float[] ToFloats(byte[] raw, SafeDType dtype)
    {
        switch (dtype)
        {
            case SafeDType.F32:
                return MemoryMarshal.Cast<byte, float>(raw).ToArray(); // x86/ARM hosts are little-endian
            case SafeDType.F16:
                return MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(h => (float)h).ToArray();
            default:
                var u = MemoryMarshal.Cast<byte, ushort>(raw);
                var f = new float[u.Length];
                for (int i = 0; i < u.Length; i++) f[i] = BitConverter.Int32BitsToSingle(u[i] << 16);
                return f;
        }
    }

    private static byte[] FromFloats(float[] values, SafeDType dtype) => dtype switch
    {
        SafeDType.F32 => MemoryMarshal.AsBytes(values.AsSpan()).ToArray(),
        SafeDType.F16 => MemoryMarshal.AsBytes(values.Select(v => (Half)v).ToArray().AsSpan()).ToArray(),
        _ => MemoryMarshal.AsBytes(values.Select(v => (ushort)(BitConverter.SingleToInt32Bits(v) >>> 16)).ToArray().AsSpan()).ToArray(),
    };
}
