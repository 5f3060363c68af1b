namespace SslCourse.Training;

/// <summary>
/// The seeds every recipe derives from the session's seed, named in one place so that a notebook's closure and the
/// library's recipe draw the same batches and views (a notebook writes <c>DerivedSeeds.Views(course.Seed)</c>, not
/// <c>course.Seed + 1</c>). The model's initial weights come from <c>manual_seed(seed)</c> itself.
/// </summary>
public static class DerivedSeeds
{
    /// <summary>The augmentation's generator (random crops, flips, jitter).</summary>
    public static long Views(long seed) => seed + 1;

    /// <summary>The batch sampler's generator (which images each step sees).</summary>
    public static long Batches(long seed) => seed + 2;

    /// <summary>Masking: MAE's patch masks, CLIP's caption choice.</summary>
    public static long Masks(long seed) => seed + 3;

    /// <summary>MAE's flips.</summary>
    public static long Flips(long seed) => seed + 4;
}
