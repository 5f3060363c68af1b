using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Vision;

/// <summary>
/// Captions made from class labels, for the course's offline CLIP-style model: every class gets its name and a
/// short description written for the course, and templates turn them into varied sentences ("{a}" is the indefinite
/// article, "{c}" the class name, "{d}" its description). The zero-shot prompts are kept apart from the training
/// templates, so zero-shot accuracy measures a text encoder that has to generalise across phrasings.
/// </summary>
public static class Captions
{
    /// <summary>Descriptions of the Fashion-MNIST classes (by lower-case class name), written for this course.</summary>
    public static IReadOnlyDictionary<string, string> FashionMnistDescriptions { get; } = new Dictionary<string, string>
    {
        ["t-shirt/top"] = "a short-sleeved top worn on the upper body",
        ["trouser"] = "long trousers with two legs",
        ["pullover"] = "a warm knitted sweater with long sleeves",
        ["dress"] = "a one-piece garment that hangs from the shoulders",
        ["coat"] = "a long outdoor garment with sleeves and buttons",
        ["sandal"] = "an open shoe held on by thin straps",
        ["shirt"] = "a buttoned top with a collar and long sleeves",
        ["sneaker"] = "a low sports shoe with laces and a rubber sole",
        ["bag"] = "a handbag with a handle or a strap",
        ["ankle boot"] = "a shoe with a heel that covers the ankle",
    };

    /// <summary>Templates of the training captions.</summary>
    public static IReadOnlyList<string> TrainingTemplates { get; } =
    [
        "{c}", "{a} {c}", "the {c}", "an image of {a} {c}", "a picture of the {c}", "a grey picture of {a} {c}",
        "a small image of {a} {c}", "product shot: {c}", "this is {a} {c}", "{a} {c} on a black background",
        "look at this {c}", "my {c}", "{c}, {d}", "{a} {c}: {d}", "{d}", "a picture of {d}",
    ];

    /// <summary>The single zero-shot prompt (CLIP's default), not among <see cref="TrainingTemplates"/>.</summary>
    public static string ZeroShotPrompt => "a photo of {a} {c}.";

    /// <summary>Prompts averaged by prompt ensembling (after CLIP's ImageNet prompts), none among the training templates.</summary>
    public static IReadOnlyList<string> EnsemblePrompts { get; } =
    [
        "a photo of {a} {c}.", "a blurry photo of {a} {c}.", "a black and white photo of {a} {c}.", "a low resolution photo of the {c}.",
        "a photo of one {c}.", "a cropped photo of {a} {c}.", "a close-up photo of the {c}.",
    ];

    /// <summary>Fills a template for a class name (lower-cased) and its description (the name itself when none is given).</summary>
    public static string Fill(string template, string className, string? description = null)
    {
        var c = className.ToLowerInvariant();
        var article = "aeiou".Contains(c[0]) ? "an" : "a";
        return template.Replace("{a}", article).Replace("{c}", c).Replace("{d}", description ?? c);
    }

    /// <summary>Every training caption of every class: [class][template].</summary>
    /// <param name="classNames">Class names by index.</param>
    /// <param name="descriptions">Descriptions by lower-case name (missing ones fall back to the name).</param>
    public static string[][] ForClasses(IReadOnlyList<string> classNames, IReadOnlyDictionary<string, string>? descriptions = null) =>
        classNames.Select(n => TrainingTemplates.Select(t => Fill(t, n, descriptions?.GetValueOrDefault(n.ToLowerInvariant()))).ToArray()).ToArray();
}

/// <summary>
/// All training captions tokenised once and kept on the device as a (K classes, M templates, L) id table, so a step
/// draws a random caption for each image's label with one gather and no host round trip.
/// </summary>
public sealed class CaptionBank : IDisposable
{
    private readonly Tensor _ids;
    private readonly Generator _generator;

    /// <summary>Tokenises <paramref name="captions"/> ([class][template]) with <paramref name="text"/>'s alphabet on <paramref name="device"/>.</summary>
    public CaptionBank(string[][] captions, TextEncoder text, Device device, long seed)
    {
        var m = captions[0].Length;
        if (captions.Any(c => c.Length != m)) throw new ArgumentException("every class needs the same number of captions");
        using var flat = text.Tokenize(captions.SelectMany(c => c).ToArray(), device);
        _ids = flat.reshape(captions.Length, m, text.MaxLength).clone();
        _generator = new Generator((ulong)seed, device);
    }

    /// <summary>(B, L) token ids of one random training caption per label in <paramref name="labels"/> (B, int64, same device).</summary>
    public Tensor Sample(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var t = randint(_ids.shape[1], [labels.shape[0]], dtype: ScalarType.Int64, device: _ids.device, generator: _generator);
        return _ids[labels, t].MoveToOuterDisposeScope();
    }

    /// <summary>The generator that picks each caption (a checkpoint saves its state).</summary>
    public Generator Generator => _generator;

    /// <summary>Frees the table and the generator.</summary>
    public void Dispose() { _ids.Dispose(); _generator.Dispose(); }
}
