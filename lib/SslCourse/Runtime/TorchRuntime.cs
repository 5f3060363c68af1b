using System.Reflection;
using System.Runtime.InteropServices;

namespace SslCourse.Runtime;

/// <summary>
/// Finds and loads libtorch and TorchSharp's native shim before TorchSharp's own loader runs, so that the
/// same notebook works with the CPU package, a CUDA package, or an existing PyTorch install, chosen by the
/// environment alone. Must be called before any <c>torch.*</c> member is touched (Course.Init does it).
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable naming a PyTorch <c>torch/lib</c> folder (e.g. a CUDA build) to use as libtorch.</summary>
    public const string LibTorchVariable = "SSLCOURSE_LIBTORCH";

    private static readonly object Gate = new();
    private static string? _summary;

    /// <summary>One line saying where libtorch came from and what compatibility work was done; null before loading.</summary>
    public static string? Summary => _summary;

    /// <summary>Applies the libstdc++ fix where needed and preloads the native libraries. Idempotent.</summary>
    /// <returns>The one-line summary.</returns>
    public static string EnsureLoaded()
    {
        lock (Gate)
        {
            if (_summary is not null) return _summary;
            if (!OperatingSystem.IsLinux()) return _summary = "libtorch: TorchSharp's own loader (not Linux: no compatibility step needed)";

            var notes = new List<string>();
            if (OneDnnIsa.Apply() is { } isa) notes.Add(isa); // before any kernel is chosen: see OneDnnIsa
            var shims = ShimCandidates().Where(File.Exists).Distinct().ToList();
            var hostOk = GlibcxxCompat.HostProvides();
            foreach (var shim in shims)
            {
                try
                {
                    var outcome = GlibcxxCompat.Apply(shim, hostOk);
                    if (outcome == CompatOutcome.Patched) notes.Add($"marked {GlibcxxCompat.RequiredVersion} weak in {shim}");
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    notes.Add($"could not patch {shim}: {e.Message}");
                }
            }

            string source;
            var external = Environment.GetEnvironmentVariable(LibTorchVariable);
            if (!string.IsNullOrWhiteSpace(external))
            {
                if (!Directory.Exists(external))
                    throw new DirectoryNotFoundException($"{LibTorchVariable}={external}: folder not found (point it at a PyTorch install's torch/lib)");
                // Load the CUDA flavour first when present so libtorch resolves its CUDA kernels.
                foreach (var name in new[] { "libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so" })
                {
                    var p = Path.Combine(external, name);
                    if (File.Exists(p)) NativeLibrary.Load(p);
                }
                source = $"libtorch from {LibTorchVariable}={external}";
            }
            else
            {
                var dir = NativeDirs().FirstOrDefault(d => File.Exists(Path.Combine(d, "libtorch.so")));
                if (dir is not null)
                {
                    NativeLibrary.Load(Path.Combine(dir, "libtorch.so"));
                    source = $"libtorch from {dir}";
                }
                else source = "libtorch: TorchSharp's own loader";
            }
            var shimToLoad = shims.FirstOrDefault(s => NativeDirs().Contains(Path.GetDirectoryName(s)!));
            if (shimToLoad is not null) NativeLibrary.Load(shimToLoad);
            notes.Insert(0, source);
            if (!hostOk && notes.All(n => !n.Contains(GlibcxxCompat.RequiredVersion, StringComparison.Ordinal))) notes.Add($"{GlibcxxCompat.RequiredVersion} already weak");
            return _summary = string.Join("; ", notes);
        }
    }

    /// <summary>Folders that may hold natives for the loaded TorchSharp: beside it, its RID folder, and the package caches.</summary>
    internal static IEnumerable<string> NativeDirs()
    {
        var asm = typeof(TorchSharp.torch).Assembly.Location;
        if (!string.IsNullOrEmpty(asm))
        {
            var dir = Path.GetDirectoryName(asm)!;
            yield return dir;
            yield return Path.Combine(dir, "runtimes", "linux-x64", "native");
            yield return Path.Combine(dir, "cpu"); // where TorchSharp copies natives in notebook hosts
        }
        var self = Path.GetDirectoryName(Assembly.GetExecutingAssembly().Location);
        if (!string.IsNullOrEmpty(self))
        {
            yield return self;
            yield return Path.Combine(self, "runtimes", "linux-x64", "native");
        }
    }

    // Only the private copies beside the loaded TorchSharp (the build folder, or the copy TorchSharp makes beside
    // itself): the shared NuGet cache is never written, so other projects on the machine see the package as published.
    private static IEnumerable<string> ShimCandidates() => NativeDirs().Select(d => Path.Combine(d, "libLibTorchSharp.so"));
}
