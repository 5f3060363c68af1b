namespace SslCourse.Tests;

/// <summary>Tests that compare runs drawing from libtorch's one global generator (dropout, <c>randn</c>): they run
/// alone, since xunit runs other test classes in parallel and any of them may draw from it meanwhile.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "global generator";
}
