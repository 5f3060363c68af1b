using SslCourse.Training;
using SslCourse.Adapt;
using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Vision;

public sealed class ChapterOneAdditionsTests
{
    private static CourseSession Session => new(Profile.Ci, CPU, 0, "test");

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    [Fact]
    public void Rotations_are_exact_quarter_turns_with_balanced_labels()
    {
        using var x = arange(2 * 1 * 3 * 3, dtype: ScalarType.Float32).reshape(2, 1, 3, 3);
        var (r, y) = Rotation.AllRotations(x);
        Assert.Equal(new long[] { 8, 1, 3, 3 }, r.shape);
        Assert.Equal(new long[] { 0, 0, 1, 1, 2, 2, 3, 3 }, y.data<long>().ToArray());
        // 90° counter-clockwise: the top row [0 1 2] becomes the left column read bottom-up.
        Assert.Equal(new float[] { 2, 5, 8 }, r[2, 0, 0].data<float>().ToArray());
        Assert.True(r[4].allclose(x[0].flip(1, 2)));                       // 180° = both flips
        Assert.Throws<ArgumentException>(() => Rotation.AllRotations(zeros(1, 1, 3, 4)));
    }

    [Fact]
    public void Rotation_pretraining_learns_the_pretext_task()
    {
        manual_seed(2);
        using var x = rand(16, 1, 28, 28);
        x[.., .., ..10, ..] += 1;   // an "up" the task can find
        manual_seed(3);
        using var enc = new ConvEncoder(new ConvEncoderConfig(Width: 8, Stages: 2));
        var h = RotationPrediction.Pretrain(enc, x.clamp(0, 1), new SslConfig(Steps: 30, BatchSize: 32, LearningRate: 1e-2, WarmupSteps: 2, LogEvery: 10,
            Augment: SimClrAugmentConfig.None), Session);
        Assert.True(h.LastLoss < Math.Log(4) - 0.3, string.Join(", ", h.Loss));
        Assert.Equal(3, h.Metrics["rotation_acc"].Count);
    }

    [Fact]
    public void Random_masking_hides_the_same_number_per_image_and_restore_inverts_the_shuffle()
    {
        var (kept, restore, mask) = MaskedAutoencoder.RandomMasking(5, 16, 0.75, CPU, new Generator(1));
        Assert.Equal(new long[] { 5, 4 }, kept.shape);
        Assert.All(mask.sum(1).data<float>().ToArray(), s => Assert.Equal(12f, s));
        // kept patches are visible, and restore is a permutation
        Assert.True(mask.gather(1, kept).eq(0).all().item<bool>());
        Assert.True(Same(restore.sort(1).Values, arange(16).expand(5, 16)));
        var (k2, _, _) = MaskedAutoencoder.RandomMasking(5, 16, 0.75, CPU, new Generator(1));
        Assert.True(Same(kept, k2));
    }

    [Fact]
    public void Simsiam_arms_train_and_name_their_switches()
    {
        manual_seed(2);
        using var x = rand(16, 1, 28, 28);
        var cfg = new SslConfig(Steps: 10, BatchSize: 16, LearningRate: 3e-3, WarmupSteps: 2, LogEvery: 5);
        foreach (var (p, sg) in new[] { (true, true), (true, false), (false, true), (false, false) })
        {
            manual_seed(3);
            using var enc = new ConvEncoder(new ConvEncoderConfig(Width: 8, Stages: 2));
            var h = SimSiam.PretrainArm(enc, x, cfg, Session, predictor: p, stopGradient: sg);
            Assert.All(h.Loss, l => Assert.InRange(l, -1.0001, 1.0001));
        }
        // both switches on is SimSiam itself: same losses from the same seed
        manual_seed(3); using var a = new ConvEncoder(new ConvEncoderConfig(Width: 8, Stages: 2));
        var ha = SimSiam.PretrainArm(a, x, cfg, Session, predictor: true, stopGradient: true);
        manual_seed(3); using var b = new ConvEncoder(new ConvEncoderConfig(Width: 8, Stages: 2));
        var hb = SimSiam.Pretrain(b, x, cfg, Session);
        Assert.Equal(hb.Loss, ha.Loss);
    }

    [Fact]
    public void Clip_loss_is_symmetric_and_low_for_matching_pairs()
    {
        using var e = eye(6, 8);
        using var t = tensor(Math.Log(1 / 0.07), dtype: ScalarType.Float32);
        using var aligned = ClipLoss.Symmetric(e, e, t);
        manual_seed(1);
        using var a = randn(6, 8); using var b = randn(6, 8);
        using var ab = ClipLoss.Symmetric(a, b, t); using var ba = ClipLoss.Symmetric(b, a, t);
        Assert.True(aligned.item<float>() < 1e-3, aligned.item<float>().ToString());
        Assert.Equal(ab.item<float>(), ba.item<float>(), 5);
        Assert.Throws<ArgumentException>(() => ClipLoss.Symmetric(a, randn(5, 8), t));
    }

    [Fact]
    public void Captions_fill_templates_and_the_bank_samples_captions_of_each_label()
    {
        Assert.Equal("a photo of an ankle boot.", Captions.Fill(Captions.ZeroShotPrompt, "Ankle boot"));
        Assert.Empty(Captions.EnsemblePrompts.Intersect(Captions.TrainingTemplates));
        var caps = Captions.ForClasses(["Bag", "Coat"], Captions.FashionMnistDescriptions);
        Assert.Contains("a handbag with a handle or a strap", caps[0]);
        using var text = new TextEncoder(dim: 8, depth: 1, heads: 2, maxLength: 48);
        using var bank = new CaptionBank(caps, text, CPU, 0);
        using var labels = tensor(new long[] { 1, 1, 0 });
        using var ids = bank.Sample(labels);
        Assert.Equal(new long[] { 3, 48 }, ids.shape);
        var all1 = caps[1].Select(c => text.Tokenize([c], CPU)).ToList();
        Assert.Contains(all1, c => Same(c[0], ids[0]));
        using var emb = text.forward(ids);
        Assert.Equal(new long[] { 3, 8 }, emb.shape);
    }

    [Fact]
    public void Finetuning_augmentation_follows_the_data()
    {
        Assert.Equal(0.2, new FinetuneOptions().AugmentConfigFor(1).Brightness, 6);
        Assert.Equal(SimClrAugmentConfig.Cifar10.GrayscaleProbability, new FinetuneOptions().AugmentConfigFor(3).GrayscaleProbability);
        var strong = new FinetuneOptions(AugmentConfig: SimClrAugmentConfig.Strong).AugmentConfigFor(1);
        Assert.Equal(SimClrAugmentConfig.Strong.CropScale, strong.CropScale);
    }
}
