using SslCourse.Training;
using SslCourse.Data;
using SslCourse.Models;
using SslCourse.Runtime;
using SslCourse.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Bench;

/// <summary>
/// Chapter 02's full-profile experiments without a notebook host: the same library calls and settings as the
/// full profile of notebooks 02_4 (GPT pretraining) and 02_6 (b) (in-context learning), for a GPU machine that has
/// no .NET Interactive. Each prints its numbers and a PASS/FAIL line against the course's target.
/// </summary>
internal static class FullRuns
{
    public static IReadOnlyList<string> Names { get; } = ["gpt-full", "gpt-cpu", "icl-full"];

    /// <summary>Runs one experiment; returns true when it meets its target (a shortened run only has to finish).</summary>
    public static bool Run(string name, CourseSession course, string? corpusPath, int? steps = null, int? evalBatches = null, bool decayAll = false) => name switch
    {
        "gpt-full" => Gpt(course, corpusPath, steps),
        "gpt-cpu" => GptCpu(course, corpusPath, steps, evalBatches, decayAll),
        "icl-full" => Incontext(course, steps),
        _ => throw new ArgumentException($"unknown experiment {name}; known: {string.Join(", ", Names)}"),
    };

    // notebooks/02_4 with Profile = "full" (nanoGPT's shakespeare_char: 5,000 steps of 64 × 256, lr 1e-3).
    private static bool Gpt(CourseSession course, string? corpusPath, int? shortened)
    {
        const int fullSteps = 5000;
        var steps = shortened ?? fullSteps;
        var evalBatches = shortened is null ? 200 : 10; // a shortened run checks the setup; a precise estimate is not needed
        var corpus = TextCorpus.Load(corpusPath);
        var tok = new CharTokenizer(corpus.Text);
        using var data = new TokenBatches(tok.Encode(corpus.Text), course.Device, seed: course.Seed);
        Console.WriteLine($"{corpus.Name} from {corpus.Source}: {corpus.Text.Length:N0} characters, V = {tok.VocabSize}, first 90% train");
        manual_seed(course.Seed);
        using var model = new Gpt(GptConfig.ShakespeareChar with { VocabSize = tok.VocabSize }).to(course.Device);
        var recipe = PretrainConfig.NanoGptGpu with { Steps = steps, EvalEvery = Math.Min(500, steps), EvalBatches = evalBatches };
        var history = Pretraining.Train(model, data, recipe, atEval: (step, h) => Console.WriteLine($"step {step}: train {h.Last("train_eval"):F4}, val {h.Last("val_loss"):F4}"));
        var (train, val) = (history.Last("train_eval"), history.Last("val_loss")); // the trainer evaluates the last step too
        Console.WriteLine($"{model.ParameterCount:N0} parameters; {history.Seconds:F0} s, {history.Throughput:N0} tokens/s; final train {train:F4}, val {val:F4}");
        return Verdict(val <= 1.50, $"validation loss {val:F4} ≤ 1.50 nats/char", steps, fullSteps);
    }

    // notebooks/02_4 with Profile = "ci" (nanoGPT's CPU recipe), timed for bench/torch/compare_cpu.py, which reads the RESULT line.
    // decayAll: the ablation of weight decay on every parameter (the course's trainer before nanoGPT's two groups).
    private static bool GptCpu(CourseSession course, string? corpusPath, int? shortened, int? evalBatches, bool decayAll)
    {
        var recipe = PretrainConfig.NanoGptCpu with { Steps = shortened ?? PretrainConfig.NanoGptCpu.Steps, EvalEvery = int.MaxValue };
        var corpus = TextCorpus.Load(corpusPath);
        var tok = new CharTokenizer(corpus.Text);
        using var data = new TokenBatches(tok.Encode(corpus.Text), course.Device, seed: course.Seed);
        manual_seed(course.Seed);
        using var model = new Gpt(new GptConfig(tok.VocabSize, BlockSize: 64, Layers: 4, Heads: 4, Embed: 128, Dropout: 0, Bias: false)).to(course.Device);
        model.train();
        var cpuStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var options = recipe.ToTrainerOptions("gpt-cpu") with { DecayOnlyMatrices = !decayAll };
        var history = Denormals.Run(() => SslCourse.Training.Trainer.Fit(model.parameters(), _ =>
        {
            var (x, y) = data.Sample(true, recipe.Batch, model.Config.BlockSize);
            return model.Loss(x, y);
        }, options, itemsPerStep: (long)recipe.Batch * model.Config.BlockSize));   // Pretraining.Train's loop without its evaluations
        var cpuMs = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / recipe.Steps;
        var (_, val) = Denormals.Run(() => data.EstimateLoss(model.Loss, model, evalBatches ?? 200, recipe.Batch, model.Config.BlockSize));
        var ms = 1000 * history.Seconds / recipe.Steps;
        Console.WriteLine($"  course: weight decay on {(decayAll ? "every parameter" : "matrices and embeddings only")}; {corpus.Name}, V = {tok.VocabSize}, {model.ParameterCount:N0} parameters, {torch.get_num_threads()} thread(s): {ms:F1} ms/step wall, {cpuMs:F1} ms/step CPU, validation {val:F4}");
        Console.WriteLine($"RESULT ms_per_step={ms:F2} cpu_ms_per_step={cpuMs:F2} val={val:F4}");
        return Verdict(val <= 1.92, $"validation loss {val:F4} ≤ 1.92 nats/char", recipe.Steps, PretrainConfig.NanoGptCpu.Steps);
    }

    // notebooks/02_6 (b) with Profile = "full": 4 layers, 128 wide, 6,000 steps of 64 sequences.
    private static bool Incontext(CourseSession course, int? shortened)
    {
        const int examples = 17, fullSteps = 6000;
        var steps = shortened ?? fullSteps;
        var task = new IncontextTask(modulus: 5);
        var bayes = task.BayesAccuracy(16, 4000, seed: course.Seed);
        manual_seed(course.Seed);
        using var model = new Gpt(new GptConfig(task.VocabSize, IncontextTask.Length(examples), Layers: 4, Heads: 4, Embed: 128)).to(course.Device);
        var history = IncontextExperiment.Train(model, task, steps, batch: 64, examples, learningRate: 3e-3, seed: course.Seed);
        var acc = IncontextExperiment.AccuracyByDemos(model, task, 2000, examples, seed: 12345);
        Console.WriteLine($"{model.ParameterCount:N0} parameters, {history.Seconds:F0} s");
        Console.WriteLine(string.Join("  ", acc.Select((a, k) => $"{k}:{a:P0}")));
        var ok = acc[8] >= 0.95 && acc[0] <= bayes[0] + 0.10;
        Console.WriteLine($"0 demonstrations: {acc[0]:P1} (ideal {bayes[0]:P1}); 8 demonstrations: {acc[8]:P1} (ideal {bayes[8]:P1})");
        return Verdict(ok, "≥ 95% at 8 demonstrations while 0 demonstrations stays near chance", steps, fullSteps);
    }

    private static bool Verdict(bool met, string target, int steps, int fullSteps)
    {
        if (steps != fullSteps)
        {
            Console.WriteLine($"shortened run ({steps:N0} of {fullSteps:N0} steps): target not judged ({target})");
            return true;
        }
        Console.WriteLine($"{(met ? "PASS" : "FAIL")}: {target}");
        return met;
    }
}
