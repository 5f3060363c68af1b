namespace SslCourse.Grading;

/// <summary>One graded item of a master notebook.</summary>
/// <param name="Id">The nbgrader <c>grade_id</c>.</param>
/// <param name="Points">Points possible.</param>
/// <param name="Manual">True for a manually graded task or answer (a person enters its points).</param>
/// <param name="MasterIndex">0-based position of its cell in the master.</param>
public sealed record Question(string Id, double Points, bool Manual, int MasterIndex);
