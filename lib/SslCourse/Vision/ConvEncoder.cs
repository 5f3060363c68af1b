using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace SslCourse.Vision;

/// <summary>Size of a <see cref="ConvEncoder"/>.</summary>
/// <param name="InChannels">Input channels (1 for Fashion-MNIST, 3 for CIFAR-10).</param>
/// <param name="Width">Channels of the first stage; each later stage doubles them.</param>
/// <param name="Stages">Number of stages; every stage after the first halves the resolution.</param>
/// <param name="BlocksPerStage">Residual blocks per stage.</param>
/// <param name="StemStride">Stride of the first convolution (2 halves the work on 28×28 inputs).</param>
public sealed record ConvEncoderConfig(int InChannels = 1, int Width = 16, int Stages = 3, int BlocksPerStage = 1, int StemStride = 2)
{
    /// <summary>Representation size: the last stage's channels.</summary>
    public int OutputDim => Width << (Stages - 1);

    /// <summary>For the ci profile on 2 CPU cores: 16-32-64 channels, one block each (D = 64).</summary>
    public static ConvEncoderConfig Tiny { get; } = new();

    /// <summary>For the full profile: 32-64-128 channels, one block each (D = 128); 2.4× Tiny's time per image.</summary>
    public static ConvEncoderConfig Small { get; } = new(Width: 32);
}

/// <summary>
/// A small ResNet-style CNN (He et al., 2016): a 3×3 stem, stages of residual blocks (two 3×3 conv + BatchNorm,
/// identity or 1×1 projection shortcut), global average pooling. Works for any input size, e.g. 1×28×28 and 3×32×32.
/// </summary>
public sealed class ConvEncoder : VisionEncoder
{
    private readonly Sequential stem;
    private readonly Sequential stages;

    /// <summary>The architecture.</summary>
    public ConvEncoderConfig Config { get; }

    /// <summary>Builds the encoder with fresh weights (seed with torch.manual_seed first).</summary>
    public ConvEncoder(ConvEncoderConfig config) : base("ConvEncoder")
    {
        Config = config;
        stem = Sequential(Conv2d(config.InChannels, config.Width, 3, stride: config.StemStride, padding: 1, bias: false),
            BatchNorm2d(config.Width), ReLU());
        var blocks = new List<Module<Tensor, Tensor>>();
        int c = config.Width;
        for (int s = 0; s < config.Stages; s++)
        {
            int outC = config.Width << s;
            for (int b = 0; b < config.BlocksPerStage; b++)
            {
                blocks.Add(new ResidualBlock(c, outC, s > 0 && b == 0 ? 2 : 1));
                c = outC;
            }
        }
        stages = Sequential(blocks);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override int OutputDim => Config.OutputDim;

    /// <inheritdoc/>
    public override VisionEncoder CreateSibling() => new ConvEncoder(Config);

    /// <summary>(N, C, H, W) → (N, D).</summary>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = stages.forward(stem.forward(x));          // (N, D, H', W')
        return h.mean([2, 3]).MoveToOuterDisposeScope();  // (N, D) global average pool
    }

    private sealed class ResidualBlock : Module<Tensor, Tensor>
    {
        private readonly Conv2d conv1, conv2;
        private readonly BatchNorm2d bn1, bn2;
        private readonly Module<Tensor, Tensor>? shortcut;

        public ResidualBlock(int inC, int outC, int stride) : base("ResidualBlock")
        {
            conv1 = Conv2d(inC, outC, 3, stride: stride, padding: 1, bias: false);
            bn1 = BatchNorm2d(outC);
            conv2 = Conv2d(outC, outC, 3, padding: 1, bias: false);
            bn2 = BatchNorm2d(outC);
            if (stride != 1 || inC != outC) shortcut = Sequential(Conv2d(inC, outC, 1, stride: stride, bias: false), BatchNorm2d(outC));
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = functional.relu(bn1.forward(conv1.forward(x)));
            h = bn2.forward(conv2.forward(h));
            var skip = shortcut is null ? x : shortcut.forward(x);
            return functional.relu(h + skip).MoveToOuterDisposeScope();
        }
    }
}
