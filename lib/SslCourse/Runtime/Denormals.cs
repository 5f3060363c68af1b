using System.Collections.Concurrent;
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
    // A static member of at::Context (Context.h): no `this` argument. Passing one made `on` the context pointer, always true.
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.U1)]
    private delegate bool SetFlushDenormalFn([MarshalAs(UnmanagedType.U1)] bool on);

    private static readonly Lazy<SetFlushDenormalFn?> Setter = new(Resolve);

    /// <summary>
    /// Sets flush-to-zero and denormals-are-zero on the calling thread (the CPU flag is per thread; libtorch's
    /// worker threads inherit it when they are created). Returns false where unsupported (not Linux x64 libtorch).
    /// </summary>
    public static bool FlushToZero(bool on = true)
    {
        var set = Setter.Value;
        return set is not null && set(on);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with flush-to-zero on every libtorch CPU thread. The flag is per thread, and
    /// libtorch's OpenMP workers copy it from the thread that creates them: so the work runs on one long-lived course
    /// thread that set the flag when it started, and the worker pool OpenMP creates for that thread inherits it. It uses
    /// the caller's libtorch thread count (<c>torch.set_num_threads</c>) and execution context (a notebook's display
    /// context flows with it). Calls from several threads are served one at a time; a call made from inside
    /// <paramref name="work"/> runs inline. Exceptions reach the caller unchanged.
    /// </summary>
    /// <remarks>
    /// Dispose scopes are per thread: tensors that <paramref name="work"/> returns are not in the caller's scope, so
    /// it should return plain values (a <see cref="Training.History"/>, numbers) or tensors the caller disposes.
    /// <see cref="Training.TrainerOptions.FlushDenormals"/> is the way training asks for this.
    /// </remarks>
    public static T Run<T>(Func<T> work)
    {
        if (_onWorker) return work();
        var threads = TorchSharp.torch.get_num_threads();
        var context = ExecutionContext.Capture();
        T result = default!;
        ExceptionDispatchInfo? error = null;
        using var done = new ManualResetEventSlim();
        void Body()
        {
            if (TorchSharp.torch.get_num_threads() != threads) TorchSharp.torch.set_num_threads(threads); // per calling thread in OpenMP
            result = work();
        }
        Worker.Value.Add(() =>
        {
            try
            {
                if (context is null) Body();
                else ExecutionContext.Run(context, _ => Body(), null);
            }
            catch (Exception e) { error = ExceptionDispatchInfo.Capture(e); }
            finally { done.Set(); }
        });
        done.Wait();
        error?.Throw();
        return result;
    }

    /// <summary>True on the flush-to-zero thread (where <see cref="Run"/> runs its work).</summary>
    public static bool OnFlushThread => _onWorker;

    [ThreadStatic] private static bool _onWorker;

    // One thread for the process: creating a thread (and its OpenMP pool) per call cost about 1.6 ms, paid 800 times by
    // a chapter-02 scoring loop.
    private static readonly Lazy<BlockingCollection<Action>> Worker = new(() =>
    {
        var queue = new BlockingCollection<Action>();
        var thread = new Thread(() =>
        {
            _onWorker = true;
            FlushToZero();
            foreach (var item in queue.GetConsumingEnumerable()) item();
        }, maxStackSize: 16 << 20) { Name = "SslCourse flush-to-zero", IsBackground = true };
        using (ExecutionContext.SuppressFlow()) thread.Start(); // each call brings its own context; keep the first caller's out
        return queue;
    });

    private static SetFlushDenormalFn? Resolve()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        TorchRuntime.EnsureLoaded();
        var candidates = new[] { "libtorch_cpu.so" }.Concat(TorchRuntime.NativeDirs().Select(d => Path.Combine(d, "libtorch_cpu.so")));
        foreach (var path in candidates)
        {
            if (!NativeLibrary.TryLoad(path, out var lib)) continue;
            // Itanium-mangled at::Context::setFlushDenormal(bool), a static member function.
            if (!NativeLibrary.TryGetExport(lib, "_ZN2at7Context16setFlushDenormalEb", out var setFn)) continue;
            return Marshal.GetDelegateForFunctionPointer<SetFlushDenormalFn>(setFn);
        }
        return null;
    }
}
