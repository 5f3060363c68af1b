using SslCourse.Runtime;
using SslCourse.Training;
using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Checkpoints;

/// <summary>
/// One encoder the course ships trained at the <c>full</c> profile: how to build it (architecture and initial
/// weights from <c>manual_seed(seed)</c>), how to train it (a recipe of <see cref="Training"/>), and which part of it
/// is the encoder that adaptation uses. <see cref="PretrainedCatalog"/> lists them; <see cref="Pretrained"/> loads them.
/// </summary>
/// <param name="Name">File name stem, e.g. "simclr".</param>
/// <param name="Method">The method's name as the notebooks print it, e.g. "SimCLR".</param>
/// <param name="Recipe">The library call that trains it, for the manifest.</param>
/// <param name="Config">The training settings (null: nothing is trained, e.g. the random encoder).</param>
/// <param name="Architecture">The model's config record (ConvEncoderConfig, MaeConfig, …).</param>
/// <param name="Build">Builds the freshly initialised model on a device.</param>
/// <param name="Encoder">The encoder inside the model.</param>
/// <param name="Train">Trains the model in place: (model, data, session, checkpoint folder) → history.</param>
public sealed record PretrainedSpec(
    string Name,
    string Method,
    string Recipe,
    SslConfig? Config,
    object Architecture,
    Func<Device, nn.Module> Build,
    Func<nn.Module, VisionEncoder> Encoder,
    Func<nn.Module, VisionData, CourseSession, string, History>? Train);
