namespace SslCourse.Runner;

/// <summary>The <c>k</c> field of a results-channel message, written by <see cref="ChildSession"/> and read by <see cref="LiveResults"/>.</summary>
internal static class ChannelKind
{
    public const string Started = "started";
    public const string Begin = "begin";
    public const string Cell = "cell";
    public const string Done = "done";
    public const string Exited = "exited";
}
