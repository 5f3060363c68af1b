using System.Globalization;
using System.Runtime.InteropServices;

namespace SslCourse.Runner;

/// <summary>
/// Linux process-tree helpers read from <c>/proc</c>: the descendants of a process, their summed resident memory, and
/// killing all of them. As a child subreaper, the runner adopts what a notebook detaches (<c>setsid</c>, double fork),
/// so those processes stay its descendants and die with the notebook even without a PID namespace.
/// </summary>
internal static partial class ProcessTree
{
    private const int PrSetChildSubreaper = 36;
    private const int SigKill = 9;

    /// <summary>True once this process adopts orphaned descendants (set by the <c>run</c> verb).</summary>
    public static bool IsSubreaper { get; private set; }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Makes this process the reaper of its orphaned descendants (Linux only; a no-op elsewhere).</summary>
    public static void BecomeSubreaper()
    {
        if (OperatingSystem.IsLinux() && prctl(PrSetChildSubreaper, 1, 0, 0, 0) == 0)
        {
            IsSubreaper = true;
        }
    }

    /// <summary>Live (non-zombie) descendants of <paramref name="root"/>, not including it.</summary>
    public static List<int> Descendants(int root)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (var (pid, ppid, state) in All())
        {
            if (state == 'Z')
            {
                continue;
            }
            if (!children.TryGetValue(ppid, out var list))
            {
                children[ppid] = list = [];
            }
            list.Add(pid);
        }
        var result = new List<int>();
        var queue = new Queue<int>([root]);
        while (queue.Count > 0)
        {
            if (children.TryGetValue(queue.Dequeue(), out var list))
            {
                foreach (var c in list)
                {
                    result.Add(c);
                    queue.Enqueue(c);
                }
            }
        }
        return result;
    }

    /// <summary>Summed resident memory (MB) of the given processes.</summary>
    public static long ResidentMb(IEnumerable<int> pids)
    {
        long kb = 0;
        foreach (var pid in pids)
        {
            try
            {
                foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                {
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    {
                        kb += long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                        break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                // Ended between listing and reading.
            }
        }
        return kb / 1024;
    }

    /// <summary>SIGKILLs every descendant of <paramref name="root"/> until none is left (bounded: about 2 s).</summary>
    public static void KillDescendants(int root)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        for (var round = 0; round < 40; round++)
        {
            var left = Descendants(root);
            if (left.Count == 0)
            {
                return;
            }
            foreach (var pid in left)
            {
                _ = Kill(pid, SigKill);
            }
            Thread.Sleep(50);
        }
    }

    private static IEnumerable<(int Pid, int PPid, char State)> All()
    {
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories("/proc").ToList();
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var dir in dirs)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'.
            var close = stat.LastIndexOf(')');
            var rest = close < 0 ? [] : stat[(close + 1)..].Trim().Split(' ');
            if (rest.Length >= 2 && int.TryParse(rest[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ppid))
            {
                yield return (pid, ppid, rest[0].Length > 0 ? rest[0][0] : '?');
            }
        }
    }
}
