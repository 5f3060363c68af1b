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

    /// <summary>
    /// Loads a GPT-2 checkpoint in Hugging Face's layout: a folder holding <c>config.json</c> and
    /// <c>model.safetensors</c>, or a <c>.safetensors</c> file (with a <c>config.json</c> beside it when there is one).
    /// The sizes come from <paramref name="config"/>, else from <c>config.json</c>, else from GPT-2's published sizes
    /// by width (768, 1024, 1280, 1600); any other width is refused rather than guessed. Every tensor's shape is
    /// checked against the sizes before the model is allocated.
    /// </summary>
    /// <exception cref="InvalidDataException">The checkpoint does not match; the message names the file and tensor.</exception>
    public static Gpt Load(string path, GptConfig? config = null)
    {
        var (file, configJson) = Locate(path);
        var header = SafeTensors.ReadHeader(file);
        var stored = header.ToDictionary(e => Strip(e.Name), e => e);
        config ??= configJson is not null ? Gpt2Config.Read(configJson) : Gpt2Config.FromPublishedWidth(file, stored);
        Gpt2Config.CheckShapes(file, config, stored);
        var tensors = SafeTensors.Read(file);
        try
        {
            var model = new Gpt(config);
            Into(model, tensors.ToDictionary(p => Strip(p.Key), p => p.Value), file);
            return model;
        }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    /// <summary>The name without Hugging Face's <c>transformer.</c> prefix (GPT2LMHeadModel stores it, GPT2Model does not).</summary>
    internal static string Strip(string name) => name.StartsWith("transformer.", StringComparison.Ordinal) ? name["transformer.".Length..] : name;

    private static (string File, string? ConfigJson) Locate(string path)
    {
        if (Directory.Exists(path))
        {
            var file = Path.Combine(path, "model.safetensors");
            var json = Path.Combine(path, "config.json");
            if (!File.Exists(file)) throw new FileNotFoundException($"{path}: no model.safetensors in this folder", file);
            return (file, File.Exists(json) ? json : null);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such checkpoint file or folder", path);
        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "config.json");
        return (path, File.Exists(beside) ? beside : null);
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
