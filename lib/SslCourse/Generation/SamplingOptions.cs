namespace SslCourse.Generation;

/// <summary>How to turn logits u into the next token: x ~ softmax(u / τ), optionally restricted to the top k or the nucleus.</summary>
/// <param name="Temperature">τ; 0 (or below) means greedy argmax, the τ → 0 limit.</param>
/// <param name="TopK">Keep only the k highest logits (Fan et al., 2018); null keeps all.</param>
/// <param name="TopP">Keep the smallest set of tokens whose probability reaches p (nucleus sampling, Holtzman et al., 2020); null keeps all.</param>
public sealed record SamplingOptions(double Temperature = 1.0, int? TopK = null, double? TopP = null)
{
    /// <summary>Always the most likely token.</summary>
    public static SamplingOptions Greedy => new(Temperature: 0);

    /// <summary>True when this is greedy decoding.</summary>
    public bool IsGreedy => Temperature <= 0;
}
