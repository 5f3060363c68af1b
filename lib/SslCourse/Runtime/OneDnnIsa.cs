using System.Runtime.InteropServices;

namespace SslCourse.Runtime;

/// <summary>
/// Caps oneDNN (libtorch's CPU convolution library) at AVX2. With TorchSharp 0.107's libtorch (oneDNN 3.7.1), on a
/// 2-core AMD EPYC VM whose CPU reports AVX-512 with bf16, a conv encoder's backward pass on two threads returned NaN
/// gradients in 22 of 30 tries (two stacked 3×3 convolutions: 7 of 30). With <c>DNNL_MAX_CPU_ISA=AVX2</c>, or on one
/// thread, it returned none in 30. oneDNN reads the variable when it first picks kernels, from the native environment,
/// so this runs before any tensor operation and sets it with libc's <c>setenv</c> (.NET's own setter does not reach
/// native code on Linux). A value the user set (DNNL_MAX_CPU_ISA or ONEDNN_MAX_CPU_ISA) is kept.
/// </summary>
public static class OneDnnIsa
{
    /// <summary>oneDNN's variable.</summary>
    public const string Variable = "DNNL_MAX_CPU_ISA";

    /// <summary>The cap the course sets.</summary>
    public const string Cap = "AVX2";

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetNative([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    /// <summary>Sets the cap unless the user chose one; returns a note for the banner, or null when nothing was set.</summary>
    public static string? Apply()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return null;
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } || Environment.GetEnvironmentVariable("ONEDNN_MAX_CPU_ISA") is { Length: > 0 })
            return null;
        if (SetNative(Variable, Cap, 0) != 0) return null;
        Environment.SetEnvironmentVariable(Variable, Cap);
        return $"oneDNN capped at {Cap}";
    }
}
