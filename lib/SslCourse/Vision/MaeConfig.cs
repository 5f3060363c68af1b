namespace SslCourse.Vision;

/// <summary>Size of a <see cref="MaskedAutoencoder"/>.</summary>
/// <param name="ImageSize">Square image side (28 for Fashion-MNIST).</param>
/// <param name="Channels">Image channels.</param>
/// <param name="PatchSize">Patch side; must divide ImageSize (7 → 16 patches of 49 pixels, 4 → 49 patches of 16).</param>
/// <param name="Dim">Encoder token width (= representation size).</param>
/// <param name="Depth">Encoder transformer blocks.</param>
/// <param name="Heads">Attention heads.</param>
/// <param name="DecoderDim">Decoder token width.</param>
/// <param name="DecoderDepth">Decoder transformer blocks.</param>
/// <param name="MaskRatio">Fraction of patches hidden from the encoder (MAE uses 0.75).</param>
public sealed record MaeConfig(int ImageSize = 28, int Channels = 1, int PatchSize = 7, int Dim = 64, int Depth = 2, int Heads = 4,
    int DecoderDim = 64, int DecoderDepth = 1, double MaskRatio = 0.75)
{
    /// <summary>Patches per image.</summary>
    public int Patches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Pixels per patch.</summary>
    public int PatchPixels => PatchSize * PatchSize * Channels;

    /// <summary>(N, C, H, W) → (N, P, s·s·C) patches in row-major order.</summary>
    public TorchSharp.torch.Tensor Patchify(TorchSharp.torch.Tensor x)
    {
        long n = x.shape[0], c = x.shape[1], p = PatchSize, g = ImageSize / p;
        return x.reshape(n, c, g, p, g, p).permute(0, 2, 4, 3, 5, 1).reshape(n, g * g, p * p * c);
    }

    /// <summary>For the ci profile: 7×7 patches, 2 encoder blocks of width 64, one decoder block.</summary>
    public static MaeConfig Tiny { get; } = new();

    /// <summary>For the full profile: 4×4 patches (49 tokens), 4 encoder blocks of width 128, 2 decoder blocks.</summary>
    public static MaeConfig Small { get; } = new(PatchSize: 4, Dim: 128, Depth: 4, Heads: 4, DecoderDim: 64, DecoderDepth: 2);
}
