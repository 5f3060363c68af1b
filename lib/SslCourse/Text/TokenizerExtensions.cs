using static TorchSharp.torch;

namespace SslCourse.Text;

/// <summary>Token ids as the tensors a model reads.</summary>
public static class TokenizerExtensions
{
    /// <summary>Text → (T) int64 ids on <paramref name="device"/> (the dtype embeddings index with).</summary>
    public static Tensor EncodeToTensor(this ITokenizer tokenizer, string text, Device? device = null) =>
        tensor(Array.ConvertAll(tokenizer.Encode(text), i => (long)i), device: device);
}
