using static TorchSharp.torch;

namespace SslCourse.Data;

/// <summary>A hidden binary operation on {0, …, p−1}.</summary>
/// <param name="Name">Display name, e.g. "(a+b) mod p".</param>
/// <param name="Apply">f(a, b, p).</param>
public sealed record IncontextOp(string Name, Func<int, int, int, int> Apply)
{
    /// <summary>
    /// A random lookup: a fresh random permutation σ of {0, …, p−1} per sequence and c = σ(a) (b is a distractor).
    /// Nothing about σ is in the weights, so the answer can only come from a demonstration with the same a.
    /// </summary>
    public static IncontextOp RandomLookup(Random rng, int p)
    {
        var sigma = Enumerable.Range(0, p).ToArray();
        rng.Shuffle(sigma);
        return new IncontextOp("σ(a), σ random", (a, _, _) => sigma[a]);
    }

    /// <summary>(a + b) mod p, (a − b) mod p, (a · b) mod p, max(a, b): answers disagree on most inputs.</summary>
    public static IReadOnlyList<IncontextOp> DefaultFamily { get; } =
    [
        new("(a+b) mod p", (a, b, p) => (a + b) % p),
        new("(a-b) mod p", (a, b, p) => ((a - b) % p + p) % p),
        new("(a*b) mod p", (a, b, p) => a * b % p),
        new("max(a,b)", (a, b, _) => Math.Max(a, b)),
    ];
}

/// <summary>
/// Synthetic in-context learning (Brown et al., 2020; Garg et al., 2022): each sequence picks one hidden operation
/// and lists examples "a ~ b = c ;". A model can only answer the k-th query by inferring the operation from the
/// k demonstrations before it. Tokens: digits 0…p−1, then "~", "=", ";", and a start token.
/// </summary>
public sealed class IncontextTask
{
    /// <summary>
    /// A task over digits {0…p−1} whose hidden operation comes from <paramref name="ops"/>, or, when
    /// <paramref name="randomLookup"/> is true, is a fresh <see cref="IncontextOp.RandomLookup"/> per sequence.
    /// </summary>
    public IncontextTask(int modulus = 7, IReadOnlyList<IncontextOp>? ops = null, bool randomLookup = false)
    {
        Modulus = modulus;
        Ops = ops ?? IncontextOp.DefaultFamily;
        RandomLookup = randomLookup;
    }

    /// <summary>True when each sequence draws its own random lookup instead of an operation from <see cref="Ops"/>.</summary>
    public bool RandomLookup { get; }

    /// <summary>p.</summary>
    public int Modulus { get; }

    /// <summary>The operation family.</summary>
    public IReadOnlyList<IncontextOp> Ops { get; }

    /// <summary>Token ids of the symbols.</summary>
    public int Tilde => Modulus;
    /// <summary>"=".</summary>
    public int EqualsToken => Modulus + 1;
    /// <summary>";".</summary>
    public int Separator => Modulus + 2;
    /// <summary>The start token x₀.</summary>
    public int Start => Modulus + 3;

    /// <summary>Vocabulary size p + 4.</summary>
    public int VocabSize => Modulus + 4;

    /// <summary>Tokens per example ("a ~ b = c ;").</summary>
    public const int ExampleLength = 6;

    /// <summary>Sequence length for <paramref name="examples"/> examples (start token included).</summary>
    public static int Length(int examples) => 1 + ExampleLength * examples;

    /// <summary>Position of the "=" whose next-token prediction is the answer of example k (0-based).</summary>
    public static int AnswerPosition(int k) => 1 + ExampleLength * k + 3;

    /// <summary>One sequence: tokens, the operation index (−1 for a random lookup), and the answers.</summary>
    public (int[] Tokens, int Op, int[] Answers) Sequence(Random rng, int examples)
    {
        var op = RandomLookup ? -1 : rng.Next(Ops.Count);
        var f = RandomLookup ? IncontextOp.RandomLookup(rng, Modulus) : Ops[op];
        var tokens = new List<int> { Start };
        var answers = new int[examples];
        for (int k = 0; k < examples; k++)
        {
            int a = rng.Next(Modulus), b = rng.Next(Modulus), c = f.Apply(a, b, Modulus);
            answers[k] = c;
            tokens.AddRange([a, Tilde, b, EqualsToken, c, Separator]);
        }
        return (tokens.ToArray(), op, answers);
    }

    /// <summary>
    /// A batch: x (B, L), y (B, L) next tokens with −1 (ignored by cross-entropy) everywhere except at the answers,
    /// so every sequence trains queries with 0…examples−1 demonstrations at once.
    /// </summary>
    public (Tensor X, Tensor Y) Batch(Random rng, int batch, int examples, Device device)
    {
        var L = Length(examples);
        var x = new long[batch * L];
        var y = Enumerable.Repeat(-1L, batch * L).ToArray();
        for (int i = 0; i < batch; i++)
        {
            var (t, _, ans) = Sequence(rng, examples);
            for (int j = 0; j < L; j++) x[i * L + j] = t[j];
            for (int k = 0; k < examples; k++) y[i * L + AnswerPosition(k)] = ans[k];
        }
        return (tensor(x, [batch, L], device: device), tensor(y, [batch, L], device: device));
    }

    /// <summary>
    /// Accuracy of an ideal learner that knows the family and infers the operation from the k demonstrations
    /// (posterior over operations, majority answer), averaged over <paramref name="sequences"/> random sequences.
    /// Entry k is the ceiling at k demonstrations; entry 0 is the best possible without any.
    /// </summary>
    public double[] BayesAccuracy(int maxDemos, int sequences, int seed)
    {
        var rng = new Random(seed);
        var correct = new double[maxDemos + 1];
        for (int s = 0; s < sequences; s++)
        {
            var (t, _, ans) = Sequence(rng, maxDemos + 1);
            for (int k = 0; k <= maxDemos; k++)
            {
                if (RandomLookup)
                {
                    // Seen a before → certain; otherwise σ(a) is one of the values not yet seen, uniformly.
                    var qa = t[1 + ExampleLength * k];
                    var seen = Enumerable.Range(0, k).Any(j => t[1 + ExampleLength * j] == qa);
                    correct[k] += seen ? 1 : 1.0 / (Modulus - Enumerable.Range(0, k).Select(j => ans[j]).Distinct().Count());
                    continue;
                }
                int a = t[1 + ExampleLength * k], b = t[3 + ExampleLength * k];
                var consistent = Enumerable.Range(0, Ops.Count).Where(o => Enumerable.Range(0, k)
                    .All(j => Ops[o].Apply(t[1 + ExampleLength * j], t[3 + ExampleLength * j], Modulus) == ans[j])).ToList();
                var votes = consistent.GroupBy(o => Ops[o].Apply(a, b, Modulus)).Select(g => (g.Key, g.Count())).ToList();
                var best = votes.Max(v => v.Item2);
                var hit = votes.Where(v => v.Item2 == best).Any(v => v.Key == ans[k]);
                correct[k] += hit ? 1.0 / votes.Count(v => v.Item2 == best) : 0; // ties split evenly
            }
        }
        return correct.Select(c => c / sequences).ToArray();
    }
}
