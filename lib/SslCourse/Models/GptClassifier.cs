using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>Which hidden states the classification head reads.</summary>
public enum Pooling
{
    /// <summary>The last position's state c_T: under causal attention the only one that has read the whole passage.</summary>
    LastToken,
    /// <summary>The mean of all positions' states: every position has read only its own prefix.</summary>
    Mean,
}

/// <summary>
/// Finetuning a language model for classification (Radford et al., 2018): a linear head wᵀc on the last position's
/// hidden state c_{T} of a GPT body. With <see cref="FreezeBody"/> only the head learns (a linear probe); otherwise
/// every weight does (full finetuning).
/// </summary>
public sealed class GptClassifier : Module<Tensor, Tensor>
{
    private readonly Gpt body;
    private readonly Linear head;
    private readonly Pooling pooling;

    /// <summary>Puts a fresh head with <paramref name="classes"/> outputs on <paramref name="body"/>.</summary>
    public GptClassifier(Gpt body, int classes, Pooling pooling = Pooling.LastToken) : base(nameof(GptClassifier))
    {
        this.body = body;
        this.pooling = pooling;
        head = nn.Linear(body.Config.Embed, classes);
        RegisterComponents();
    }

    /// <summary>Stops (or restarts) gradients to the body.</summary>
    public void FreezeBody(bool frozen = true)
    {
        foreach (var p in body.parameters()) p.requires_grad = !frozen;
    }

    /// <summary>tokens (B, T) → class logits (B, classes) from the last hidden state (or the mean of all of them).</summary>
    public override Tensor forward(Tensor idx)
    {
        var h = body.Hidden(idx); // (B, T, C)
        return head.forward(pooling == Pooling.LastToken ? h[.., -1, ..] : h.mean([1]));
    }
}
