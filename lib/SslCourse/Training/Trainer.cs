using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// A model-agnostic training loop in the spirit of minGPT's trainer: the caller supplies a step that samples a batch
/// and returns the scalar loss (and named metrics); the trainer owns the optimiser, schedule, clipping, one dispose
/// scope per step, progress, checkpoints and a plain-number <see cref="History"/>. Loss and metrics are summed on the
/// device and read back only every <see cref="TrainerOptions.LogEvery"/> steps, so a GPU is never stalled by a
/// per-step host sync. <see cref="TrainerHooks"/> are the extension points (after the optimiser step, evaluation,
/// early stopping, checkpoints, cancellation).
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="parameters"/> by minimising the loss each <paramref name="step"/> returns.</summary>
    /// <param name="parameters">What the optimiser updates (e.g. <c>model.parameters()</c>).</param>
    /// <param name="step">Given the 0-based step, samples a batch and returns its loss and metrics.</param>
    /// <param name="options">Optimisation settings.</param>
    /// <param name="hooks">Extension points; null for none.</param>
    /// <param name="itemsPerStep">Samples (or tokens) per step, for throughput.</param>
    /// <exception cref="OperationCanceledException">The run was cancelled (it was saved first when checkpointed).</exception>
    public static History Fit(IEnumerable<TorchSharp.Modules.Parameter> parameters, Func<int, StepResult> step, TrainerOptions options,
        TrainerHooks? hooks = null, long itemsPerStep = 0)
    {
        hooks ??= new TrainerHooks();
        // The kernel's cancel token is read here, on the cell's own thread, before any thread switch.
        if (!hooks.Cancellation.CanBeCanceled && KernelInvocationContext.Current is { } context)
            hooks = hooks with { Cancellation = context.CancellationToken };
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0) throw new ArgumentException("no trainable parameters were given", nameof(parameters));
        var run = hooks;
        return TrainerThreads.Run(options, () => Loop(trainable, step, options, run, itemsPerStep));
    }

    /// <summary>Trains by minimising <paramref name="lossAt"/> (a step that reports only its loss).</summary>
    /// <param name="parameters">What the optimiser updates.</param>
    /// <param name="lossAt">Given the 0-based step, samples a batch and returns a scalar loss tensor.</param>
    /// <param name="options">Optimisation settings.</param>
    /// <param name="itemsPerStep">Samples (or tokens) per step, for throughput.</param>
    /// <param name="evaluate">Called at every evaluation with the history; may add metrics (e.g. validation loss).</param>
    /// <param name="evalEvery">Call <paramref name="evaluate"/> every this many steps (defaults to LogEvery).</param>
    /// <param name="stopWhen">Checked after each evaluation; true ends training there (early stopping).</param>
    public static History Fit(IEnumerable<TorchSharp.Modules.Parameter> parameters, Func<int, Tensor> lossAt, TrainerOptions options,
        long itemsPerStep = 0, Action<int, History>? evaluate = null, int? evalEvery = null, Func<bool>? stopWhen = null) =>
        Fit(parameters, s => new StepResult(lossAt(s)), options,
            new TrainerHooks { OnEvaluate = evaluate, EvalEvery = evalEvery, StopWhen = stopWhen }, itemsPerStep);

    private static History Loop(List<TorchSharp.Modules.Parameter> trainable, Func<int, StepResult> stepAt, TrainerOptions options, TrainerHooks hooks, long itemsPerStep)
    {
        using var optimizer = torch.optim.AdamW(ParameterGroups(trainable, options), options.LearningRate, beta2: options.Beta2, weight_decay: options.WeightDecay);
        var device = trainable[0].device;
        var runId = options.ToString();
        var saved = hooks.Checkpoint?.Load(runId, optimizer, device);
        var history = saved?.History ?? new History();
        var lossSum = saved?.LossSum ?? torch.zeros(1, device: device);
        var metricSums = saved?.MetricSums ?? [];
        int sinceRecord = saved?.SinceRecord ?? 0, first = saved?.Step ?? 0, stepsDone = options.Steps;
        var secondsBefore = saved?.Seconds ?? 0;
        if (saved is not null) Console.WriteLine($"{options.Name}: resumed at step {first} of {options.Steps} from {hooks.Checkpoint!.Folder}");
        var clock = Stopwatch.StartNew();
        var lastSave = Stopwatch.StartNew();
        var every = Math.Max(1, options.LogEvery);
        var evalPeriod = hooks.EvalEvery ?? every;
        using var progress = Progress.Start(options.Name, options.Steps, options.ItemUnit);
        void Save(int done) => hooks.Checkpoint?.Save(new TrainerState(runId, done, history, sinceRecord, lossSum, metricSums, secondsBefore + clock.Elapsed.TotalSeconds), optimizer);
        try
        {
            for (int step = first; step < options.Steps; step++)
            {
                if (hooks.Cancellation.IsCancellationRequested)
                {
                    Save(step);
                    hooks.Cancellation.ThrowIfCancellationRequested();
                }
                using var scope = torch.NewDisposeScope();      // one per step: the step's tensors, the records' host copies
                {
                    var lr = options.LearningRateAt(step);
                    foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
                    optimizer.zero_grad();
                    var result = stepAt(step);
                    result.Loss.backward();
                    if (options.GradClip is double clip) nn.utils.clip_grad_norm_(trainable, clip);
                    optimizer.step();
                    using (torch.no_grad())
                    {
                        hooks.AfterOptimizerStep?.Invoke(step);
                        lossSum.add_(result.Loss.detach().reshape(1));
                        if (result.Metrics is not null)
                            foreach (var (name, value) in result.Metrics)
                            {
                                if (!metricSums.TryGetValue(name, out var sum)) metricSums[name] = sum = torch.zeros(1, device: device).DetachFromDisposeScope(); // the trainer owns it until the end
                                sum.add_(value.detach().reshape(1).to(sum.dtype));
                            }
                    }
                }
                sinceRecord++;
                var last = step + 1 == options.Steps;
                if ((step + 1) % every == 0 || last) Record(step + 1, history, lossSum, metricSums, ref sinceRecord, options.Name);
                var stop = false;
                if (hooks.OnEvaluate is not null && ((step + 1) % evalPeriod == 0 || last))
                {
                    hooks.OnEvaluate(step + 1, history);
                    stop = !last && hooks.StopWhen?.Invoke() == true;
                }
                progress.Report(step + 1, history.LastLoss, itemsPerStep, last || stop);
                if (stop) { stepsDone = step + 1; break; }
                if (hooks.Checkpoint is { } cp && !last && lastSave.Elapsed >= cp.Every) { Save(step + 1); lastSave.Restart(); }
            }
        }
        finally
        {
            lossSum.Dispose();
            foreach (var t in metricSums.Values) t.Dispose();
        }
        history.Seconds = secondsBefore + clock.Elapsed.TotalSeconds;
        history.Throughput = itemsPerStep * (stepsDone - first) / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        return history;
    }

    // One host read per record: the loss's and each metric's mean over the steps since the previous record.
    private static void Record(int step, History history, Tensor lossSum, Dictionary<string, Tensor> metricSums, ref int sinceRecord, string name)
    {
        var mean = lossSum.cpu().item<float>() / sinceRecord;   // inside the step's dispose scope
        history.Steps.Add(step);
        history.Loss.Add(mean);
        foreach (var (metric, sum) in metricSums) history.Add(metric, step, sum.cpu().item<float>() / sinceRecord);
        using (torch.no_grad())
        {
            lossSum.zero_();
            foreach (var sum in metricSums.Values) sum.zero_();
        }
        sinceRecord = 0;
        if (!double.IsFinite(mean)) throw new InvalidOperationException($"{name}: loss became {mean} at step {step}; lower the learning rate");
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
