using static TorchSharp.torch;

namespace SslCourse.Models;

/// <summary>
/// Keys and values already computed for a prefix, one pair per layer, so generation feeds only the newest token
/// (Pope et al., 2022, "Efficiently Scaling Transformer Inference").
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;

    /// <summary>An empty cache for a model with <paramref name="layers"/> blocks.</summary>
    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Tokens cached so far (by the last layer, i.e. after a complete forward pass).</summary>
    public long Length => LengthOf(_keys.Length - 1);

    /// <summary>Tokens cached so far by one layer (earlier layers run ahead within a forward pass).</summary>
    public long LengthOf(int layer) => _keys[layer] is null ? 0 : _keys[layer]!.shape[2];

    /// <summary>Appends this step's keys and values (B, nh, T, hs) for a layer and returns the full ones.</summary>
    internal (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        var (pk, pv) = (_keys[layer], _values[layer]);
        var nk = pk is null ? k.detach() : cat([pk, k.detach()], 2);
        var nv = pv is null ? v.detach() : cat([pv, v.detach()], 2);
        // The cache outlives the caller's dispose scope: it owns its tensors.
        _keys[layer] = nk.DetachFromDisposeScope();
        _values[layer] = nv.DetachFromDisposeScope();
        pk?.Dispose(); pv?.Dispose();
        return (nk, nv);
    }

    /// <summary>Forgets everything (e.g. before re-reading a cropped context).</summary>
    public void Clear()
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose(); _values[i]?.Dispose();
            _keys[i] = null; _values[i] = null;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Clear();
}
