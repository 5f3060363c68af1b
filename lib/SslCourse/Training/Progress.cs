using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace SslCourse.Training;

/// <summary>
/// One progress line for a long-running loop: step, loss, throughput and ETA. In a notebook it updates a single
/// display in place (about twice a second); headless (the runner, tests, consoles) it prints a line every few
/// seconds. It takes the loss as a plain number only: reading a tensor syncs with the device, so the caller does that
/// when it records (the trainer every <see cref="TrainerOptions.LogEvery"/> steps), never here.
/// </summary>
public sealed class Progress : IDisposable
{
    private readonly string _name;
    private readonly long _total;
    private readonly string _unit;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DisplayedValue? _display;
    private readonly TimeSpan _interval;
    private TimeSpan _last = TimeSpan.FromDays(-1);
    private long _items;
    private string _line = "";

    private Progress(string name, long total, string unit)
    {
        _name = name;
        _total = total;
        _unit = unit;
        var headless = Environment.GetEnvironmentVariable("SSLCOURSE_HEADLESS") == "1";
        if (!headless && KernelInvocationContext.Current is { } context)
        {
            // context.Display, not Kernel.display: in .NET Interactive 1.0.712001 Kernel.display's handle sends its
            // updates under another id than the one it displayed, so a front end appends instead of replacing.
            _display = KernelInvocationContextExtensions.Display(context, $"{name}: starting", "text/plain");
            _interval = TimeSpan.FromMilliseconds(500);
        }
        else _interval = TimeSpan.FromSeconds(5);
    }

    /// <summary>Starts a progress line for <paramref name="total"/> steps; <paramref name="unit"/> names what throughput counts.</summary>
    public static Progress Start(string name, long total, string unit = "samples") => new(name, total, unit);

    /// <summary>The last line shown.</summary>
    public string Line => _line;

    /// <summary>Seconds since start.</summary>
    public double Elapsed => _clock.Elapsed.TotalSeconds;

    /// <summary>Reports that <paramref name="step"/> (1-based) is done, having processed <paramref name="items"/> more units.</summary>
    /// <param name="step">Steps completed.</param>
    /// <param name="items">Units (samples, tokens) processed by this step.</param>
    /// <param name="extra">Extra text, e.g. a validation figure.</param>
    public void Report(long step, long items = 0, string? extra = null)
    {
        _items += items;
        var now = _clock.Elapsed;
        if (step < _total && now - _last < _interval) return;
        _last = now;
        Show(step, null, extra);
    }

    /// <summary>Reports with a loss that is already a plain number (no device sync at all).</summary>
    public void Report(long step, double loss, long items, bool force = false, string? extra = null)
    {
        _items += items;
        var now = _clock.Elapsed;
        if (!force && step < _total && now - _last < _interval) return;
        _last = now;
        Show(step, double.IsNaN(loss) ? null : loss, extra);
    }

    private void Show(long step, double? loss, string? extra)
    {
        var secs = Math.Max(_clock.Elapsed.TotalSeconds, 1e-9);
        var rate = _items / secs;
        var eta = step > 0 ? secs / step * (_total - step) : double.NaN;
        _line = $"{_name}: step {step}/{_total}"
                + (loss is null ? "" : $" · loss {loss:F4}")
                + (_items > 0 ? $" · {rate:F0} {_unit}/s" : "")
                + $" · {secs:F0}s elapsed · ETA {Eta(eta)}"
                + (extra is null ? "" : $" · {extra}");
        if (_display is not null) _display.Update(_line);
        else Console.WriteLine(_line);
    }

    private static string Eta(double s) => double.IsNaN(s) ? "?" : s < 90 ? $"{s:F0}s" : $"{s / 60:F1}min";

    /// <summary>Leaves the last line in place.</summary>
    public void Dispose() { }
}
