using static TorchSharp.torch;

namespace SslCourse.Losses;

/// <summary>
/// The masked-autoencoder loss of He et al. (2022), "Masked Autoencoders Are Scalable Vision Learners": the mean
/// squared error between predicted and true pixels, computed on the masked patches only (the visible ones are
/// given to the encoder, so reconstructing them teaches nothing).
/// </summary>
public static class MaskedReconstruction
{
    /// <summary>Mean over masked patches of the per-patch MSE.</summary>
    /// <param name="prediction">(B, P, s²C) predicted pixels of each of the P patches.</param>
    /// <param name="target">(B, P, s²C) true pixels per patch.</param>
    /// <param name="mask">(B, P) 1 where the patch was masked, 0 where visible.</param>
    public static Tensor Loss(Tensor prediction, Tensor target, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var perPatch = (prediction - target).pow(2).mean(new long[] { -1 });   // (B, P)
        var m = mask.to(perPatch.dtype);
        return ((perPatch * m).sum() / m.sum().clamp_min(1)).MoveToOuterDisposeScope();
    }
}
