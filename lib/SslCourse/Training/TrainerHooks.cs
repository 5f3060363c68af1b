namespace SslCourse.Training;

/// <summary>
/// The optional extension points of <see cref="Trainer"/>, in the order they run within a step (minGPT's trainer
/// callbacks, PyTorch Lightning's <c>on_after_optimizer_step</c> and validation hooks).
/// </summary>
public sealed record TrainerHooks
{
    /// <summary>Runs after each optimiser step, under <c>no_grad</c>, with the 0-based step: an EMA target network's
    /// update (BYOL, MoCo), a momentum schedule. It must not read values back to the host.</summary>
    public Action<int>? AfterOptimizerStep { get; init; }

    /// <summary>Called every <see cref="EvalEvery"/> steps and at the end with the steps done and the history;
    /// may add metrics (validation loss, a probe's accuracy).</summary>
    public Action<int, History>? OnEvaluate { get; init; }

    /// <summary>Evaluate every this many steps (default: <see cref="TrainerOptions.LogEvery"/>).</summary>
    public int? EvalEvery { get; init; }

    /// <summary>Checked after each evaluation; true ends training there (early stopping).</summary>
    public Func<bool>? StopWhen { get; init; }

    /// <summary>Saves the run every few minutes and resumes from it when present; null trains from scratch, unsaved.</summary>
    public TrainingCheckpoint? Checkpoint { get; init; }

    /// <summary>Stops training between two steps (after saving <see cref="Checkpoint"/>, when given) by throwing
    /// <see cref="OperationCanceledException"/>. In a notebook the kernel's own cancel token is used when this is none.</summary>
    public CancellationToken Cancellation { get; init; }
}
