namespace SslCourse.Data;

/// <summary>The checksum of one canonical file.</summary>
/// <param name="GzMd5">MD5 of the canonical .gz download.</param>
/// <param name="RawMd5">MD5 of the uncompressed IDX content (null when unknown: then size and header are checked).</param>
/// <param name="RawBytes">Size of the uncompressed IDX file.</param>
public sealed record FileChecksum(string GzMd5, string? RawMd5, long RawBytes);

/// <summary>
/// Where an IDX image dataset lives and how to verify it: the folder name under the course's data folder, the
/// system copies (e.g. a Debian package), the canonical download URL and each file's checksum.
/// </summary>
/// <param name="Name">Folder name under <c>data/</c>, e.g. "fashion-mnist".</param>
/// <param name="ClassNames">Name of each label.</param>
/// <param name="SystemDirs">System-wide copies, tried after the course cache.</param>
/// <param name="BaseUrl">Download base URL (file names are appended).</param>
/// <param name="Checksums">Per file name (without .gz), the canonical checksums; null skips checksum verification.</param>
/// <param name="InstallHint">The command that installs a system copy.</param>
public sealed record IdxDatasetSpec(
    string Name,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<string> SystemDirs,
    string BaseUrl,
    IReadOnlyDictionary<string, FileChecksum>? Checksums,
    string InstallHint)
{
    /// <summary>The two IDX file names (images, labels) of the train or the test split, without .gz.</summary>
    public static string[] FileNames(bool train) => train
        ? ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"]
        : ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Fashion-MNIST (Xiao, Rasul &amp; Vollgraf, 2017): 70k 28×28 grey images of 10 clothing classes.</summary>
    public static IdxDatasetSpec FashionMnist { get; } = new(
        "fashion-mnist",
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
        ["/usr/share/datasets/fashion-mnist"],
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        new Dictionary<string, FileChecksum>
        {
            // .gz MD5s are torchvision's; raw MD5s were measured on the uncompressed Debian copy (its .gz is re-packed).
            ["train-images-idx3-ubyte"] = new("8d4fb7e6c68d591d4c3dfef9ec88bf0d", "f4a8712d7a061bf5bd6d2ca38dc4d50a", 47040016),
            ["train-labels-idx1-ubyte"] = new("25c81989df183df01b3e8a0aad5dffbe", "9018921c3c673c538a1fc5bad174d6f9", 60008),
            ["t10k-images-idx3-ubyte"] = new("bef4ecab320f06d8554ea6380940ec79", "8181f5470baa50b63fa0f6fddb340f0a", 7840016),
            ["t10k-labels-idx1-ubyte"] = new("bb300cfdad3c16e7a12a480ee83cd310", "15d484375f8d13e6eb1aabb0c3f46965", 10008),
        },
        "sudo apt-get install dataset-fashion-mnist");

    /// <summary>MNIST (LeCun et al., 1998): 70k 28×28 grey handwritten digits.</summary>
    public static IdxDatasetSpec Mnist { get; } = new(
        "mnist",
        ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
        ["/usr/share/datasets/mnist"],
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        new Dictionary<string, FileChecksum>
        {
            ["train-images-idx3-ubyte"] = new("f68b3c2dcbeaaa9fbdd348bbdeb94873", null, 47040016),
            ["train-labels-idx1-ubyte"] = new("d53e105ee54ea40749a09fcbcd1e9432", null, 60008),
            ["t10k-images-idx3-ubyte"] = new("9fb629c4189551a2d022fa330f9573f3", null, 7840016),
            ["t10k-labels-idx1-ubyte"] = new("ec29112dd5afa0611ce80d1b7f02629c", null, 10008),
        },
        "download it on a machine with network access into data/mnist/");
}
