using SslCourse.Data;
using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

/// <summary>Interrupting a run and resuming it gives the uninterrupted run's losses and weights.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "ssl-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose() { if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true); }

    // A fresh "cell": model, data sampler and noise generator built from scratch, as re-running a notebook cell does.
    internal sealed class Run : IDisposable
    {
        public readonly nn.Module<Tensor, Tensor> Model;
        public readonly BatchSampler Sampler;
        public readonly Generator Noise;
        private readonly Tensor _x, _y;

        public Run()
        {
            manual_seed(7);
            _x = randn(256, 6);
            _y = (_x[.., 0] > 0).to(ScalarType.Int64);
            Model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 2));
            Sampler = new BatchSampler(_x, 32, seed: 11, labels: _y);
            Noise = new Generator(13);
        }

        public StepResult Step(int _)
        {
            var (x, y) = Sampler.Next();
            var logits = Model.forward(x + 0.1 * randn(x.shape, generator: Noise));   // dropout draws from the global generator
            return new StepResult(nn.functional.cross_entropy(logits, y!), new Dictionary<string, Tensor> { ["acc"] = logits.argmax(1).eq(y!).to(ScalarType.Float32).mean() });
        }

        public TrainingCheckpoint Checkpoint(string dir) => new(dir, [Model], [Sampler.Generator, Noise], TimeSpan.Zero);

        public void Dispose() { Model.Dispose(); Sampler.Dispose(); Noise.Dispose(); _x.Dispose(); _y.Dispose(); }
    }

    private static readonly TrainerOptions Options = new(Steps: 60, LearningRate: 1e-2, WarmupSteps: 5, LogEvery: 7, Name: "resume-test");

    [Fact]
    public void Cancelled_then_resumed_run_equals_the_uninterrupted_run()
    {
        History reference;
        float[] referenceWeights;
        using (var run = new Run())
        {
            manual_seed(99);
            reference = Trainer.Fit(run.Model.parameters(), run.Step, Options);
            referenceWeights = run.Model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();
        }

        using var cancel = new CancellationTokenSource();
        using (var first = new Run())
        {
            manual_seed(99);
            // Cancelled inside step 24: the trainer finishes that step, saves before step 25 and throws.
            Assert.Throws<OperationCanceledException>(() => Trainer.Fit(first.Model.parameters(), s => { if (s == 24) cancel.Cancel(); return first.Step(s); }, Options,
                new TrainerHooks { Checkpoint = first.Checkpoint(_dir), Cancellation = cancel.Token }));
        }
        Assert.True(first_saved(_dir));
        History resumed;
        float[] resumedWeights;
        using (var second = new Run())
        {
            manual_seed(12345);   // a different global state: the checkpoint must restore the generator dropout uses
            resumed = Trainer.Fit(second.Model.parameters(), second.Step, Options, new TrainerHooks { Checkpoint = second.Checkpoint(_dir) });
            resumedWeights = second.Model.parameters().SelectMany(p => p.detach().cpu().data<float>().ToArray()).ToArray();
        }
        Assert.Equal(reference.Steps, resumed.Steps);
        for (int i = 0; i < reference.Loss.Count; i++) Assert.Equal(reference.Loss[i], resumed.Loss[i], 5);
        Assert.Equal(reference.Metrics["acc"].Select(p => p.Value), resumed.Metrics["acc"].Select(p => p.Value));
        Assert.Equal(referenceWeights.Length, resumedWeights.Length);
        Assert.True(referenceWeights.Zip(resumedWeights).All(p => Math.Abs(p.First - p.Second) < 1e-5), "weights differ after resuming");
    }

    [Fact]
    public void Resuming_without_restoring_the_generators_would_differ()
    {
        // The property the test above relies on is not vacuous: a run resumed with fresh generators (same weights,
        // same optimiser, batches drawn from the start again) gives different losses.
        History reference;
        using (var run = new Run()) { manual_seed(99); reference = Trainer.Fit(run.Model.parameters(), run.Step, Options); }
        using var cancel = new CancellationTokenSource();
        using (var first = new Run())
        {
            manual_seed(99);
            Assert.Throws<OperationCanceledException>(() => Trainer.Fit(first.Model.parameters(), s => { if (s == 24) cancel.Cancel(); return first.Step(s); }, Options,
                new TrainerHooks { Checkpoint = new TrainingCheckpoint(_dir, [first.Model], [], TimeSpan.Zero), Cancellation = cancel.Token }));
        }
        using var second = new Run();
        var resumed = Trainer.Fit(second.Model.parameters(), second.Step, Options, new TrainerHooks { Checkpoint = new TrainingCheckpoint(_dir, [second.Model], [], TimeSpan.Zero) });
        Assert.NotEqual(reference.Loss[^1], resumed.Loss[^1], 6);
    }

    [Fact]
    public void A_checkpoint_of_another_run_is_refused_with_its_folder_named()
    {
        using var cancel = new CancellationTokenSource();
        using (var first = new Run())
            Assert.Throws<OperationCanceledException>(() => Trainer.Fit(first.Model.parameters(), s => { if (s == 3) cancel.Cancel(); return first.Step(s); }, Options,
                new TrainerHooks { Checkpoint = first.Checkpoint(_dir), Cancellation = cancel.Token }));
        using var other = new Run();
        var e = Assert.Throws<InvalidOperationException>(() => Trainer.Fit(other.Model.parameters(), other.Step, Options with { LearningRate = 5e-3 },
            new TrainerHooks { Checkpoint = other.Checkpoint(_dir) }));
        Assert.Contains(_dir, e.Message);
        Assert.Contains("different run", e.Message);
    }

    [Fact]
    public void Metrics_are_the_mean_over_each_logging_window_and_the_hook_sees_every_step()
    {
        using var p = new TorchSharp.Modules.Parameter(torch.ones(1));
        var seen = new List<int>();
        var h = Trainer.Fit([p], s => new StepResult((p * p).sum(), new Dictionary<string, Tensor> { ["step"] = torch.tensor((float)s) }),
            new TrainerOptions(Steps: 10, LogEvery: 4), new TrainerHooks { AfterOptimizerStep = seen.Add });
        Assert.Equal(Enumerable.Range(0, 10), seen);
        // windows {0..3}, {4..7}, {8, 9}: means 1.5, 5.5, 8.5 (the last window is shorter)
        Assert.Equal([1.5, 5.5, 8.5], h.Metrics["step"].Select(x => x.Value));
        Assert.Equal([4, 8, 10], h.Metrics["step"].Select(x => x.Step));
    }

    private static bool first_saved(string dir) => File.Exists(Path.Combine(dir, "state.json"));
}
