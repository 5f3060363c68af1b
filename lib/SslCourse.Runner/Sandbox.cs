using System.Globalization;
using System.Security.Cryptography;
using SslCourse.Grading;

namespace SslCourse.Runner;

/// <summary>What a sandboxed notebook may see: some folders read-only, some variables, and sizes for its in-memory folders.</summary>
/// <param name="ReadOnly">Folders bound read-only (the course library the master references, data). Only these and the
/// system: nothing a notebook's own cells name becomes a bind.</param>
/// <param name="AllowedEnvironment">Names of the runner's environment variables passed in (exact names).</param>
public sealed record SandboxSpec(IReadOnlyList<string> ReadOnly, IReadOnlyList<string> AllowedEnvironment)
{
    /// <summary>
    /// True (grading): the working directory is a fresh, size-limited, in-memory folder (nothing the notebook writes
    /// reaches the host's disk). False (<c>run --sandbox</c>): the working directory is shown read-only.
    /// </summary>
    public bool Scratch { get; init; }

    /// <summary>Size of the scratch folder, MB.</summary>
    public long ScratchMb { get; init; } = 256;

    /// <summary>Size of <c>/tmp</c>, MB.</summary>
    public long TmpMb { get; init; } = 256;

    /// <summary>Most processes and threads the notebook's user may have at once (RLIMIT_NPROC; the .NET kernel itself uses about 40).</summary>
    public int MaxProcesses { get; init; } = 512;
}

/// <summary>
/// Runs the kernel child under bubblewrap (<c>bwrap</c>) the way Flatpak does: an unprivileged user with every
/// capability dropped, a new session, no network, private PID namespace and <c>/proc</c> (the child sees no other
/// process, and the whole namespace dies with it), private size-limited <c>/tmp</c> and scratch folder, private
/// <c>/dev</c>, a read-only system and course library, a cap on processes, and nothing else of the host's file system.
/// As root (the usual grader in CI and containers), bwrap builds the namespaces and <c>setpriv</c> then becomes a
/// fresh uid with no capabilities, no groups and no-new-privs before anything of the notebook's runs: root inside
/// the sandbox could otherwise remount the read-only binds. Otherwise bwrap maps the grading user to an unprivileged
/// uid in a new user namespace and forbids nested user namespaces (<c>--disable-userns</c>).
/// </summary>
internal static class Sandbox
{
    /// <summary>The uid the notebook has inside a user namespace (non-root grader): not 0.</summary>
    private const int NamespaceUid = 65534;

    /// <summary>The usable bwrap executable, or null when it is missing or cannot create namespaces here.</summary>
    public static string? Bwrap => Bubblewrap.Path;

    /// <summary>The bwrap command line that runs <paramref name="command"/> in the sandbox.</summary>
    public static List<string> Wrap(IReadOnlyList<string> command, SandboxSpec spec, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var bwrap = Bwrap ?? throw new InvalidOperationException("bubblewrap is not available");
        var asRoot = Environment.IsPrivilegedProcess;
        var a = new List<string> { bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--die-with-parent", "--new-session" };
        var uid = asRoot ? (1_500_000_000 + RandomNumberGenerator.GetInt32(1_000_000)).ToString(CultureInfo.InvariantCulture) : NamespaceUid.ToString(CultureInfo.InvariantCulture);
        if (asRoot)
        {
            // Only what setpriv needs to give up root is kept, and setpriv gives that up too.
            a.AddRange(["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP"]);
        }
        else
        {
            a.AddRange(["--unshare-user", "--uid", uid, "--gid", uid, "--cap-drop", "ALL"]);
            if (Bubblewrap.DisablesUserNamespaces)
            {
                a.Add("--disable-userns");
            }
        }
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
        a.AddRange(["--ro-bind-try", "/sys", "/sys", "--proc", "/proc", "--dev", "/dev"]);
        a.AddRange(["--size", Bytes(spec.TmpMb), "--perms", "1777", "--tmpfs", "/tmp"]);
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
        if (!spec.Scratch)
        {
            readOnly.Add(workingDirectory);
        }
        var binds = readOnly.Select(d => Path.GetFullPath(d).TrimEnd('/')).Distinct(StringComparer.Ordinal).Where(Directory.Exists).ToList();
        var scratch = Path.GetFullPath(workingDirectory).TrimEnd('/');
        // bwrap makes the folders leading to a bind private to root (0700); the notebook's user must pass through them.
        foreach (var parent in Ancestors(spec.Scratch ? [.. binds, scratch] : binds))
        {
            a.AddRange(["--perms", "0755", "--dir", parent]);
        }
        foreach (var dir in binds)
        {
            a.AddRange(["--ro-bind", dir, dir]);
        }
        if (spec.Scratch)
        {
            // Last, so it lies over any read-only bind above it: the only place besides /tmp the notebook can write.
            a.AddRange(["--size", Bytes(spec.ScratchMb), "--perms", "1777", "--tmpfs", scratch]);
        }
        a.AddRange(["--chdir", workingDirectory, "--clearenv"]);
        foreach (var (name, value) in environment)
        {
            a.AddRange(["--setenv", name, value]);
        }
        a.Add("--");
        if (asRoot)
        {
            a.AddRange([Bubblewrap.SetPriv!, "--reuid", uid, "--regid", uid, "--clear-groups", "--bounding-set", "-all", "--inh-caps", "-all", "--no-new-privs", "--"]);
        }
        // Counts the notebook user's processes and threads: a fresh uid as root, a fresh user namespace otherwise.
        a.AddRange([Bubblewrap.PrLimit!, $"--nproc={spec.MaxProcesses}:{spec.MaxProcesses}", "--"]);
        a.AddRange(command);
        return a;
    }

    /// <summary>Folders above the bind targets that bwrap would create itself, shortest first (not the system's, not /tmp).</summary>
    private static List<string> Ancestors(IEnumerable<string> targets)
    {
        string[] system = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/sys", "/proc", "/dev", "/tmp"];
        var all = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            for (var dir = Path.GetDirectoryName(target); dir is { Length: > 1 }; dir = Path.GetDirectoryName(dir))
            {
                if (!system.Contains(dir))
                {
                    all.Add(dir);
                }
            }
        }
        return all.Where(d => !system.Any(s => d.StartsWith(s + "/", StringComparison.Ordinal) && s != "/tmp")).OrderBy(d => d.Count(c => c == '/')).ToList();
    }

    private static string Bytes(long mb) => (mb * 1024 * 1024).ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> GpuDevices()
    {
        if (!Directory.Exists("/dev"))
        {
            return [];
        }
        return Directory.EnumerateFileSystemEntries("/dev", "nvidia*").Concat(Directory.Exists("/dev/dri") ? ["/dev/dri"] : []).Order(StringComparer.Ordinal).ToList();
    }
}
