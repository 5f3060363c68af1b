using SslCourse.Training;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Runtime;
using SslCourse.Vision;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Bench;

/// <summary>The training steps behind the notebooks' ci and full profiles, on synthetic inputs of the same shapes.</summary>
internal static class Cases
{
    public static IReadOnlyList<BenchCase> All(CourseSession course) =>
    [
        Vision("simclr-ci", course, SslConfig.Ci, ConvEncoderConfig.Tiny),
        Vision("simclr-full", course, SslConfig.Full, ConvEncoderConfig.Small),
        Gpt("gpt-ci", course, new GptConfig(65, BlockSize: 64, Layers: 4, Heads: 4, Embed: 128, Bias: false), batch: 12, profileSteps: 2000, lr: 1e-3),
        Gpt("gpt-full", course, GptConfig.ShakespeareChar, batch: 64, profileSteps: 5000, lr: 1e-3),
        Incontext("icl-ci", course, layers: 2, embed: 64, batch: 32, profileSteps: 1500),
        Incontext("icl-full", course, layers: 4, embed: 128, batch: 64, profileSteps: 6000),
    ];

    private static BenchCase Vision(string name, CourseSession course, SslConfig config, ConvEncoderConfig encoder) =>
        new(name, config.Steps, $"{config.BatchSize} images × 2 views, encoder {encoder.Width}w×{encoder.BlocksPerStage}b", steps =>
        {
            using var images = rand(4 * config.BatchSize, 1, 28, 28, device: course.Device);
            manual_seed(course.Seed);
            using var model = new ConvEncoder(encoder).to(course.Device);
            SimClr.Pretrain(model, images, config with { Steps = steps, WarmupSteps = 1, LogEvery = steps }, course);
        });

    private static BenchCase Gpt(string name, CourseSession course, GptConfig config, int batch, int profileSteps, double lr) =>
        new(name, profileSteps, $"{batch}×{config.BlockSize} tokens, {config.Layers}L {config.Heads}H {config.Embed}w", steps =>
        {
            var rng = new Random(course.Seed);
            var ids = Enumerable.Range(0, 200_000).Select(_ => rng.Next(config.VocabSize)).ToArray();
            using var data = new TokenBatches(ids, course.Device, seed: course.Seed);
            manual_seed(course.Seed);
            using var model = new Gpt(config).to(course.Device);
            Pretraining.Train(model, data, steps, batch, lr, evalEvery: steps + 1, evalBatches: 1);
        });

    private static BenchCase Incontext(string name, CourseSession course, int layers, int embed, int batch, int profileSteps)
    {
        const int examples = 17;
        var task = new IncontextTask(modulus: 5);
        return new(name, profileSteps, $"{batch} sequences of {examples} examples, {layers}L {embed}w", steps =>
        {
            manual_seed(course.Seed);
            using var model = new Gpt(new GptConfig(task.VocabSize, IncontextTask.Length(examples), layers, 4, embed)).to(course.Device);
            IncontextExperiment.Train(model, task, steps, batch, examples, 3e-3, course.Seed);
        });
    }
}
