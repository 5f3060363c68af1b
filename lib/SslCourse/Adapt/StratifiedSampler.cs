using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>Chooses a labelled subset with the same number of examples from every class, reproducibly.</summary>
public static class StratifiedSampler
{
    /// <summary>
    /// Indices of <paramref name="perClass"/> examples of each class (all of a class when it has fewer), drawn with
    /// <paramref name="seed"/>; null <paramref name="perClass"/> = every example. Sorted ascending.
    /// </summary>
    /// <param name="labels">(N) int64 labels (any device; read once on the host).</param>
    /// <param name="perClass">Labels per class, or null for all.</param>
    /// <param name="seed">Same seed, same subset.</param>
    public static long[] Indices(Tensor labels, int? perClass, int seed)
    {
        using var host = labels.cpu();
        var y = host.data<long>().ToArray();
        if (perClass is null) return Enumerable.Range(0, y.Length).Select(i => (long)i).ToArray();
        var rng = new Random(seed);
        var chosen = new List<long>();
        foreach (var group in Enumerable.Range(0, y.Length).GroupBy(i => y[i]).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            rng.Shuffle(members);
            chosen.AddRange(members.Take(perClass.Value).Select(i => (long)i));
        }
        chosen.Sort();
        return chosen.ToArray();
    }
}
