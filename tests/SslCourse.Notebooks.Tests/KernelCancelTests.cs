using System.Diagnostics;
using SslCourse.Notebooks.Tests.Kernel;
using Xunit.Abstractions;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// Pressing Stop in VS Code or Jupyter sends the kernel's Cancel command: a training cell must stop within two
/// seconds, save its checkpoint, and leave the kernel usable; re-running the cell resumes from the checkpoint.
/// Driven through the real kernel's stdio protocol, as VS Code drives it.
/// </summary>
public sealed class KernelCancelTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CellTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Stop_ends_a_training_cell_within_two_seconds_and_rerunning_it_resumes()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ssl-cancel-" + Guid.NewGuid().ToString("N"));
        using var kernel = new StdioKernel(RepositoryPaths.Notebooks);
        foreach (var setup in new[]
        {
            "#r \"../lib/SslCourse/bin/course/SslCourse.dll\"",
            "using SslCourse.Training; using TorchSharp; using static TorchSharp.torch; SslCourse.Runtime.Course.Init(\"ci\", 0);",
            // Each step sleeps 50 ms, so the loop is slow but never blocks for long: what is measured is the trainer's reaction.
            "var steps = 0; var model = nn.Linear(4, 1); var options = new TrainerOptions(Steps: 100_000, LogEvery: 10, Name: \"cancel-me\");\n" +
            "History Train() => Trainer.Fit(model.parameters(), s => { steps++; System.Threading.Thread.Sleep(50); return model.forward(randn(8, 4)).pow(2).mean(); }, options,\n" +
            $"    new TrainerHooks {{ Checkpoint = new TrainingCheckpoint(@\"{folder}\", [model], every: TimeSpan.FromHours(1)) }});",
        })
        {
            var ok = await kernel.SubmitAsync(setup, CellTimeout);
            Assert.True(ok.Failure is null, $"{setup}: {ok.Failure}");
        }
        try
        {
            var training = kernel.SubmitAsync("Train()", CellTimeout);
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.False(training.IsCompleted, "the training cell ended before Stop was pressed");
            var clock = Stopwatch.StartNew();
            await kernel.CancelAsync();
            var cancelled = await training;
            var reported = clock.Elapsed.TotalSeconds;
            output.WriteLine($"the kernel reported the cell ended {reported:F2} s after Cancel: {cancelled.Failure}");
            Assert.NotNull(cancelled.Failure);

            // The loop itself must have stopped, not only the kernel's report: the step count stays put.
            var first = await kernel.SubmitAsync("Console.Write(steps);", CellTimeout);
            await Task.Delay(TimeSpan.FromSeconds(1));
            var second = await kernel.SubmitAsync("Console.Write(steps);", CellTimeout);
            var (a, b) = (first.Stdout.ToString().Trim(), second.Stdout.ToString().Trim());
            output.WriteLine($"steps after Stop: {a}, one second later: {b}");
            Assert.True(int.TryParse(a, out var stepsDone) && stepsDone > 0, $"no step count was printed: '{a}'");
            Assert.Equal(a, b);
            Assert.True(File.Exists(Path.Combine(folder, "state.json")), "Stop saved no checkpoint");
            var stoppedWithin = clock.Elapsed.TotalSeconds;
            Assert.True(reported < 2.0, $"the training cell took {reported:F2} s to stop");

            // Usable kernel, and re-running the cell resumes where Stop left it.
            var rerun = kernel.SubmitAsync("Train()", CellTimeout);
            await Task.Delay(TimeSpan.FromSeconds(3));
            await kernel.CancelAsync();
            var resumed = await rerun;
            var text = resumed.Stdout.ToString() + string.Join("", resumed.Shown.SelectMany(s => s.Values.Values));
            output.WriteLine($"stopped and checked in {stoppedWithin:F1} s; re-run printed: {text.Split('\n').FirstOrDefault(l => l.Contains("resumed"))}");
            Assert.Contains($"resumed at step {a}", text);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
