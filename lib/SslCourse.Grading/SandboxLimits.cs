namespace SslCourse.Grading;

/// <summary>
/// Limits for running untrusted notebooks. Memory is bounded twice: the runner kills the kernel process when its
/// resident memory passes <see cref="MemoryLimitMb"/> (this catches libtorch's native tensors), and
/// <c>DOTNET_GCHeapHardLimit</c> caps the managed heap at the same size so a runaway managed allocation fails as an
/// <see cref="OutOfMemoryException"/> in its cell. An address-space rlimit (<c>ulimit -v</c>) is not used: .NET
/// reserves far more virtual memory than it touches and would not start.
/// </summary>
public sealed record SandboxLimits
{
    /// <summary>Limit per cell.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit per notebook run (wall clock, including kernel start).</summary>
    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromSeconds(600);

    /// <summary>Resident-memory limit of the kernel process, and the managed heap limit, in MB.</summary>
    public long MemoryLimitMb { get; init; } = 4096;

    /// <summary>Output kept per cell.</summary>
    public long MaxCellOutputBytes { get; init; } = 1024 * 1024;

    /// <summary>Environment variables passed to the notebook: exact names.</summary>
    public IReadOnlyList<string> EnvironmentNames { get; init; } = ["PATH", "HOME", "LANG", "LC_ALL", "LD_LIBRARY_PATH", "CUDA_VISIBLE_DEVICES"];

    /// <summary>Environment variables passed to the notebook: name prefixes.</summary>
    public IReadOnlyList<string> EnvironmentPrefixes { get; init; } = ["DOTNET_", "NUGET_", "SSLCOURSE_"];

    /// <summary>True when <paramref name="name"/> is on the allow-list.</summary>
    /// <param name="name">An environment variable name.</param>
    public bool Allows(string name) =>
        EnvironmentNames.Contains(name, StringComparer.Ordinal) || EnvironmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));
}
