using SslCourse.Notebooks;

namespace SslCourse.Runner;

/// <summary>Entry point of the <c>sslcourse</c> tool.</summary>
public static class Program
{
    /// <summary>Exit code for bad input.</summary>
    public const int ExitBadInput = 2;

    /// <summary>Runs the tool.</summary>
    /// <param name="args">Command line.</param>
    /// <returns>0 all passed, 1 something failed, 2 bad input.</returns>
    public static Task<int> Main(string[] args)
    {
        // Descriptors inherited from whoever started this process reach no notebook process.
        InheritedDescriptors.CloseOnExec();
        if (args.FirstOrDefault() is "run" or NotebookServer.Verb)
        {
            // Orphans a notebook detaches (setsid, double fork) become this process's children, so they die with it.
            ProcessTree.BecomeSubreaper();
        }
        return RunAsync(args, Console.Out, Console.Error);
    }

    /// <summary>Runs the tool with explicit writers (used by tests).</summary>
    /// <param name="args">Command line.</param>
    /// <param name="stdout">Summary output.</param>
    /// <param name="stderr">Progress and errors.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            return args.FirstOrDefault() switch
            {
                "run" => await RunCommand.RunAsync(args[1..], stdout, stderr),
                ChildArguments.Verb => await ChildSession.RunAsync(ChildArguments.Parse(args)),
                NotebookServer.Verb => await NotebookServer.RunAsync(),
                "release" or "validate" or "grade" or "merge" => await GradeAsync(args, stdout, stderr),
                _ => Usage(stderr),
            };
        }
        catch (NotebookFormatException e)
        {
            stderr.WriteLine($"sslcourse: {e.File}: {e.Message}");
            return ExitBadInput;
        }
    }

    private static async Task<int> GradeAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        using var executor = new SslCourse.Grading.RunnerProcessExecutor(typeof(Program).Assembly.Location);
        return await SslCourse.Grading.GradingCli.RunAsync(args[0], args[1..], executor, stdout, stderr);
    }

    private static int Usage(TextWriter stderr)
    {
        stderr.WriteLine("sslcourse: usage: sslcourse run PATH... --out DIR [--param NAME=VALUE]... [--cell-timeout S] [--timeout S] [--stop-on-error] [--junit FILE] [--max-cell-output BYTES] [--memory-limit MB] [--sandbox [--sandbox-ro DIR]... [--allow-env NAME]...] [--workdir DIR]");
        stderr.WriteLine(string.Join('\n', SslCourse.Grading.GradingCli.Usage.Split('\n').Select(l => "       " + l)));
        return ExitBadInput;
    }
}
