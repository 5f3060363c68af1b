using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public sealed class TrainerTests
{
    [Fact]
    public void Fit_reduces_a_regression_loss_and_returns_plain_numbers()
    {
        torch.manual_seed(1);
        using var model = nn.Linear(4, 1);
        using var w = torch.randn(4, 1);
        var history = Trainer.Fit(model.parameters(), step =>
        {
            var x = torch.randn(32, 4);
            var y = x.matmul(w);
            return nn.functional.mse_loss(model.forward(x), y);
        }, new TrainerOptions(Steps: 200, LearningRate: 0.05, LogEvery: 20), itemsPerStep: 32);
        Assert.Equal(10, history.Loss.Count);
        Assert.True(history.Loss[^1] < 0.05 * history.Loss[0], $"loss {history.Loss[0]} -> {history.Loss[^1]}");
        Assert.True(history.Throughput > 0);
    }

    [Fact]
    public void Fifty_steps_leak_no_tensors()
    {
        torch.manual_seed(2);
        using var model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 2));
        var opts = new TrainerOptions(Steps: 5, LearningRate: 1e-2, LogEvery: 5);
        Tensor Loss(int _) => nn.functional.cross_entropy(model.forward(torch.randn(16, 8)), torch.randint(0, 2, 16));
        Trainer.Fit(model.parameters(), Loss, opts); // warm-up: optimiser state is allocated once
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Trainer.Fit(model.parameters(), Loss, opts with { Steps = 50 });
        var after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Equal(before, after);
    }

    [Fact]
    public void Diverging_loss_is_reported_with_the_step()
    {
        using var p = new TorchSharp.Modules.Parameter(torch.ones(1));
        var e = Assert.Throws<InvalidOperationException>(() =>
            Trainer.Fit([p], _ => (p * float.NaN).sum(), new TrainerOptions(Steps: 3, LogEvery: 1, Name: "nan-test")));
        Assert.Contains("nan-test", e.Message);
        Assert.Contains("step 1", e.Message);
    }

    [Fact]
    public void Schedule_warms_up_linearly_then_decays_to_the_floor()
    {
        var o = new TrainerOptions(Steps: 110, LearningRate: 1.0, WarmupSteps: 10, MinLearningRateRatio: 0.1);
        Assert.Equal(0.1, o.LearningRateAt(0), 6);
        Assert.Equal(1.0, o.LearningRateAt(9), 6);
        Assert.Equal(1.0, o.LearningRateAt(10), 6);
        Assert.Equal(0.55, o.LearningRateAt(60), 6);
        Assert.Equal(0.1, o.LearningRateAt(110), 6);
    }

    [Fact]
    public void Cpu_threads_apply_to_the_steps_and_are_restored()
    {
        var before = TorchSharp.torch.get_num_threads();
        TorchSharp.torch.set_num_threads(2);
        try
        {
            using var w = new TorchSharp.Modules.Parameter(TorchSharp.torch.ones(1));
            var seen = new List<int>();
            Trainer.Fit([w], _ => { seen.Add(TorchSharp.torch.get_num_threads()); return (w * w).sum(); }, new TrainerOptions(3, LogEvery: 1, CpuThreads: 1));
            Assert.Equal([1, 1, 1], seen);
            Assert.Equal(2, TorchSharp.torch.get_num_threads());
            seen.Clear();
            Trainer.Fit([w], _ => { seen.Add(TorchSharp.torch.get_num_threads()); return (w * w).sum(); }, new TrainerOptions(2, LogEvery: 1));
            Assert.Equal([2, 2], seen);
        }
        finally { TorchSharp.torch.set_num_threads(before); }
    }
}
