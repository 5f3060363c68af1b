using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Runtime;

/// <summary>Chooses CUDA when it is usable and the CPU otherwise; <c>SSLCOURSE_DEVICE=cpu</c> forces the CPU.</summary>
public static class DeviceChoice
{
    /// <summary>Environment variable that forces a device ("cpu" or "cuda").</summary>
    public const string DeviceVariable = "SSLCOURSE_DEVICE";

    /// <summary>Returns the device and a one-line description naming it (with the GPU's name).</summary>
    public static (Device Device, string Line) Choose()
    {
        var forced = Environment.GetEnvironmentVariable(DeviceVariable)?.Trim().ToLowerInvariant();
        if (forced == "cpu") return (CPU, $"device cpu ({DeviceVariable}=cpu, {torch.get_num_threads()} threads)");
        bool cuda;
        try
        {
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(TorchRuntime.LibTorchVariable)))
                torch.InitializeDeviceType(DeviceType.CUDA);
            cuda = torch.cuda.is_available();
        }
        catch (Exception e) when (e is InvalidOperationException or DllNotFoundException or NotSupportedException)
        {
            cuda = false;
        }
        if (forced == "cuda" && !cuda)
            throw new InvalidOperationException($"{DeviceVariable}=cuda but CUDA is not usable (no GPU, or a CPU-only libtorch)");
        if (!cuda) return (CPU, $"device cpu ({torch.get_num_threads()} threads; no usable CUDA)");
        return (CUDA, $"device cuda ({GpuName() ?? "GPU"}, {torch.cuda.device_count()} visible)");
    }

    private static string? GpuName()
    {
        try
        {
            var psi = new ProcessStartInfo("nvidia-smi", "--query-gpu=name --format=csv,noheader")
            { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            var name = p.StandardOutput.ReadLine();
            p.WaitForExit(5000);
            return string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
