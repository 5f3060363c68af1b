namespace SslCourse.Adapt;

/// <summary>
/// The difference in test accuracy between two methods scored on the same label draws and test images, with its
/// noise. <see cref="DrawSd"/> is the spread of the paired difference over label draws. The standard error adds the
/// test-set sampling noise of the paired per-image differences to the draw noise:
/// SE² = DrawSd²/draws + Var_i(d̄_i)/M, with d̄_i the draw-averaged difference on test image i of M. Pretraining-seed
/// noise is not in it (one pretraining run per method). A difference counts as distinguishable when it exceeds two
/// standard errors.
/// </summary>
/// <param name="A">The first method.</param>
/// <param name="B">The method subtracted.</param>
/// <param name="Mean">Mean over draws of accuracy(A) − accuracy(B), in [−1, 1].</param>
/// <param name="DrawSd">Sample standard deviation of the difference over draws (0 for one draw).</param>
/// <param name="StandardError">Standard error of <paramref name="Mean"/> from draws and test sampling.</param>
/// <param name="Draws">Label draws.</param>
/// <param name="TestImages">Test images per draw.</param>
public sealed record AccuracyDifference(string A, string B, double Mean, double DrawSd, double StandardError, int Draws, int TestImages)
{
    /// <summary>True when |<see cref="Mean"/>| &gt; 2 <see cref="StandardError"/>.</summary>
    public bool Distinguishable => Math.Abs(Mean) > 2 * StandardError;

    /// <summary>"A ahead", "B ahead", or "not distinguishable at this budget".</summary>
    public string Verdict => !Distinguishable ? "not distinguishable at this budget" : Mean > 0 ? $"{A} ahead" : $"{B} ahead";

    /// <summary>One line: the difference in points, its noise, and the verdict.</summary>
    public override string ToString()
    {
        var noise = Draws > 1 ? $" ± {100 * DrawSd:F1} points (mean ± sd over {Draws} label draws; standard error {100 * StandardError:F1} with {TestImages} test images)"
                              : $" points (one labelled set; standard error {100 * StandardError:F1} from {TestImages} test images)";
        return $"{A} − {B}: {100 * Mean:+0.0;-0.0}{noise} → {Verdict}";
    }

    /// <summary>The paired difference from per-draw, per-image correctness (1 right, 0 wrong) of two methods.</summary>
    public static AccuracyDifference Paired(string a, string b, double[][] correctA, double[][] correctB)
    {
        if (correctA.Length != correctB.Length || correctA.Length == 0 || correctA.Zip(correctB).Any(p => p.First.Length != p.Second.Length || p.First.Length == 0))
            throw new ArgumentException($"\"{a}\" and \"{b}\" were not scored on the same draws and test images");
        int draws = correctA.Length, m = correctA[0].Length;
        var perDraw = correctA.Zip(correctB, (x, y) => x.Average() - y.Average()).ToArray();
        var perImage = Enumerable.Range(0, m).Select(i => Enumerable.Range(0, draws).Average(d => correctA[d][i] - correctB[d][i])).ToArray();
        double drawSd = SampleSd(perDraw);
        double se = Math.Sqrt(drawSd * drawSd / draws + Math.Pow(SampleSd(perImage), 2) / m);
        return new AccuracyDifference(a, b, perDraw.Average(), drawSd, se, draws, m);
    }

    /// <summary>Sample standard deviation (n − 1 in the denominator); 0 for fewer than two values.</summary>
    public static double SampleSd(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1));
    }
}
