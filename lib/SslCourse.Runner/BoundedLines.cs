using System.Text;

namespace SslCourse.Runner;

/// <summary>Reads lines from a child's pipe with a bound on each line's length (longer lines are dropped whole).</summary>
internal static class BoundedLines
{
    /// <summary>Calls <paramref name="onLine"/> per line (without its newline), <paramref name="onDropped"/> per over-long line.</summary>
    /// <remarks>
    /// Reads on a thread of its own with blocking reads: a judge's call waits on each reply line, and a reply should
    /// wake it without a detour through the thread pool.
    /// </remarks>
    public static Task ReadAsync(StreamReader reader, int maxChars, Action<string> onLine, Action onDropped) => Task.Factory.StartNew(() =>
    {
        var buffer = new char[16 * 1024];
        var line = new StringBuilder();
        var dropping = false;
        int n;
        while ((n = reader.Read(buffer)) > 0)
        {
            var start = 0;
            for (var i = 0; i < n; i++)
            {
                if (buffer[i] != '\n')
                {
                    continue;
                }
                if (dropping)
                {
                    onDropped();
                }
                else
                {
                    line.Append(buffer, start, i - start);
                    onLine(line.ToString().TrimEnd('\r'));
                }
                line.Clear();
                dropping = false;
                start = i + 1;
            }
            if (!dropping)
            {
                line.Append(buffer, start, n - start);
                if (line.Length > maxChars)
                {
                    dropping = true;
                    line.Clear();
                }
            }
        }
        if (dropping)
        {
            onDropped();
        }
        else if (line.Length > 0)
        {
            onLine(line.ToString().TrimEnd('\r'));
        }
    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
}
