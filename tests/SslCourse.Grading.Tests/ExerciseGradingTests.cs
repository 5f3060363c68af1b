using System.Text.Json.Nodes;
using Xunit.Abstractions;
using static SslCourse.Grading.Tests.TestNotebooks;

namespace SslCourse.Grading.Tests;

/// <summary>
/// Grades the real chapter-03 master once: the master itself, its release, and two learners whose honest wrong
/// answers (the mistakes issue 22 names) must each lose their question's points and nothing else.
/// </summary>
public sealed class ExerciseGradingBatch : IDisposable
{
    private static readonly string MasterPath = Path.Combine(RepoRoot, "notebooks", "03_exercises.ipynb");

    /// <summary>Q4: Masked returned in random order (Keep sorted).</summary>
    public const string UnsortedMasked = """
        (Tensor Keep, Tensor Masked) SamplePatches(int numPatches, double maskRatio, Generator generator)
        {
            var order = randperm(numPatches, generator: generator);
            var numMasked = (int)Math.Round(numPatches * maskRatio);
            return (order[TensorIndex.Slice(numMasked)].sort().Values, order[TensorIndex.Slice(0, numMasked)]);
        }
        """;

    /// <summary>Q6: correct filters, but Sample returns the most likely token.</summary>
    public const string ArgmaxSample = """
        Tensor FilterLogits(Tensor logits, double temperature, int topK, double topP)
        {
            var probs = (logits / temperature).softmax(-1);
            if (topK > 0 && topK < probs.shape[0])
            {
                var kth = probs.topk(topK).values[-1];
                probs = probs * (probs >= kth).to(probs.dtype);
                probs = probs / probs.sum();
            }
            if (topP < 1)
            {
                var (sorted, order) = probs.sort(-1, descending: true);
                var before = sorted.cumsum(-1) - sorted;
                probs = probs * zeros_like(probs).scatter(-1, order, (before < topP).to(probs.dtype));
            }
            return probs / probs.sum();
        }

        long Sample(Tensor probs, Generator generator)
        {
            return probs.argmax().item<long>();
        }
        """;

    /// <summary>Q6: top-p measured on the probabilities before top-k renormalised them (the master's earlier solution).</summary>
    public const string NucleusBeforeTopK = """
        Tensor FilterLogits(Tensor logits, double temperature, int topK, double topP)
        {
            var probs = (logits / temperature).softmax(-1);
            var keep = ones_like(probs);
            if (topK > 0 && topK < probs.shape[0])
            {
                var kth = probs.topk(topK).values[-1];
                keep = keep * (probs >= kth).to(probs.dtype);
            }
            if (topP < 1)
            {
                var (sorted, order) = probs.sort(-1, descending: true);
                var before = sorted.cumsum(-1) - sorted;
                keep = keep * zeros_like(probs).scatter(-1, order, (before < topP).to(probs.dtype));
            }
            var kept = probs * keep;
            return kept / kept.sum();
        }

        long Sample(Tensor probs, Generator generator)
        {
            return multinomial(probs, 1, generator: generator).item<long>();
        }
        """;

    /// <summary>Q7: ties broken by ordinal order (the course's BpeTrainer rule) instead of first occurrence.</summary>
    public const string OrdinalTieBreak = """
        (string A, string B) MostFrequentPair(IReadOnlyList<string> tokens)
        {
            var counts = new Dictionary<(string, string), int>();
            for (var i = 0; i + 1 < tokens.Count; i++) counts[(tokens[i], tokens[i + 1])] = counts.GetValueOrDefault((tokens[i], tokens[i + 1])) + 1;
            return counts.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).First().Key;
        }

        List<string> MergePair(IReadOnlyList<string> tokens, string a, string b)
        {
            var merged = new List<string>();
            for (var i = 0; i < tokens.Count; i++)
            {
                if (i + 1 < tokens.Count && tokens[i] == a && tokens[i + 1] == b) { merged.Add(a + b); i++; }
                else merged.Add(tokens[i]);
            }
            return merged;
        }
        """;

    private const string CorrectLogProb = """
        double LogProb(Func<int[], Tensor> nextLogits, int[] context, int[] continuation)
        {
            double total = 0;
            for (var j = 0; j < continuation.Length; j++)
                total += nextLogits(context.Concat(continuation.Take(j)).ToArray()).log_softmax(-1)[continuation[j]].item<float>();
            return total;
        }
        """;

    /// <summary>Q8: raw likelihood, no calibration against the neutral context.</summary>
    public const string RawLikelihood = CorrectLogProb + """


        int ZeroShot(Func<int[], Tensor> nextLogits, int[] context, int[][] candidates, int[] neutral)
        {
            var scores = candidates.Select(y => LogProb(nextLogits, context, y)).ToList();
            return scores.IndexOf(scores.Max());
        }
        """;

    /// <summary>Q8: each continuation token scored from a prefix that already contains it (off by one).</summary>
    public const string OffByOneLogProb = """
        double LogProb(Func<int[], Tensor> nextLogits, int[] context, int[] continuation)
        {
            double total = 0;
            for (var j = 0; j < continuation.Length; j++)
                total += nextLogits(context.Concat(continuation.Take(j + 1)).ToArray()).log_softmax(-1)[continuation[j]].item<float>();
            return total;
        }

        int ZeroShot(Func<int[], Tensor> nextLogits, int[] context, int[][] candidates, int[] neutral)
        {
            var scores = candidates.Select(y => LogProb(nextLogits, context, y) - LogProb(nextLogits, neutral, y)).ToList();
            return scores.IndexOf(scores.Max());
        }
        """;

    public ExerciseGradingBatch()
    {
        Root = CourseLayout();
        Master = Path.Combine(Root, "notebooks", "03_exercises.ipynb");
        File.Copy(MasterPath, Master);
        var subs = Path.Combine(Root, "submissions");
        Directory.CreateDirectory(subs);
        var released = Releaser.Release([Master], Path.Combine(Root, "release")).Single();
        File.Copy(Master, Path.Combine(subs, "a_master.ipynb"));
        File.Copy(released, Path.Combine(subs, "b_released.ipynb"));
        Learner(subs, "c_wrong", new()
        {
            ["q4_patches_solution"] = UnsortedMasked,
            ["q6_sampling_solution"] = ArgmaxSample,
            ["q7_bpe_solution"] = OrdinalTieBreak,
            ["q8_zero_shot_solution"] = RawLikelihood,
        });
        Learner(subs, "d_wrong", new()
        {
            ["q6_sampling_solution"] = NucleusBeforeTopK,
            ["q8_zero_shot_solution"] = OffByOneLogProb,
        });
        Out = Path.Combine(Root, "out");
        var options = new GradeOptions { Limits = new SandboxLimits { CellTimeout = TimeSpan.FromSeconds(120), NotebookTimeout = TimeSpan.FromSeconds(600) } };
        Results = new Grader(new RunnerProcessExecutor(Runner)).GradeAsync(Master, subs, Out, options).GetAwaiter().GetResult();
    }

    public string Root { get; }
    public string Master { get; }
    public string Out { get; }
    public IReadOnlyList<SubmissionResult> Results { get; }

    /// <summary>The master with some solution cells replaced (by grade id) and every check cell in its released form.</summary>
    private void Learner(string dir, string name, Dictionary<string, string> answers)
    {
        var doc = JsonNode.Parse(File.ReadAllText(Master))!.AsObject();
        foreach (var cell in doc["cells"]!.AsArray().Select(c => c!.AsObject()))
        {
            var nbgrader = cell["metadata"]?["nbgrader"];
            var id = (string?)nbgrader?["grade_id"];
            if (id is not null && answers.TryGetValue(id, out var answer)) cell["source"] = answer;
            else if (nbgrader?["grade"]?.GetValue<bool>() == true && (string?)cell["cell_type"] == "code")
                cell["source"] = Regions.Release(SourceOf(cell), markdown: false);
        }
        File.WriteAllText(Path.Combine(dir, name + ".ipynb"), doc.ToJsonString());
    }

    private static string SourceOf(JsonObject cell) => cell["source"] switch
    {
        JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
        var s => (string?)s ?? "",
    };

    public void Dispose() => RunnerProcessExecutor.TryDelete(Root);
}

public sealed class ExerciseGradingTests(ExerciseGradingBatch batch, ITestOutputHelper output) : IClassFixture<ExerciseGradingBatch>
{
    private Dictionary<string, double> Points(string name)
    {
        var r = batch.Results.Single(s => s.Name == name);
        foreach (var q in r.Questions) output.WriteLine($"{name} {q.Question.Id}: {q.Points} {(q.Passed ? "" : q.Message)}");
        Assert.Equal("graded", r.Status);
        return r.Questions.Where(q => !q.Question.Manual).ToDictionary(q => q.Question.Id, q => q.Points ?? 0);
    }

    private IReadOnlyList<Question> Auto => batch.Results[0].Questions.Where(q => !q.Question.Manual).Select(q => q.Question).ToList();

    [Fact]
    public void The_solved_master_scores_full_marks()
    {
        var points = Points("a_master");
        Assert.All(Auto, q => Assert.Equal(q.Points, points[q.Id]));
        Assert.Equal(["q1_ntxent", "q2_augment", "q3_probe", "q4_patches", "q5_attention", "q6_sampling", "q7_bpe", "q8_zero_shot"], Auto.Select(q => q.Id));
        Assert.Empty(batch.Results.Single(s => s.Name == "a_master").Notes);
    }

    [Fact]
    public void The_released_notebook_scores_zero()
    {
        Assert.All(Points("b_released").Values, p => Assert.Equal(0, p));
    }

    [Fact]
    public void Unsorted_masked_argmax_sampling_ordinal_ties_and_raw_likelihood_lose_exactly_their_questions()
    {
        var points = Points("c_wrong");
        var lost = new[] { "q4_patches", "q6_sampling", "q7_bpe", "q8_zero_shot" };
        Assert.All(Auto, q => Assert.Equal(lost.Contains(q.Id) ? 0 : q.Points, points[q.Id]));
        var messages = batch.Results.Single(s => s.Name == "c_wrong").Questions.ToDictionary(q => q.Question.Id, q => q.Message ?? "");
        Assert.Contains("masked is sorted", messages["q4_patches"]);
        Assert.Contains("the draws follow the probabilities", messages["q6_sampling"]);
        Assert.Contains("broken by first occurrence", messages["q7_bpe"]);
        Assert.Contains("PMI choice", messages["q8_zero_shot"]);
    }

    [Fact]
    public void Top_p_before_top_k_renormalises_and_an_off_by_one_log_prob_lose_their_questions()
    {
        var points = Points("d_wrong");
        var lost = new[] { "q6_sampling", "q8_zero_shot" };
        Assert.All(Auto, q => Assert.Equal(lost.Contains(q.Id) ? 0 : q.Points, points[q.Id]));
        var messages = batch.Results.Single(s => s.Name == "d_wrong").Questions.ToDictionary(q => q.Question.Id, q => q.Message ?? "");
        Assert.Contains("top-k 2, then top-p 0.5", messages["q6_sampling"]);
        Assert.Contains("bigram model", messages["q8_zero_shot"]);
    }
}
