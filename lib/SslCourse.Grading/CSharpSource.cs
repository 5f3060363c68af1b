using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SslCourse.Grading;

/// <summary>
/// A notebook cell read by Roslyn as the C# kernel reads it (script syntax, no preprocessor symbols), so the grader's
/// source checks see names as the compiler does: <c>@name</c> and <c>\u0061range</c> are <c>arange</c>, code inside an
/// inactive <c>#if</c> is not code, comments and strings hold no names, and <c>using static</c> and aliases are
/// declarations like any other.
/// </summary>
internal static class CSharpSource
{
    private static readonly CSharpParseOptions Script = new(LanguageVersion.Preview, DocumentationMode.None, SourceCodeKind.Script);

    public static CompilationUnitSyntax Parse(string source) => (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(source, Script).GetRoot();

    /// <summary>Names a cell declares for later cells: types, methods, fields and variables, properties, aliases, and <c>using static</c> imports (as "using static X").</summary>
    public static HashSet<string> Declared(string source)
    {
        var unit = Parse(source);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in unit.Usings)
        {
            if (u.Alias is { } alias)
            {
                names.Add(alias.Name.Identifier.ValueText);
            }
            else if (u.StaticKeyword.IsKind(SyntaxKind.StaticKeyword) && u.NamespaceOrType is { } type)
            {
                names.Add("using static " + type.ToString());
            }
        }
        foreach (var member in unit.Members)
        {
            switch (member)
            {
                case BaseTypeDeclarationSyntax t: names.Add(t.Identifier.ValueText); break;
                case DelegateDeclarationSyntax d: names.Add(d.Identifier.ValueText); break;
                case MethodDeclarationSyntax m: names.Add(m.Identifier.ValueText); break;
                case PropertyDeclarationSyntax p: names.Add(p.Identifier.ValueText); break;
                case BaseFieldDeclarationSyntax f: names.UnionWith(f.Declaration.Variables.Select(v => v.Identifier.ValueText)); break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax l }: names.Add(l.Identifier.ValueText); break;
                case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax l }: names.UnionWith(l.Declaration.Variables.Select(v => v.Identifier.ValueText)); break;
                case GlobalStatementSyntax g: names.UnionWith(g.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Where(v => IsTopLevelDesignation(v)).Select(v => v.Identifier.ValueText)); break;
            }
        }
        return names;
    }

    /// <summary>Simple names a cell looks up (not member names after a dot, not named-argument labels, not its own declarations).</summary>
    public static HashSet<string> Used(string source)
    {
        var unit = Parse(source);
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var token in unit.DescendantNodes().SelectMany(DeclaredTokens))
        {
            own.Add(token.ValueText);
        }
        return unit.DescendantNodes().OfType<SimpleNameSyntax>()
            .Where(n => n.Parent switch
            {
                MemberAccessExpressionSyntax m => m.Expression == n,
                MemberBindingExpressionSyntax => false,
                QualifiedNameSyntax q => q.Left == n,
                AliasQualifiedNameSyntax => false,
                NameColonSyntax or NameEqualsSyntax => false,
                _ => true,
            })
            .Select(n => n.Identifier.ValueText)
            .Where(n => !own.Contains(n) && n != "var" && n != "nameof")
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every <c>#r</c> a cell holds: Roslyn's reference directives, and every line the kernel's own line-based
    /// directive parser could take for one (a <c>#r</c> line inside a block comment included).</summary>
    public static IReadOnlyList<(int Line, string Target)> References(string source)
    {
        var found = new SortedDictionary<int, string>();
        foreach (var d in Parse(source).GetReferenceDirectives())
        {
            found[d.GetLocation().GetLineSpan().StartLinePosition.Line] = d.File.ValueText;
        }
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].TrimStart();
            if (t.StartsWith("#r", StringComparison.Ordinal) && (t.Length == 2 || char.IsWhiteSpace(t[2]) || t[2] == '"') && !found.ContainsKey(i))
            {
                var rest = t[2..].Trim();
                found[i] = rest.Length >= 2 && rest[0] == '"' && rest.IndexOf('"', 1) is var end && end > 0 ? rest[1..end] : rest;
            }
        }
        return found.Select(kv => (kv.Key, kv.Value)).ToList();
    }

    private static bool IsTopLevelDesignation(SyntaxNode node) =>
        !node.Ancestors().Any(a => a is LambdaExpressionSyntax or AnonymousMethodExpressionSyntax or BlockSyntax or LocalFunctionStatementSyntax);

    private static IEnumerable<SyntaxToken> DeclaredTokens(SyntaxNode n) => n switch
    {
        VariableDeclaratorSyntax v => [v.Identifier],
        ParameterSyntax p => [p.Identifier],
        LocalFunctionStatementSyntax l => [l.Identifier],
        MethodDeclarationSyntax m => [m.Identifier],
        BaseTypeDeclarationSyntax t => [t.Identifier],
        SingleVariableDesignationSyntax d => [d.Identifier],
        ForEachStatementSyntax f => [f.Identifier],
        CatchDeclarationSyntax c => [c.Identifier],
        FromClauseSyntax fc => [fc.Identifier],
        LetClauseSyntax lc => [lc.Identifier],
        JoinClauseSyntax jc => [jc.Identifier],
        QueryContinuationSyntax qc => [qc.Identifier],
        TypeParameterSyntax tp => [tp.Identifier],
        _ => [],
    };
}
