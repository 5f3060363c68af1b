using System.IO.Compression;

namespace SslCourse.Data;

/// <summary>
/// Reads LeCun's IDX format (MNIST, Fashion-MNIST): a 4-byte magic (0, 0, type 0x08 = unsigned byte, number of
/// dimensions), one big-endian int32 per dimension, then the bytes. Gzip-compressed (.gz) and plain files are
/// both accepted; anything malformed throws <see cref="InvalidDataException"/> naming the file and the problem,
/// so a bad download can never become a silently wrong tensor.
/// </summary>
public static class IdxFile
{
    /// <summary>The decoded content of one IDX file.</summary>
    /// <param name="Dims">Size of each dimension, e.g. [60000, 28, 28].</param>
    /// <param name="Data">The unsigned bytes, row-major.</param>
    /// <param name="Raw">The whole uncompressed file (header included), for checksums.</param>
    public sealed record Content(int[] Dims, byte[] Data, byte[] Raw);

    /// <summary>Reads and validates <paramref name="path"/>: rank <paramref name="expectedRank"/> and, when given, the trailing dimensions <paramref name="expectedTrailing"/>.</summary>
    /// <exception cref="InvalidDataException">Bad magic, wrong dimensions, or a size that does not match the header.</exception>
    public static Content Read(string path, int expectedRank, int[]? expectedTrailing = null)
    {
        return Parse(Gunzip(File.ReadAllBytes(path), path), path, expectedRank, expectedTrailing);
    }

    /// <summary><see cref="Decompress"/>, with a corrupt or truncated stream reported as an error naming <paramref name="name"/> (a path or URL).</summary>
    public static byte[] Gunzip(byte[] bytes, string name)
    {
        try { return Decompress(bytes); }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InvalidDataException($"{name}: the gzip stream is corrupt or truncated ({e.Message})", e);
        }
    }

    /// <summary>Gunzips when the bytes start with the gzip signature (1f 8b), else returns them unchanged.</summary>
    public static byte[] Decompress(byte[] bytes)
    {
        if (bytes.Length < 2 || bytes[0] != 0x1f || bytes[1] != 0x8b) return bytes;
        using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Validates an uncompressed IDX byte array; <paramref name="name"/> is used in error messages.</summary>
    public static Content Parse(byte[] raw, string name, int expectedRank, int[]? expectedTrailing = null)
    {
        if (raw.Length < 4) throw new InvalidDataException($"{name}: {raw.Length} bytes is too short for an IDX header");
        if (raw[0] != 0 || raw[1] != 0 || raw[2] != 0x08)
            throw new InvalidDataException($"{name}: bad magic {raw[0]:x2} {raw[1]:x2} {raw[2]:x2} {raw[3]:x2} (expected 00 00 08 0{expectedRank}: IDX unsigned bytes)");
        int rank = raw[3];
        if (rank != expectedRank)
            throw new InvalidDataException($"{name}: wrong dimensions: the header declares {rank}, expected {expectedRank}");
        int header = 4 + 4 * rank;
        if (raw.Length < header) throw new InvalidDataException($"{name}: truncated header ({raw.Length} bytes)");
        var dims = new int[rank];
        long count = 1;
        for (int i = 0; i < rank; i++)
        {
            int o = 4 + 4 * i;
            dims[i] = (raw[o] << 24) | (raw[o + 1] << 16) | (raw[o + 2] << 8) | raw[o + 3];
            if (dims[i] < 0) throw new InvalidDataException($"{name}: wrong dimensions: negative size {dims[i]}");
            count *= dims[i];
        }
        if (expectedTrailing is not null && !dims.Skip(1).SequenceEqual(expectedTrailing))
            throw new InvalidDataException($"{name}: wrong dimensions [{string.Join(", ", dims)}], expected [N, {string.Join(", ", expectedTrailing)}]");
        if (raw.Length != header + count)
            throw new InvalidDataException($"{name}: size mismatch: the header [{string.Join(", ", dims)}] needs {header + count} bytes, the file has {raw.Length} (truncated or corrupt)");
        return new Content(dims, raw.AsSpan(header).ToArray(), raw);
    }

    /// <summary>Encodes bytes as an IDX file (used by tests and to build tiny fixtures).</summary>
    public static byte[] Encode(int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        bytes[2] = 0x08;
        bytes[3] = (byte)dims.Length;
        for (int i = 0; i < dims.Length; i++)
        {
            int o = 4 + 4 * i;
            bytes[o] = (byte)(dims[i] >> 24); bytes[o + 1] = (byte)(dims[i] >> 16); bytes[o + 2] = (byte)(dims[i] >> 8); bytes[o + 3] = (byte)dims[i];
        }
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }
}
