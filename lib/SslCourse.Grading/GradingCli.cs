using System.Globalization;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// The grading verbs of the <c>sslcourse</c> tool: <c>release</c>, <c>validate</c> and <c>grade</c>.
/// Exit codes: 0 success (validate: all checks pass; grade: gradebook written), 1 validate found failing checks,
/// 2 bad input (one line naming the file, cell and problem).
/// </summary>
public static class GradingCli
{
    /// <summary>The verbs this class handles.</summary>
    public static readonly IReadOnlyList<string> Verbs = ["release", "validate", "grade", "merge"];

    /// <summary>Usage lines for the tool's help.</summary>
    public const string Usage =
        "sslcourse release MASTER... --out DIR\n" +
        "sslcourse validate NOTEBOOK [--param NAME=VALUE]... [LIMITS]\n" +
        "sslcourse grade --master MASTER --submissions DIR --out DIR [--param NAME=VALUE]... [--retries N] [--allow-env NAME]... [--shard K/N] [--sandbox|--no-sandbox] [LIMITS]\n" +
        "sslcourse merge SHARD_OUT... --out DIR\n" +
        "LIMITS: [--cell-timeout S] [--timeout S] [--memory-limit MB] [--max-cell-output BYTES]";

    /// <summary>Runs one verb.</summary>
    /// <param name="verb">release, validate or grade.</param>
    /// <param name="args">The arguments after the verb.</param>
    /// <param name="executor">Runs notebooks (validate, grade).</param>
    /// <param name="stdout">Results.</param>
    /// <param name="stderr">Progress and errors.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static async Task<int> RunAsync(string verb, IReadOnlyList<string> args, INotebookExecutor executor, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        try
        {
            var a = Parse(args);
            switch (verb)
            {
                case "release":
                    if (a.Paths.Count == 0 || a.Out is null)
                    {
                        throw new NotebookFormatException("release", "usage: sslcourse release MASTER... --out DIR");
                    }
                    foreach (var written in Releaser.Release(a.Paths, a.Out))
                    {
                        stdout.WriteLine($"released {written}");
                    }
                    return 0;
                case "validate":
                    if (a.Paths.Count != 1)
                    {
                        throw new NotebookFormatException("validate", "usage: sslcourse validate NOTEBOOK");
                    }
                    return await Validator.ValidateAsync(a.Paths[0], executor, a.Options(stderr, retries: 0), stdout, cancellationToken);
                case "grade":
                    if (a.Master is null || a.Submissions is null || a.Out is null || a.Paths.Count > 0)
                    {
                        throw new NotebookFormatException("grade", "usage: sslcourse grade --master MASTER --submissions DIR --out DIR");
                    }
                    var options = a.Options(stderr, a.Retries);
                    if (a.SandboxMode == true && Bubblewrap.Path is null)
                    {
                        throw new NotebookFormatException("--sandbox", "bubblewrap (bwrap) is missing or cannot create namespaces on this host (apt-get install bubblewrap)");
                    }
                    if (a.SandboxMode is null && Bubblewrap.Path is null)
                    {
                        stderr.WriteLine("sslcourse: warning: bubblewrap (bwrap) is not usable on this host; grading WITHOUT the sandbox. This is weaker: "
                                         + "submissions can read what the grading user can read, reach the network and see other processes (docs/instructors.md, \"What the sandbox guarantees\").");
                    }
                    var results = await new Grader(executor).GradeAsync(a.Master, a.Submissions, a.Out, options, cancellationToken);
                    foreach (var r in results)
                    {
                        stdout.WriteLine($"{r.Name}: {Reports.Points(r.Total)}/{Reports.Points(r.Max)} {r.Status}");
                    }
                    stdout.WriteLine($"graded {results.Count} submissions → {Path.Combine(a.Out, "grades.csv")}");
                    return 0;
                case "merge":
                    if (a.Paths.Count == 0 || a.Out is null)
                    {
                        throw new NotebookFormatException("merge", "usage: sslcourse merge SHARD_OUT... --out DIR");
                    }
                    var rows = ShardMerge.Merge(a.Paths, a.Out);
                    stdout.WriteLine($"merged {a.Paths.Count} shards, {rows} submissions → {Path.Combine(a.Out, "grades.csv")}");
                    return 0;
                default:
                    throw new NotebookFormatException(verb, "unknown verb");
            }
        }
        catch (NotebookFormatException e)
        {
            stderr.WriteLine($"sslcourse: {e.File}: {e.Message}");
            return 2;
        }
    }

    private sealed class Arguments
    {
        public List<string> Paths { get; } = [];
        public string? Out { get; set; }
        public string? Master { get; set; }
        public string? Submissions { get; set; }
        public List<KeyValuePair<string, string>> Parameters { get; } = [];
        public List<string> AllowEnv { get; } = [];
        public int Retries { get; set; } = 2;
        public bool? SandboxMode { get; set; }
        public (int K, int N)? Shard { get; set; }
        public SandboxLimits Limits { get; set; } = new();

        public GradeOptions Options(TextWriter progress, int retries) => new()
        {
            Limits = Limits with { EnvironmentNames = [.. Limits.EnvironmentNames, .. AllowEnv] },
            Parameters = Parameters.Count > 0 ? Parameters : [new("Profile", "ci")],
            Retries = retries,
            Progress = progress,
            Sandbox = SandboxMode ?? Bubblewrap.Path is not null,
            Shard = Shard,
        };
    }

    private static Arguments Parse(IReadOnlyList<string> args)
    {
        var r = new Arguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new NotebookFormatException(arg, "missing value");
            double Positive() => double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new NotebookFormatException(arg, $"'{args[i]}' is not a positive number");
            switch (arg)
            {
                case "--out": r.Out = Value(); break;
                case "--master": r.Master = Value(); break;
                case "--submissions": r.Submissions = Value(); break;
                case "--allow-env": r.AllowEnv.Add(Value()); break;
                case "--retries":
                    r.Retries = int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new NotebookFormatException(arg, $"'{args[i]}' is not a count");
                    break;
                case "--sandbox": r.SandboxMode = true; break;
                case "--no-sandbox": r.SandboxMode = false; break;
                case "--shard":
                    var shard = Value().Split('/');
                    r.Shard = shard.Length == 2 && int.TryParse(shard[0], NumberStyles.None, CultureInfo.InvariantCulture, out var k)
                              && int.TryParse(shard[1], NumberStyles.None, CultureInfo.InvariantCulture, out var total) && k >= 1 && k <= total
                        ? (k, total)
                        : throw new NotebookFormatException(arg, $"'{args[i]}' is not K/N with 1 ≤ K ≤ N");
                    break;
                case "--param":
                    var p = Value();
                    var eq = p.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new NotebookFormatException(arg, $"'{p}' is not NAME=VALUE");
                    }
                    r.Parameters.Add(new(p[..eq], p[(eq + 1)..]));
                    break;
                case "--cell-timeout": r.Limits = r.Limits with { CellTimeout = TimeSpan.FromSeconds(Positive()) }; break;
                case "--timeout": r.Limits = r.Limits with { NotebookTimeout = TimeSpan.FromSeconds(Positive()) }; break;
                case "--memory-limit": r.Limits = r.Limits with { MemoryLimitMb = (long)Positive() }; break;
                case "--max-cell-output": r.Limits = r.Limits with { MaxCellOutputBytes = (long)Positive() }; break;
                default:
                    if (arg.StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new NotebookFormatException(arg, "unknown option");
                    }
                    r.Paths.Add(arg);
                    break;
            }
        }
        return r;
    }
}
