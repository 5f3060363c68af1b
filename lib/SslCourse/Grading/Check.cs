using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Grading;

/// <summary>
/// Assertions for exercise check cells (the C# counterpart of nbgrader/otter test cells). Each failure throws a
/// <see cref="CheckFailedException"/> whose message says what was checked, expected vs actual, the tolerance and a hint.
/// Tolerances are mixed absolute/relative: a value passes when <c>|actual − expected| ≤ tol · max(1, |expected|)</c>.
/// </summary>
public static class Check
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Checks that two numbers agree within <paramref name="tol"/> (mixed absolute/relative).</summary>
    /// <param name="actual">The learner's value.</param>
    /// <param name="expected">The reference value.</param>
    /// <param name="tol">Tolerance.</param>
    /// <param name="hint">What to look at when it fails.</param>
    /// <param name="what">What is being checked (e.g. "NT-Xent loss of the toy batch").</param>
    public static void Close(double actual, double expected, double tol = 1e-6, string? hint = null, string? what = null)
    {
        if (double.IsNaN(actual) || Math.Abs(actual - expected) > tol * Math.Max(1, Math.Abs(expected)))
        {
            Fail(what ?? "value", $"expected {Fmt(expected)} but got {Fmt(actual)} (tolerance {Fmt(tol)})", hint);
        }
    }

    /// <summary>Checks that two tensors have the same shape and agree element-wise within <paramref name="tol"/>.</summary>
    /// <param name="actual">The learner's tensor.</param>
    /// <param name="expected">The reference tensor.</param>
    /// <param name="tol">Tolerance (mixed absolute/relative, per element).</param>
    /// <param name="hint">What to look at when it fails.</param>
    /// <param name="what">What is being checked.</param>
    public static void Close(Tensor actual, Tensor expected, double tol = 1e-5, string? hint = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        var name = what ?? "tensor";
        Shape(actual, expected.shape, hint, name);
        using var scope = NewDisposeScope();
        var a = actual.detach().to(float64).cpu();
        var e = expected.detach().to(float64).cpu();
        var excess = (a - e).abs() - tol * e.abs().clamp_min(1.0);
        excess = excess.nan_to_num(nan: double.PositiveInfinity);
        if (excess.numel() == 0 || excess.max().item<double>() <= 0)
        {
            return;
        }
        var flat = excess.flatten().argmax().item<long>();
        var index = Unravel(flat, expected.shape);
        var av = a.flatten()[flat].item<double>();
        var ev = e.flatten()[flat].item<double>();
        var bad = (excess > 0).sum().item<long>();
        Fail(name, $"{bad} of {expected.numel()} elements differ; the worst is at [{string.Join(", ", index)}]: "
                   + $"expected {Fmt(ev)} but got {Fmt(av)} (tolerance {Fmt(tol)})", hint);
    }

    /// <summary>Checks that two values are equal (<see cref="EqualityComparer{T}.Default"/>); strings report the first difference.</summary>
    /// <param name="actual">The learner's value.</param>
    /// <param name="expected">The reference value.</param>
    /// <param name="hint">What to look at when it fails.</param>
    /// <param name="what">What is being checked.</param>
    public static void Equal<T>(T actual, T expected, string? hint = null, string? what = null)
    {
        Trusted(what ?? "value", typeof(T), actual?.GetType(), expected?.GetType());
        if (EqualityComparer<T>.Default.Equals(actual, expected))
        {
            return;
        }
        if (actual is string s && expected is string x)
        {
            var i = 0;
            while (i < s.Length && i < x.Length && s[i] == x[i]) i++;
            Fail(what ?? "text", $"the texts differ first at character {i}: expected {Quote(x, i)} but got {Quote(s, i)} "
                                 + $"(lengths {x.Length} and {s.Length})", hint);
        }
        Fail(what ?? "value", $"expected {Show(expected)} but got {Show(actual)}", hint);
    }

    /// <summary>Checks two sequences element by element (e.g. token ids, sampled indices).</summary>
    /// <param name="actual">The learner's sequence.</param>
    /// <param name="expected">The reference sequence.</param>
    /// <param name="hint">What to look at when it fails.</param>
    /// <param name="what">What is being checked.</param>
    public static void Sequence<T>(IEnumerable<T> actual, IEnumerable<T> expected, string? hint = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        var a = actual.ToList();
        var e = expected.ToList();
        Trusted(what ?? "sequence", [typeof(T), .. a.Concat(e).Select(x => x?.GetType())]);
        var i = 0;
        while (i < a.Count && i < e.Count && EqualityComparer<T>.Default.Equals(a[i], e[i])) i++;
        if (i == a.Count && i == e.Count)
        {
            return;
        }
        Fail(what ?? "sequence", $"expected [{string.Join(", ", e.Select(Show))}] but got [{string.Join(", ", a.Select(Show))}] "
                                 + $"(first difference at position {i})", hint);
    }

    /// <summary>Checks a condition.</summary>
    /// <param name="condition">Must be true.</param>
    /// <param name="message">What was checked, phrased as the expectation (e.g. "every row sums to 1").</param>
    /// <param name="hint">What to look at when it fails.</param>
    public static void True(bool condition, string message, string? hint = null)
    {
        if (!condition)
        {
            Fail(message, "this does not hold", hint);
        }
    }

    /// <summary>Checks a tensor's shape.</summary>
    /// <param name="tensor">The learner's tensor.</param>
    /// <param name="expected">The expected shape, e.g. <c>[4, 8]</c>.</param>
    /// <param name="hint">What to look at when it fails.</param>
    /// <param name="what">What is being checked.</param>
    public static void Shape(Tensor tensor, long[] expected, string? hint = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(expected);
        if (!tensor.shape.SequenceEqual(expected))
        {
            Fail($"shape of {what ?? "tensor"}", $"expected ({string.Join(", ", expected)}) but got ({string.Join(", ", tensor.shape)})", hint);
        }
    }

    /// <summary>
    /// Calls the learner's code and turns a stub's <see cref="NotImplementedException"/> into a "not implemented yet" failure.
    /// </summary>
    /// <param name="what">The function being checked (e.g. "NtXent").</param>
    /// <param name="body">The call.</param>
    public static T Call<T>(string what, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return body();
        }
        catch (NotImplementedException e)
        {
            throw new CheckFailedException($"{what}: not implemented yet — replace the `throw new NotImplementedException();` stub with your solution and run its cell again.", e);
        }
    }

    /// <summary>Prints the learner-facing success line of a check cell.</summary>
    /// <param name="question">The question id, e.g. "q1_ntxent".</param>
    public static void Passed(string question) => Console.WriteLine($"✓ {question}: visible checks passed");

    /// <summary>
    /// Refuses to compare values of a type declared in the notebook itself (compiled from a cell): its <c>Equals</c>
    /// is the learner's code and could say "equal" to anything (with an implicit conversion from the expected type,
    /// <c>Check.Equal(Greet("Ada"), "Hello, Ada!")</c> would compare two such values).
    /// </summary>
    private static void Trusted(string what, params Type?[] types)
    {
        foreach (var t in types)
        {
            if (t is not null && DeclaredInNotebook(t))
            {
                Fail(what, $"the value has type {t.Name}, which is declared in the notebook, so its equality cannot be trusted; return a built-in type (a string, number, tuple or array)", null);
            }
        }
    }

    private static bool DeclaredInNotebook(Type t) =>
        t.Assembly.IsDynamic || string.IsNullOrEmpty(t.Assembly.Location)
        || (t.IsArray && DeclaredInNotebook(t.GetElementType()!))
        || (t.IsGenericType && t.GetGenericArguments().Any(DeclaredInNotebook));

    private static void Fail(string what, string detail, string? hint)
    {
        var text = $"Check failed: {what}: {detail}.";
        if (!string.IsNullOrWhiteSpace(hint))
        {
            text += $" Hint: {hint.Trim()}";
        }
        throw new CheckFailedException(text);
    }

    private static long[] Unravel(long flat, long[] shape)
    {
        var index = new long[shape.Length];
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            index[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return index;
    }

    private static string Fmt(double v) => v.ToString("G6", Inv);

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, Inv),
        _ => value.ToString() ?? "",
    };

    private static string Quote(string s, int at)
    {
        var start = Math.Max(0, at - 10);
        var piece = s.Substring(start, Math.Min(s.Length - start, 30));
        return $"\"{(start > 0 ? "…" : "")}{piece.Replace("\n", "\\n", StringComparison.Ordinal)}\"";
    }
}
