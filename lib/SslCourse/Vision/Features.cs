using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>Frozen representations φ(x) of a whole image set, for probes, kNN and plots.</summary>
public static class Features
{
    /// <summary>Encodes <paramref name="images"/> in eval mode without gradients, in batches.</summary>
    /// <param name="encoder">The encoder φ (its training mode is restored afterwards).</param>
    /// <param name="images">(N, C, H, W) images (any device; batches move to the encoder's device).</param>
    /// <param name="batch">Images per forward pass.</param>
    /// <param name="toCpu">Return on the CPU (else on the encoder's device).</param>
    /// <returns>(N, D) float32 features.</returns>
    public static Tensor Extract(VisionEncoder encoder, Tensor images, int batch = 1024, bool toCpu = true)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var wasTraining = encoder.training;
        encoder.eval();
        try
        {
            var device = encoder.Device;
            // Each chunk keeps only its features, not its moved input or device copy.
            return Chunked.Map(images, batch, x =>
            {
                var f = encoder.forward(x.to(device));
                return toCpu ? f.cpu() : f;
            }).MoveToOuterDisposeScope();
        }
        finally { encoder.train(wasTraining); }
    }
}
