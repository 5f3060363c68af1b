using SslCourse.Models;
using SslCourse.Text;
using static TorchSharp.torch;

namespace SslCourse.Generation;

/// <summary>
/// One generated text with, for every new token, the entropy (nats) of the model's own next-token distribution
/// softmax(u), the entropy of the distribution actually sampled from (after τ, top-k, top-p), how many tokens that
/// distribution keeps, and the model's log-probability of the token chosen.
/// </summary>
public sealed record DecodingTrace(string Text, double[] ModelEntropy, double[] SamplingEntropy, int[] Kept, double[] ChosenLogProb)
{
    /// <summary>Mean negative log-likelihood (nats/token) of the generated tokens under the model itself.</summary>
    public double MeanNll => -ChosenLogProb.Average();

    /// <summary>Generates <paramref name="maxNewTokens"/> tokens after <paramref name="prompt"/> (batch of one) and records the per-step numbers.</summary>
    public static DecodingTrace Run(Gpt model, ITokenizer tokenizer, string prompt, int maxNewTokens, SamplingOptions options, int seed = 0) =>
        // Flush-to-zero on every libtorch thread: a trained model's sharp attention produces slow subnormal floats.
        Runtime.Denormals.Run(() => Trace(model, tokenizer, prompt, maxNewTokens, options, seed));

    private static DecodingTrace Trace(Gpt model, ITokenizer tokenizer, string prompt, int maxNewTokens, SamplingOptions options, int seed)
    {
        if (maxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(maxNewTokens), maxNewTokens, "generate at least one token");
        var device = model.parameters().First().device;
        var wasTraining = model.training;
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        using var gen = new Generator((ulong)seed, device);
        var seq = tokenizer.EncodeToTensor(prompt, device).unsqueeze(0);
        var stats = new List<Tensor>();   // per step (4): model entropy, sampling entropy, kept, chosen log-prob; read back once
        var block = model.Config.BlockSize;
        for (int i = 0; i < maxNewTokens; i++)
        {
            var input = seq.shape[1] <= block ? seq : seq[.., ^block..];
            var logits = model.forward(input)[.., -1, ..];                    // (1, V)
            var logp = nn.functional.log_softmax(logits, -1);
            var q = Sampler.Distribution(logits, options);
            var next = options.IsGreedy ? logits.argmax(-1, keepdim: true) : Sampler.SampleFrom(q, gen); // (1, 1)
            var hModel = -(logp.exp() * logp).sum();
            var hSample = -(q * q.clamp_min(1e-30).log()).sum();
            stats.Add(stack([hModel, hSample, (q > 0).sum().to(ScalarType.Float32), logp.gather(-1, next).squeeze()]));
            seq = cat([seq, next], 1);
        }
        var table = stack(stats).cpu();                                        // (steps, 4)
        var rows = table.data<float>().ToArray();
        double[] Col(int c) => Enumerable.Range(0, maxNewTokens).Select(i => (double)rows[i * 4 + c]).ToArray();
        var text = tokenizer.Decode(seq[0].cpu().data<long>().Select(x => (int)x).ToArray());
        if (wasTraining) model.train();
        return new DecodingTrace(text, Col(0), Col(1), Col(2).Select(x => (int)x).ToArray(), Col(3));
    }
}
