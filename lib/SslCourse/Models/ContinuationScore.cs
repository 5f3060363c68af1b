using SslCourse.Text;
using static TorchSharp.torch;

namespace SslCourse.Models;

/// <summary>
/// Zero-shot scoring by likelihood (GPT-2, Radford et al., 2019): log p(continuation | context) under a language model,
/// the sum of the log-probabilities of the continuation's tokens, each given the context and the tokens before it.
/// Comparing it between candidate continuations turns the language model into a classifier with no labels.
/// </summary>
public static class ContinuationScore
{
    /// <summary>
    /// log p(<paramref name="continuation"/> | <paramref name="context"/>) in nats. The context is cut from the left
    /// to fit the model's block size.
    /// </summary>
    public static double LogProb(Gpt model, ITokenizer tokenizer, string context, string continuation) =>
        // Flush-to-zero on every libtorch thread: a trained model's sharp attention produces slow subnormal floats.
        Runtime.Denormals.Run(() => Score(model, tokenizer, context, continuation));

    private static double Score(Gpt model, ITokenizer tokenizer, string context, string continuation)
    {
        var cont = tokenizer.Encode(continuation);
        if (cont.Length == 0) throw new ArgumentException("the continuation is empty", nameof(continuation));
        var ctx = tokenizer.Encode(context);
        var keep = Math.Min(ctx.Length, model.Config.BlockSize + 1 - cont.Length);
        if (keep < 1) throw new ArgumentException($"a continuation of {cont.Length} tokens needs a context and does not fit the block size {model.Config.BlockSize}", nameof(continuation));
        var all = ctx[^keep..].Concat(cont).Select(i => (long)i).ToArray();
        var wasTraining = model.training;
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var device = model.parameters().First().device;
        var seq = tensor(all, device: device).unsqueeze(0);                       // (1, keep + n)
        var logp = nn.functional.log_softmax(model.forward(seq[.., ..^1]), -1);    // row t predicts token t + 1
        var targets = seq[.., keep..];                                             // the continuation's tokens
        var rows = logp[.., (keep - 1)..];                                         // the rows that predict them
        var total = rows.gather(-1, targets.unsqueeze(-1)).sum().item<float>();
        if (wasTraining) model.train();
        return total;
    }
}
