using SslCourse.Bench;
using SslCourse.Runtime;

// Timing:       dotnet SslCourse.Bench.dll [--steps N] [CASE ...]       time each experiment's step, project its profile
// Experiments:  dotnet SslCourse.Bench.dll run gpt-full|gpt-cpu|icl-full [--corpus FILE.txt] [--steps N] [--eval-batches N] [--decay all|matrices]
//               gpt-cpu is nanoGPT's CPU recipe (02_4's ci profile), run by bench/torch/compare_cpu.py beside PyTorch
//               chapter 02's full-profile runs for a GPU machine without a notebook host; --steps shortens a run
//               to check the setup (its target is then not judged)
try
{
    if (args.Length > 0 && args[0] == "run")
    {
        if (args.Length < 2 || !FullRuns.Names.Contains(args[1]))
            throw new ArgumentException($"run needs an experiment: {string.Join(", ", FullRuns.Names)}{(args.Length < 2 ? "" : $" (got {args[1]})")}");
        string? corpus = null;
        int? steps = null, evalBatches = null;
        var decayAll = false;
        for (int i = 2; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--corpus": corpus = args[i + 1]; break;
                case "--steps" when int.TryParse(args[i + 1], out var n) && n > 0: steps = n; break;
                case "--steps": throw new ArgumentException($"--steps must be a positive integer, got {args[i + 1]}");
                case "--eval-batches" when int.TryParse(args[i + 1], out var b) && b > 0: evalBatches = b; break;
                case "--decay" when args[i + 1] is "all" or "matrices": decayAll = args[i + 1] == "all"; break;
                case "--decay": throw new ArgumentException($"--decay must be all or matrices, got {args[i + 1]}");
                case "--eval-batches": throw new ArgumentException($"--eval-batches must be a positive integer, got {args[i + 1]}");
                default: throw new ArgumentException($"unknown option {args[i]} (use --corpus FILE.txt, --steps N, --eval-batches N or --decay all|matrices)");
            }
        }
        return FullRuns.Run(args[1], Course.Init(args[1] == "gpt-cpu" ? "ci" : "full", 0), corpus, steps, evalBatches, decayAll) ? 0 : 1;
    }
    return Timing.Run(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
