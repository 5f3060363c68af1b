using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.Training;

public sealed class ChunkedTests
{
    [Fact]
    public void ForEach_visits_every_row_once_in_order_without_gradients()
    {
        var seen = new List<(long, long)>();
        var grad = true;
        Chunked.ForEach(10, 4, (start, length) => { seen.Add((start, length)); grad &= is_grad_enabled(); });
        Assert.Equal([(0L, 4L), (4L, 4L), (8L, 2L)], seen);
        Assert.False(grad);
        Assert.True(is_grad_enabled());
        Assert.Throws<ArgumentOutOfRangeException>(() => Chunked.ForEach(10, 0, (_, _) => { }));
    }

    [Fact]
    public void Map_gives_the_same_bits_as_the_loop_it_replaced_and_keeps_only_its_result()
    {
        manual_seed(4);
        using var model = nn.Linear(6, 3);
        using var x = randn(37, 6);
        using var loop = cat(Enumerable.Range(0, 4).Select(i => model.forward(x.narrow(0, 10 * i, Math.Min(10, 37 - 10 * i)))).ToList(), 0);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var mapped = Chunked.Map(x, 10, model.forward))
        {
            Assert.Equal([37L, 3L], mapped.shape);
            Assert.False(mapped.requires_grad);
            Assert.True(mapped.allclose(loop, 0, 0));
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
