namespace SslCourse.Runner;

/// <summary>Where a child process is in running its notebook, as its results channel says.</summary>
internal enum RunPhase
{
    /// <summary>No message yet: the kernel is starting.</summary>
    Starting,

    /// <summary>The kernel started; cells are running.</summary>
    Running,

    /// <summary>Every cell that was to run has run.</summary>
    Done,

    /// <summary>Notebook code ended the process (Environment.Exit).</summary>
    Exited,
}
