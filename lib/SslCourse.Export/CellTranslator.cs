using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SslCourse.Export;

/// <summary>
/// One notebook code cell (C# script) as pieces of a file-based app: its using directives (hoisted to the top), its
/// statements, and its type declarations (moved after the statements, where C# top-level programs need them).
/// A final expression without a semicolon, which a notebook displays, becomes a call of the app's <c>Show</c>.
/// A variable declared again in a later cell (legal in a notebook, not in one file) becomes an assignment.
/// </summary>
internal static class CellTranslator
{
    private static readonly CSharpParseOptions Script = new(LanguageVersion.Preview, kind: SourceCodeKind.Script);

    public sealed record Pieces(List<string> Usings, string Statements, List<string> Types);

    public static Pieces Translate(string code, string label, HashSet<string> declared, bool parameters)
    {
        var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(code, Script).GetRoot();
        var errors = root.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0) throw new ExportException($"{label}: does not parse as C# ({errors[0]})");
        var usings = root.Usings.Select(u => u.WithoutTrivia().ToFullString()).ToList();
        var statements = new List<string>();
        var types = new List<string>();
        var members = root.Members;
        for (int i = 0; i < members.Count; i++)
        {
            var member = members[i];
            switch (member)
            {
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    types.Add(member.ToFullString().Trim());
                    break;
                case GlobalStatementSyntax { Statement: ExpressionStatementSyntax e } when e.SemicolonToken.IsMissing && i == members.Count - 1:
                    statements.Add(Leading(e) + $"__Show({e.Expression.WithoutTrivia()}, \"{label}\");");
                    break;
                case GlobalStatementSyntax { Statement: LocalDeclarationStatementSyntax local } when !local.UsingKeyword.IsKind(SyntaxKind.UsingKeyword):
                    statements.Add(Declaration(local, local.Declaration, declared, parameters));
                    break;
                case FieldDeclarationSyntax field:
                    // A script's top-level "var x = …;" is a field of the submission; in a program it is a local.
                    statements.Add(Declaration(field, field.Declaration, declared, parameters));
                    break;
                case MethodDeclarationSyntax method:
                    // A script's top-level method is a local function in a top-level program; they take no access modifiers.
                    statements.Add(method.WithModifiers(SyntaxFactory.TokenList(method.Modifiers.Where(m => !m.IsKind(SyntaxKind.PublicKeyword) && !m.IsKind(SyntaxKind.PrivateKeyword) && !m.IsKind(SyntaxKind.InternalKeyword)))).ToFullString().TrimEnd());
                    break;
                case GlobalStatementSyntax g:
                    statements.Add(g.ToFullString().TrimEnd());
                    break;
                default:
                    throw new ExportException($"{label}: a top-level {member.Kind()} cannot go into an app ({member.ToString().Split('\n')[0]})");
            }
        }
        return new Pieces(usings, string.Join('\n', statements).Trim('\n'), types);
    }

    private static string Declaration(SyntaxNode node, VariableDeclarationSyntax declaration, HashSet<string> declared, bool parameters)
    {
        var vars = declaration.Variables;
        if (parameters && vars.Count == 1 && vars[0].Initializer is { } init)
        {
            // The parameters cell: each value may come from the command line, e.g. --profile full.
            var name = vars[0].Identifier.Text;
            declared.Add(name);
            return Leading(node) + $"{declaration.Type} {name} = __Arg(args, \"{Option(name)}\", {init.Value});";
        }
        if (vars.Count == 1 && declared.Contains(vars[0].Identifier.Text) && vars[0].Initializer is { } again)
            return Leading(node) + $"{vars[0].Identifier.Text} = {again.Value};";
        foreach (var v in vars) declared.Add(v.Identifier.Text);
        return Leading(node) + declaration.WithoutTrivia().ToFullString() + ";" + node.GetTrailingTrivia().ToFullString().TrimEnd();
    }

    /// <summary>PascalCase → kebab-case: CorpusPath → corpus-path.</summary>
    public static string Option(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static string Leading(SyntaxNode node) => node.GetLeadingTrivia().ToFullString().TrimStart('\n');
}
