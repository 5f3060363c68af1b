namespace SslCourse.Bench;

/// <summary>One timed training recipe: <see cref="Run"/> trains for the given number of steps on synthetic data.</summary>
/// <param name="Name">Name used on the command line and in the table.</param>
/// <param name="ProfileSteps">Steps the notebook's profile runs, for the projected time.</param>
/// <param name="Items">What one step processes, in words.</param>
/// <param name="Run">Trains a fresh model for the given steps.</param>
internal sealed record BenchCase(string Name, int ProfileSteps, string Items, Action<int> Run);
