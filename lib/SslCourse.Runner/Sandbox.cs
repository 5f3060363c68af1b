namespace SslCourse.Runner;

/// <summary>What a sandboxed notebook may see: its working folder read-write, some folders read-only, some variables.</summary>
/// <param name="Writable">Folders bound read-write (the notebook's scratch copy).</param>
/// <param name="ReadOnly">Extra folders bound read-only (the course library the notebook references, data).</param>
/// <param name="AllowedEnvironment">Names of the runner's environment variables passed in (exact names).</param>
public sealed record SandboxSpec(IReadOnlyList<string> Writable, IReadOnlyList<string> ReadOnly, IReadOnlyList<string> AllowedEnvironment);

/// <summary>
/// Runs the kernel child under bubblewrap (<c>bwrap</c>): no network, private PID namespace and /proc (the child sees
/// no other process, and the whole namespace dies with it), private /tmp and /dev, a read-only system, read-only course
/// library, write access only to the notebook's scratch folder, and nothing else of the host's file system.
/// </summary>
internal static class Sandbox
{
    /// <summary>The usable bwrap executable, or null when it is missing or cannot create namespaces here.</summary>
    public static string? Bwrap => SslCourse.Grading.Bubblewrap.Path;

    /// <summary>The bwrap command line that runs <paramref name="command"/> in the sandbox.</summary>
    public static List<string> Wrap(IReadOnlyList<string> command, SandboxSpec spec, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var bwrap = Bwrap ?? throw new InvalidOperationException("bubblewrap is not available");
        var a = new List<string> { bwrap, "--unshare-all", "--die-with-parent", "--new-session" };
        foreach (var top in new[] { "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target)
            {
                a.AddRange(["--symlink", target, top]);
            }
            else if (Directory.Exists(top))
            {
                a.AddRange(["--ro-bind", top, top]);
            }
        }
        // CPU topology for libtorch's thread pool; /sys holds no secrets of other users.
        a.AddRange(["--ro-bind-try", "/sys", "/sys", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        foreach (var gpu in GpuDevices())
        {
            a.AddRange(["--dev-bind", gpu, gpu]);
        }
        var host = new FileInfo(command[0]).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(command[0]);
        var readOnly = new List<string> { Path.GetDirectoryName(host)!, AppContext.BaseDirectory };
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages)
        {
            readOnly.Add(packages);
        }
        else if (Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) is { Length: > 0 } home)
        {
            readOnly.Add(Path.Combine(home, ".nuget", "packages"));
        }
        if (Environment.GetEnvironmentVariable("SSLCOURSE_LIBTORCH") is { Length: > 0 } libtorch && spec.AllowedEnvironment.Contains("SSLCOURSE_LIBTORCH"))
        {
            readOnly.Add(File.Exists(libtorch) ? Path.GetDirectoryName(Path.GetFullPath(libtorch))! : libtorch);
        }
        if (Environment.GetEnvironmentVariable("SSLCOURSE_DATA") is { Length: > 0 } data && spec.AllowedEnvironment.Contains("SSLCOURSE_DATA"))
        {
            readOnly.Add(data);
        }
        readOnly.AddRange(spec.ReadOnly);
        foreach (var dir in readOnly.Select(d => Path.GetFullPath(d).TrimEnd('/')).Distinct(StringComparer.Ordinal).Where(Directory.Exists))
        {
            a.AddRange(["--ro-bind", dir, dir]);
        }
        foreach (var dir in spec.Writable.Select(d => Path.GetFullPath(d).TrimEnd('/')).Distinct(StringComparer.Ordinal))
        {
            a.AddRange(["--bind", dir, dir]);
        }
        a.AddRange(["--chdir", workingDirectory, "--clearenv"]);
        foreach (var (name, value) in environment)
        {
            a.AddRange(["--setenv", name, value]);
        }
        a.Add("--");
        a.AddRange(command);
        return a;
    }

    private static IEnumerable<string> GpuDevices()
    {
        if (!Directory.Exists("/dev"))
        {
            return [];
        }
        return Directory.EnumerateFileSystemEntries("/dev", "nvidia*").Concat(Directory.Exists("/dev/dri") ? ["/dev/dri"] : []).Order(StringComparer.Ordinal).ToList();
    }
}
