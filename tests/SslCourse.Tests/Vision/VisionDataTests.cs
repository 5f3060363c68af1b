using SslCourse.Data;
using SslCourse.Runtime;
using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Tests.Vision;

public sealed class VisionDataTests
{
    private static VisionData Colour() => new("cifar-10",
        new ImageDataset(rand(4, 3, 32, 32), zeros(4, dtype: ScalarType.Int64), Cifar10.ClassNames, "test"),
        new ImageDataset(rand(2, 3, 32, 32), zeros(2, dtype: ScalarType.Int64), Cifar10.ClassNames, "test"));

    [Fact]
    public void Model_shapes_and_views_follow_the_data()
    {
        using var data = Colour();
        Assert.Equal((3, 32, 32), data.Shape);
        Assert.Equal(3, data.EncoderConfigFor(ConvEncoderConfig.Tiny).InChannels);
        var mae = data.MaeConfigFor(MaeConfig.Tiny);                       // 7 does not divide 32: patches of 4
        Assert.Equal((32, 3, 4, 64), (mae.ImageSize, mae.Channels, mae.PatchSize, mae.Patches));
        Assert.Equal(4, data.MaeConfigFor(MaeConfig.Small).PatchSize);
        Assert.Same(SimClrAugmentConfig.Cifar10, data.Augment);
        Assert.Equal(3 * 32 * 32, data.Pixels().OutputDim);
        using var encoder = new ConvEncoder(data.EncoderConfigFor(ConvEncoderConfig.Tiny));
        using var features = encoder.forward(data.Train.Images);
        Assert.Equal(new long[] { 4, ConvEncoderConfig.Tiny.OutputDim }, features.shape);
    }

    [Fact]
    public void An_unknown_dataset_is_named_with_the_known_ones()
    {
        var course = new CourseSession(Profile.Ci, CPU, 0, "test");
        var e = Assert.Throws<ArgumentException>(() => VisionData.Load("cifar-100", course));
        Assert.Contains("Dataset \"cifar-100\" is not known", e.Message);
        Assert.Contains("\"fashion-mnist\", \"mnist\", \"cifar-10\"", e.Message);
    }
}
