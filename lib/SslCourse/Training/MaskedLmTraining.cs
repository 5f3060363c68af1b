using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>
/// Pretraining a bidirectional Transformer encoder (a <see cref="Gpt"/> with <c>Causal = false</c> and one extra
/// vocabulary entry, the mask token) with BERT's masked-LM objective on random windows of a token stream.
/// </summary>
public static class MaskedLmTraining
{
    /// <summary>
    /// Trains <paramref name="encoder"/> on <paramref name="data"/>'s train split with the recipe <paramref name="config"/>;
    /// the loss is the cross-entropy at the masked positions only. Records "val_loss" (masked positions of the validation split)
    /// at every evaluation. The mask token is the last id of the encoder's vocabulary.
    /// </summary>
    public static History Train(Gpt encoder, TokenBatches data, PretrainConfig config, int seed, string name = "masked LM")
    {
        if (encoder.Config.Causal) throw new ArgumentException("a masked-LM encoder needs Causal = false in its GptConfig", nameof(encoder));
        var block = encoder.Config.BlockSize;
        var maskId = encoder.Config.VocabSize - 1;
        var device = data.Train.device;
        using var gen = new Generator((ulong)seed, device);
        Tensor Loss(Tensor x)
        {
            var (input, targets) = BertMasking.Apply(x, maskId, maskId, gen);
            return LmLoss.Loss(encoder.forward(input), targets, ignoreIndex: -1);
        }
        encoder.train();
        return Trainer.Fit(encoder.parameters(), _ => Loss(data.Sample(true, config.Batch, block).X), config.ToTrainerOptions(name),
            itemsPerStep: (long)config.Batch * block, evaluate: (step, h) =>
            {
                var (_, val) = data.EstimateLoss((x, _) => Loss(x), encoder, config.EvalBatches, config.Batch, block);
                h.Add("val_loss", step, val);
            }, evalEvery: config.EvalEvery);
    }
}
