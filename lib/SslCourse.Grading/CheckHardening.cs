using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace SslCourse.Grading;

/// <summary>
/// Makes a check cell's verdict hard to bend from the learner's cells, which run in the same C# session:
/// <list type="bullet">
/// <item>names a check cell looks up that the learner's cells redeclare at top level (a <c>static class Check</c>
/// whose methods always pass, a <c>class Math</c>, a top-level <c>Tensor eye(…)</c>) are found before grading, and
/// such a check scores 0 with a note — names the master's solution cells declare (the functions the learner writes)
/// are the learner's to declare;</item>
/// <item><c>Check</c> and <c>Math</c> in a check cell are qualified (<c>global::SslCourse.Grading.Check</c>,
/// <c>global::System.Math</c>);</item>
/// <item>each check cell ends by printing a random seal: a check counts only when the runner observed its cell end
/// without error <em>and</em> print its seal, so kernel middleware that skips or swallows check cells earns nothing.</item>
/// </list>
/// </summary>
internal static partial class CheckHardening
{
    public const string SealPrefix = "sslcourse-seal ";

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "async", "await", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "const",
        "continue", "decimal", "default", "do", "double", "else", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "is", "lock", "long", "nameof", "new",
        "not", "null", "object", "operator", "out", "override", "params", "private", "protected", "public", "readonly",
        "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "switch", "this",
        "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "var", "virtual",
        "void", "volatile", "when", "while", "yield", "and", "or", "with", "global", "internal", "partial", "get", "set",
    };

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record(?:\s+(?:class|struct))?)\s+(?<n>[A-Za-z_]\w*)|\bdelegate\s+[\w<>\[\],.?\s]+?\s(?<n>[A-Za-z_]\w*)\s*[<(]|\busing\s+(?<n>[A-Za-z_]\w*)\s*=")]
    private static partial Regex TypeOrAliasRegex();

    [GeneratedRegex(@"(?<t>[A-Za-z_][\w.]*(?:<[\w\s,.<>\[\]?()]*>)?(?:\[[\s,]*\])*\??)\s+(?<n>[A-Za-z_]\w*)\s*(?:<[\w\s,]*>\s*)?(?<k>\(|=(?![=>])|;|,|\)|\bin\b)")]
    private static partial Regex MemberRegex();

    [GeneratedRegex(@"\bvar\s*\((?<list>[^()]*)\)\s*=|\((?<list>[\w\s,]*)\)\s*=>|(?<n>[A-Za-z_]\w*)\s*=>")]
    private static partial Regex DeconstructionOrLambdaRegex();

    [GeneratedRegex(@"(?<![\w@.:])@?(?<n>[A-Za-z_]\w*)(?!\w|\s*:(?!:))")]
    private static partial Regex NameRegex();

    /// <summary>Names declared in <paramref name="source"/>; <paramref name="topLevelOnly"/> keeps those visible to later cells.</summary>
    public static HashSet<string> Declared(string source, bool topLevelOnly)
    {
        var code = CSharpTokens.Blank(source);
        var depth = Depths(code);
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Add(Group g)
        {
            if (g.Success && !Keywords.Contains(g.Value) && (!topLevelOnly || depth[g.Index] == 0))
            {
                names.Add(g.Value);
            }
        }
        foreach (Match m in TypeOrAliasRegex().Matches(code))
        {
            Add(m.Groups["n"]);
        }
        foreach (Match m in MemberRegex().Matches(code))
        {
            if (!Keywords.Contains(m.Groups["t"].Value) || m.Groups["t"].Value is "var" or "int" or "long" or "double" or "float" or "bool" or "string" or "object" or "void" or "char" or "byte" or "decimal")
            {
                Add(m.Groups["n"]);
            }
        }
        if (!topLevelOnly)
        {
            foreach (Match m in DeconstructionOrLambdaRegex().Matches(code))
            {
                if (m.Groups["n"].Success)
                {
                    Add(m.Groups["n"]);
                }
                foreach (var part in m.Groups["list"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var name = part.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
                    if (name is not null && name != "_" && !Keywords.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }
        }
        return names;
    }

    /// <summary>Names a check cell looks up in the session (not members after a dot, not its own locals).</summary>
    public static HashSet<string> Used(string checkSource)
    {
        var code = CSharpTokens.Blank(checkSource);
        var own = Declared(checkSource, topLevelOnly: false);
        return NameRegex().Matches(code).Select(m => m.Groups["n"].Value)
            .Where(n => !Keywords.Contains(n) && !own.Contains(n))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary><c>Check.</c> and <c>Math.</c> looked up by name become fully qualified.</summary>
    public static string Qualify(string checkSource)
    {
        var ids = CSharpTokens.Identifiers(checkSource).Where(i => !i.Qualified && i.Next == '.' && i.Name is "Check" or "Math").OrderByDescending(i => i.Start);
        var s = checkSource;
        foreach (var id in ids)
        {
            if (id.Start > 0 && s[id.Start - 1] == '@')
            {
                continue;
            }
            s = s.Insert(id.Start, id.Name == "Check" ? "global::SslCourse.Grading." : "global::System.");
        }
        return s;
    }

    /// <summary>A fresh random seal.</summary>
    public static string NewSeal() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The check's source with the seal printed at its end (reached only when no check threw).</summary>
    public static string Sealed(string checkSource, string seal) =>
        checkSource + $"\n;global::System.Console.Out.WriteLine(\"{SealPrefix}{seal}\");";

    private static int[] Depths(string code)
    {
        var depth = new int[code.Length + 1];
        var d = 0;
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c is '}' or ')' or ']')
            {
                d = Math.Max(0, d - 1);
            }
            depth[i] = d;
            if (c is '{' or '(' or '[')
            {
                d++;
            }
        }
        depth[code.Length] = d;
        return depth;
    }
}
