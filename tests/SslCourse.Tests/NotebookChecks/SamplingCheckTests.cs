using SslCourse.Generation;
using static TorchSharp.torch;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_5's filter check (cell 025-13b): the filters written out over a sorted list agree with
/// <see cref="Sampler.Distribution"/> on random rows for 36 settings; plausible broken filters fail it.
/// </summary>
public sealed class SamplingCheckTests
{
    public enum Bug { None, NucleusDropsTheCrossingToken, NucleusBeforeTopK, TopKKeepsOneMore }

    // The notebook's MyDistribution, with one optional bug.
    private static double[] Written(float[] u, double tau, int? topK, double? topP, Bug bug)
    {
        var order = Enumerable.Range(0, u.Length).OrderByDescending(i => u[i]).ToArray();
        var kept = order.Take(topK is int k ? Math.Min(u.Length, bug == Bug.TopKKeepsOneMore ? k + 1 : k) : u.Length).ToArray();
        var scope = bug == Bug.NucleusBeforeTopK ? order : kept;             // the nucleus measured on all tokens
        var top = u[order[0]] / tau;
        var z = scope.Sum(i => Math.Exp(u[i] / tau - top));
        var q = new double[u.Length];
        double before = 0;
        foreach (var i in scope)
        {
            var w = Math.Exp(u[i] / tau - top) / z;
            if (topP is double p && (bug == Bug.NucleusDropsTheCrossingToken ? before + w >= p && before > 0 : before >= p)) break;
            if (kept.Contains(i)) q[i] = w;
            before += w;
        }
        var total = q.Sum();
        return q.Select(x => x / total).ToArray();
    }

    // The notebook's check: the worst difference over 8 random rows for each of the 36 settings.
    private static double Worst(Bug bug)
    {
        manual_seed(0);
        double worst = 0;
        foreach (var tau in new[] { 0.5, 1.0, 1.5 })
            foreach (var k in new int?[] { null, 1, 5, 20 })
                foreach (var p in new double?[] { null, 0.5, 0.9 })
                    for (int r = 0; r < 8; r++)
                    {
                        using var u = randn(1, 65) * (0.5 + 3.5 * rand(1).item<float>());
                        var library = Sampler.Distribution(u, new SamplingOptions(tau, k, p))[0].data<float>().ToArray();
                        var mine = Written(u[0].data<float>().ToArray(), tau, k, p, bug);
                        worst = Math.Max(worst, mine.Zip(library, (a, b) => Math.Abs(a - b)).Max());
                    }
        return worst;
    }

    [Fact]
    public void The_written_out_filters_pass()
    {
        Assert.True(Worst(Bug.None) <= 1e-5, $"{Worst(Bug.None)}");
    }

    [Theory]
    [InlineData(Bug.NucleusDropsTheCrossingToken)]
    [InlineData(Bug.NucleusBeforeTopK)]
    [InlineData(Bug.TopKKeepsOneMore)]
    public void A_broken_filter_fails(Bug bug)
    {
        Assert.True(Worst(bug) > 1e-2, $"{bug}: {Worst(bug)}");
    }
}
