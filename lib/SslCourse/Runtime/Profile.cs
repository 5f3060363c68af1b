namespace SslCourse.Runtime;

/// <summary>
/// How big an experiment runs. Profiles change sizes and epochs only, never the code path:
/// <see cref="Ci"/> fits a notebook in a few minutes on 2 CPU cores; <see cref="Full"/> is the real experiment.
/// </summary>
public enum Profile
{
    /// <summary>Small sizes for continuous integration on 2 CPU cores.</summary>
    Ci,
    /// <summary>The real experiment (a GPU when there is one).</summary>
    Full,
}

/// <summary>Parsing and choosing per-profile values.</summary>
public static class ProfileExtensions
{
    /// <summary>Parses "ci" or "full" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other value, named in the message.</exception>
    public static Profile Parse(string value) => value.Trim().ToLowerInvariant() switch
    {
        "ci" => Profile.Ci,
        "full" => Profile.Full,
        _ => throw new ArgumentException($"Profile \"{value}\" is not known: use \"ci\" or \"full\"", nameof(value)),
    };

    /// <summary>Picks <paramref name="ci"/> or <paramref name="full"/> for this profile.</summary>
    public static T Pick<T>(this Profile profile, T ci, T full) => profile == Profile.Ci ? ci : full;

    /// <summary>The lower-case name used in parameters cells.</summary>
    public static string Name(this Profile profile) => profile == Profile.Ci ? "ci" : "full";
}
