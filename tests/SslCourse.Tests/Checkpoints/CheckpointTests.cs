using SslCourse.Checkpoints;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ch02-ckpt").FullName;
    private static readonly GptConfig Small = new(VocabSize: 11, BlockSize: 8, Layers: 2, Heads: 2, Embed: 8);

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(SafeDType.F32, 0.0)]
    [InlineData(SafeDType.F16, 1e-3)]
    [InlineData(SafeDType.BF16, 1e-2)]
    public void SafeTensorsRoundTrips(SafeDType dtype, double tol)
    {
        var path = Path.Combine(_dir, $"t-{dtype}.safetensors");
        using var a = randn(3, 4);
        using var b = tensor(new float[] { 1f, -2.5f });
        SafeTensors.Write(path, new Dictionary<string, Tensor> { ["a"] = a, ["b.c"] = b }, dtype);
        var back = SafeTensors.Read(path);
        Assert.Equal(new long[] { 3, 4 }, back["a"].shape);
        Assert.True(back["a"].allclose(a, rtol: tol, atol: tol));
        Assert.Equal(new[] { 1f, -2.5f }, back["b.c"].data<float>().ToArray());
    }

    [Fact]
    public void Gpt2LayoutRoundTripsWithConv1DTransposed()
    {
        manual_seed(8);
        using var model = new Gpt(Small);
        var path = Path.Combine(_dir, "model.safetensors");
        // Write HF names with Conv1D (in, out) weights, as OpenAI's GPT-2 checkpoint does.
        var hf = model.named_parameters().ToDictionary(p => "transformer." + p.name,
            p => Gpt2Checkpoint.IsConv1D(p.name) ? p.parameter.t().contiguous() : (Tensor)p.parameter);
        Assert.Equal(new long[] { 8, 24 }, hf["transformer.h.0.attn.c_attn.weight"].shape);
        SafeTensors.Write(path, hf);
        // An 8-wide model is none of GPT-2's published sizes: its config.json says how many heads.
        File.WriteAllText(Path.Combine(_dir, "config.json"),
            "{\"n_layer\": 2, \"n_head\": 2, \"n_embd\": 8, \"n_positions\": 8, \"vocab_size\": 11, \"activation_function\": \"gelu_new\", \"layer_norm_epsilon\": 1e-05}");
        using var loaded = Gpt2Checkpoint.Load(path);
        Assert.Equal(Small with { TanhGelu = true }, loaded.Config);
        foreach (var ((n, p), (_, q)) in model.named_parameters().Zip(loaded.named_parameters()))
            Assert.True(p.allclose(q), n);
        Gpt2Checkpoint.Save(model, Path.Combine(_dir, "again.safetensors"));
        Assert.Equal(new long[] { 32, 8 }, SafeTensors.Read(Path.Combine(_dir, "again.safetensors"))["h.1.mlp.c_proj.weight"].shape);
    }

    [Fact]
    public void TruncatedFileIsRejectedNamingTheTensor()
    {
        using var model = new Gpt(Small);
        var path = Path.Combine(_dir, "cut.safetensors");
        Gpt2Checkpoint.Save(model, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]);
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.Load(path, Small));
        Assert.Contains("'wte.weight' is truncated", e.Message); // names sort: wte is last
    }

    [Fact]
    public void WrongShapeIsRejectedNamingTheTensor()
    {
        using var model = new Gpt(Small);
        var named = model.named_parameters().ToDictionary(p => p.name,
            p => Gpt2Checkpoint.IsConv1D(p.name) ? p.parameter.t() : (Tensor)p.parameter);
        Gpt2Checkpoint.Into(new Gpt(Small), named); // the HF layout loads
        named["h.1.mlp.c_fc.weight"] = zeros(32, 8); // Linear layout where Conv1D is expected
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.Into(new Gpt(Small), named));
        Assert.Contains("'h.1.mlp.c_fc.weight'", e.Message);
        named.Remove("h.1.mlp.c_fc.weight");
        Assert.Contains("'h.1.mlp.c_fc.weight' is missing", Assert.Throws<InvalidDataException>(() => Gpt2Checkpoint.Into(new Gpt(Small), named)).Message);
    }

    [Theory]
    [InlineData("{\"a\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", "tensor 'a' has dtype I64; the course reads only F32, F16, BF16")]
    [InlineData("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "tensor 'a' has no dtype")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "tensor 'a' has no shape")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", "tensor 'a' has data_offsets [4, 0]")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":\"1\",\"data_offsets\":[0,4]}}", "tensor 'a' has a malformed header entry")]
    [InlineData("{\"a\":", "the header is not valid JSON")]
    [InlineData("[1, 2]", "the header is not a JSON object")]
    public void MalformedHeaderIsRejectedNamingFileAndTensor(string json, string expected)
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        var header = System.Text.Encoding.UTF8.GetBytes(json);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[8]]);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }
}
