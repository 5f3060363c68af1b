using System.Diagnostics;
using SslCourse.Bench;
using SslCourse.Runtime;

// Times the training step behind each notebook experiment and projects the whole run from it:
//   dotnet run --project bench/SslCourse.Bench -c Release -- [--steps N] [CASE ...]
// Synthetic inputs of the real shapes, so no dataset is needed; the first (warm-up) steps are not counted.
var steps = 10;
var names = new List<string>();
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--steps" && i + 1 < args.Length && int.TryParse(args[i + 1], out var s) && s > 0) { steps = s; i++; }
    else if (args[i].StartsWith("--", StringComparison.Ordinal)) { Console.Error.WriteLine($"bench: unknown option {args[i]} (use --steps N)"); return 2; }
    else names.Add(args[i]);
}
var course = Course.Init("full", 0);
var cases = Cases.All(course);
var unknown = names.Where(n => cases.All(c => c.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"bench: unknown case {unknown[0]}; known: {string.Join(", ", cases.Select(c => c.Name))}");
    return 2;
}
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
