using System.IO.Compression;

namespace SslCourse.Notebooks.Tests;

/// <summary>
/// Writes a CIFAR-10-format copy of Fashion-MNIST (each image padded to 32×32 and tinted with a random colour), so
/// chapter 01's colour path runs end to end on real structure without the 163 MB download.
/// </summary>
internal static class ColourFashionMnist
{
    private const int Record = 1 + 3 * 32 * 32;

    /// <summary>Writes <c>cifar-10/*.bin</c> (five train batches, one test batch, 10,000 records each) under <paramref name="dataDir"/>.</summary>
    public static void Write(string dataDir)
    {
        var source = new[] { Path.Combine(RepositoryPaths.Root, "data", "fashion-mnist"), "/usr/share/datasets/fashion-mnist" }
            .FirstOrDefault(d => Find(d, "t10k-labels-idx1-ubyte") is not null)
            ?? throw new FileNotFoundException("Fashion-MNIST not found in data/fashion-mnist or /usr/share/datasets/fashion-mnist (sudo apt-get install dataset-fashion-mnist)");
        var dir = Directory.CreateDirectory(Path.Combine(dataDir, "cifar-10")).FullName;
        var rng = new Random(0);
        foreach (var (prefix, files) in new[] { ("train", Enumerable.Range(1, 5).Select(i => $"data_batch_{i}.bin").ToArray()), ("t10k", ["test_batch.bin"]) })
        {
            var images = Idx(Find(source, $"{prefix}-images-idx3-ubyte")!, 16);
            var labels = Idx(Find(source, $"{prefix}-labels-idx1-ubyte")!, 8);
            for (var f = 0; f < files.Length; f++)
            {
                var bytes = new byte[10_000 * Record];
                for (var r = 0; r < 10_000; r++)
                {
                    var i = f * 10_000 + r;
                    bytes[r * Record] = labels[i];
                    var tint = new[] { 0.3 + 0.7 * rng.NextDouble(), 0.3 + 0.7 * rng.NextDouble(), 0.3 + 0.7 * rng.NextDouble() };
                    for (var c = 0; c < 3; c++)
                        for (var y = 0; y < 28; y++)
                            for (var x = 0; x < 28; x++)
                                bytes[r * Record + 1 + c * 1024 + (y + 2) * 32 + x + 2] = (byte)(images[i * 784 + y * 28 + x] * tint[c]);
                }
                File.WriteAllBytes(Path.Combine(dir, files[f]), bytes);
            }
        }
    }

    private static string? Find(string dir, string name) =>
        new[] { Path.Combine(dir, name), Path.Combine(dir, name + ".gz") }.FirstOrDefault(File.Exists);

    private static byte[] Idx(string path, int header)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray()[header..];
    }
}
