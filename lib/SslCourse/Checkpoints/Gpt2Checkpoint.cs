using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Checkpoints;

/// <summary>
/// Loads OpenAI's GPT-2 weights in Hugging Face's <c>model.safetensors</c> layout into <see cref="Gpt"/>. The names
/// match nanoGPT's (wte, wpe, h.N.ln_1, h.N.attn.c_attn, …, ln_f); GPT-2's Conv1D layers store weights as
/// (in, out), so those are transposed into Linear's (out, in).
/// </summary>
public static class Gpt2Checkpoint
{
    /// <summary>Hugging Face hub address of GPT-2 124M's weights (548 MB).</summary>
    public const string Url = "https://huggingface.co/openai-community/gpt2/resolve/main/model.safetensors";

    /// <summary>Where the download is kept, relative to the course's data folder.</summary>
    public const string LocalPath = "gpt2/model.safetensors";

    private static readonly string[] Conv1D = ["attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"];

    /// <summary>True for weights GPT-2 stores transposed.</summary>
    public static bool IsConv1D(string name) => Conv1D.Any(name.EndsWith);

    /// <summary>Reads <paramref name="path"/> and builds a GPT with the shapes it implies.</summary>
    public static Gpt Load(string path)
    {
        var tensors = SafeTensors.Read(path);
        try
        {
            var named = tensors.ToDictionary(p => p.Key.StartsWith("transformer.") ? p.Key["transformer.".Length..] : p.Key, p => p.Value);
            Tensor Need(string n) => named.TryGetValue(n, out var t) ? t : throw new InvalidDataException($"{path}: tensor '{n}' is missing");
            var wte = Need("wte.weight");
            var wpe = Need("wpe.weight");
            var layers = named.Keys.Where(k => k.StartsWith("h.")).Select(k => int.Parse(k.Split('.')[1])).DefaultIfEmpty(-1).Max() + 1;
            var embed = (int)wte.shape[1];
            var heads = embed % 64 == 0 ? embed / 64 : 1; // GPT-2 uses 64-wide heads
            var config = new GptConfig((int)wte.shape[0], (int)wpe.shape[0], layers, heads, embed, 0.0, Bias: true, TanhGelu: true);
            var model = new Gpt(config);
            Into(model, named, path);
            return model;
        }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    /// <summary>Copies HF-named tensors into <paramref name="model"/>; a missing tensor or wrong shape throws naming it.</summary>
    public static void Into(Gpt model, IReadOnlyDictionary<string, Tensor> named, string source = "checkpoint")
    {
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (!named.TryGetValue(name, out var t)) throw new InvalidDataException($"{source}: tensor '{name}' is missing");
            var src = IsConv1D(name) ? t.t() : t;
            if (!src.shape.SequenceEqual(p.shape))
                throw new InvalidDataException($"{source}: tensor '{name}' has shape [{string.Join(", ", t.shape)}], the model needs " +
                    $"[{string.Join(", ", IsConv1D(name) ? p.shape.Reverse() : p.shape)}]");
            p.copy_(src);
        }
    }

    /// <summary>Writes <paramref name="model"/> in GPT-2's Hugging Face layout (Conv1D weights transposed).</summary>
    public static void Save(Gpt model, string path, SafeDType dtype = SafeDType.F32)
    {
        using var scope = NewDisposeScope();
        var dict = model.named_parameters().ToDictionary(p => p.name, p => IsConv1D(p.name) ? p.parameter.t() : (Tensor)p.parameter);
        SafeTensors.Write(path, dict, dtype);
    }

    /// <summary>The local copy under <paramref name="dataDir"/> (default: <see cref="Data.DataFolder.Resolve"/>), or null.</summary>
    public static string? Find(string? dataDir = null)
    {
        var p = Path.Combine(dataDir ?? Data.DataFolder.Resolve(), LocalPath);
        return File.Exists(p) ? p : null;
    }

    /// <summary>Downloads the weights into <paramref name="dataDir"/>/gpt2 with progress (first use only); throws when offline.</summary>
    public static string Download(string? dataDir = null, TimeSpan? timeout = null)
    {
        if (Find(dataDir) is { } local) return local;
        var target = Path.Combine(dataDir ?? Data.DataFolder.Resolve(), LocalPath);
        Data.Downloader.Fetch(Url, target, timeout: timeout ?? TimeSpan.FromMinutes(30));
        return target;
    }
}
