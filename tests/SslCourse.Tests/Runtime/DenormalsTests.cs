using SslCourse.Runtime;
using SslCourse.Training;
using static TorchSharp.torch;

namespace SslCourse.Tests.Runtime;

public sealed class DenormalsTests
{
    private static float SubnormalProduct()
    {
        using var a = tensor(new[] { 1e-30f });
        using var b = tensor(new[] { 1e-10f });
        using var x = a * b; // 1e-40 is subnormal in float32
        return x.item<float>();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread with the flag set as given. A new thread copies the CPU flags of the
    /// thread that creates it, so the flag is set explicitly, off for the controls every flush assertion needs.
    /// </summary>
    private static T WithFlag<T>(bool on, Func<T> work)
    {
        T value = default!;
        var supported = false;
        var t = new Thread(() => { supported = Denormals.FlushToZero(on); value = work(); });
        t.Start();
        t.Join();
        Assert.True(supported, "libtorch's setFlushDenormal was not found");
        return value;
    }

    private static T FlagOff<T>(Func<T> work) => WithFlag(false, work);

    [Fact]
    public void FlushToZeroTurnsSubnormalProductsIntoZero()
    {
        Assert.NotEqual(0f, FlagOff(SubnormalProduct));
        Assert.Equal(0f, WithFlag(true, SubnormalProduct));
    }

    [Fact]
    public void RunFlushesOnItsThreadRunsNestedCallsInlineAndRethrows()
    {
        Assert.NotEqual(0f, FlagOff(SubnormalProduct));
        Assert.Equal(0f, Denormals.Run(SubnormalProduct));
        Assert.False(Denormals.OnFlushThread);
        Assert.True(Denormals.Run(() => Denormals.Run(() => Denormals.OnFlushThread))); // inline: no deadlock
        var e = Assert.Throws<InvalidOperationException>(() => Denormals.Run<int>(() => throw new InvalidOperationException("boom")));
        Assert.Equal("boom", e.Message);
        Assert.Equal(0f, Denormals.Run(SubnormalProduct)); // the thread survives an exception
    }

    private static readonly AsyncLocal<string?> Ambient = new();

    [Fact]
    public void RunCarriesTheCallersExecutionContext()
    {
        // A notebook's display context is an AsyncLocal: progress lines from the flush thread must reach the calling cell.
        Ambient.Value = "first";
        Assert.Equal("first", Denormals.Run(() => Ambient.Value));
        Ambient.Value = "second";
        Assert.Equal("second", Denormals.Run(() => Ambient.Value));
    }

    [Fact]
    public void TrainerRunsItsStepsOnTheFlushThreadOnlyWhenAsked()
    {
        using var w = new TorchSharp.Modules.Parameter(ones(1));
        float Fit(bool flush)
        {
            var seen = float.NaN;
            Trainer.Fit([w], _ => { seen = SubnormalProduct(); return (w * w).sum(); }, new TrainerOptions(2, LogEvery: 1, FlushDenormals: flush));
            return seen;
        }
        Assert.Equal(0f, FlagOff(() => Fit(flush: true)));
        Assert.NotEqual(0f, FlagOff(() => Fit(flush: false)));
    }
}
