using SslCourse.Models;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_1's checks (cell lm-11) pass the course's <see cref="BigramModel"/> and fail plausible broken ones: conditionals
/// against counts made by scanning the text, and the chain rule's joint over all two-token continuations summing to 1.
/// </summary>
public sealed class BigramCheckTests
{
    private const int V = 7;

    // The two checks of lm-11, as the notebook computes them.
    private static (double WorstCount, double WorstSum) Check(Func<int, int, double> logProb, int[] train, int[] piece)
    {
        double worstCount = 0;
        for (int t = 1; t < piece.Length; t++)
        {
            int a = piece[t - 1], b = piece[t], nab = 0, na = 0;
            for (int i = 0; i + 1 < train.Length; i++)
                if (train[i] == a) { na++; if (train[i + 1] == b) nab++; }
            worstCount = Math.Max(worstCount, Math.Abs(Math.Log((nab + 1.0) / (na + V)) - logProb(a, b)));
        }
        double worstSum = 0;
        for (int a = 0; a < V; a++)
        {
            double total = 0;
            for (int b = 0; b < V; b++)
                for (int c = 0; c < V; c++) total += Math.Exp(logProb(a, b) + logProb(b, c));
            worstSum = Math.Max(worstSum, Math.Abs(total - 1));
        }
        return (worstCount, worstSum);
    }

    private static (int[] Train, int[] Piece) Text()
    {
        var rng = new Random(5);
        var ids = new int[3000];
        for (int i = 1; i < ids.Length; i++) ids[i] = rng.Next(3) == 0 ? rng.Next(V) : (ids[i - 1] * 3 + 1) % V; // structured, every pair possible
        return (ids[..2700], ids[2700..2716]);
    }

    // A counted table with a chosen counting rule and denominator, for the broken variants.
    private static Func<int, int, double> Counted(int[] train, bool reversed, Func<double, double> denominator)
    {
        var n = new double[V, V];
        for (int i = 1; i < train.Length; i++)
            if (reversed) n[train[i], train[i - 1]]++; else n[train[i - 1], train[i]]++;
        return (a, b) =>
        {
            double row = 0;
            for (int c = 0; c < V; c++) row += n[a, c];
            return Math.Log((n[a, b] + 1) / denominator(row));
        };
    }

    [Fact]
    public void The_course_bigram_passes_both_checks()
    {
        var (train, piece) = Text();
        var model = new BigramModel(train, V);
        var (count, sum) = Check(model.LogProb, train, piece);
        Assert.True(count < 1e-9 && sum < 1e-9, $"{count} {sum}");
    }

    [Fact]
    public void Smoothing_with_n_plus_one_fails_the_joint_check()
    {
        var (train, piece) = Text();
        var (_, sum) = Check(Counted(train, reversed: false, row => row + 1), train, piece);
        Assert.True(sum > 1e-3, $"{sum}");
    }

    [Fact]
    public void Pairs_counted_the_wrong_way_round_fail_the_count_check()
    {
        var (train, piece) = Text();
        var (count, sum) = Check(Counted(train, reversed: true, row => row + V), train, piece);
        Assert.True(count > 1e-3, $"{count}");
        Assert.True(sum < 1e-6, "a reversed table still normalises: only the counts check can see it");
    }
}
