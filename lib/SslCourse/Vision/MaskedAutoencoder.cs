using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>What one MAE forward pass produced.</summary>
/// <param name="Prediction">(B, P, s²C) predicted pixels for every one of the P patches (side s, C channels).</param>
/// <param name="Target">(B, P, s²C) the true patches.</param>
/// <param name="Mask">(B, P) 1 = masked (hidden from the encoder), 0 = visible.</param>
public sealed record MaeOutput(Tensor Prediction, Tensor Target, Tensor Mask);

/// <summary>
/// A masked autoencoder (He et al., 2022): split the image into patches, hide a random MaskRatio of them, encode
/// only the visible ones with a small transformer, then a lighter decoder sees the encoded tokens plus a shared
/// learned mask token at each hidden position and predicts the hidden pixels. The loss
/// (<see cref="Losses.MaskedReconstruction"/>) is on masked patches only. <see cref="Encoder"/> is what is probed.
/// </summary>
public sealed class MaskedAutoencoder : Module<Tensor, Tensor>
{
    private readonly MaeEncoder encoder;
    private readonly Linear decoder_embed, decoder_pred;
    private readonly Parameter mask_token, decoder_pos_embed;
    private readonly Sequential decoder_blocks;
    private readonly LayerNorm decoder_norm;

    /// <summary>The architecture.</summary>
    public MaeConfig Config { get; }

    /// <summary>The encoder (images → mean of its token outputs), for probing and finetuning.</summary>
    public MaeEncoder Encoder => encoder;

    /// <summary>Builds the model with fresh weights.</summary>
    public MaskedAutoencoder(MaeConfig config) : base("MaskedAutoencoder")
    {
        Config = config;
        encoder = new MaeEncoder(config);
        decoder_embed = Linear(config.Dim, config.DecoderDim);
        mask_token = Parameter(randn(1, 1, config.DecoderDim) * 0.02);
        decoder_pos_embed = Parameter(randn(1, config.Patches, config.DecoderDim) * 0.02);
        decoder_blocks = Sequential(Enumerable.Range(0, config.DecoderDepth).Select(_ => (Module<Tensor, Tensor>)new TransformerBlock(config.DecoderDim, config.Heads)));
        decoder_norm = LayerNorm(config.DecoderDim);
        decoder_pred = Linear(config.DecoderDim, config.PatchPixels);
        RegisterComponents();
    }

    /// <summary>(N, C, H, W) → (N, P, s·s·C) patches in row-major order.</summary>
    public Tensor Patchify(Tensor x) => Config.Patchify(x);

    /// <summary>The inverse of <see cref="Patchify"/>.</summary>
    public Tensor Unpatchify(Tensor patches)
    {
        long n = patches.shape[0], c = Config.Channels, p = Config.PatchSize, g = Config.ImageSize / p;
        return patches.reshape(n, g, g, p, p, c).permute(0, 5, 1, 3, 2, 4).reshape(n, c, g * p, g * p);
    }

    /// <summary>Masks, encodes and decodes a batch; the random mask is drawn from <paramref name="generator"/>.</summary>
    public MaeOutput MaskAndReconstruct(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var target = Patchify(images);                                             // (B, P, s²C)
        long b = target.shape[0], l = target.shape[1];                             // l = P patches
        var (kept, restore, mask) = RandomMasking(b, l, Config.MaskRatio, images.device, generator);
        long keep = kept.shape[1];
        var tokens = encoder.Embed(target);                                        // (B, P, D) with positions
        var visible = tokens.gather(1, kept.unsqueeze(-1).expand(-1, -1, tokens.shape[2]));
        var encoded = encoder.Blocks(visible);                                     // (B, K, D)
        var dec = decoder_embed.forward(encoded);                                  // (B, K, Dd)
        var filler = mask_token.expand(b, l - keep, Config.DecoderDim);
        var full = cat([dec, filler], 1).gather(1, restore.unsqueeze(-1).expand(-1, -1, Config.DecoderDim)); // (B, P, Dd) in image order
        var h = decoder_norm.forward(decoder_blocks.forward(full + decoder_pos_embed));
        var prediction = decoder_pred.forward(h);                                  // (B, P, s²C)
        return new MaeOutput(prediction.MoveToOuterDisposeScope(), target.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// MAE's per-sample random masking (He et al., 2022, §3 and their reference code): draw uniform noise per patch,
    /// sort it, keep the patches with the smallest noise. Returns the kept indices (B, K) with K = max(1, round(P(1 − r))),
    /// the inverse permutation (B, P) that puts [kept tokens, then mask tokens] back into image order, and the
    /// mask (B, P) (1 = hidden).
    /// </summary>
    /// <param name="batch">B, images.</param>
    /// <param name="patches">P, patches per image.</param>
    /// <param name="ratio">r, fraction hidden.</param>
    /// <param name="device">Where the indices live.</param>
    /// <param name="generator">Source of the noise (null = the global one).</param>
    public static (Tensor Kept, Tensor Restore, Tensor Mask) RandomMasking(long batch, long patches, double ratio, Device device, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        long keep = Math.Max(1, (long)Math.Round(patches * (1 - ratio)));
        var noise = rand(batch, patches, device: device, generator: generator);
        var shuffle = noise.argsort(1);                                 // (B, P) a random order per sample
        var restore = shuffle.argsort(1);                               // its inverse: the rank of each patch
        var kept = shuffle[.., ..(int)keep];                            // (B, K) the lowest-noise patches
        var mask = restore.ge(keep).to(ScalarType.Float32);             // hidden ⇔ rank ≥ K
        return (kept.MoveToOuterDisposeScope(), restore.MoveToOuterDisposeScope(), mask.MoveToOuterDisposeScope());
    }

    /// <summary>The masked-patch reconstruction loss of one batch.</summary>
    public Tensor Loss(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var o = MaskAndReconstruct(images, generator);
        return Losses.MaskedReconstruction.Loss(o.Prediction, o.Target, o.Mask).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// For pictures: (masked input with hidden patches grey, reconstruction with the visible patches pasted back,
    /// original), each (N, C, H, W) in [0, 1], for one masked forward pass in eval mode.
    /// </summary>
    public (Tensor Masked, Tensor Reconstruction, Tensor Original) Visualise(Tensor images, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = training;
        eval();
        var o = MaskAndReconstruct(images, generator);
        train(wasTraining);
        var m = o.Mask.unsqueeze(-1);                                      // (B, P, 1)
        var masked = Unpatchify(o.Target * (1 - m) + 0.5 * m);
        var recon = Unpatchify(o.Prediction.clamp(0, 1) * m + o.Target * (1 - m));
        return (masked.MoveToOuterDisposeScope(), recon.MoveToOuterDisposeScope(), images.detach().clone().MoveToOuterDisposeScope());
    }

    /// <summary>The encoder's representation (same as <see cref="Encoder"/>).</summary>
    public override Tensor forward(Tensor images) => encoder.forward(images);
}

/// <summary>The MAE encoder: patch embedding + learned positions + transformer blocks + LayerNorm; as a
/// <see cref="VisionEncoder"/> it sees all patches and returns the mean of its token outputs (D = Dim).</summary>
public sealed class MaeEncoder : VisionEncoder
{
    private readonly Linear patch_embed;
    private readonly Parameter pos_embed;
    private readonly Sequential blocks;
    private readonly LayerNorm norm;
    private readonly MaeConfig config;

    /// <summary>Builds the encoder with fresh weights.</summary>
    public MaeEncoder(MaeConfig config) : base("MaeEncoder")
    {
        this.config = config;
        patch_embed = Linear(config.PatchPixels, config.Dim);
        pos_embed = Parameter(randn(1, config.Patches, config.Dim) * 0.02);
        blocks = Sequential(Enumerable.Range(0, config.Depth).Select(_ => (Module<Tensor, Tensor>)new TransformerBlock(config.Dim, config.Heads)));
        norm = LayerNorm(config.Dim);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int OutputDim => config.Dim;

    /// <inheritdoc/>
    public override VisionEncoder CreateSibling() => new MaeEncoder(config);

    /// <summary>(B, P, s²C) patches → (B, P, D) tokens with positions added.</summary>
    public Tensor Embed(Tensor patches) => patch_embed.forward(patches) + pos_embed;

    /// <summary>(B, K, D) tokens → (B, K, D) encoded tokens.</summary>
    public Tensor Blocks(Tensor tokens) => norm.forward(blocks.forward(tokens));

    /// <summary>(N, C, H, W) → (N, D): all patches encoded, token outputs averaged.</summary>
    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        return Blocks(Embed(config.Patchify(images))).mean([1]).MoveToOuterDisposeScope();
    }
}
