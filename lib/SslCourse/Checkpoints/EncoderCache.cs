using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Training;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Checkpoints;

/// <summary>
/// Reuses pretrained weights across notebooks: a model trained by 01_2–01_4 is saved in <c>data/checkpoints/</c>
/// under a key hashed from (method, config, profile, seed), and 01_5 loads it instead of training again. When no
/// checkpoint exists the same training code runs, so results never depend on which notebook ran first.
/// </summary>
public static class EncoderCache
{
    /// <summary>The folder holding checkpoints (<c>data/checkpoints</c>).</summary>
    public static string Folder => Path.Combine(DataFolder.Resolve(), "checkpoints");

    /// <summary>The checkpoint key: method name plus a short hash of everything that determines the weights.</summary>
    public static string Key(string method, CourseSession course, params object[] config)
    {
        var text = $"{method}|{course.Profile.Name()}|{course.Seed}|{string.Join("|", config.Select(c => c.ToString()))}";
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        return $"{method.ToLowerInvariant().Replace(' ', '-')}-{hash}";
    }

    /// <summary>
    /// Loads <paramref name="model"/>'s weights from the checkpoint <paramref name="key"/> when present; otherwise runs
    /// <paramref name="train"/> and saves (atomically) the weights and the history. Returns the history and whether it was cached.
    /// An unreadable checkpoint is reported and trained again from the model's initial weights.
    /// </summary>
    /// <param name="key">From <see cref="Key"/>.</param>
    /// <param name="model">The model, freshly initialised.</param>
    /// <param name="train">Trains <paramref name="model"/> in place.</param>
    /// <param name="folder">Where checkpoints live (default <see cref="Folder"/>).</param>
    public static (History History, bool Cached) GetOrTrain(string key, nn.Module model, Func<History> train, string? folder = null)
    {
        folder ??= Folder;
        var weights = Path.Combine(folder, key + ".bin");
        var historyFile = Path.Combine(folder, key + ".json");
        if (File.Exists(weights) && File.Exists(historyFile))
        {
            // A load that fails midway leaves some weights overwritten; keep the fresh ones so training starts from them.
            var initial = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
            try
            {
                var cachedHistory = HistoryJson.Read(File.ReadAllText(historyFile));
                model.load(weights);
                model.eval();
                Console.WriteLine($"loaded checkpoint {key} from {folder}");
                return (cachedHistory, true);
            }
            catch (Exception e) when (e is IOException or ArgumentException or JsonException or InvalidOperationException)
            {
                Console.WriteLine($"checkpoint {key} unreadable ({e.Message}); training again");
                Restore(model, initial);
            }
            finally
            {
                foreach (var t in initial.Values) t.Dispose();
            }
        }
        var history = train();
        AtomicFile.Write(weights, tmp => model.save(tmp));
        AtomicFile.WriteAllText(historyFile, HistoryJson.Write(history));
        return (history, false);
    }

    private static void Restore(nn.Module model, Dictionary<string, Tensor> initial)
    {
        using var _ = no_grad();
        foreach (var (name, t) in model.state_dict()) t.copy_(initial[name]);
    }
}
