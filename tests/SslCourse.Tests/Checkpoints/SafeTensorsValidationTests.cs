using System.Buffers.Binary;
using System.Text;
using SslCourse.Checkpoints;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.Checkpoints;

/// <summary>
/// Files the reference safetensors implementation refuses are refused here too, before any tensor is allocated,
/// with a message naming the file and the tensor; and GPT-2 checkpoints whose sizes cannot be known are refused.
/// </summary>
public sealed class SafeTensorsValidationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("safetensors-bad").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    // Two F32 tensors: a (2 floats, bytes 0..8) and b (1 float, bytes 8..12).
    private string Write(string name, string headerJson, int dataBytes, long? declaredHeaderLength = null, int padTo8 = 1)
    {
        var json = Encoding.UTF8.GetBytes(headerJson);
        var padded = padTo8 == 1 ? (json.Length + 7) / 8 * 8 : json.Length;
        var file = new byte[8 + padded + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)(declaredHeaderLength ?? padded));
        json.CopyTo(file, 8);
        for (int i = 8 + json.Length; i < 8 + padded; i++) file[i] = (byte)' ';
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, file);
        return path;
    }

    private const string Good = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    private void Refused(string path, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void A_well_formed_file_reads()
    {
        var path = Write("good.safetensors", Good, 12);
        var t = SafeTensors.Read(path);
        Assert.Equal(new long[] { 2 }, t["a"].shape);
        Assert.Equal(2, SafeTensors.ReadHeader(path).Count);
    }

    [Fact]
    public void A_header_length_one_byte_short_is_refused()
    {
        var json = Encoding.UTF8.GetBytes(Good);
        var padded = (json.Length + 7) / 8 * 8;
        Assert.True(padded > json.Length, "the fixture needs padding so the short header still parses as JSON");
        Refused(Write("short.safetensors", Good, 12, declaredHeaderLength: padded - 1), "the file has 13 after the header");
    }

    [Fact]
    public void A_header_length_one_byte_long_is_refused() =>
        Refused(Write("long.safetensors", Good, 12, declaredHeaderLength: (Encoding.UTF8.GetByteCount(Good) + 7) / 8 * 8 + 1), "");

    [Fact]
    public void A_gap_between_tensors_is_refused() =>
        Refused(Write("gap.safetensors", Good.Replace("[8,12]", "[12,16]"), 16), "tensor 'b' starts at byte 12 of the data, leaving a gap after byte 8");

    [Fact]
    public void Overlapping_tensors_are_refused() =>
        Refused(Write("overlap.safetensors", Good.Replace("[8,12]", "[4,8]").Replace("\"shape\":[2],\"data_offsets\":[0,8]", "\"shape\":[2],\"data_offsets\":[0,8]"), 8), "overlaps the tensor before it");

    [Fact]
    public void A_truncated_file_is_refused() =>
        Refused(Write("cut.safetensors", Good, 10), "tensor 'b' is truncated");

    [Fact]
    public void Trailing_bytes_are_refused() =>
        Refused(Write("trailing.safetensors", Good, 20), "the tensors cover 12 data bytes but the file has 20");

    [Fact]
    public void A_dtype_size_mismatch_is_refused() =>
        Refused(Write("size.safetensors", Good.Replace("\"shape\":[1]", "\"shape\":[2]"), 12), "tensor 'b' has 4 bytes but shape [2] F32 needs 8");

    [Fact]
    public void A_huge_header_length_is_refused_before_reading_it() =>
        Refused(Write("huge.safetensors", Good, 12, declaredHeaderLength: 1L << 40), "exceeds the 100,000,000-byte limit");

    [Fact]
    public void Gpt2_without_config_json_and_an_unpublished_width_is_refused_not_guessed()
    {
        using var model = new Gpt(new GptConfig(VocabSize: 11, BlockSize: 8, Layers: 1, Heads: 2, Embed: 8, TanhGelu: true));
        var path = Path.Combine(_dir, "model.safetensors");
        Gpt2Checkpoint.Save(model, path);
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.Load(path));
        Assert.Contains("width 8", e.Message);
        Assert.Contains("config.json", e.Message);
        // With the sizes given, it loads.
        using var loaded = Gpt2Checkpoint.Load(path, model.Config);
        Assert.Equal(2, loaded.Config.Heads);
    }

    [Fact]
    public void A_transposed_embedding_is_refused_before_allocating_the_model()
    {
        using var scope = NewDisposeScope();
        using var model = new Gpt(new GptConfig(VocabSize: 11, BlockSize: 8, Layers: 1, Heads: 2, Embed: 8, TanhGelu: true));
        var named = model.named_parameters().ToDictionary(p => p.name, p => Gpt2Checkpoint.IsConv1D(p.name) ? p.parameter.t().contiguous() : (Tensor)p.parameter);
        named["wte.weight"] = named["wte.weight"].t().contiguous();
        var path = Path.Combine(_dir, "transposed.safetensors");
        SafeTensors.Write(path, named);
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.Load(path, model.Config));
        Assert.Contains("tensor 'wte.weight' has shape [8, 11], the config needs [11, 8] (transposed?)", e.Message);
    }
}
