using System.Text.Json;
using System.Text.Json.Nodes;
using SslCourse.Models;

namespace SslCourse.Checkpoints;

/// <summary>
/// The sizes of a GPT-2 checkpoint (Radford et al., 2019): read from Hugging Face's <c>config.json</c>, or taken
/// from GPT-2's four published sizes by width, and the tensor shapes they imply in Hugging Face's layout, where
/// the Conv1D weights are stored (in, out).
/// </summary>
public static class Gpt2Config
{
    /// <summary>GPT-2's published widths and their head counts (124M, 355M, 774M, 1.5B): heads are 64 wide.</summary>
    public static IReadOnlyDictionary<int, int> PublishedHeads { get; } = new Dictionary<int, int> { [768] = 12, [1024] = 16, [1280] = 20, [1600] = 25 };

    /// <summary>The LayerNorm epsilon of the course's GPT (and of GPT-2).</summary>
    public const double LayerNormEpsilon = 1e-5;

    /// <summary>Reads n_layer, n_head, n_embd, n_positions, vocab_size, activation_function and layer_norm_epsilon.</summary>
    public static GptConfig Read(string configJson)
    {
        JsonObject json;
        try { json = JsonNode.Parse(File.ReadAllText(configJson)) as JsonObject ?? throw new InvalidDataException($"{configJson}: not a JSON object"); }
        catch (JsonException e) { throw new InvalidDataException($"{configJson}: not valid JSON ({e.Message})", e); }
        int Int(string key, string? alt = null)
        {
            var node = json[key] ?? (alt is null ? null : json[alt]);
            try { return node?.GetValue<int>() ?? throw new InvalidDataException($"{configJson}: '{key}' is missing"); }
            catch (Exception e) when (e is InvalidOperationException or FormatException) { throw new InvalidDataException($"{configJson}: '{key}' is not an integer ({node})", e); }
        }
        var activation = (string?)json["activation_function"] ?? "gelu_new";
        bool tanh = activation switch
        {
            "gelu_new" or "gelu_pytorch_tanh" => true,
            "gelu" => false,
            _ => throw new InvalidDataException($"{configJson}: activation_function '{activation}' is not supported (gelu_new, gelu_pytorch_tanh or gelu)"),
        };
        var eps = json["layer_norm_epsilon"]?.GetValue<double>() ?? LayerNormEpsilon;
        if (Math.Abs(eps - LayerNormEpsilon) > 1e-12)
            throw new InvalidDataException($"{configJson}: layer_norm_epsilon {eps} differs from the {LayerNormEpsilon} the course's LayerNorm uses");
        var (embed, heads) = (Int("n_embd"), Int("n_head"));
        if (heads <= 0 || embed % heads != 0) throw new InvalidDataException($"{configJson}: n_head {heads} does not divide n_embd {embed}");
        return new GptConfig(Int("vocab_size"), Int("n_positions", "n_ctx"), Int("n_layer"), heads, embed, Dropout: 0.0, Bias: true, TanhGelu: tanh);
    }

    /// <summary>Sizes for a checkpoint without config.json: GPT-2's published sizes, chosen by the embedding's width.</summary>
    public static GptConfig FromPublishedWidth(string file, IReadOnlyDictionary<string, SafeTensorInfo> stored)
    {
        SafeTensorInfo Need(string n) => stored.TryGetValue(n, out var e) ? e : throw new InvalidDataException($"{file}: tensor '{n}' is missing");
        var (wte, wpe) = (Need("wte.weight"), Need("wpe.weight"));
        if (wte.Shape.Length != 2 || wpe.Shape.Length != 2)
            throw new InvalidDataException($"{file}: tensor '{wte.Name}' has shape [{string.Join(", ", wte.Shape)}], expected [vocabulary, width]");
        var width = (int)wte.Shape[1];
        if (!PublishedHeads.TryGetValue(width, out var heads))
            throw new InvalidDataException($"{file}: width {width} (from '{wte.Name}' [{string.Join(", ", wte.Shape)}]) is not one of GPT-2's published sizes " +
                $"({string.Join(", ", PublishedHeads.Keys)}); put the model's config.json beside the file or pass a GptConfig, so the number of heads is not guessed");
        var layers = stored.Keys.Where(k => k.StartsWith("h.", StringComparison.Ordinal)).Select(k => int.Parse(k.Split('.')[1])).DefaultIfEmpty(-1).Max() + 1;
        return new GptConfig((int)wte.Shape[0], (int)wpe.Shape[0], layers, heads, width, Dropout: 0.0, Bias: true, TanhGelu: true);
    }

    /// <summary>Every tensor GPT-2's Hugging Face layout holds for <paramref name="c"/>, with its stored shape.</summary>
    public static Dictionary<string, long[]> ExpectedShapes(GptConfig c)
    {
        long v = c.VocabSize, t = c.BlockSize, e = c.Embed;
        var shapes = new Dictionary<string, long[]> { ["wte.weight"] = [v, e], ["wpe.weight"] = [t, e], ["ln_f.weight"] = [e], ["ln_f.bias"] = [e] };
        for (int i = 0; i < c.Layers; i++)
        {
            foreach (var ln in new[] { "ln_1", "ln_2" }) { shapes[$"h.{i}.{ln}.weight"] = [e]; shapes[$"h.{i}.{ln}.bias"] = [e]; }
            shapes[$"h.{i}.attn.c_attn.weight"] = [e, 3 * e];
            shapes[$"h.{i}.attn.c_attn.bias"] = [3 * e];
            shapes[$"h.{i}.attn.c_proj.weight"] = [e, e];
            shapes[$"h.{i}.attn.c_proj.bias"] = [e];
            shapes[$"h.{i}.mlp.c_fc.weight"] = [e, 4 * e];
            shapes[$"h.{i}.mlp.c_fc.bias"] = [4 * e];
            shapes[$"h.{i}.mlp.c_proj.weight"] = [4 * e, e];
            shapes[$"h.{i}.mlp.c_proj.bias"] = [e];
        }
        return shapes;
    }

    /// <summary>
    /// Refuses a checkpoint whose tensors do not have exactly the shapes <paramref name="c"/> implies (a transposed or
    /// oversized embedding, a missing layer, an unknown tensor), before anything is allocated. Names are the file's own.
    /// </summary>
    public static void CheckShapes(string file, GptConfig c, IReadOnlyDictionary<string, SafeTensorInfo> stored)
    {
        var expected = ExpectedShapes(c);
        foreach (var (name, shape) in expected)
        {
            if (!stored.TryGetValue(name, out var e)) throw new InvalidDataException($"{file}: tensor '{name}' is missing (the config has {c.Layers} layers, width {c.Embed})");
            if (!e.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"{file}: tensor '{e.Name}' has shape [{string.Join(", ", e.Shape)}], the config needs [{string.Join(", ", shape)}]" +
                    (e.Shape.Reverse().SequenceEqual(shape) ? " (transposed?)" : ""));
        }
        foreach (var (name, e) in stored)
        {
            if (expected.ContainsKey(name)) continue;
            // Buffers and the tied output layer some exports add; checked, not loaded.
            long[]? extra = name == "lm_head.weight" ? [c.VocabSize, c.Embed]
                : name.EndsWith(".attn.bias", StringComparison.Ordinal) || name.EndsWith(".attn.masked_bias", StringComparison.Ordinal) ? e.Shape : null;
            if (extra is null) throw new InvalidDataException($"{file}: tensor '{e.Name}' is not part of GPT-2's layout for {c.Layers} layers");
            if (!e.Shape.SequenceEqual(extra)) throw new InvalidDataException($"{file}: tensor '{e.Name}' has shape [{string.Join(", ", e.Shape)}], the config needs [{string.Join(", ", extra)}]");
        }
    }
}
