namespace SslCourse.Runner;

/// <summary>
/// What a sandboxed notebook holds in its in-memory folders (<c>/tmp</c> and the scratch folder, both tmpfs), read from
/// outside through <c>/proc/PID/root</c> of a process inside the sandbox. Files there are memory but belong to no
/// process, so without a memory cgroup the watchdog adds them to the tree's resident memory.
/// </summary>
internal static class SandboxTmpfs
{
    /// <summary>MB used in the sandbox's tmpfs folders; 0 when not sandboxed or when nothing can be read.</summary>
    public static long UsedMb(int root, bool sandboxed, string workingDirectory)
    {
        if (!sandboxed || !OperatingSystem.IsLinux())
        {
            return 0;
        }
        var inside = ProcessTree.Descendants(root).FirstOrDefault(InChildPidNamespace);
        if (inside == 0)
        {
            return 0;
        }
        long bytes = 0;
        foreach (var dir in new[] { "/tmp", Path.GetFullPath(workingDirectory) })
        {
            try
            {
                var drive = new DriveInfo($"/proc/{inside}/root{dir}");
                if (drive.DriveFormat == "tmpfs")
                {
                    bytes += drive.TotalSize - drive.TotalFreeSpace;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                // The process ended meanwhile.
            }
        }
        return bytes / (1024 * 1024);
    }

    /// <summary>True for a process whose PID namespace is nested (its NSpid line lists more than one id).</summary>
    private static bool InChildPidNamespace(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
            return line is not null && line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries).Length > 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
