using System.Text;

namespace SslCourse.Runner;

/// <summary>Reads lines from a child's pipe with a bound on each line's length (longer lines are dropped whole).</summary>
internal static class BoundedLines
{
    /// <summary>Calls <paramref name="onLine"/> per line (without its newline), <paramref name="onDropped"/> per over-long line.</summary>
    public static Task ReadAsync(StreamReader reader, int maxChars, Action<string> onLine, Action onDropped) => Task.Run(async () =>
    {
        var buffer = new char[16 * 1024];
        var line = new StringBuilder();
        var dropping = false;
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
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
    });
}
