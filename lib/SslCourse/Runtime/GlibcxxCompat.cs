using System.Buffers.Binary;
using System.Text;

namespace SslCourse.Runtime;

/// <summary>What <see cref="GlibcxxCompat.Apply"/> did to one native library.</summary>
public enum CompatOutcome
{
    /// <summary>The host's libstdc++ already provides the version; nothing to do.</summary>
    NotNeeded,
    /// <summary>The library does not require the version (or already marks it weak).</summary>
    AlreadyCompatible,
    /// <summary>The version requirement was marked weak; the file was rewritten atomically.</summary>
    Patched,
}

/// <summary>
/// Makes TorchSharp's (0.107.0's) <c>libLibTorchSharp.so</c> load on hosts whose libstdc++ is older than GCC 13
/// (Debian 12, Ubuntu 22.04). The library lists <c>GLIBCXX_3.4.32</c> in its <c>.gnu.version_r</c> section only
/// for <c>std::ios_base_library_init</c>, which it never calls; marking that requirement VER_FLG_WEAK turns the
/// loader's hard "version not found" error into a no-op. See the ELF gABI / LSB "Symbol Versioning" chapter.
/// </summary>
public static class GlibcxxCompat
{
    /// <summary>The version TorchSharp 0.107.0's native shim requires but older hosts lack.</summary>
    public const string RequiredVersion = "GLIBCXX_3.4.32";

    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>True when the host's libstdc++ defines <paramref name="version"/> (so no patch is needed).</summary>
    public static bool HostProvides(string version = RequiredVersion)
    {
        foreach (var path in HostLibStdCxxCandidates())
        {
            if (File.Exists(path) && ContainsAscii(File.ReadAllBytes(path), version)) return true;
        }
        return false;
    }

    /// <summary>
    /// Applies the fix to <paramref name="libraryPath"/> when the host needs it. Idempotent; validates the ELF
    /// structure before writing; writes a sibling temp file and renames it over the original.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a 64-bit little-endian ELF with a sane version section.</exception>
    public static CompatOutcome Apply(string libraryPath, bool? hostProvides = null)
    {
        if (hostProvides ?? HostProvides()) return CompatOutcome.NotNeeded;
        var bytes = File.ReadAllBytes(libraryPath);
        var offset = FindFlagsOffset(bytes, RequiredVersion, libraryPath);
        if (offset is null) return CompatOutcome.AlreadyCompatible;
        var flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(offset.Value));
        if ((flags & VerFlgWeak) != 0) return CompatOutcome.AlreadyCompatible;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(offset.Value), (ushort)(flags | VerFlgWeak));
        AtomicFile.WriteAllBytes(libraryPath, bytes, preserveModeFrom: libraryPath);
        return CompatOutcome.Patched;
    }

    /// <summary>
    /// Returns the file offset of the <c>vna_flags</c> field of the <c>.gnu.version_r</c> entry naming
    /// <paramref name="version"/>, or null when the library does not require it.
    /// </summary>
    public static int? FindFlagsOffset(byte[] elf, string version, string nameForErrors)
    {
        string Bad(string what) => $"{nameForErrors}: not a patchable ELF file ({what})";
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException(Bad("no ELF magic"));
        if (elf[4] != 2 || elf[5] != 1) throw new InvalidDataException(Bad("not 64-bit little-endian"));
        var span = elf.AsSpan();
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        if (shentsize != 64 || shoff == 0 || shoff + (ulong)shnum * 64 > (ulong)elf.Length)
            throw new InvalidDataException(Bad("section header table out of bounds"));

        (ulong Offset, ulong Size, uint Link, uint Info) Section(int i)
        {
            var h = elf.AsSpan((int)(shoff + (ulong)i * 64));
            return (BinaryPrimitives.ReadUInt64LittleEndian(h[0x18..]), BinaryPrimitives.ReadUInt64LittleEndian(h[0x20..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(h[0x28..]), BinaryPrimitives.ReadUInt32LittleEndian(h[0x2C..]));
        }

        for (int i = 0; i < shnum; i++)
        {
            var type = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(shoff + (ulong)i * 64 + 4)..]);
            if (type != ShtGnuVerneed) continue;
            var (off, size, link, count) = Section(i);
            if (link >= shnum || off + size > (ulong)elf.Length) throw new InvalidDataException(Bad(".gnu.version_r out of bounds"));
            var strtab = Section((int)link);
            if (strtab.Offset + strtab.Size > (ulong)elf.Length) throw new InvalidDataException(Bad("string table out of bounds"));
            ulong need = off;
            for (uint n = 0; n < count; n++)
            {
                if (need + 16 > off + size) throw new InvalidDataException(Bad("truncated Verneed entry"));
                ushort cnt = BinaryPrimitives.ReadUInt16LittleEndian(span[(int)(need + 2)..]);
                uint aux = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 8)..]);
                uint next = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(need + 12)..]);
                ulong a = need + aux;
                for (int k = 0; k < cnt; k++)
                {
                    if (a + 16 > off + size) throw new InvalidDataException(Bad("truncated Vernaux entry"));
                    uint name = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(a + 8)..]);
                    if (name >= strtab.Size) throw new InvalidDataException(Bad("version name outside the string table"));
                    if (ReadCString(span, strtab.Offset + name, strtab.Offset + strtab.Size) == version) return (int)(a + 4);
                    uint anext = BinaryPrimitives.ReadUInt32LittleEndian(span[(int)(a + 12)..]);
                    if (anext == 0) break;
                    a += anext;
                }
                if (next == 0) break;
                need += next;
            }
            return null;
        }
        return null;
    }

    private static string ReadCString(ReadOnlySpan<byte> s, ulong start, ulong end)
    {
        int i = (int)start;
        while ((ulong)i < end && s[i] != 0) i++;
        return Encoding.ASCII.GetString(s[(int)start..i]);
    }

    private static bool ContainsAscii(byte[] haystack, string needle)
    {
        var n = Encoding.ASCII.GetBytes(needle + "\0");
        return haystack.AsSpan().IndexOf(n) >= 0;
    }

    private static IEnumerable<string> HostLibStdCxxCandidates()
    {
        foreach (var dir in new[] { "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64" })
            yield return Path.Combine(dir, "libstdc++.so.6");
    }
}
