using System.Diagnostics;

namespace SslCourse.Grading;

/// <summary>Finds a bubblewrap (<c>bwrap</c>) that works on this host: installed, and able to create namespaces.</summary>
public static class Bubblewrap
{
    private static readonly Lazy<string?> Available = new(Probe);

    /// <summary>The usable bwrap executable, or null when it is missing or cannot create namespaces here.</summary>
    public static string? Path => Available.Value;

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':')
            .Select(d => System.IO.Path.Combine(d, "bwrap")).FirstOrDefault(File.Exists) ?? (File.Exists("/usr/bin/bwrap") ? "/usr/bin/bwrap" : null);
        if (path is null)
        {
            return null;
        }
        try
        {
            // Installed is not enough: unprivileged user namespaces may be disabled (some distributions, some containers).
            var psi = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var arg in new[] { "--ro-bind", "/", "/", "--unshare-all", "--die-with-parent", "--proc", "/proc", "--dev", "/dev", "true" })
            {
                psi.ArgumentList.Add(arg);
            }
            using var p = Process.Start(psi)!;
            if (!p.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                p.Kill(entireProcessTree: true);
                return null;
            }
            return p.ExitCode == 0 ? path : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
