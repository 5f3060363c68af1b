using SslCourse.Bench;
using SslCourse.Runtime;

// Timing:       dotnet SslCourse.Bench.dll [--steps N] [CASE ...]       time each experiment's step, project its profile
// Experiments:  dotnet SslCourse.Bench.dll run gpt-full|icl-full [--corpus FILE.txt]
//               chapter 02's full-profile runs for a GPU machine without a notebook host
try
{
    if (args.Length > 0 && args[0] == "run")
    {
        if (args.Length < 2 || !FullRuns.Names.Contains(args[1]))
            throw new ArgumentException($"run needs an experiment: {string.Join(", ", FullRuns.Names)}{(args.Length < 2 ? "" : $" (got {args[1]})")}");
        var corpus = args.Length >= 4 && args[2] == "--corpus" ? args[3] : null;
        if (corpus is null && args.Length > 2) throw new ArgumentException($"unknown option {args[2]} (use --corpus FILE.txt)");
        return FullRuns.Run(args[1], Course.Init("full", 0), corpus) ? 0 : 1;
    }
    return Timing.Run(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
