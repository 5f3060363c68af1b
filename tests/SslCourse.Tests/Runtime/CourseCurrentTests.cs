using SslCourse.Runtime;

namespace SslCourse.Tests.Runtime;

/// <summary>
/// Course.Current never starts a session on its own. No test in this assembly calls Course.Init (it is process-wide
/// state); one that does must live elsewhere or this test becomes order-dependent.
/// </summary>
public sealed class CourseCurrentTests
{
    [Fact]
    public void Current_before_Init_says_to_call_Init()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Course.Current);
        Assert.Contains("Course.Init", e.Message);
    }
}
