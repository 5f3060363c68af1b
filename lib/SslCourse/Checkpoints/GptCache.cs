using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Runtime;
using SslCourse.Training;

namespace SslCourse.Checkpoints;

/// <summary>
/// One pretrained character GPT shared by notebooks 02_4–02_7: 02_4 trains it and <see cref="Save"/>s it in
/// <c>data/checkpoints/</c> under a key made of everything that determines the weights (model config, pretraining
/// config, the corpus's content hash, seed); 02_5 and 02_6 call <see cref="GetOrTrain"/>, which loads it when present
/// and otherwise runs the same training, so no result depends on which notebook ran first.
/// </summary>
public static class GptCache
{
    /// <summary>The folder holding checkpoints (<c>data/checkpoints</c>).</summary>
    public static string Folder => Path.Combine(DataFolder.Resolve(), "checkpoints");

    /// <summary>"gpt-{corpus}-{hash}": the hash covers both configs, the corpus text (SHA-256) and the seed.</summary>
    public static string Key(GptConfig model, PretrainConfig pretrain, TextCorpus corpus, int seed)
    {
        var corpusHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(corpus.Text)));
        var text = $"{model}|{pretrain}|{corpusHash}|{seed}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        return $"gpt-{corpus.Name.ToLowerInvariant().Replace(' ', '-')}-{hash}";
    }

    /// <summary>Writes the weights and the history atomically under <paramref name="key"/>.</summary>
    public static void Save(string key, Gpt model, History history, string? folder = null)
    {
        folder ??= Folder;
        AtomicFile.Write(Path.Combine(folder, key + ".bin"), tmp => model.save(tmp));
        AtomicFile.WriteAllText(Path.Combine(folder, key + ".json"), HistoryJson.Write(history));
    }

    /// <summary>Loads the weights into <paramref name="model"/> and returns the saved history, or null when there is no readable checkpoint.</summary>
    public static History? TryLoad(string key, Gpt model, string? folder = null)
    {
        folder ??= Folder;
        var (weights, json) = (Path.Combine(folder, key + ".bin"), Path.Combine(folder, key + ".json"));
        if (!File.Exists(weights) || !File.Exists(json)) return null;
        try
        {
            var history = HistoryJson.Read(File.ReadAllText(json));
            model.load(weights);
            model.eval();
            return history;
        }
        catch (Exception e) when (e is IOException or ArgumentException or JsonException or InvalidOperationException)
        {
            Console.WriteLine($"checkpoint {weights} unreadable ({e.Message}); training again");
            return null;
        }
    }

    /// <summary>
    /// The cached weights and history when present, else <paramref name="train"/> (run on <paramref name="model"/>)
    /// followed by <see cref="Save"/>. <paramref name="model"/> must be freshly initialised from the seed in the key.
    /// </summary>
    public static (History History, bool Cached) GetOrTrain(string key, Gpt model, Func<History> train, string? folder = null)
    {
        // A failed load may have overwritten some weights; keep the initial ones so training starts where it would have.
        var initial = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        try
        {
            if (TryLoad(key, model, folder) is { } cached)
            {
                Console.WriteLine($"loaded checkpoint {key} from {folder ?? Folder} (trained for {cached.Steps.LastOrDefault()} steps, validation {cached.Last("val_loss"):F3})");
                return (cached, true);
            }
            using (TorchSharp.torch.no_grad())
                foreach (var (name, t) in model.state_dict()) t.copy_(initial[name]);
        }
        finally { foreach (var t in initial.Values) t.Dispose(); }
        var history = train();
        Save(key, model, history, folder);
        return (history, false);
    }
}
