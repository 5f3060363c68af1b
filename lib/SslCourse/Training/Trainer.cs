using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// A model-agnostic training loop in the spirit of minGPT's trainer: the caller supplies a closure that samples a
/// batch and returns the scalar loss; the trainer owns the optimiser, schedule, clipping, one dispose scope per
/// step, progress and a plain-number <see cref="History"/>. The loss is summed on the device and read back only
/// every <see cref="TrainerOptions.LogEvery"/> steps, so a GPU is never stalled by a per-step host sync.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="parameters"/> by minimising <paramref name="lossAt"/>.</summary>
    /// <param name="parameters">What the optimiser updates (e.g. <c>model.parameters()</c>).</param>
    /// <param name="lossAt">Given the 0-based step, samples a batch and returns a scalar loss tensor.</param>
    /// <param name="options">Optimisation settings.</param>
    /// <param name="itemsPerStep">Samples (or tokens) per step, for throughput.</param>
    /// <param name="evaluate">Called at every record with the history; may add metrics (e.g. validation loss).</param>
    /// <param name="evalEvery">Call <paramref name="evaluate"/> every this many steps (defaults to LogEvery).</param>
    /// <param name="stopWhen">Checked after each evaluation; true ends training there (early stopping).</param>
    public static History Fit(
        IEnumerable<TorchSharp.Modules.Parameter> parameters,
        Func<int, Tensor> lossAt,
        TrainerOptions options,
        long itemsPerStep = 0,
        Action<int, History>? evaluate = null,
        int? evalEvery = null,
        Func<bool>? stopWhen = null)
    {
        if (options.FlushDenormals && !Runtime.Denormals.OnFlushThread)
            return Runtime.Denormals.Run(() => Fit(parameters, lossAt, options, itemsPerStep, evaluate, evalEvery, stopWhen));
        if (options.CpuThreads is int threads && threads != torch.get_num_threads())
        {
            var before = torch.get_num_threads();
            torch.set_num_threads(threads);
            try { return Fit(parameters, lossAt, options with { CpuThreads = null }, itemsPerStep, evaluate, evalEvery, stopWhen); }
            finally { torch.set_num_threads(before); }
        }
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0) throw new ArgumentException("no trainable parameters were given", nameof(parameters));
        using var optimizer = torch.optim.AdamW(ParameterGroups(trainable, options), options.LearningRate, beta2: options.Beta2, weight_decay: options.WeightDecay);
        var history = new History();
        var device = trainable[0].device;
        using var lossSum = torch.zeros(1, device: device);
        var clock = Stopwatch.StartNew();
        var every = Math.Max(1, options.LogEvery);
        var evalPeriod = evalEvery ?? every;
        int sinceRecord = 0, stepsDone = options.Steps;
        using var progress = Progress.Start(options.Name, options.Steps, options.ItemUnit);
        for (int step = 0; step < options.Steps; step++)
        {
            using var scope = torch.NewDisposeScope();
            var lr = options.LearningRateAt(step);
            foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
            optimizer.zero_grad();
            var loss = lossAt(step);
            loss.backward();
            if (options.GradClip is double clip) nn.utils.clip_grad_norm_(trainable, clip);
            optimizer.step();
            using (torch.no_grad()) lossSum.add_(loss.detach().reshape(1));
            sinceRecord++;
            var last = step + 1 == options.Steps;
            if ((step + 1) % every == 0 || last)
            {
                var mean = lossSum.cpu().item<float>() / sinceRecord;
                using (torch.no_grad()) lossSum.zero_();
                sinceRecord = 0;
                history.Steps.Add(step + 1);
                history.Loss.Add(mean);
                if (!double.IsFinite(mean))
                    throw new InvalidOperationException($"{options.Name}: loss became {mean} at step {step + 1}; lower the learning rate");
            }
            var stop = false;
            if (evaluate is not null && ((step + 1) % evalPeriod == 0 || last))
            {
                evaluate(step + 1, history);
                stop = !last && stopWhen?.Invoke() == true;
            }
            progress.Report(step + 1, history.LastLoss, itemsPerStep, last || stop);
            if (stop) { stepsDone = step + 1; break; }
        }
        history.Seconds = clock.Elapsed.TotalSeconds;
        history.Throughput = itemsPerStep * stepsDone / Math.Max(history.Seconds, 1e-9);
        return history;
    }

    /// <summary>
    /// The optimiser's parameter groups: one group with <see cref="TrainerOptions.WeightDecay"/>, or, with
    /// <see cref="TrainerOptions.DecayOnlyMatrices"/>, the parameters of dim ≥ 2 decayed and the rest (biases,
    /// LayerNorm gains) not, as nanoGPT's <c>configure_optimizers</c> does. Empty groups are left out.
    /// </summary>
    public static IReadOnlyList<TorchSharp.Modules.AdamW.ParamGroup> ParameterGroups(IReadOnlyList<TorchSharp.Modules.Parameter> trainable, TrainerOptions options)
    {
        var groups = new List<TorchSharp.Modules.AdamW.ParamGroup>();
        void Add(List<TorchSharp.Modules.Parameter> ps, double decay)
        {
            if (ps.Count > 0) groups.Add(new TorchSharp.Modules.AdamW.ParamGroup(ps, options.LearningRate, beta2: options.Beta2, weight_decay: decay));
        }
        if (!options.DecayOnlyMatrices) Add(trainable.ToList(), options.WeightDecay);
        else
        {
            Add(trainable.Where(p => p.dim() >= 2).ToList(), options.WeightDecay);
            Add(trainable.Where(p => p.dim() < 2).ToList(), 0.0);
        }
        return groups;
    }
}
