using System.Globalization;

namespace SslCourse.Runner;

/// <summary>
/// Arguments of the hidden <c>exec-one</c> verb, passed from parent to child. The notebook and the results key are
/// not among them: they come on stdin, so neither the command line nor a file shows them to the notebook's code.
/// </summary>
internal sealed record ChildArguments(
    string WorkingDirectory,
    string Name,
    TimeSpan CellTimeout,
    long MaxCellOutputBytes,
    bool StopOnError)
{
    public const string Verb = "exec-one";

    public IEnumerable<string> ToArgs()
    {
        var inv = CultureInfo.InvariantCulture;
        yield return Verb;
        yield return WorkingDirectory;
        yield return Name;
        yield return CellTimeout.TotalSeconds.ToString(inv);
        yield return MaxCellOutputBytes.ToString(inv);
        yield return StopOnError ? "stop" : "continue";
    }

    public static ChildArguments Parse(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        if (args.Length != 6 || args[0] != Verb)
        {
            throw new ArgumentException($"{Verb} is internal to sslcourse run");
        }
        return new ChildArguments(
            args[1], args[2],
            TimeSpan.FromSeconds(double.Parse(args[3], inv)),
            long.Parse(args[4], inv),
            args[5] == "stop");
    }
}
