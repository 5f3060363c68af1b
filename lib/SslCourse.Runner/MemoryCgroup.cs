using System.Globalization;

namespace SslCourse.Runner;

/// <summary>
/// A memory cgroup for one notebook's whole process tree, where the host lets this process create one (cgroup v2 with
/// the memory controller delegated, or a writable cgroup v1 memory hierarchy). The child joins it before it execs,
/// so every descendant is counted; the kernel's OOM killer enforces the limit and <see cref="OomKills"/> reports it.
/// </summary>
internal sealed class MemoryCgroup : IDisposable
{
    private readonly bool _v2;

    private MemoryCgroup(string path, bool v2)
    {
        Path = path;
        _v2 = v2;
    }

    /// <summary>The cgroup's folder.</summary>
    public string Path { get; }

    /// <summary>Write a pid here to move that process into the cgroup.</summary>
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");

    /// <summary>A new cgroup limited to <paramref name="limitMb"/>, or null where the host does not allow one.</summary>
    public static MemoryCgroup? TryCreate(long limitMb)
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
                if (v2)
                {
                    TryWrite(System.IO.Path.Combine(path, "memory.swap.max"), "0");
                }
                return new MemoryCgroup(path, v2);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                TryRemove(path);
            }
        }
        return null;
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
            var pids = Pids();
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
    }

    private List<int> Pids()
    {
        try
        {
            return File.ReadAllLines(ProcsFile).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture)).ToList();
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
