using System.Runtime.CompilerServices;

namespace SslCourse.Tests;

/// <summary>Loads libtorch (with the libstdc++ step) before any test touches TorchSharp.</summary>
internal static class TorchSetup
{
    [ModuleInitializer]
    internal static void Init()
    {
        Environment.SetEnvironmentVariable("SSLCOURSE_HEADLESS", "1");
        SslCourse.Runtime.TorchRuntime.EnsureLoaded();
        TorchSharp.torch.set_num_threads(Math.Max(1, Environment.ProcessorCount));
    }
}
