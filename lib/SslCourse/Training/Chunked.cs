using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// Evaluation over a large tensor a chunk of rows at a time, without gradients and with one dispose scope per chunk,
/// so activation memory is bounded by the chunk size whatever the number of rows.
/// </summary>
public static class Chunked
{
    /// <summary>
    /// Calls <paramref name="body"/>(start, length) for consecutive chunks of the rows [0, <paramref name="rows"/>), under
    /// <c>no_grad</c>, each call in its own dispose scope: the body accumulates in place into a tensor made outside
    /// (e.g. <c>correct.add_(…)</c>) or moves out what it keeps.
    /// </summary>
    /// <param name="rows">Number of rows.</param>
    /// <param name="chunk">Rows per call (the last call may get fewer).</param>
    /// <param name="body">Work on rows start … start + length − 1.</param>
    public static void ForEach(long rows, long chunk, Action<long, long> body)
    {
        if (chunk < 1) throw new ArgumentOutOfRangeException(nameof(chunk), chunk, "a chunk needs at least one row");
        using var noGrad = no_grad();
        for (long start = 0; start < rows; start += chunk)
        {
            using var scope = NewDisposeScope(); // frees this chunk's activations before the next
            body(start, Math.Min(chunk, rows - start));
        }
    }

    /// <summary>
    /// <paramref name="f"/> applied to consecutive chunks of <paramref name="x"/>'s rows (dim 0), without gradients, the
    /// results concatenated along dim 0; only each chunk's result outlives its scope.
    /// </summary>
    /// <param name="x">(N, …) input.</param>
    /// <param name="chunk">Rows per call of <paramref name="f"/>.</param>
    /// <param name="f">Maps a (n, …) chunk (a view of <paramref name="x"/>) to a (n, …) result.</param>
    /// <returns>The concatenated results.</returns>
    public static Tensor Map(Tensor x, long chunk, Func<Tensor, Tensor> f)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        ForEach(x.shape[0], chunk, (start, length) => parts.Add(f(x.narrow(0, start, length)).MoveToOuterDisposeScope()));
        return cat(parts, 0).MoveToOuterDisposeScope();
    }
}
