using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>
/// SimCLR's projection head g (Chen et al., 2020, §2.1): an MLP Linear → BatchNorm → ReLU → Linear mapping the
/// representation h to z where the contrastive loss is applied; it is discarded after pretraining, because h keeps
/// more information useful downstream than z.
/// </summary>
public sealed class ProjectionHead : Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    /// <summary>Builds the head.</summary>
    /// <param name="inputDim">Representation size D.</param>
    /// <param name="hiddenDim">Hidden width.</param>
    /// <param name="outputDim">Projection size.</param>
    public ProjectionHead(int inputDim, int hiddenDim = 128, int outputDim = 64) : base("ProjectionHead")
    {
        mlp = Mlp(inputDim, hiddenDim, outputDim);
        RegisterComponents();
    }

    /// <summary>(N, D) → (N, outputDim).</summary>
    public override Tensor forward(Tensor h) => mlp.forward(h);

    /// <summary>Linear (no bias) → BatchNorm → ReLU → Linear, the shape SimCLR's head and SimSiam's predictor share.</summary>
    internal static Sequential Mlp(int inputDim, int hiddenDim, int outputDim) =>
        Sequential(Linear(inputDim, hiddenDim, hasBias: false), BatchNorm1d(hiddenDim), ReLU(), Linear(hiddenDim, outputDim));
}

/// <summary>
/// The predictor q of BYOL (Grill et al., 2020) and SimSiam (Chen &amp; He, 2021): a bottleneck MLP on the online
/// branch that predicts the other branch's projection; with stop-gradient it is what prevents collapse.
/// </summary>
public sealed class Predictor : Module<Tensor, Tensor>
{
    private readonly Sequential mlp;

    /// <summary>Builds the predictor.</summary>
    /// <param name="dim">Projection size (input and output).</param>
    /// <param name="hiddenDim">Bottleneck width.</param>
    public Predictor(int dim = 64, int hiddenDim = 32) : base("Predictor")
    {
        mlp = ProjectionHead.Mlp(dim, hiddenDim, dim);
        RegisterComponents();
    }

    /// <summary>(N, dim) → (N, dim).</summary>
    public override Tensor forward(Tensor z) => mlp.forward(z);
}
