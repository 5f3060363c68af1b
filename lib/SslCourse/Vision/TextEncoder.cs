using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>
/// A small Transformer text encoder over characters, the text tower of the course's CLIP-style model (Radford et al.,
/// 2021, use a BPE Transformer; characters keep it self-contained). Text is lower-cased, each character in
/// <see cref="Alphabet"/> gets an id (0 is padding, 1 unknown), a learned position is added, bidirectional
/// <see cref="TransformerBlock"/>s run, and the mean of the non-padding outputs is the text's representation.
/// </summary>
public sealed class TextEncoder : Module<Tensor, Tensor>
{
    /// <summary>The characters with their own ids (after lower-casing); anything else maps to the "unknown" id 1.</summary>
    public const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 -/.,':";

    private readonly Embedding tok_embed;
    private readonly Parameter pos_embed;
    private readonly Sequential blocks;
    private readonly LayerNorm norm;

    /// <summary>Longest text in characters; longer texts are cut.</summary>
    public int MaxLength { get; }

    /// <summary>Token width D (= representation size).</summary>
    public int Dim { get; }

    /// <summary>Builds the encoder with fresh weights.</summary>
    /// <param name="dim">Token width.</param>
    /// <param name="depth">Transformer blocks.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="maxLength">Longest text in characters.</param>
    public TextEncoder(int dim = 64, int depth = 2, int heads = 4, int maxLength = 64) : base("TextEncoder")
    {
        Dim = dim;
        MaxLength = maxLength;
        tok_embed = Embedding(Alphabet.Length + 2, dim);
        pos_embed = Parameter(randn(1, maxLength, dim) * 0.02);
        blocks = Sequential(Enumerable.Range(0, depth).Select(_ => (Module<Tensor, Tensor>)new TransformerBlock(dim, heads)));
        norm = LayerNorm(dim);
        RegisterComponents();
    }

    /// <summary>(N, MaxLength) int64 ids of <paramref name="texts"/> on <paramref name="device"/>, padded with 0.</summary>
    public Tensor Tokenize(IReadOnlyList<string> texts, Device device)
    {
        var ids = new long[texts.Count * MaxLength];
        for (int i = 0; i < texts.Count; i++)
        {
            var t = texts[i].ToLowerInvariant();
            for (int j = 0; j < Math.Min(t.Length, MaxLength); j++)
            {
                var k = Alphabet.IndexOf(t[j]);
                ids[i * MaxLength + j] = k < 0 ? 1 : k + 2;
            }
        }
        return tensor(ids, [texts.Count, MaxLength], device: device);
    }

    /// <summary>(N, MaxLength) ids → (N, D): mean of the block outputs over the non-padding positions.
    /// Padding tokens are attended to (the blocks take no mask); they are a learned, constant token, so they carry no
    /// information about the text, only its length.</summary>
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var h = norm.forward(blocks.forward(tok_embed.forward(ids) + pos_embed));      // (N, L, D)
        var keep = ids.ne(0).unsqueeze(-1).to(h.dtype);                                 // (N, L, 1)
        return ((h * keep).sum(1) / keep.sum(1).clamp_min(1)).MoveToOuterDisposeScope();
    }

    /// <summary>Tokenises and encodes <paramref name="texts"/> on this encoder's device.</summary>
    public Tensor Encode(IReadOnlyList<string> texts) => forward(Tokenize(texts, pos_embed.device));
}
