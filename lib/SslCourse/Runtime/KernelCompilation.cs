using System.Reflection;
using Microsoft.DotNet.Interactive;

namespace SslCourse.Runtime;

/// <summary>
/// Keeps the .NET SDK's default NoWarn of CS1701/CS1702 in the notebook kernel. TorchSharp 0.107 is built against
/// .NET 8, so a cell that binds to one of its members involving System.Runtime.Numerics (e.g. <c>torch.tensor</c>'s
/// Complex overloads) makes Roslyn unify that reference with .NET 10's and warn "CS1701: Assuming assembly reference
/// … matches identity …", which Jupyter prints as red stderr. A project build hides it by NoWarn; a script cannot:
/// Roslyn's scripting API builds each submission's CSharpCompilationOptions itself and takes only a warning level
/// from ScriptOptions (no per-ID options), and the warning has no source location, so <c>#pragma</c> cannot reach it.
/// The course therefore sets the C# kernel's warning level to 1: CS1701 is a level-2 warning and CS1702 level 3.
/// Level-1 warnings (nullable annotations, obsolete members without a message, unawaited tasks) stay; levels 2–4
/// (among them unreachable code, unused variables, obsolete members with a message) are no longer reported in cells.
/// </summary>
internal static class KernelCompilation
{
    /// <summary>The warning level the kernel compiles cells at after <see cref="Course.Init"/>.</summary>
    public const int WarningLevel = 1;

    /// <summary>
    /// Lowers the warning level of the C# kernel running the current cell (its private <c>_scriptOptions</c>, a
    /// Roslyn ScriptOptions; the kernel is pinned at its last release, 1.0.712001, so the field does not move) for
    /// every later submission. Returns what it did, or why it did nothing (no kernel: a console or a test).
    /// </summary>
    public static string Apply()
    {
        if (KernelInvocationContext.Current?.HandlingKernel is not { } kernel) return "not in a kernel";
        for (var type = kernel.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField("_scriptOptions", BindingFlags.Instance | BindingFlags.NonPublic) is not { } field) continue;
            var options = field.GetValue(kernel);
            if (options?.GetType().GetMethod("WithWarningLevel", [typeof(int)]) is not { } with) return "kernel's script options have no warning level";
            if (options.GetType().GetProperty("WarningLevel")?.GetValue(options) is int level && level <= WarningLevel) return $"warning level already {level}";
            field.SetValue(kernel, with.Invoke(options, [WarningLevel]));
            return $"warning level {WarningLevel}";
        }
        return $"{kernel.GetType().Name} has no script options";
    }
}
