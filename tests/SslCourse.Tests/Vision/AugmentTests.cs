using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Vision;

public sealed class AugmentTests
{
    private static Tensor Images() { manual_seed(1); return rand(8, 1, 28, 28); }

    [Fact]
    public void Views_keep_shape_range_and_device_and_replay_under_a_seed()
    {
        using var x = Images();
        var config = SimClrAugmentConfig.Strong;
        using var a1 = new SimClrAugment(config, seed: 5);
        using var a2 = new SimClrAugment(config, seed: 5);
        using var a3 = new SimClrAugment(config, seed: 6);
        using var v1 = a1.Apply(x);
        using var v2 = a2.Apply(x);
        using var v3 = a3.Apply(x);
        Assert.Equal(x.shape, v1.shape);
        Assert.Equal(x.device.type, v1.device.type);
        Assert.True(v1.min().item<float>() >= 0 && v1.max().item<float>() <= 1);
        Assert.True(v1.allclose(v2, 0, 0));
        Assert.False(v1.allclose(v3));
        Assert.False(v1.allclose(x));
    }

    [Fact]
    public void Full_crop_is_the_identity_and_flip_mirrors()
    {
        using var x = Images();
        using var g = new Generator(0);
        using var same = Augment.RandomResizedCrop(x, g, (1, 1), (1, 1));
        Assert.True(same.allclose(x, atol: 1e-5));
        using var flipped = Augment.HorizontalFlip(x, g, p: 1.0);
        Assert.True(flipped.allclose(x.flip(3), 0, 0));
        using var rgb = rand(4, 3, 32, 32);
        using var aug = new SimClrAugment(SimClrAugmentConfig.FashionMnist, 1);
        using var v = aug.Apply(rgb);
        Assert.Equal(rgb.shape, v.shape);
    }

    [Fact]
    public void Colour_steps_keep_grey_levels_range_and_replay_and_leave_grey_batches_alone()
    {
        manual_seed(2);
        using var rgb = rand(16, 3, 32, 32);
        using var g = new Generator(3);
        using var grey = Augment.RandomGrayscale(rgb, g, p: 1.0);
        Assert.True(grey[.., 0].allclose(grey[.., 2], 0, 0));                     // every channel the same luma
        using var luma = rgb[.., 0] * 0.299 + rgb[.., 1] * 0.587 + rgb[.., 2] * 0.114;
        Assert.True(grey[.., 1].allclose(luma, atol: 1e-6));
        using var g1 = new Generator(4);
        using var g2 = new Generator(4);
        using var s1 = Augment.Saturation(rgb, g1, 0.4);
        using var s2 = Augment.Saturation(rgb, g2, 0.4);
        Assert.True(s1.allclose(s2, 0, 0));
        Assert.True(s1.min().item<float>() >= 0 && s1.max().item<float>() <= 1);
        Assert.False(s1.allclose(rgb));
        using var greyBatch = Images();
        using var unchanged = Augment.Saturation(greyBatch, g1, 0.4);
        Assert.True(unchanged.allclose(greyBatch, 0, 0));
        using var cifar = new SimClrAugment(SimClrAugmentConfig.Cifar10, 7);
        using var view = cifar.Apply(rgb);
        Assert.Equal(rgb.shape, view.shape);
    }
}
