namespace SslCourse.Training;

/// <summary>Plain-number training history (no tensors): the loss every few steps plus named metrics, for charts.</summary>
public sealed class History
{
    /// <summary>Steps at which <see cref="Loss"/> was recorded.</summary>
    public List<int> Steps { get; } = [];

    /// <summary>Mean training loss over the steps since the previous record.</summary>
    public List<double> Loss { get; } = [];

    /// <summary>Other series (e.g. "val_loss", "feature_std"), each as (step, value) pairs.</summary>
    public Dictionary<string, List<(int Step, double Value)>> Metrics { get; } = [];

    /// <summary>Wall-clock seconds the fit took.</summary>
    public double Seconds { get; set; }

    /// <summary>Samples (or tokens) per second over the whole fit.</summary>
    public double Throughput { get; set; }

    /// <summary>Records a named metric.</summary>
    public void Add(string name, int step, double value)
    {
        if (!Metrics.TryGetValue(name, out var list)) Metrics[name] = list = [];
        list.Add((step, value));
    }

    /// <summary>The last recorded training loss (NaN when none).</summary>
    public double LastLoss => Loss.Count == 0 ? double.NaN : Loss[^1];

    /// <summary>The last value of a metric (NaN when none).</summary>
    public double Last(string name) => Metrics.TryGetValue(name, out var l) && l.Count > 0 ? l[^1].Value : double.NaN;
}
