using System.Runtime.InteropServices;
using System.Text.Json;
using SslCourse.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// Where a long run saves itself and how often: the modules (parameters and buffers, so BatchNorm statistics too),
/// the optimiser's moments, every random generator the step draws from, the history and the partial sums of the
/// current logging window. <see cref="Trainer"/> saves at most every <see cref="Every"/>, when cancelled, and resumes
/// from the folder when it holds a save of the same run, so an interrupted run continues with the same batches,
/// views and learning rates as an uninterrupted one. The folder is replaced atomically (write, then rename).
/// </summary>
public sealed class TrainingCheckpoint
{
    private const int Version = 1;

    /// <summary>Saves <paramref name="modules"/> and <paramref name="generators"/> into <paramref name="folder"/>.</summary>
    /// <param name="folder">The run's own folder (created on the first save).</param>
    /// <param name="modules">Every module whose parameters or buffers the step changes (encoder, heads, target networks).</param>
    /// <param name="generators">Every generator the step draws from (the sampler's, the augmentation's, masks); the
    /// global generator (dropout, <c>randn</c> without a generator) is saved too.</param>
    /// <param name="every">Save at most this often (default 2 minutes); <see cref="TimeSpan.Zero"/> saves after every step.</param>
    public TrainingCheckpoint(string folder, IReadOnlyList<nn.Module> modules, IReadOnlyList<Generator>? generators = null, TimeSpan? every = null)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("a checkpoint needs a folder", nameof(folder));
        Folder = Path.GetFullPath(folder);
        Modules = modules;
        Generators = generators ?? [];
        Every = every ?? TimeSpan.FromMinutes(2);
    }

    /// <summary>The run's folder.</summary>
    public string Folder { get; }

    /// <summary>The modules saved.</summary>
    public IReadOnlyList<nn.Module> Modules { get; }

    /// <summary>The generators saved.</summary>
    public IReadOnlyList<Generator> Generators { get; }

    /// <summary>The longest time between two saves.</summary>
    public TimeSpan Every { get; }

    /// <summary>Whether a save is there to resume from.</summary>
    public bool Exists => File.Exists(Path.Combine(Folder, "state.json")) || File.Exists(Path.Combine(Folder + ".old", "state.json"));

    /// <summary>Removes the saved run (after the finished weights are stored elsewhere).</summary>
    public void Delete()
    {
        foreach (var dir in new[] { Folder, Folder + ".old", Folder + ".tmp" })
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private sealed record StateDto(int Version, string Run, int Step, int SinceRecord, double Seconds, string History, string[] Metrics);

    internal void Save(TrainerState state, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var tmp = Folder + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        Directory.CreateDirectory(tmp);
        for (int i = 0; i < Modules.Count; i++) Modules[i].save(Path.Combine(tmp, $"module{i}.bin"));
        optimizer.save_state_dict(Path.Combine(tmp, "optimizer.bin"));
        using (var w = new BinaryWriter(File.Create(Path.Combine(tmp, "tensors.bin"))))
        {
            foreach (var g in Generators) TensorBytes.Write(w, g.get_state());
            TensorBytes.Write(w, torch.random.get_rng_state());
            TensorBytes.Write(w, state.LossSum);
            foreach (var name in state.MetricSums.Keys) TensorBytes.Write(w, state.MetricSums[name]);
        }
        var dto = new StateDto(Version, state.Run, state.Step, state.SinceRecord, state.Seconds, HistoryJson.Write(state.History), [.. state.MetricSums.Keys]);
        File.WriteAllText(Path.Combine(tmp, "state.json"), JsonSerializer.Serialize(dto)); // last: its presence marks a complete save
        var old = Folder + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(Folder)) Directory.Move(Folder, old);
        Directory.Move(tmp, Folder);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }

    // The host copy is freed when the sum lives on a GPU.
    private static Tensor OnDevice(Tensor host, Device device)
    {
        if (host.device_type == device.type && (device.type == DeviceType.CPU || host.device_index == device.index)) return host;
        using (host) return host.to(device);
    }

    /// <summary>Restores a save into the modules, optimiser and generators; null when there is none.</summary>
    /// <exception cref="InvalidOperationException">The save belongs to another run or cannot be read.</exception>
    internal TrainerState? Load(string run, TorchSharp.Modules.OptimizerHelper optimizer, Device device)
    {
        var folder = File.Exists(Path.Combine(Folder, "state.json")) ? Folder : Folder + ".old";
        var stateFile = Path.Combine(folder, "state.json");
        if (!File.Exists(stateFile)) return null;
        try
        {
            var dto = JsonSerializer.Deserialize<StateDto>(File.ReadAllText(stateFile)) ?? throw new JsonException("empty state");
            if (dto.Version != Version) throw new InvalidDataException($"version {dto.Version}, expected {Version}");
            if (dto.Run != run)
                throw new InvalidOperationException($"{stateFile}: saved by a different run ({dto.Run}), not this one ({run}); delete {Folder} or choose another folder");
            for (int i = 0; i < Modules.Count; i++) Modules[i].load(Path.Combine(folder, $"module{i}.bin"));
            optimizer.load_state_dict(Path.Combine(folder, "optimizer.bin"));
            using var r = new BinaryReader(File.OpenRead(Path.Combine(folder, "tensors.bin")));
            foreach (var g in Generators) { using var s = TensorBytes.Read(r); g.set_state(s); }
            using (var s = TensorBytes.Read(r)) torch.random.set_rng_state(s);
            var lossSum = OnDevice(TensorBytes.Read(r), device);
            var sums = dto.Metrics.ToDictionary(n => n, _ => OnDevice(TensorBytes.Read(r), device));
            return new TrainerState(dto.Run, dto.Step, HistoryJson.Read(dto.History), dto.SinceRecord, lossSum, sums, dto.Seconds);
        }
        catch (Exception e) when (e is IOException or JsonException or InvalidDataException or ArgumentException or EndOfStreamException or ExternalException)
        {
            throw new InvalidOperationException($"{folder}: the training checkpoint cannot be read ({e.Message}); delete it to train from the start", e);
        }
    }
}

/// <summary>The trainer's own state between steps, as a checkpoint holds it.</summary>
internal sealed record TrainerState(string Run, int Step, History History, int SinceRecord, Tensor LossSum, Dictionary<string, Tensor> MetricSums, double Seconds);
