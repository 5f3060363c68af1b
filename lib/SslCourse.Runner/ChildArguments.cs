using System.Globalization;

namespace SslCourse.Runner;

/// <summary>Arguments of the hidden <c>exec-one</c> verb, passed from parent to child.</summary>
internal sealed record ChildArguments(
    string Notebook,
    string WorkingDirectory,
    string StateDir,
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
        yield return Notebook;
        yield return WorkingDirectory;
        yield return StateDir;
        yield return Name;
        yield return CellTimeout.TotalSeconds.ToString(inv);
        yield return MaxCellOutputBytes.ToString(inv);
        yield return StopOnError ? "stop" : "continue";
    }

    public static ChildArguments Parse(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        if (args.Length != 8 || args[0] != Verb)
        {
            throw new ArgumentException($"{Verb} is internal to sslcourse run");
        }
        return new ChildArguments(
            args[1], args[2], args[3], args[4],
            TimeSpan.FromSeconds(double.Parse(args[5], inv)),
            long.Parse(args[6], inv),
            args[7] == "stop");
    }
}
