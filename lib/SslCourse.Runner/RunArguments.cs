using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Parsed arguments of <c>sslcourse run</c>.</summary>
internal sealed class RunArguments
{
    public List<string> Paths { get; } = [];
    public string? Out { get; private set; }
    public List<KeyValuePair<string, string>> Parameters { get; } = [];
    public double CellTimeout { get; private set; } = 600;
    public double Timeout { get; private set; } = 3600;
    public bool StopOnError { get; private set; }
    public string? JUnit { get; private set; }
    public long MaxCellOutput { get; private set; } = 1024 * 1024;
    public long? MemoryLimitMb { get; private set; }
    public bool Sandbox { get; private set; }
    public string? WorkingDirectory { get; private set; }
    public List<string> AllowEnv { get; } = [];
    public List<string> SandboxReadOnly { get; } = [];

    /// <exception cref="NotebookFormatException">Bad arguments (named by the option).</exception>
    public static RunArguments Parse(IReadOnlyList<string> args)
    {
        var r = new RunArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new NotebookFormatException(arg, "missing value");
            switch (arg)
            {
                case "--out":
                    r.Out = Value();
                    break;
                case "--param":
                    var p = Value();
                    var eq = p.IndexOf('=');
                    if (eq <= 0 || !IsIdentifier(p[..eq]))
                    {
                        throw new NotebookFormatException("--param", $"'{p}' is not NAME=VALUE");
                    }
                    r.Parameters.Add(new(p[..eq], p[(eq + 1)..]));
                    break;
                case "--cell-timeout":
                    r.CellTimeout = Positive(arg, Value());
                    break;
                case "--timeout":
                    r.Timeout = Positive(arg, Value());
                    break;
                case "--stop-on-error":
                    r.StopOnError = true;
                    break;
                case "--junit":
                    r.JUnit = Value();
                    break;
                case "--max-cell-output":
                    r.MaxCellOutput = (long)Positive(arg, Value());
                    break;
                case "--memory-limit":
                    r.MemoryLimitMb = (long)Positive(arg, Value());
                    break;
                case "--sandbox":
                    r.Sandbox = true;
                    break;
                case "--workdir":
                    r.WorkingDirectory = Value();
                    if (!Directory.Exists(r.WorkingDirectory))
                    {
                        throw new NotebookFormatException(r.WorkingDirectory, "--workdir folder not found");
                    }
                    break;
                case "--allow-env":
                    r.AllowEnv.Add(Value());
                    break;
                case "--sandbox-ro":
                    r.SandboxReadOnly.Add(Value());
                    break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new NotebookFormatException(arg, "unknown option");
                    }
                    r.Paths.Add(arg);
                    break;
            }
        }
        if (r.Paths.Count == 0)
        {
            throw new NotebookFormatException("run", "no notebook given (usage: sslcourse run PATH... --out DIR)");
        }
        if (r.Out is null)
        {
            throw new NotebookFormatException("run", "--out DIR is required");
        }
        if (r.Parameters.GroupBy(p => p.Key).FirstOrDefault(g => g.Count() > 1) is { } dup)
        {
            throw new NotebookFormatException("--param", $"'{dup.Key}' given twice");
        }
        return r;
    }

    private static double Positive(string option, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new NotebookFormatException(option, $"'{value}' is not a positive number");

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && (char.IsLetter(s[0]) || s[0] == '_') && s.All(c => char.IsLetterOrDigit(c) || c == '_');
}
