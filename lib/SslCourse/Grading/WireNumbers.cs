using System.Globalization;

namespace SslCourse.Grading;

/// <summary>Numbers on the judge's wire: a value decodes to a wanted numeric type only where C# converts implicitly.</summary>
internal static class WireNumbers
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The number as <paramref name="target"/> when C# converts implicitly (int → long or double, float → double, ...).</summary>
    public static object Convert(IReadOnlyDictionary<Type, string> numbers, string kind, string text, Type target)
    {
        var source = numbers.First(kv => kv.Value == kind).Key;
        if (!Widens(numbers, source, target))
        {
            throw new JudgeValueException($"a {kind} where a {numbers[target]} is expected");
        }
        var value = source == typeof(double) || source == typeof(float) ? double.Parse(text, NumberStyles.Float, Inv)
            : source == typeof(decimal) ? decimal.Parse(text, NumberStyles.Float, Inv)
            : source == typeof(ulong) ? (object)ulong.Parse(text, Inv) : long.Parse(text, Inv);
        return source == typeof(float) && target == typeof(float) ? (float)(double)value : System.Convert.ChangeType(value, target, Inv);
    }

    private static bool Widens(IReadOnlyDictionary<Type, string> numbers, Type from, Type to)
    {
        if (from == to)
        {
            return true;
        }
        string[] order = ["sbyte", "int16", "int32", "int64"], uorder = ["byte", "uint16", "uint32", "uint64"];
        var (f, t) = (numbers[from], numbers[to]);
        if (t is "float" or "double")
        {
            return f != "decimal" && !(f == "double" && t == "float");
        }
        if (t == "decimal")
        {
            return f is not ("float" or "double");
        }
        var fi = Array.IndexOf(order, f);
        var ti = Array.IndexOf(order, t);
        var fu = Array.IndexOf(uorder, f);
        var tu = Array.IndexOf(uorder, t);
        return (fi >= 0 && ti > fi) || (fu >= 0 && tu > fu) || (fu >= 0 && ti > fu);
    }
}
