using System.Globalization;

namespace SslCourse.Runner;

/// <summary>
/// A memory cgroup for one notebook's whole process tree, where the host lets this process create one (cgroup v2 with
/// the memory controller delegated, or a writable cgroup v1 memory hierarchy). The child joins it before it execs,
/// so every descendant is counted (files in its in-memory /tmp and scratch folder too: tmpfs pages are charged to the
/// cgroup of the process that writes them); the kernel's OOM killer enforces the limit and <see cref="OomKills"/>
/// reports it. Where the pids controller is available too, <c>pids.max</c> caps the number of processes and threads.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private readonly bool _v2;
    private readonly string? _pids;

    private MemoryCgroup(string path, bool v2, string? pids)
    {
        Path = path;
        _v2 = v2;
        _pids = pids;
    }

    /// <summary>The cgroup's folder.</summary>
    public string Path { get; }

    /// <summary>Write a pid here to move that process into the cgroup.</summary>
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>Every cgroup.procs file a process must join (the memory cgroup, and a v1 pids cgroup where there is one).</summary>
    public IReadOnlyList<string> ProcsFiles => _pids is null ? [ProcsFile] : [ProcsFile, System.IO.Path.Combine(_pids, "cgroup.procs")];

    /// <summary>A new cgroup limited to <paramref name="limitMb"/> (and <paramref name="maxProcesses"/>), or null where the host does not allow one.</summary>
    public static MemoryCgroup? TryCreate(long limitMb, int? maxProcesses = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var bytes = (limitMb * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        var name = "sslcourse-" + Guid.NewGuid().ToString("N")[..12];
        foreach (var (line, v2) in Own())
        {
            var parent = v2 ? "/sys/fs/cgroup" + line : "/sys/fs/cgroup/memory" + line;
            var path = System.IO.Path.Combine(parent, name);
            try
            {
                if (v2 && !File.ReadAllText(System.IO.Path.Combine(parent, "cgroup.subtree_control")).Split(' ', '\n').Contains("memory"))
                {
                    continue;
                }
                Directory.CreateDirectory(path);
                File.WriteAllText(System.IO.Path.Combine(path, v2 ? "memory.max" : "memory.limit_in_bytes"), bytes);
                string? pids = null;
                if (v2)
                {
                    TryWrite(System.IO.Path.Combine(path, "memory.swap.max"), "0");
                    if (maxProcesses is { } max && File.ReadAllText(System.IO.Path.Combine(parent, "cgroup.subtree_control")).Split(' ', '\n').Contains("pids"))
                    {
                        File.WriteAllText(System.IO.Path.Combine(path, "pids.max"), max.ToString(CultureInfo.InvariantCulture));
                    }
                }
                else if (maxProcesses is { } max)
                {
                    pids = TryPidsV1(name, max);
                }
                return new MemoryCgroup(path, v2, pids);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryRemove(path);
            }
        }
        return null;
    }

    /// <summary>A v1 pids cgroup beside this process's own, limited to <paramref name="max"/>; null where there is none.</summary>
    private static string? TryPidsV1(string name, int max)
    {
        try
        {
            var own = File.ReadAllLines("/proc/self/cgroup").Select(l => l.Split(':', 3))
                .FirstOrDefault(p => p.Length == 3 && p[1].Split(',').Contains("pids"))?[2].TrimEnd('/');
            if (own is null || !Directory.Exists("/sys/fs/cgroup/pids"))
            {
                return null;
            }
            var path = "/sys/fs/cgroup/pids" + own + "/" + name;
            Directory.CreateDirectory(path);
            File.WriteAllText(System.IO.Path.Combine(path, "pids.max"), max.ToString(CultureInfo.InvariantCulture));
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>How many processes the OOM killer ended in this cgroup.</summary>
    public long OomKills()
    {
        try
        {
            var file = System.IO.Path.Combine(Path, _v2 ? "memory.events" : "memory.oom_control");
            var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("oom_kill ", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[9..], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return 0;
        }
    }

    /// <summary>Kills everything still in the cgroup and removes it.</summary>
    public void Dispose()
    {
        for (var round = 0; round < 40; round++)
        {
            if (_v2)
            {
                TryWrite(System.IO.Path.Combine(Path, "cgroup.kill"), "1");
            }
            var pids = Pids(ProcsFile).Concat(_pids is null ? [] : Pids(System.IO.Path.Combine(_pids, "cgroup.procs"))).Distinct().ToList();
            if (pids.Count == 0)
            {
                break;
            }
            foreach (var pid in pids)
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(pid).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // Already gone.
                }
            }
            Thread.Sleep(50);
        }
        TryRemove(Path);
        if (_pids is not null)
        {
            TryRemove(_pids);
        }
    }

    private static List<int> Pids(string procsFile)
    {
        try
        {
            return File.ReadAllLines(procsFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return [];
        }
    }

    /// <summary>This process's own cgroup paths: v2 first, then v1's memory hierarchy.</summary>
    private static IEnumerable<(string Path, bool V2)> Own()
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines("/proc/self/cgroup");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var l in lines.Where(l => l.StartsWith("0::", StringComparison.Ordinal)))
        {
            if (File.Exists("/sys/fs/cgroup/cgroup.controllers"))
            {
                yield return (l[3..].TrimEnd('/'), true);
            }
        }
        foreach (var l in lines)
        {
            var parts = l.Split(':', 3);
            if (parts.Length == 3 && parts[1].Split(',').Contains("memory") && Directory.Exists("/sys/fs/cgroup/memory"))
            {
                yield return (parts[2].TrimEnd('/'), false);
            }
        }
    }

    private static void TryWrite(string file, string text)
    {
        try
        {
            File.WriteAllText(file, text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Optional knob missing on this kernel.
        }
    }

    private static void TryRemove(string path)
    {
        for (var i = 0; i < 20 && Directory.Exists(path); i++)
        {
            try
            {
                Directory.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(50);
            }
        }
    }
}
