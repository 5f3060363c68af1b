using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Runtime;

/// <summary>What <see cref="Course.Init"/> set up: profile, device and seed, shared by every later call.</summary>
/// <param name="Profile">Experiment size.</param>
/// <param name="Device">Where tensors and models live.</param>
/// <param name="Seed">The seed given to every random generator.</param>
/// <param name="Banner">The one line printed at start-up.</param>
public sealed record CourseSession(Profile Profile, Device Device, int Seed, string Banner)
{
    /// <summary>Picks a per-profile value.</summary>
    public T Pick<T>(T ci, T full) => Profile.Pick(ci, full);

    /// <summary>True on a CUDA device.</summary>
    public bool IsCuda => Device.type == DeviceType.CUDA;
}

/// <summary>
/// The first call of every notebook: loads libtorch (with the libstdc++ compatibility step), picks the device,
/// seeds, registers the inline chart formatters, silences the notebook kernel's CS1701/CS1702 reference-unification
/// warnings (<see cref="KernelCompilation"/>) and prints one banner line.
/// </summary>
public static class Course
{
    private static CourseSession? _current;

    /// <summary>The session set up by the last <see cref="Init"/>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Init"/> has not been called: a session is never started
    /// silently, with a profile and seed nobody chose.</exception>
    public static CourseSession Current => _current ?? throw new InvalidOperationException("no course session: call Course.Init first");

    /// <summary>Sets the course up. Safe to call again (e.g. re-running a notebook's first cell).</summary>
    /// <param name="profile">"ci" or "full".</param>
    /// <param name="seed">Seed for torch and the library's generators.</param>
    /// <param name="quiet">Suppress the banner line.</param>
    public static CourseSession Init(string profile = "ci", int seed = 0, bool quiet = false)
    {
        var p = ProfileExtensions.Parse(profile);
        var native = TorchRuntime.EnsureLoaded();
        var (device, deviceLine) = DeviceChoice.Choose();
        torch.manual_seed(seed);
        if (device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(seed);
        Viz.ChartDisplay.Register();
        // Later cells compile without the CS1701/CS1702 reference-unification noise (see KernelCompilation).
        KernelCompilation.Apply();
        var banner = $"SslCourse · profile {p.Name()} · seed {seed} · {deviceLine} · {native}";
        if (!quiet) Console.WriteLine(banner);
        return _current = new CourseSession(p, device, seed, banner);
    }

    /// <summary>The current session's device; throws like <see cref="Current"/> before <see cref="Init"/>.</summary>
    public static Device Device => Current.Device;
}
