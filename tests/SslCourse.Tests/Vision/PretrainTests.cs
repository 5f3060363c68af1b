using SslCourse.Training;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Vision;

public sealed class PretrainTests
{
    private static readonly ConvEncoderConfig Micro = new(Width: 8, Stages: 2); // 8 and 16 channels: whole oneDNN AVX2 blocks (see Runtime/OneDnnIsa.cs)
    private static readonly SslConfig Quick = new(Steps: 20, BatchSize: 16, LearningRate: 3e-3, WarmupSteps: 2, LogEvery: 5);
    private static CourseSession Session => new(Profile.Ci, CPU, 0, "test");

    private static Tensor Batch() { manual_seed(2); return rand(16, 1, 28, 28); }

    private static void AssertDecreases(SslCourse.Training.History h) =>
        Assert.True(h.Loss[^1] < h.Loss[0], $"loss {string.Join(", ", h.Loss.Select(l => l.ToString("F3")))}");

    [Fact]
    public void SimClr_loss_decreases_on_a_tiny_batch()
    {
        using var x = Batch();
        manual_seed(3);
        using var enc = new ConvEncoder(Micro);
        var h = SimClr.Pretrain(enc, x, Quick with { Augment = SimClrAugmentConfig.None with { FlipProbability = 0.5 } }, Session);
        AssertDecreases(h);
        Assert.Equal(4, h.Metrics["feature_std"].Count);
    }

    [Fact]
    public void SimSiam_and_mae_losses_decrease_on_a_tiny_batch()
    {
        using var x = Batch();
        manual_seed(4);
        using var enc = new ConvEncoder(Micro);
        AssertDecreases(SimSiam.Pretrain(enc, x, Quick, Session));
        using var mae = new MaskedAutoencoder(MaeConfig.Tiny with { Dim = 16, DecoderDim = 16, Heads = 2 });
        AssertDecreases(Mae.Pretrain(mae, x, Quick with { Steps = 30, LearningRate = 1e-2 }, Session));
    }

    [Fact]
    public void Mae_patchify_round_trips_and_encoders_give_their_dimension()
    {
        using var x = Batch();
        using var mae = new MaskedAutoencoder(MaeConfig.Tiny with { PatchSize = 4, Dim = 16, DecoderDim = 16, Heads = 2 });
        using var p = mae.Patchify(x);
        Assert.Equal(new long[] { 16, 49, 16 }, p.shape);
        Assert.True(mae.Unpatchify(p).allclose(x, 0, 0));
        var o = mae.MaskAndReconstruct(x);
        Assert.Equal(49 - 12, (int)o.Mask[0].sum().item<float>());   // 75% of 49 patches hidden (37)
        using var f = Features.Extract(mae.Encoder, x, batch: 5);
        Assert.Equal(new long[] { 16, 16 }, f.shape);
        using var enc = new ConvEncoder(ConvEncoderConfig.Tiny with { InChannels = 3 });
        using var rgb = rand(2, 3, 32, 32);
        Assert.Equal(new long[] { 2, 64 }, enc.forward(rgb).shape);
    }

    [Fact]
    public void Fifty_simclr_steps_leak_no_tensors()
    {
        using var x = Batch();
        manual_seed(5);
        using var enc = new ConvEncoder(Micro);
        SimClr.Pretrain(enc, x, Quick with { Steps = 5 }, Session);   // warm-up
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        SimClr.Pretrain(enc, x, Quick with { Steps = 50 }, Session);
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
