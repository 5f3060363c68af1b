namespace SslCourse.Grading;

/// <summary>
/// Limits for running untrusted notebooks. Memory is bounded for the notebook's whole process tree: by a memory
/// cgroup where the host allows one, and always by the runner's watchdog over the summed resident memory of every
/// process of the tree (this catches libtorch's native tensors and processes the notebook starts). In addition
/// <c>DOTNET_GCHeapHardLimit</c> caps the managed heap so a runaway managed allocation fails as an
/// <see cref="OutOfMemoryException"/> in its cell. An address-space rlimit (<c>ulimit -v</c>) is not used: .NET
/// reserves far more virtual memory than it touches and would not start.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>The environment variables a notebook gets by default: exact names, never prefixes (a prefix such as
    /// <c>NUGET_</c> would let <c>NUGET_AUTH_TOKEN</c> through).</summary>
    public static readonly IReadOnlyList<string> DefaultEnvironmentNames =
    [
        "PATH", "HOME", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES",
        "DOTNET_ROOT", "DOTNET_HOST_PATH", "DOTNET_GCHeapHardLimit", "DOTNET_CLI_TELEMETRY_OPTOUT", "DOTNET_NOLOGO",
        "DOTNET_SKIP_FIRST_TIME_EXPERIENCE", "NUGET_PACKAGES", "SSLCOURSE_DATA", "SSLCOURSE_HEADLESS", "SSLCOURSE_LIBTORCH",
    ];

    /// <summary>Limit per cell.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit per notebook run (wall clock, including kernel start).</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Memory limit of the notebook's whole process tree, and the managed heap limit, in MB.</summary>
    public long MemoryLimitMb { get; init; } = 4096;

    /// <summary>Size of the sandbox's in-memory scratch folder (the notebook's working directory), MB.</summary>
    public long ScratchMb { get; init; } = 256;

    /// <summary>Size of the sandbox's in-memory <c>/tmp</c>, MB.</summary>
    public long TmpMb { get; init; } = 256;

    /// <summary>Most processes and threads a sandboxed notebook may run at once (its kernel uses about 40).</summary>
    public int MaxProcesses { get; init; } = 512;

    /// <summary>Output kept per cell.</summary>
    public long MaxCellOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>Environment variables passed to the notebook: exact names.</summary>
    public IReadOnlyList<string> EnvironmentNames { get; init; } = DefaultEnvironmentNames;

    /// <summary>True when <paramref name="name"/> is on the allow-list.</summary>
    /// <param name="name">An environment variable name.</param>
    public bool Allows(string name) => EnvironmentNames.Contains(name, StringComparer.Ordinal);
}
