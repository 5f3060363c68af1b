using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Models;

/// <summary>
/// Finetuning a language model for classification (Radford et al., 2018): a linear head wᵀc on the last position's
/// hidden state c_{T} of a GPT body. With <see cref="FreezeBody"/> only the head learns (a linear probe); otherwise
/// every weight does (full finetuning).
/// </summary>
public sealed class GptClassifier : Module<Tensor, Tensor>
{
    private readonly Gpt body;
    private readonly Linear head;

    /// <summary>Puts a fresh head with <paramref name="classes"/> outputs on <paramref name="body"/>.</summary>
    public GptClassifier(Gpt body, int classes) : base(nameof(GptClassifier))
    {
        this.body = body;
        head = nn.Linear(body.Config.Embed, classes);
        RegisterComponents();
    }

    /// <summary>Stops (or restarts) gradients to the body.</summary>
    public void FreezeBody(bool frozen = true)
    {
        foreach (var p in body.parameters()) p.requires_grad = !frozen;
    }

    /// <summary>tokens (B, T) → class logits (B, classes) from the last hidden state.</summary>
    public override Tensor forward(Tensor idx) => head.forward(body.Hidden(idx)[.., -1, ..]);
}
