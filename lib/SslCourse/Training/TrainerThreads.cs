using TorchSharp;

namespace SslCourse.Training;

/// <summary>
/// Where a training loop runs, set up once per fit: on the course's flush-to-zero thread when
/// <see cref="TrainerOptions.FlushDenormals"/> asks for it, and with <see cref="TrainerOptions.CpuThreads"/> libtorch
/// threads (the caller's count restored afterwards).
/// </summary>
internal static class TrainerThreads
{
    public static T Run<T>(TrainerOptions options, Func<T> loop)
    {
        Func<T> body = options.CpuThreads is int threads ? () => WithThreads(threads, loop) : loop;
        return options.FlushDenormals ? Runtime.Denormals.Run(body) : body();
    }

    private static T WithThreads<T>(int threads, Func<T> loop)
    {
        var before = torch.get_num_threads();
        if (before == threads) return loop();
        torch.set_num_threads(threads);
        try { return loop(); }
        finally { torch.set_num_threads(before); }
    }
}
