using SslCourse.Data;
using SslCourse.Losses;
using SslCourse.Runtime;
using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Training;

/// <summary>Trains a GPT on <see cref="IncontextTask"/> sequences and measures accuracy against the number of demonstrations.</summary>
public static class IncontextExperiment
{
    /// <summary>
    /// Next-token cross-entropy on the answer tokens only, every query of every sequence at once. <c>atEval</c>, when
    /// given, is called with the step every <c>evalEvery</c> steps (0: only at the end), e.g. to measure accuracy during training.
    /// </summary>
    public static History Train(Gpt model, IncontextTask task, int steps, int batch, int examples, double learningRate, int seed,
        Action<int>? atEval = null, int evalEvery = 0)
    {
        var rng = new Random(seed);
        var device = model.parameters().First().device;
        model.train();
        return Trainer.Fit(model.parameters(), _ =>
        {
            var (x, y) = task.Batch(rng, batch, examples, device);
            return LmLoss.Loss(model.forward(x), y, ignoreIndex: -1);
        }, new TrainerOptions(steps, learningRate, WeightDecay: 0.01, WarmupSteps: Math.Max(1, steps / 20), LogEvery: Math.Max(1, steps / 50),
            Name: "in-context", Beta2: 0.99, FlushDenormals: true,
            // One decay group, as this task's budget was sized with: with nanoGPT's split the ci run reached 83.0% at
            // 8 demonstrations instead of 98.2% (measured 2026-12-01), a pass by 1 point where it had 18.
            DecayOnlyMatrices: false), itemsPerStep: batch,
            evaluate: atEval is null ? null : (step, _) => { atEval(step); model.train(); }, evalEvery: evalEvery > 0 ? evalEvery : steps);
    }

    /// <summary>
    /// A prompt in the task's own format, for studies of which demonstrations help: the start token, then
    /// "a ~ b = c ;" for each demonstration with c = <paramref name="op"/>(a, b), then the query "a ~ b =". The
    /// model's answer is its next-token prediction at the prompt's last position (<see cref="IncontextTask.AnswerPosition"/>
    /// of the query).
    /// </summary>
    public static int[] Prompt(IncontextTask task, IncontextOp op, IReadOnlyList<(int A, int B)> demonstrations, (int A, int B) query)
    {
        var p = task.Modulus;
        foreach (var (a, b) in demonstrations.Append(query))
            if (a < 0 || a >= p || b < 0 || b >= p) throw new ArgumentOutOfRangeException(nameof(demonstrations), $"({a}, {b}): operands must lie in 0…{p - 1}");
        var tokens = new List<int> { task.Start };
        foreach (var (a, b) in demonstrations) tokens.AddRange([a, task.Tilde, b, task.EqualsToken, op.Apply(a, b, p), task.Separator]);
        tokens.AddRange([query.A, task.Tilde, query.B, task.EqualsToken]);
        return tokens.ToArray();
    }

    /// <summary>
    /// The fraction of <paramref name="prompts"/> (built by <see cref="Prompt"/>) whose most likely next token is the
    /// matching entry of <paramref name="answers"/>. Prompts of equal length are scored together, 512 at a time.
    /// </summary>
    public static double AccuracyOnPrompts(Gpt model, IReadOnlyList<int[]> prompts, IReadOnlyList<int> answers)
    {
        if (prompts.Count != answers.Count || prompts.Count == 0)
            throw new ArgumentException($"{prompts.Count} prompts and {answers.Count} answers: give one answer per prompt, at least one", nameof(answers));
        var device = model.parameters().First().device;
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        long correct = 0;
        foreach (var group in Enumerable.Range(0, prompts.Count).GroupBy(i => prompts[i].Length))
        {
            var rows = group.ToArray();
            var x = tensor(rows.SelectMany(i => prompts[i]).Select(t => (long)t).ToArray(), [rows.Length, group.Key], device: device);
            var y = tensor(rows.Select(i => (long)answers[i]).ToArray(), device: device);
            Chunked.ForEach(rows.Length, 512, (i, len) =>
                correct += model.forward(x.narrow(0, i, len))[.., -1, ..].argmax(-1).eq(y.narrow(0, i, len)).sum().item<long>());
        }
        return (double)correct / prompts.Count;
    }

    /// <summary>Accuracy on the k-th query (k = 0…examples−1 demonstrations before it), over fresh sequences.</summary>
    public static double[] AccuracyByDemos(Gpt model, IncontextTask task, int sequences, int examples, int seed)
    {
        var device = model.parameters().First().device;
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var (x, y) = task.Batch(new Random(seed), sequences, examples, device);
        var pos = tensor(Enumerable.Range(0, examples).Select(k => (long)IncontextTask.AnswerPosition(k)).ToArray(), device: device);
        var correct = zeros(examples, device: device);
        // 512 sequences a chunk bounds activation memory whatever `sequences` is.
        Chunked.ForEach(sequences, 512, (i, len) =>
        {
            var predicted = model.forward(x.narrow(0, i, len)).argmax(-1).index_select(1, pos); // (n, examples)
            correct.add_(predicted.eq(y.narrow(0, i, len).index_select(1, pos)).to(ScalarType.Float32).sum([0]));
        });
        return (correct / sequences).cpu().data<float>().Select(v => (double)v).ToArray();
    }
}
