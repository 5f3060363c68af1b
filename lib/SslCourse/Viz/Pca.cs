using static TorchSharp.torch;

namespace SslCourse.Viz;

/// <summary>Principal component analysis by the singular value decomposition of the centred data (Pearson 1901; Hotelling 1933).</summary>
public static class Pca
{
    /// <summary>
    /// Projects <paramref name="x"/> (N, D) onto its first <paramref name="components"/> principal directions and
    /// returns a tensor (N, components) on x's device. Signs are fixed so that each direction's largest loading is
    /// positive, making the result deterministic.
    /// </summary>
    public static Tensor Transform(Tensor x, int components = 2)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var data = x.detach().to(ScalarType.Float32).flatten(1);
        var centred = data - data.mean([0]);
        var (_, _, vh) = linalg.svd(centred, fullMatrices: false);   // vh: (min(N,D), D)
        var v = vh[..components].T;                                    // (D, k)
        var sign = v.gather(0, v.abs().argmax(0).unsqueeze(0)).sign(); // (1, k)
        return centred.matmul(v * sign).MoveToOuterDisposeScope();
    }

    /// <summary>The first <paramref name="components"/> principal coordinates as plain numbers (N, components), for charts.</summary>
    public static float[,] Project(Tensor x, int components = 2)
    {
        using var y = Transform(x, components);
        return ToArray(y);
    }

    internal static float[,] ToArray(Tensor y)
    {
        using var c = y.cpu().contiguous();
        var flat = c.data<float>().ToArray();
        int n = (int)c.shape[0], k = (int)c.shape[1];
        var result = new float[n, k];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(float));
        return result;
    }
}
