#:project ../lib/SslCourse/SslCourse.csproj
// Chapter 02's ideas as one short program over the course library, on real text (tiny Shakespeare, or Moby Dick
// offline): the chain rule, the Transformer's input/output interface, temperature sampling, zero-shot scoring and
// in-context learning. The C# counterpart of the original course's code/pretrain_llm_examples.py.
// Run from the repository root:   dotnet run -c Release examples/pretrain_llm_examples.cs     (about 2 minutes on 2 CPU cores)
using SslCourse.Training;
using SslCourse.Data;
using SslCourse.Generation;
using SslCourse.Models;
using SslCourse.Runtime;
using SslCourse.Text;
using TorchSharp;
using static TorchSharp.torch;

var course = Course.Init("ci", seed: 0);
var corpus = TextCorpus.Load();
var tok = new CharTokenizer(corpus.Text);
var ids = tok.Encode(corpus.Text);
Console.WriteLine($"corpus: {corpus.Name}, {corpus.Text.Length:N0} characters, vocabulary of V = {tok.VocabSize} characters");

ChainRuleExample();
TransformerInterfaceExample();
var model = PretrainSmallGpt();
TemperatureSamplingExample(model);
ZeroShotExample(model);
InContextLearningExample();

// The chain rule (CS229 notes, 2023 edition, §14.3): p(x_1..x_T) = Π_t p(x_t | x_1..x_{t−1}). A counted bigram
// model keeps only the previous character; the sentence's log-probability is the sum of the conditionals.
void ChainRuleExample()
{
    Console.WriteLine("\n1. the chain rule, with a counted bigram model");
    var bigram = new BigramModel(ids[..(ids.Length * 9 / 10)], tok.VocabSize);
    var text = "the sea";
    var t = tok.Encode(text);
    var terms = Enumerable.Range(1, t.Length - 1).Select(i => bigram.LogProb(t[i - 1], t[i])).ToList();
    for (int i = 1; i < t.Length; i++)
        Console.WriteLine($"   log p('{text[i]}' | '{text[i - 1]}') = {terms[i - 1],7:F3}");
    Console.WriteLine($"   log p(\"{text[1..]}\" | '{text[0]}') = sum = {terms.Sum():F3}, so p = {Math.Exp(terms.Sum()):E2}; " +
        $"uniform guessing would give {(t.Length - 1) * -Math.Log(tok.VocabSize):F3}");
}

// A decoder-only Transformer maps a batch of token ids (B, T) to logits (B, T, V): one next-token distribution per
// position, each seeing only the positions before it (the causal mask).
void TransformerInterfaceExample()
{
    Console.WriteLine("\n2. the Transformer's interface: (B, T) token ids → (B, T, V) logits");
    manual_seed(course.Seed);
    using var gpt = new Gpt(GptConfig.Tiny with { VocabSize = tok.VocabSize }).to(course.Device);
    gpt.eval();
    using var scope = NewDisposeScope();
    using var _ = no_grad();
    var x = tensor(ids[..32].Select(i => (long)i).ToArray(), device: course.Device).view(2, 16);
    var logits = gpt.forward(x);
    Console.WriteLine($"   input {string.Join("×", x.shape)} → logits {string.Join("×", logits.shape)}; softmax of each row sums to " +
        $"{logits.softmax(-1).sum(-1).mean().item<float>():F4}");
    var changed = x.clone();
    changed[0, 15] = (changed[0, 15] + 1) % tok.VocabSize;
    var diff = (gpt.forward(changed)[0, ..15] - logits[0, ..15]).abs().max().item<float>();
    Console.WriteLine($"   changing the last token moves the logits of the 15 earlier positions by at most {diff:E1}: causality");
}

// Pretraining: minimise the next-character loss on 90% of the text, watch it on the other 10%.
Gpt PretrainSmallGpt()
{
    Console.WriteLine("\n   pretraining a small GPT (2 layers, 64 wide) for 400 steps…");
    manual_seed(course.Seed);
    var gpt = new Gpt(new GptConfig(tok.VocabSize, BlockSize: 32, Layers: 2, Heads: 4, Embed: 64)).to(course.Device);
    using var data = new TokenBatches(ids, course.Device, seed: course.Seed);
    var h = Pretraining.Train(gpt, data, steps: 400, batch: 32, learningRate: 6e-3, evalEvery: 400, evalBatches: 8);
    Console.WriteLine($"   validation loss {h.Last("val_loss"):F3} nats/char (uniform guessing: ln V = {Math.Log(tok.VocabSize):F3})");
    return gpt;
}

// Sampling x_{t+1} ~ softmax(u / τ) (CS229 notes, §14.3): τ < 1 sharpens the distribution, τ > 1 flattens it.
void TemperatureSamplingExample(Gpt gpt)
{
    Console.WriteLine("\n3. temperature sampling");
    gpt.eval();
    var prompt = "The ";
    using var scope = NewDisposeScope();
    using var _ = no_grad();
    var logits = gpt.forward(tensor(tok.Encode(prompt).Select(i => (long)i).ToArray(), device: course.Device).unsqueeze(0))[0, -1];
    foreach (var tau in new[] { 0.5, 1.0, 1.5 })
    {
        var p = Sampler.Probabilities(logits, tau);
        var entropy = -(p * p.clamp_min(1e-12).log()).sum().item<float>();
        manual_seed(course.Seed);
        var text = TextGenerator.Complete(gpt, tok, prompt, 60, new SamplingOptions(Temperature: tau));
        Console.WriteLine($"   τ = {tau}: next-character entropy {entropy:F2} nats → {text.Replace("\n", " ⏎ ")}");
    }
}

// Zero-shot (CS229 notes, §14.3): no training for the task, only the pretrained model's own probabilities. Which of
// two versions of a passage is real English: the original, or one with its last word's letters shuffled?
void ZeroShotExample(Gpt gpt)
{
    Console.WriteLine("\n4. zero-shot: tell a real passage from one whose last word is scrambled, by the LM's likelihood alone");
    gpt.eval();
    var (passages, labels, words) = ScrambledWordTask.Make(corpus.Text[(corpus.Text.Length * 9 / 10)..], 200, 32, course.Seed);
    using var _ = no_grad();
    double Nll(string s)
    {
        using var scope = NewDisposeScope();
        var x = tensor(tok.Encode(s).Select(i => (long)i).ToArray(), device: course.Device).unsqueeze(0);
        return gpt.Loss(x[.., ..^1], x[.., 1..]).item<float>();
    }
    // Each real passage (label 1) against itself with its last word's inner letters shuffled; the likelier is picked as real.
    var rng = new Random(course.Seed);
    var pairs = Enumerable.Range(0, passages.Length).Where(i => labels[i] == 1)
        .Select(i => (Real: passages[i], Fake: ScrambledWordTask.Scramble(words[i], rng) is { } w ? passages[i][..^words[i].Length] + w : null))
        .Where(p => p.Fake is not null).ToList();
    var (right, n) = (pairs.Count(p => Nll(p.Real) < Nll(p.Fake!)), pairs.Count);
    Console.WriteLine($"   picked the real passage in {right} of {n} pairs ({100.0 * right / n:F0}%; chance 50%), with no labelled example");
}

// In-context learning (CS229 notes, §14.3): the model infers the task from demonstrations in its prompt.
// Each sequence applies one hidden operation on Z_5 to pairs (a, b); the model must answer the query.
void InContextLearningExample()
{
    Console.WriteLine("\n5. in-context learning on a synthetic task (a hidden operation over Z_5 per sequence)");
    var task = new IncontextTask(modulus: 5);
    const int examples = 9;
    manual_seed(course.Seed);
    using var icl = new Gpt(new GptConfig(task.VocabSize, IncontextTask.Length(examples), Layers: 2, Heads: 4, Embed: 64)).to(course.Device);
    IncontextExperiment.Train(icl, task, steps: 1500, batch: 32, examples, learningRate: 3e-3, seed: course.Seed);
    var acc = IncontextExperiment.AccuracyByDemos(icl, task, 1000, examples, seed: 12345);
    var ideal = task.BayesAccuracy(examples, 20000, 7);
    Console.WriteLine($"   accuracy with 0 demonstrations {100 * acc[0]:F0}% (an ideal learner: {100 * ideal[0]:F0}%), with 8: {100 * acc[8]:F0}% (ideal {100 * ideal[8]:F0}%)");
    Console.WriteLine(acc[8] > acc[0] + 0.1 ? "   the answer improves with demonstrations: the task is read from the prompt, not stored in the weights"
        : "   the demonstrations did not help at this budget; 02_6 trains longer (6,000 steps in the full profile)");
}
