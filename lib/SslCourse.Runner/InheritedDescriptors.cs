using System.Globalization;
using System.Runtime.InteropServices;

namespace SslCourse.Runner;

/// <summary>
/// File descriptors this process inherited from whoever started it (a CI shell's <c>7&lt;secret</c>, an open log) are
/// marked close-on-exec, so no notebook process started from here — sandboxed or not — receives any descriptor but
/// 0, 1 and 2. .NET opens its own descriptors close-on-exec; inherited ones would otherwise pass through every exec.
/// </summary>
internal static partial class InheritedDescriptors
{
    private const uint CloseRangeCloexec = 4;
    private const int FSetFd = 2;
    private const int FdCloexec = 1;

    [LibraryImport("libc", EntryPoint = "close_range", SetLastError = true)]
    private static partial int CloseRange(uint first, uint last, uint flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    /// <summary>Marks every descriptor above 2 close-on-exec (Linux; a no-op elsewhere).</summary>
    public static void CloseOnExec()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        try
        {
            if (CloseRange(3, uint.MaxValue, CloseRangeCloexec) == 0)
            {
                return;
            }
        }
        catch (EntryPointNotFoundException)
        {
            // glibc older than 2.34: mark them one by one.
        }
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), NumberStyles.None, CultureInfo.InvariantCulture, out var fd) && fd > 2)
            {
                _ = Fcntl(fd, FSetFd, FdCloexec);
            }
        }
    }
}
