using SslCourse.Runtime;

namespace SslCourse.Tests.Runtime;

public sealed class GlibcxxCompatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("glibcxx").FullName;

    private string CopyOfShim()
    {
        var src = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var dst = Path.Combine(_dir, "libLibTorchSharp.so");
        File.Copy(src, dst, overwrite: true);
        return dst;
    }

    [Fact]
    public void Patch_marks_only_the_flags_field_weak_and_is_idempotent()
    {
        var path = CopyOfShim();
        var before = File.ReadAllBytes(path);
        var offset = GlibcxxCompat.FindFlagsOffset(before, GlibcxxCompat.RequiredVersion, path);
        Assert.NotNull(offset);
        // Start from the unpatched state whatever the shipped copy holds.
        before[offset.Value] &= unchecked((byte)~0x2);
        File.WriteAllBytes(path, before);

        Assert.Equal(CompatOutcome.Patched, GlibcxxCompat.Apply(path, hostProvides: false));
        var after = File.ReadAllBytes(path);
        var diff = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToList();
        Assert.Equal([offset.Value], diff);
        Assert.Equal(0x2, after[offset.Value] & 0x2);
        Assert.Equal(CompatOutcome.AlreadyCompatible, GlibcxxCompat.Apply(path, hostProvides: false));
        Assert.Equal(after, File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void Host_with_the_version_needs_nothing_and_file_is_untouched()
    {
        var path = CopyOfShim();
        var before = File.ReadAllBytes(path);
        Assert.Equal(CompatOutcome.NotNeeded, GlibcxxCompat.Apply(path, hostProvides: true));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Not_an_elf_file_is_refused_with_its_name_and_left_unchanged()
    {
        var path = Path.Combine(_dir, "bogus.so");
        File.WriteAllText(path, "this is not an ELF library");
        var e = Assert.Throws<InvalidDataException>(() => GlibcxxCompat.Apply(path, hostProvides: false));
        Assert.Contains("bogus.so", e.Message);
        Assert.Equal("this is not an ELF library", File.ReadAllText(path));
    }

    [Fact]
    public void Truncated_elf_is_refused_before_any_write()
    {
        var full = File.ReadAllBytes(CopyOfShim());
        var path = Path.Combine(_dir, "truncated.so");
        File.WriteAllBytes(path, full[..4096]);
        Assert.Throws<InvalidDataException>(() => GlibcxxCompat.Apply(path, hostProvides: false));
        Assert.Equal(4096, new FileInfo(path).Length);
    }

    [Fact]
    public void A_library_without_the_requirement_is_already_compatible()
    {
        var libc = "/lib/x86_64-linux-gnu/libz.so.1";
        if (!File.Exists(libc)) return;
        var path = Path.Combine(_dir, "libz.so.1");
        File.Copy(libc, path);
        Assert.Equal(CompatOutcome.AlreadyCompatible, GlibcxxCompat.Apply(path, hostProvides: false));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
