using Xunit.Abstractions;
using Xunit.Sdk;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// Runs the notebook cases in file-name order, as a learner would: later notebooks (e.g. 01_5) reuse encoders that
/// earlier ones cached in data/checkpoints, so the course's order is also its fastest.
/// </summary>
public sealed class NameOrderer : ITestCaseOrderer
{
    /// <summary>The assembly-qualified name xunit needs in <c>[TestCaseOrderer]</c>.</summary>
    public const string TypeName = "SslCourse.Notebooks.Tests.NameOrderer";

    /// <summary>The assembly name for <c>[TestCaseOrderer]</c>.</summary>
    public const string AssemblyName = "SslCourse.Notebooks.Tests";

    /// <inheritdoc/>
    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.DisplayName, StringComparer.Ordinal);
}
