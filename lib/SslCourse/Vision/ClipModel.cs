using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>
/// A small CLIP-style model (Radford et al., 2021): an image encoder and a <see cref="TextEncoder"/>, each followed by a
/// linear projection into a shared embedding space, and a learned logit scale (initialised at log(1/0.07), clamped at
/// log 100 as in CLIP). Trained with <see cref="Losses.ClipLoss"/>; zero-shot classification compares an image's
/// embedding with the embeddings of one prompt (or an ensemble of prompts) per class.
/// </summary>
public sealed class ClipModel : Module<Tensor, Tensor>
{
    private readonly VisionEncoder image_encoder;
    private readonly TextEncoder text_encoder;
    private readonly Linear image_proj, text_proj;
    private readonly Parameter logit_scale;

    /// <summary>Builds the model around a fresh <paramref name="imageEncoder"/> and <paramref name="textEncoder"/>.</summary>
    /// <param name="imageEncoder">E.g. the chapter's <see cref="ConvEncoder"/>.</param>
    /// <param name="textEncoder">The character Transformer.</param>
    /// <param name="embedDim">Size of the shared embedding space.</param>
    public ClipModel(VisionEncoder imageEncoder, TextEncoder textEncoder, int embedDim = 64) : base("ClipModel")
    {
        image_encoder = imageEncoder;
        text_encoder = textEncoder;
        image_proj = Linear(imageEncoder.OutputDim, embedDim, hasBias: false);
        text_proj = Linear(textEncoder.Dim, embedDim, hasBias: false);
        logit_scale = Parameter(tensor(Math.Log(1 / 0.07), dtype: ScalarType.Float32));
        RegisterComponents();
    }

    /// <summary>The image tower's encoder (its output before the projection is what a linear probe uses).</summary>
    public VisionEncoder ImageEncoder => image_encoder;

    /// <summary>The text tower.</summary>
    public TextEncoder TextEncoder => text_encoder;

    /// <summary>The learned logit scale s (logits = exp(s)·cos), clamped to at most log 100.</summary>
    public Tensor LogitScale => logit_scale.clamp(max: Math.Log(100));

    /// <summary>(N, C, H, W) images → (N, E) unnormalised embeddings.</summary>
    public Tensor EmbedImages(Tensor images) => image_proj.forward(image_encoder.forward(images));

    /// <summary>Texts → (N, E) unnormalised embeddings.</summary>
    public Tensor EmbedTexts(IReadOnlyList<string> texts) => text_proj.forward(text_encoder.Encode(texts));

    /// <summary>(N, L) token ids (from <see cref="TextEncoder.Tokenize"/>) → (N, E) unnormalised embeddings.</summary>
    public Tensor EmbedTokens(Tensor ids) => text_proj.forward(text_encoder.forward(ids));

    /// <summary>Image embeddings (same as <see cref="EmbedImages"/>).</summary>
    public override Tensor forward(Tensor images) => EmbedImages(images);
}
