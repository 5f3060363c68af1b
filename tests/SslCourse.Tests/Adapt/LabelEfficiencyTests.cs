using SslCourse.Adapt;
using SslCourse.Data;
using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Tests.Adapt;

public sealed class LabelEfficiencyTests
{
    [Fact]
    public void Stratified_sampler_is_balanced_and_deterministic()
    {
        using var labels = tensor(Enumerable.Range(0, 300).Select(i => (long)(i * 7 % 10)).ToArray());
        var a = StratifiedSampler.Indices(labels, 5, seed: 1);
        var b = StratifiedSampler.Indices(labels, 5, seed: 1);
        var c = StratifiedSampler.Indices(labels, 5, seed: 2);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var y = labels.data<long>().ToArray();
        Assert.All(a.GroupBy(i => y[i]), g => Assert.Equal(5, g.Count()));
        Assert.Equal(10, a.Select(i => y[i]).Distinct().Count());
        Assert.Equal(300, StratifiedSampler.Indices(labels, null, 0).Length);
    }

    [Fact]
    public void Sweep_and_finetune_produce_a_table_on_separable_toy_images()
    {
        manual_seed(8);
        // Two classes: bright top half vs bright bottom half, plus noise.
        var y = tensor(Enumerable.Range(0, 80).Select(i => (long)(i % 2)).ToArray());
        var x = rand(80, 1, 28, 28) * 0.3;
        x[TensorIndex.Tensor(y.eq(0)), .., ..14, ..] += 0.7;
        x[TensorIndex.Tensor(y.eq(1)), .., 14.., ..] += 0.7;
        using var ds = new ImageDataset(x.clamp(0, 1), y, ["top", "bottom"], "toy");
        using var enc = new ConvEncoder(new ConvEncoderConfig(Width: 8, Stages: 2));
        var table = LabelEfficiency.Sweep(new Dictionary<string, VisionEncoder> { ["pixels"] = new PixelEncoder((1, 28, 28)), ["cnn"] = enc }, ds, ds,
            new LabelEfficiencyOptions([1, 10], FinetuneMethods: ["cnn"], Finetune: new FinetuneOptions(Steps: 10, BatchSize: 8)));
        Assert.Equal(2 * 2 * 2 + 2, table.Rows.Count);
        Assert.True(table.Get("pixels", "linear probe", 10) > 0.9, table.ToString());
        Assert.Contains("10/class", table.ToString());
        Assert.False(double.IsNaN(table.Get("cnn", "finetune", 1)));
    }

    [Fact]
    public void Draws_average_the_probe_over_subsets_with_consecutive_seeds()
    {
        manual_seed(9);
        var y = tensor(Enumerable.Range(0, 60).Select(i => (long)(i % 2)).ToArray());
        var x = rand(60, 1, 28, 28);
        x[TensorIndex.Tensor(y.eq(0)), .., ..14, ..] += 0.3;
        using var ds = new ImageDataset(x.clamp(0, 1), y, ["top", "other"], "toy");
        var methods = new Dictionary<string, VisionEncoder> { ["pixels"] = new PixelEncoder((1, 28, 28)) };
        double Single(int seed) => LabelEfficiency.Sweep(methods, ds, ds, new LabelEfficiencyOptions([1], seed, Knn: false)).Get("pixels", "linear probe", 1);
        var averaged = LabelEfficiency.Sweep(methods, ds, ds, new LabelEfficiencyOptions([1, null], 0, Knn: false, Draws: 3));
        Assert.Equal(2, averaged.Rows.Count);
        Assert.Equal((Single(0) + Single(1) + Single(2)) / 3, averaged.Get("pixels", "linear probe", 1), 9);
    }
}
