using System.Diagnostics;
using SslCourse.Runtime;

namespace SslCourse.Bench;

/// <summary>
/// Times the training step behind each notebook experiment on synthetic data of the real shapes and projects the
/// whole run from it; the warm-up steps and model setup are not counted.
/// </summary>
internal static class Timing
{
    public static int Run(string[] args)
    {
        var steps = 10;
        var names = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--steps" && i + 1 < args.Length && int.TryParse(args[i + 1], out var s) && s > 0) { steps = s; i++; }
            else if (args[i] == "--steps") throw new ArgumentException($"--steps must be a positive integer, got {(i + 1 < args.Length ? args[i + 1] : "nothing")}");
            else if (args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unknown option {args[i]} (use --steps N)");
            else names.Add(args[i]);
        }
        var course = Course.Init("full", 0);
        var cases = Cases.All(course);
        var unknown = names.FirstOrDefault(n => cases.All(c => c.Name != n));
        if (unknown is not null) throw new ArgumentException($"unknown case {unknown}; known: {string.Join(", ", cases.Select(c => c.Name))}");
        Console.WriteLine($"{Environment.ProcessorCount} logical CPUs, torch threads {TorchSharp.torch.get_num_threads()}, {steps} timed steps after 2 warm-up steps");
        Console.WriteLine($"{"case",-12} {"ms/step",9} {"profile steps",13} {"projected",10}  step");
        foreach (var c in cases.Where(c => names.Count == 0 || names.Contains(c.Name)))
        {
            c.Run(2);
            var watch = Stopwatch.StartNew();
            c.Run(steps + 2);
            var total = watch.Elapsed.TotalMilliseconds;
            watch.Restart();
            c.Run(2);
            var perStep = (total - watch.Elapsed.TotalMilliseconds) / steps;   // subtract model setup and the first two steps
            var projected = TimeSpan.FromMilliseconds(perStep * c.ProfileSteps);
            Console.WriteLine($"{c.Name,-12} {perStep,9:F1} {c.ProfileSteps,13} {projected,10:hh\\:mm\\:ss}  {c.Items}");
        }
        return 0;
    }
}
