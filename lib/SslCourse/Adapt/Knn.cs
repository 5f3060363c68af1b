using SslCourse.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>
/// k-nearest-neighbour classification on frozen features with cosine similarity and a temperature-weighted
/// vote, the evaluation used by Wu et al. (2018, "Unsupervised feature learning via non-parametric instance
/// discrimination") and DINO (Caron et al. 2021). No parameters are trained.
/// </summary>
public static class Knn
{
    /// <summary>Predicts class indices for <paramref name="testFeatures"/> (M, D) from labelled <paramref name="trainFeatures"/> (N, D).</summary>
    /// <param name="trainFeatures">Labelled features (N, D).</param>
    /// <param name="trainLabels">Their int64 labels (N).</param>
    /// <param name="testFeatures">Features to classify (M, D).</param>
    /// <param name="k">Neighbours that vote (capped at N).</param>
    /// <param name="temperature">Vote weight exp(similarity / temperature).</param>
    /// <param name="chunk">Test rows per similarity block, bounding memory at chunk × N.</param>
    public static Tensor Predict(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, int k = 20, double temperature = 0.07, int chunk = 1024)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = trainFeatures.device;
        var train = nn.functional.normalize(trainFeatures.to(ScalarType.Float32), dim: 1);
        var test = nn.functional.normalize(testFeatures.to(ScalarType.Float32, device), dim: 1);
        var labels = trainLabels.to(ScalarType.Int64, device);
        var classes = labels.max().item<long>() + 1;
        var kk = (int)Math.Min(k, train.shape[0]);
        return Chunked.Map(test, chunk, block =>
        {
            var sim = block.matmul(train.T);                         // (m, N)
            var (top, idx) = sim.topk(kk, dim: 1);                   // (m, k)
            var votes = zeros(block.shape[0], classes, device: device);
            votes.scatter_add_(1, labels[idx], (top / temperature).exp());
            return votes.argmax(1);
        }).MoveToOuterDisposeScope();
    }

    /// <summary>Accuracy of <see cref="Predict"/> on labelled test features.</summary>
    public static double Accuracy(Tensor trainFeatures, Tensor trainLabels, Tensor testFeatures, Tensor testLabels, int k = 20, double temperature = 0.07)
    {
        using var scope = NewDisposeScope();
        var pred = Predict(trainFeatures, trainLabels, testFeatures, k, temperature);
        return pred.eq(testLabels.to(ScalarType.Int64, pred.device)).to(ScalarType.Float64).mean().item<double>();
    }
}
