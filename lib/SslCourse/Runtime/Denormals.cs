using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace SslCourse.Runtime;

/// <summary>
/// Flush-to-zero for subnormal floats on the CPU, PyTorch's <c>torch.set_flush_denormal(True)</c>, which TorchSharp
/// does not expose. Once attention becomes sharp, softmax produces probabilities below 1.2e-38 (subnormal floats),
/// and every arithmetic operation on one takes a slow microcode path on x86: a small GPT's training step was measured
/// to slow down 30-fold. Flushing them to zero changes results by less than 1e-38 per value.
/// </summary>
public static class Denormals
{
    private delegate IntPtr GlobalContextFn();
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool SetFlushDenormalFn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool on);

    private static readonly Lazy<SetFlushDenormalFn?> Setter = new(Resolve);
    private static IntPtr _context;

    /// <summary>
    /// Sets flush-to-zero and denormals-are-zero on the calling thread (the CPU flag is per thread; libtorch's
    /// worker threads inherit it when they are created). Returns false where unsupported (not Linux x64 libtorch).
    /// </summary>
    public static bool FlushToZero(bool on = true)
    {
        var set = Setter.Value;
        return set is not null && set(_context, on);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with flush-to-zero on every libtorch CPU thread. The flag is per thread, and
    /// libtorch's OpenMP workers copy it from the thread that creates them: so the work runs on a fresh thread that
    /// sets the flag first, and the worker pool OpenMP creates for that thread inherits it. It uses the caller's
    /// libtorch thread count (<c>torch.set_num_threads</c>). Exceptions reach the caller unchanged.
    /// </summary>
    /// <remarks>
    /// Dispose scopes are per thread: tensors that <paramref name="work"/> returns are not in the caller's scope, so
    /// it should return plain values (a <see cref="Training.History"/>, numbers) or tensors the caller disposes.
    /// </remarks>
    public static T Run<T>(Func<T> work)
    {
        var threads = TorchSharp.torch.get_num_threads();
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                FlushToZero();
                TorchSharp.torch.set_num_threads(threads); // OpenMP's thread count is per calling thread
                result = work();
            }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
        }, maxStackSize: 16 << 20) { Name = "SslCourse flush-to-zero", IsBackground = true };
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }

    private static SetFlushDenormalFn? Resolve()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        TorchRuntime.EnsureLoaded();
        var candidates = new[] { "libtorch_cpu.so" }.Concat(TorchRuntime.NativeDirs().Select(d => Path.Combine(d, "libtorch_cpu.so")));
        foreach (var path in candidates)
        {
            if (!NativeLibrary.TryLoad(path, out var lib)) continue;
            // Itanium-mangled at::globalContext() and at::Context::setFlushDenormal(bool).
            if (!NativeLibrary.TryGetExport(lib, "_ZN2at13globalContextEv", out var ctxFn)
                || !NativeLibrary.TryGetExport(lib, "_ZN2at7Context16setFlushDenormalEb", out var setFn)) continue;
            _context = Marshal.GetDelegateForFunctionPointer<GlobalContextFn>(ctxFn)();
            return Marshal.GetDelegateForFunctionPointer<SetFlushDenormalFn>(setFn);
        }
        return null;
    }
}
