using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace SslCourse.Export;

/// <summary>
/// In a notebook each cell's variables are fields of its submission, so a lambda in one cell may declare a local
/// that a later cell also declares at the top. In one top-level program that is error CS0136: the top-level local's
/// scope is the whole file. This renames such top-level variables (x → x_top) in their declaration and in every
/// reference that is not inside a scope declaring its own x.
/// </summary>
internal static class ScopeFixer
{
    public static string Fix(string program)
    {
        var root = CSharpSyntaxTree.ParseText(program, new CSharpParseOptions(LanguageVersion.Preview)).GetRoot();
        var topLevel = root.ChildNodes().OfType<GlobalStatementSyntax>()
            .Select(g => g.Statement).OfType<LocalDeclarationStatementSyntax>()
            .SelectMany(l => l.Declaration.Variables).Select(v => v.Identifier.Text)
            .Concat(root.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Where(IsTopLevel).Select(d => d.Identifier.Text))
            .ToHashSet();
        var inner = root.DescendantNodes().SelectMany(InnerDeclarations).ToHashSet();
        var clashes = topLevel.Intersect(inner).ToHashSet();
        return clashes.Count == 0 ? program : new Renamer(clashes).Visit(root).ToFullString();
    }

    /// <summary>Names a node declares for an inner scope (not the file's top level).</summary>
    private static IEnumerable<string> InnerDeclarations(SyntaxNode node) => node switch
    {
        VariableDeclaratorSyntax v when v.Parent?.Parent is not LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax } => [v.Identifier.Text],
        ParameterSyntax p => [p.Identifier.Text],
        ForEachStatementSyntax f => [f.Identifier.Text],
        CatchDeclarationSyntax c => [c.Identifier.Text],
        SingleVariableDesignationSyntax d when !IsTopLevel(d) => [d.Identifier.Text],
        _ => [],
    };

    /// <summary>A deconstruction at the file's top level, e.g. <c>var (a, b) = …;</c> as a top-level statement.</summary>
    private static bool IsTopLevel(SingleVariableDesignationSyntax d) =>
        d.Ancestors().OfType<StatementSyntax>().FirstOrDefault() is ExpressionStatementSyntax { Parent: GlobalStatementSyntax };

    private static bool DeclaredInside(SyntaxNode scope, string name) => scope switch
    {
        ForEachVariableStatementSyntax f => f.Variable.DescendantNodesAndSelf().OfType<SingleVariableDesignationSyntax>().Any(d => d.Identifier.Text == name),
        BlockSyntax b => b.Statements.OfType<LocalDeclarationStatementSyntax>().Any(l => l.Declaration.Variables.Any(v => v.Identifier.Text == name)),
        SimpleLambdaExpressionSyntax l => l.Parameter.Identifier.Text == name,
        ParenthesizedLambdaExpressionSyntax l => l.ParameterList.Parameters.Any(p => p.Identifier.Text == name),
        LocalFunctionStatementSyntax f => f.ParameterList.Parameters.Any(p => p.Identifier.Text == name),
        ForEachStatementSyntax f => f.Identifier.Text == name,
        ForStatementSyntax f => f.Declaration?.Variables.Any(v => v.Identifier.Text == name) == true,
        CatchClauseSyntax c => c.Declaration?.Identifier.Text == name,
        _ => false,
    };

    private sealed class Renamer(HashSet<string> names) : CSharpSyntaxRewriter
    {
        private static string Renamed(string name) => name + "_top";

        public override SyntaxNode? VisitVariableDeclarator(VariableDeclaratorSyntax node)
        {
            var visited = (VariableDeclaratorSyntax)base.VisitVariableDeclarator(node)!;
            return names.Contains(node.Identifier.Text) && node.Parent?.Parent is LocalDeclarationStatementSyntax { Parent: GlobalStatementSyntax }
                ? visited.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, Renamed(node.Identifier.Text), node.Identifier.TrailingTrivia))
                : visited;
        }

        public override SyntaxNode? VisitSingleVariableDesignation(SingleVariableDesignationSyntax node) =>
            names.Contains(node.Identifier.Text) && IsTopLevel(node)
                ? node.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, Renamed(node.Identifier.Text), node.Identifier.TrailingTrivia))
                : node;

        public override SyntaxNode? VisitIdentifierName(IdentifierNameSyntax node)
        {
            var name = node.Identifier.Text;
            if (!names.Contains(name)) return node;
            // A member access's name (obj.acc) is not a variable reference.
            if (node.Parent is MemberAccessExpressionSyntax m && m.Name == node) return node;
            if (node.Ancestors().Any(a => DeclaredInside(a, name))) return node;
            return node.WithIdentifier(SyntaxFactory.Identifier(node.Identifier.LeadingTrivia, Renamed(name), node.Identifier.TrailingTrivia));
        }
    }
}
