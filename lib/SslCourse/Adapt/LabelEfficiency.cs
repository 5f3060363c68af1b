using System.Text;
using SslCourse.Data;
using SslCourse.Training;
using SslCourse.Vision;
using SslCourse.Viz;
using static TorchSharp.torch;

namespace SslCourse.Adapt;

/// <summary>One accuracy of a <see cref="LabelEfficiency"/> sweep.</summary>
/// <param name="Method">Which representation (e.g. "SimCLR").</param>
/// <param name="Evaluation">"linear probe", "kNN" or "finetune".</param>
/// <param name="PerClass">Labels per class (null = every training label).</param>
/// <param name="Labels">Total labelled examples used.</param>
/// <param name="Accuracy">Test accuracy in [0, 1].</param>
public sealed record LabelEfficiencyRow(string Method, string Evaluation, int? PerClass, int Labels, double Accuracy);

/// <summary>Settings of a <see cref="LabelEfficiency"/> sweep.</summary>
/// <param name="Budgets">Labels per class to try; null = all.</param>
/// <param name="Seed">Seed of the stratified subsets (the same subsets for every method).</param>
/// <param name="Knn">Also evaluate cosine kNN.</param>
/// <param name="FinetuneMethods">Methods to finetune as well (finetuning costs far more than probing).</param>
/// <param name="Finetune">Finetuning settings.</param>
/// <param name="Probe">Linear-probe settings.</param>
/// <param name="Draws">Stratified subsets drawn per budget (seeds Seed, Seed+1, …); probe and kNN accuracies are averaged
/// over them, because with few labels the choice of subset moves accuracy by several points. Finetuning uses the first.</param>
public sealed record LabelEfficiencyOptions(IReadOnlyList<int?> Budgets, int Seed = 0, bool Knn = true, IReadOnlyList<string>? FinetuneMethods = null,
    FinetuneOptions? Finetune = null, LinearProbeOptions? Probe = null, int Draws = 1)
{
    /// <summary>1, 10 and 100 labels per class, and all labels.</summary>
    public static IReadOnlyList<int?> StandardBudgets { get; } = [1, 10, 100, null];
}

/// <summary>The result table of a sweep, printable and plottable.</summary>
public sealed class LabelEfficiencyTable(IReadOnlyList<LabelEfficiencyRow> rows)
{
    /// <summary>Every measured accuracy.</summary>
    public IReadOnlyList<LabelEfficiencyRow> Rows => rows;

    /// <summary>The accuracy of one (method, evaluation, budget); NaN when not measured.</summary>
    public double Get(string method, string evaluation, int? perClass) =>
        rows.FirstOrDefault(r => r.Method == method && r.Evaluation == evaluation && r.PerClass == perClass)?.Accuracy ?? double.NaN;

    /// <summary>A plain-text table: one row per (method, evaluation), one column per budget, accuracies in %.</summary>
    public override string ToString()
    {
        var budgets = rows.Select(r => r.PerClass).Distinct().OrderBy(b => b ?? int.MaxValue).ToList();
        var sb = new StringBuilder();
        sb.Append($"{"method",-14}{"evaluation",-14}");
        foreach (var b in budgets) sb.Append($"{(b is null ? "all" : b + "/class"),10}");
        sb.AppendLine();
        foreach (var g in rows.GroupBy(r => (r.Method, r.Evaluation)))
        {
            sb.Append($"{g.Key.Method,-14}{g.Key.Evaluation,-14}");
            foreach (var b in budgets)
            {
                var r = g.FirstOrDefault(x => x.PerClass == b);
                sb.Append(r is null ? $"{"-",10}" : $"{100 * r.Accuracy,9:F1}%");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>Accuracy against labels per class (log scale), one line per method, for one evaluation.</summary>
    public Viz.Chart Chart(string evaluation = "linear probe", string? title = null)
    {
        var series = rows.Where(r => r.Evaluation == evaluation).GroupBy(r => r.Method).Select(g =>
        {
            var pts = g.OrderBy(r => r.Labels).ToList();
            var classes = Math.Max(1, Classes(pts));
            return new Series(g.Key, pts.Select(r => Math.Log10(Math.Max(1, (double)r.Labels / classes))).ToList(), pts.Select(r => 100 * r.Accuracy).ToList());
        }).ToArray();
        return Charts.Lines(title ?? $"label efficiency ({evaluation})", "log10(labels per class)", "test accuracy (%)", series);
    }

    private static int Classes(IReadOnlyList<LabelEfficiencyRow> pts) =>
        pts.FirstOrDefault(r => r.PerClass is not null) is { } r ? r.Labels / r.PerClass!.Value : 10;
}

/// <summary>
/// How accuracy grows with the number of labels (few-shot to many-shot, CS229 notes §14.1): for each budget, a
/// stratified labelled subset (same for every method) trains a linear probe, a kNN classifier and optionally a
/// finetuned network on each representation, all scored on the same test images.
/// </summary>
public static class LabelEfficiency
{
    /// <summary>Runs the sweep.</summary>
    /// <param name="methods">Name → encoder (e.g. "raw pixels" → <see cref="PixelEncoder"/>).</param>
    /// <param name="train">The labelled pool the subsets are drawn from.</param>
    /// <param name="test">The test images.</param>
    /// <param name="options">Budgets, seed, which evaluations.</param>
    public static LabelEfficiencyTable Sweep(IReadOnlyDictionary<string, VisionEncoder> methods, ImageDataset train, ImageDataset test, LabelEfficiencyOptions options)
    {
        // All labels is one subset whatever Draws is; each other budget gets Draws subsets, the same for every method.
        var subsets = options.Budgets.Select(b => (Budget: b, Draws: Enumerable.Range(0, b is null ? 1 : Math.Max(1, options.Draws))
            .Select(d => StratifiedSampler.Indices(train.Labels, b, options.Seed + d)).ToList())).ToList();
        var rows = new List<LabelEfficiencyRow>();
        using var progress = Progress.Start("label efficiency", methods.Count, "methods");
        int done = 0;
        foreach (var (name, encoder) in methods)
        {
            using var scope = NewDisposeScope();
            // Features, labels and subsets stay on the encoder's device, so probes and kNN run on the GPU when there is one.
            var device = encoder.Device;
            var fTrain = Features.Extract(encoder, train.Images, toCpu: false);
            var fTest = Features.Extract(encoder, test.Images, toCpu: false);
            var (yTrain, yTest) = (train.Labels.to(device), test.Labels.to(device));
            foreach (var (budget, draws) in subsets)
            {
                double probeSum = 0, knnSum = 0;
                foreach (var indices in draws)
                {
                    using var draw = NewDisposeScope();
                    // All labels: the subset is every row in order, so no copy is needed.
                    var (f, y) = budget is null ? (fTrain, yTrain) : Subset(fTrain, yTrain, indices);
                    using (var probe = LinearProbe.Fit(f, y, train.Classes, options.Probe)) probeSum += probe.Accuracy(fTest, yTest);
                    if (options.Knn) knnSum += Knn.Accuracy(f, y, fTest, yTest); // Knn caps k = 20 at the subset size
                }
                int labels = draws[0].Length;
                rows.Add(new(name, "linear probe", budget, labels, probeSum / draws.Count));
                if (options.Knn) rows.Add(new(name, "kNN", budget, labels, knnSum / draws.Count));
                if (options.FinetuneMethods?.Contains(name) == true)
                {
                    using var subset = NewDisposeScope();
                    var (images, labelsSubset) = budget is null ? (train.Images, train.Labels) : Subset(train.Images, train.Labels, draws[0]);
                    using var ft = Finetune.Fit(encoder, images, labelsSubset, train.Classes, options.Finetune);
                    rows.Add(new(name, "finetune", budget, labels, ft.Accuracy(test.Images, yTest)));
                }
            }
            progress.Report(++done, double.NaN, 1, force: true, extra: name);
        }
        return new LabelEfficiencyTable(rows);
    }

    private static (Tensor X, Tensor Y) Subset(Tensor x, Tensor y, long[] indices)
    {
        var idx = tensor(indices, device: x.device);
        return (x.index_select(0, idx), y.index_select(0, idx.to(y.device)));
    }
}
