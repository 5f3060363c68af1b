using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Grading;

/// <summary>
/// The data that crosses between a learner's sandboxed kernel and the grader's judge, as JSON: tensors (dtype, shape,
/// raw little-endian bytes), numbers, strings, booleans, tuples, lists and random generators (their state). Nothing
/// else crosses: a value of a type the notebook declares or loads from a DLL cannot be encoded, so the judge never
/// runs learner code such as an <c>Equals</c> that says yes to anything. The judge model is that of
/// competitive-programming judges and Gradescope-style autograders: the program produces output, a trusted judge compares.
/// </summary>
public static class JudgeWire
{
    /// <summary>Largest tensor payload, in bytes, one value may carry.</summary>
    public const long MaxTensorBytes = 32L * 1024 * 1024;

    /// <summary>Most items one list may carry.</summary>
    public const int MaxItems = 1_000_000;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly Dictionary<Type, string> Numbers = new()
    {
        [typeof(sbyte)] = "sbyte", [typeof(byte)] = "byte", [typeof(short)] = "int16", [typeof(ushort)] = "uint16",
        [typeof(int)] = "int32", [typeof(uint)] = "uint32", [typeof(long)] = "int64", [typeof(ulong)] = "uint64",
        [typeof(float)] = "float", [typeof(double)] = "double", [typeof(decimal)] = "decimal",
    };

    /// <summary>Encodes a value.</summary>
    /// <param name="value">The value.</param>
    /// <param name="functions">The judge's side only: delegates in <paramref name="value"/> (a language model the check
    /// passes to the learner's function, say) stay here, are added to this list, and cross as their index.</param>
    /// <exception cref="JudgeValueException">The value's type cannot cross, or it is too large.</exception>
    public static JsonObject Encode(object? value, List<Delegate>? functions = null) => value switch
    {
        null => new JsonObject { ["t"] = "null" },
        Delegate d when functions is not null => Function(d, functions),
        Tensor t => WireTensors.Encode(t),
        torch.Generator g when functions is not null => GeneratorHandles.Share(g),
        torch.Generator g => new JsonObject { ["t"] = "generator", ["state"] = Convert.ToBase64String(GeneratorHandles.StateBytes(g)) },
        bool b => new JsonObject { ["t"] = "bool", ["v"] = b },
        string s => new JsonObject { ["t"] = "string", ["v"] = s },
        char c => new JsonObject { ["t"] = "char", ["v"] = c.ToString() },
        float or double => new JsonObject { ["t"] = Numbers[value.GetType()], ["v"] = ((IFormattable)value).ToString("R", Inv) },
        _ when Numbers.TryGetValue(value.GetType(), out var kind) => new JsonObject { ["t"] = kind, ["v"] = ((IFormattable)value).ToString(null, Inv) },
        ITuple tuple => new JsonObject { ["t"] = "tuple", ["items"] = Items(Enumerable.Range(0, tuple.Length).Select(i => tuple[i]), functions) },
        IEnumerable list => new JsonObject { ["t"] = "list", ["items"] = Items(list.Cast<object?>(), functions) },
        _ => throw new JudgeValueException($"a value of type {value.GetType().Name} cannot be passed to the grader; use a tensor, number, string, bool, tuple, array or list"),
    };

    /// <summary>Decodes a value as <typeparamref name="T"/>.</summary>
    /// <exception cref="JudgeValueException">The data is malformed or does not fit <typeparamref name="T"/>.</exception>
    public static T Decode<T>(JsonNode? node) => (T)Decode(node, typeof(T))!;

    /// <summary>Decodes a value as <paramref name="type"/> (<see cref="object"/>: as whatever it is).</summary>
    /// <param name="node">The encoded value.</param>
    /// <param name="type">The type wanted.</param>
    /// <param name="functions">The learner's side only: makes a delegate of the given type for the judge's function with the given index.</param>
    /// <exception cref="JudgeValueException">The data is malformed or does not fit <paramref name="type"/>.</exception>
    public static object? Decode(JsonNode? node, Type type, Func<int, Type, Delegate>? functions = null)
    {
        ArgumentNullException.ThrowIfNull(type);
        try
        {
            return DecodeChecked(node, type, functions);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or OverflowException or ArgumentException or System.Text.Json.JsonException)
        {
            throw Bad(e.Message);
        }
    }

    private static object? DecodeChecked(JsonNode? node, Type type, Func<int, Type, Delegate>? functions)
    {
        var kind = node is JsonObject o && o["t"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : throw Bad("not an encoded value");
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (kind == "null")
        {
            return !type.IsValueType || Nullable.GetUnderlyingType(type) is not null ? null : throw Mismatch("null", type);
        }
        var data = (JsonObject)node!;
        if (target == typeof(object))
        {
            target = kind == "tuple" ? NaturalTuple(data) : Natural(kind);
        }
        return kind switch
        {
            "function" when functions is not null && typeof(Delegate).IsAssignableFrom(target) && target.GetMethod("Invoke") is not null
                => functions((int?)data["id"] ?? -1, target),
            "tensor" when target == typeof(Tensor) => WireTensors.Decode(data),
            "generator" when target == typeof(torch.Generator) && functions is not null && (int?)data["handle"] is { } handle
                => GeneratorHandles.Resolve(handle, data["state"] is null ? null : Base64(data["state"])),
            "generator" when target == typeof(torch.Generator) => GeneratorHandles.FromState(Base64(data["state"])),
            "bool" when target == typeof(bool) => data["v"]!.GetValue<bool>(),
            "string" when target == typeof(string) => data["v"]!.GetValue<string>(),
            "char" when target == typeof(char) && data["v"]!.GetValue<string>() is { Length: 1 } c => c[0],
            "tuple" when typeof(ITuple).IsAssignableFrom(target) && target.IsGenericType => DecodeTuple(data, target, functions),
            "list" when ElementType(target) is { } element => DecodeList(data, target, element, functions),
            _ when Numbers.ContainsValue(kind) && Numbers.ContainsKey(target) => WireNumbers.Convert(Numbers, kind, Text(data["v"]), target),
            _ => throw Mismatch(kind, type),
        };
    }

    private static JsonObject Function(Delegate d, List<Delegate> functions)
    {
        functions.Add(d);
        return new JsonObject { ["t"] = "function", ["id"] = functions.Count - 1 };
    }

    private static JsonArray Items(IEnumerable<object?> items, List<Delegate>? functions)
    {
        var array = new JsonArray();
        foreach (var item in items)
        {
            if (array.Count == MaxItems)
            {
                throw new JudgeValueException($"a list of more than {MaxItems} items cannot be passed to the grader");
            }
            array.Add(Encode(item, functions));
        }
        return array;
    }

    private static object DecodeTuple(JsonObject data, Type target, Func<int, Type, Delegate>? functions)
    {
        var args = target.GetGenericArguments();
        var items = data["items"] as JsonArray ?? throw Bad("a tuple without items");
        if (items.Count != args.Length || args.Length > 7)
        {
            throw new JudgeValueException($"a tuple of {items.Count} items where {args.Length} are expected");
        }
        return Activator.CreateInstance(target, items.Select((n, i) => DecodeChecked(n, args[i], functions)).ToArray())!;
    }

    private static object DecodeList(JsonObject data, Type target, Type element, Func<int, Type, Delegate>? functions)
    {
        var items = data["items"] as JsonArray ?? throw Bad("a list without items");
        var array = Array.CreateInstance(element, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            array.SetValue(DecodeChecked(items[i], element, functions), i);
        }
        return target.IsArray ? array : Activator.CreateInstance(typeof(List<>).MakeGenericType(element), array)!;
    }

    /// <summary>The element type when <paramref name="t"/> is an array or a list interface a List can fill.</summary>
    private static Type? ElementType(Type t)
    {
        if (t.IsArray && t.GetArrayRank() == 1)
        {
            return t.GetElementType();
        }
        if (!t.IsGenericType || t.GetGenericArguments().Length != 1)
        {
            return null;
        }
        var element = t.GetGenericArguments()[0];
        return typeof(List<>).MakeGenericType(element).IsAssignableTo(t) ? element : null;
    }

    private static Type Natural(string kind) => kind switch
    {
        "tensor" => typeof(Tensor), "generator" => typeof(torch.Generator), "bool" => typeof(bool), "string" => typeof(string),
        "char" => typeof(char), "list" => typeof(List<object>),
        _ => Numbers.FirstOrDefault(kv => kv.Value == kind).Key ?? throw Bad($"unknown kind '{kind}'"),
    };

    /// <summary>A ValueTuple type whose items have their encoded kinds' natural types.</summary>
    private static Type NaturalTuple(JsonObject data)
    {
        var items = data["items"] as JsonArray ?? throw Bad("a tuple without items");
        if (items.Count is < 1 or > 7)
        {
            throw Bad($"a tuple of {items.Count} items");
        }
        var types = items.Select(n => n is JsonObject o && (string?)o["t"] is { } k && k != "null" ? (k == "tuple" ? NaturalTuple(o) : Natural(k)) : typeof(object)).ToArray();
        return Type.GetType($"System.ValueTuple`{types.Length}")!.MakeGenericType(types);
    }

    internal static string Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? throw Bad("a missing field");

    internal static byte[] Base64(JsonNode? n)
    {
        try
        {
            return Convert.FromBase64String(Text(n));
        }
        catch (FormatException)
        {
            throw Bad("bytes that are not base64");
        }
    }

    internal static JudgeValueException Bad(string what) => new($"malformed value from the notebook: {what}");

    private static JudgeValueException Mismatch(string kind, Type expected) =>
        new($"a {kind} where a {expected.Name} is expected");
}
