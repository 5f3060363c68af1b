namespace SslCourse.Notebooks.Tests.Kernel;

/// <summary>
/// Peak resident memory of a process and its descendants: polls each live process's VmHWM (its own high-water
/// mark, so a short spike between polls still counts) and keeps the largest sum seen. Linux only; 0 elsewhere.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly int _root;
    private readonly Timer _timer;
    private readonly Dictionary<int, long> _peakKb = [];
    private long _peakTreeKb;

    /// <summary>Starts sampling the tree under <paramref name="rootPid"/> every half second.</summary>
    public MemorySampler(int rootPid)
    {
        _root = rootPid;
        _timer = new Timer(_ => Sample(), null, 0, 500);
    }

    /// <summary>The largest sum of the tree's processes' peak resident memory, in MB.</summary>
    public double PeakMb { get { Sample(); lock (_peakKb) return _peakTreeKb / 1024.0; } }

    private void Sample()
    {
        if (!OperatingSystem.IsLinux()) return;
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1]);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        var tree = new HashSet<int> { _root };
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (pid, parent) in parents)
                if (tree.Contains(parent) && tree.Add(pid)) grew = true;
        }
        lock (_peakKb)
        {
            foreach (var pid in tree)
            {
                try
                {
                    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                    if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
                        _peakKb[pid] = Math.Max(_peakKb.GetValueOrDefault(pid), kb);
                }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
            _peakTreeKb = Math.Max(_peakTreeKb, _peakKb.Values.Sum());
        }
    }

    /// <summary>Stops sampling.</summary>
    public void Dispose() => _timer.Dispose();
}
