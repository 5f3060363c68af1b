using SslCourse.Runtime;
using static TorchSharp.torch;

namespace SslCourse.Tests.Models;

public sealed class DenormalsTests
{
    private static float SubnormalProduct()
    {
        using var a = tensor(new[] { 1e-30f });
        using var b = tensor(new[] { 1e-10f });
        using var x = a * b; // 1e-40 is subnormal in float32
        return x.item<float>();
    }

    [Fact]
    public void FlushToZeroTurnsSubnormalProductsIntoZero()
    {
        // The libtorch entry point resolves and the CPU flag applies (the slowdown it prevents is shown in 02_6).
        Assert.True(Denormals.FlushToZero());
        Assert.Equal(0f, SubnormalProduct());
    }

    [Fact]
    public void RunFlushesOnItsOwnThreadAndRethrows()
    {
        Assert.Equal(0f, Denormals.Run(SubnormalProduct));
        Assert.Throws<InvalidOperationException>(() => Denormals.Run<int>(() => throw new InvalidOperationException()));
    }
}
