using static TorchSharp.torch;

namespace SslCourse.Runtime;

/// <summary>A tensor's dtype, shape and raw bytes in a binary stream (checkpoint state that is not a module's).</summary>
internal static class TensorBytes
{
    public static void Write(BinaryWriter w, Tensor t)
    {
        using var cpu = t.detach().cpu().contiguous();
        w.Write((int)cpu.dtype);
        w.Write(cpu.shape.Length);
        foreach (var d in cpu.shape) w.Write(d);
        var bytes = cpu.bytes.ToArray();
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    public static Tensor Read(BinaryReader r)
    {
        var dtype = (ScalarType)r.ReadInt32();
        var shape = new long[r.ReadInt32()];
        for (int i = 0; i < shape.Length; i++) shape[i] = r.ReadInt64();
        var bytes = r.ReadBytes(r.ReadInt32());
        var t = empty(shape, dtype);
        if (bytes.Length != t.NumberOfElements * t.ElementSize) throw new InvalidDataException($"tensor of shape [{string.Join(", ", shape)}] has {bytes.Length} bytes");
        t.bytes = bytes;
        return t;
    }
}
