using System.Security.Cryptography;

namespace SslCourse.Data;

/// <summary>The MD5 digests the datasets' canonical pages publish, as lower-case hex.</summary>
public static class Checksum
{
    /// <summary>MD5 of <paramref name="bytes"/>.</summary>
    public static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));

    /// <summary>MD5 of the file at <paramref name="path"/>, streamed (large archives never sit whole in memory).</summary>
    public static string Md5File(string path)
    {
        using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(file));
    }
}
