using System.Xml.Linq;
using SslCourse.Notebooks;

namespace SslCourse.Grading;

/// <summary>
/// <c>sslcourse merge</c>: joins the outputs of <c>grade --shard K/N</c> runs into one: the gradebooks' rows (same
/// header required, each submission once, name order), the feedback and executed notebooks, and the JUnit suites.
/// </summary>
public static class ShardMerge
{
    /// <summary>Merges <paramref name="shards"/> (grade output folders) into <paramref name="outDir"/>.</summary>
    /// <returns>The number of submissions.</returns>
    /// <exception cref="NotebookFormatException">A missing gradebook, different headers, or a submission in two shards.</exception>
    public static int Merge(IReadOnlyList<string> shards, string outDir)
    {
        string? header = null;
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var suites = new List<XElement>();
        var copies = new List<(string From, string To)>();
        foreach (var shard in shards)
        {
            var csv = Path.Combine(shard, "grades.csv");
            if (!File.Exists(csv))
            {
                throw new NotebookFormatException(shard, "not a grade output folder (no grades.csv)");
            }
            List<CsvRecords.Record> records;
            try
            {
                records = CsvRecords.Parse(File.ReadAllText(csv));
            }
            catch (FormatException e)
            {
                throw new NotebookFormatException(csv, $"not a gradebook: {e.Message}");
            }
            if (records.Count == 0 || (header is not null && records[0].Raw != header))
            {
                throw new NotebookFormatException(csv, "gradebook header differs from the first shard's (graded against another master?)");
            }
            header = records[0].Raw;
            foreach (var record in records.Skip(1).Where(r => r.Raw.Length > 0))
            {
                // The name is the first field as a CSV reader sees it (quoted commas and line breaks included).
                var name = record.Fields[0];
                if (!rows.TryAdd(name, record.Raw))
                {
                    throw new NotebookFormatException(csv, $"submission '{name}' is graded in two shards");
                }
            }
            var junit = Path.Combine(shard, "junit.xml");
            if (File.Exists(junit))
            {
                suites.AddRange(JUnitXml.Load(junit, "testsuite"));
            }
            foreach (var sub in new[] { "feedback", "executed" })
            {
                var dir = Path.Combine(shard, sub);
                if (Directory.Exists(dir))
                {
                    copies.AddRange(Directory.EnumerateFiles(dir).Select(f => (f, Path.Combine(outDir, sub, Path.GetFileName(f)))));
                }
            }
        }
        foreach (var (from, to) in copies)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
        }
        AtomicFile.WriteAllText(Path.Combine(outDir, "grades.csv"), header + "\n" + string.Concat(rows.Values.Select(r => r + "\n")));
        JUnitXml.Write(Path.Combine(outDir, "junit.xml"), JUnitXml.Suites("grades", suites.OrderBy(s => (string?)s.Attribute("name"), StringComparer.Ordinal)));
        return rows.Count;
    }
}
