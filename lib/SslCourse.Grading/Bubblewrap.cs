using System.Diagnostics;

namespace SslCourse.Grading;

/// <summary>
/// Finds a bubblewrap (<c>bwrap</c>) that works on this host the way the sandbox uses it: installed, able to create
/// its namespaces, with util-linux's <c>prlimit</c> (the process cap) and, for a root grader, <c>setpriv</c> (the drop
/// to an unprivileged uid). The probe runs the same kind of command line the sandbox runs, once per process.
/// </summary>
public static class Bubblewrap
{
    private static readonly Lazy<(string? Bwrap, string? SetPriv, string? PrLimit, bool NoUserns, string? Why)> Probed = new(Probe);

    /// <summary>The usable bwrap executable, or null when it is missing or cannot sandbox here (see <see cref="Problem"/>).</summary>
    public static string? Path => Probed.Value.Bwrap;

    /// <summary>util-linux's <c>setpriv</c> (needed when the grader runs as root).</summary>
    public static string? SetPriv => Probed.Value.SetPriv;

    /// <summary>util-linux's <c>prlimit</c>.</summary>
    public static string? PrLimit => Probed.Value.PrLimit;

    /// <summary>True when this bwrap forbids user namespaces inside the sandbox (<c>--disable-userns</c>, bwrap 0.8+).</summary>
    public static bool DisablesUserNamespaces => Probed.Value.NoUserns;

    /// <summary>Why the sandbox is not usable, or null.</summary>
    public static string? Problem => Probed.Value.Why;

    private static (string?, string?, string?, bool, string?) Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (null, null, null, false, "not Linux");
        }
        var bwrap = Find("bwrap");
        var setpriv = Find("setpriv");
        var prlimit = Find("prlimit");
        if (bwrap is null || prlimit is null || (Environment.IsPrivilegedProcess && setpriv is null))
        {
            return (null, setpriv, prlimit, false, "bwrap, prlimit or setpriv is missing (apt-get install bubblewrap util-linux)");
        }
        string[] common = ["--ro-bind", "/", "/", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--die-with-parent", "--new-session",
            "--proc", "/proc", "--dev", "/dev", "--size", "1048576", "--perms", "1777", "--tmpfs", "/tmp"];
        string[] tail = ["--", prlimit, "--nproc=64:64", "--", "true"];
        if (Environment.IsPrivilegedProcess)
        {
            string[] root = [.. common, "--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID", "--cap-add", "CAP_SETPCAP",
                "--", setpriv!, "--reuid", "1500000000", "--regid", "1500000000", "--clear-groups", "--bounding-set", "-all", "--inh-caps", "-all", "--no-new-privs", .. tail[1..]];
            return Runs(bwrap, root) ? (bwrap, setpriv, prlimit, false, null) : (null, setpriv, prlimit, false, "bwrap cannot create its namespaces here (as root)");
        }
        string[] user = [.. common, "--unshare-user", "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL"];
        if (Runs(bwrap, [.. user, "--disable-userns", .. tail]))
        {
            return (bwrap, setpriv, prlimit, true, null);
        }
        // Unprivileged user namespaces may be disabled (some distributions, some containers; Ubuntu 24.04's AppArmor).
        return Runs(bwrap, [.. user, .. tail]) ? (bwrap, setpriv, prlimit, false, null)
            : (null, setpriv, prlimit, false, "bwrap cannot create a user namespace for this user (on Ubuntu 24.04 allow it in AppArmor, or grade as root)");
    }

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/bin", "/bin", "/usr/sbin", "/sbin"])
            .Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static bool Runs(string exe, IEnumerable<string> args)
    {
        try
        {
            var psi = new ProcessStartInfo(exe) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in args)
            {
                psi.ArgumentList.Add(arg);
            }
            using var p = Process.Start(psi)!;
            if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                p.Kill(entireProcessTree: true);
                return false;
            }
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
