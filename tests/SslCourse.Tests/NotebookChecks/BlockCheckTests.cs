using SslCourse.Models;
using static TorchSharp.torch;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_3's block check (cell 023-10): the block written in cells equals the library's <see cref="Block"/> on the same
/// random weights, and editing the last position leaves earlier outputs unchanged. Plausible broken blocks fail it.
/// </summary>
public sealed class BlockCheckTests
{
    public enum Bug { None, HeadsSplitTheWrongWay, PostNorm, NoCausalMask }

    // The notebook's functions (cell 023-08), with one optional bug.
    private static Tensor LayerNormOf(Tensor h, Tensor gain, Tensor? bias)
    {
        var mu = h.mean([-1], keepdim: true);
        var variance = (h - mu).pow(2).mean([-1], keepdim: true);
        var y = (h - mu) / (variance + 1e-5).sqrt() * gain;
        return bias is null ? y : y + bias;
    }

    private static Tensor MultiHeadAttention(Tensor h, Tensor wAttn, Tensor? bAttn, Tensor wProj, Tensor? bProj, int heads, Bug bug)
    {
        var (B, T, C) = (h.shape[0], h.shape[1], h.shape[2]);
        var qkz = nn.functional.linear(h, wAttn, bAttn).split(C, 2);
        Tensor Split(Tensor t) => bug == Bug.HeadsSplitTheWrongWay
            ? t.view(B, T, C / heads, heads).transpose(1, 3).transpose(2, 3)
            : t.view(B, T, heads, C / heads).transpose(1, 2);
        var (qh, kh, zh) = (Split(qkz[0]), Split(qkz[1]), Split(qkz[2]));
        var s = qh.matmul(kh.transpose(-2, -1)) / Math.Sqrt(C / heads);
        var mask = ones(T, T, dtype: ScalarType.Bool).tril();
        if (bug == Bug.NoCausalMask) mask = ones_like(mask);
        var a = nn.functional.softmax(s.masked_fill(mask.logical_not(), double.NegativeInfinity), -1);
        var y = a.matmul(zh).transpose(1, 2).contiguous().view(B, T, C);
        return nn.functional.linear(y, wProj, bProj);
    }

    private static Tensor BlockOf(Tensor h, Block block, int heads, Bug bug)
    {
        var w = block.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Tensor? B(string name) => w.TryGetValue(name, out var t) ? t : null;
        Tensor Attn(Tensor x) => MultiHeadAttention(x, w["attn.c_attn.weight"], B("attn.c_attn.bias"), w["attn.c_proj.weight"], B("attn.c_proj.bias"), heads, bug);
        Tensor Mlp(Tensor x) => nn.functional.linear(nn.functional.gelu(nn.functional.linear(x, w["mlp.c_fc.weight"], B("mlp.c_fc.bias"))), w["mlp.c_proj.weight"], B("mlp.c_proj.bias"));
        if (bug == Bug.PostNorm)
        {
            h = LayerNormOf(h + Attn(h), w["ln_1.weight"], B("ln_1.bias"));
            return LayerNormOf(h + Mlp(h), w["ln_2.weight"], B("ln_2.bias"));
        }
        h = h + Attn(LayerNormOf(h, w["ln_1.weight"], B("ln_1.bias")));
        return h + Mlp(LayerNormOf(h, w["ln_2.weight"], B("ln_2.bias")));
    }

    // The notebook's check: allclose to the library's Block, and causal.
    private static bool Check(Bug bug)
    {
        var config = new GptConfig(65, BlockSize: 32, Layers: 2, Heads: 4, Embed: 64);
        manual_seed(0);
        using var block = new Block(config);
        block.eval();
        using var _ = no_grad();
        foreach (var p in block.parameters()) p.copy_(randn_like(p) * 0.2 + (p.dim() == 1 ? 1 : 0));
        var h = randn(3, 10, config.Embed);
        var cells = BlockOf(h, block, config.Heads, bug);
        var edited = h.clone();
        edited[.., -1] = randn(3, config.Embed);
        var afterEdit = BlockOf(edited, block, config.Heads, bug);
        return cells.allclose(block.forward(h), rtol: 1e-4, atol: 1e-5) && afterEdit[.., ..^1].allclose(cells[.., ..^1], rtol: 1e-5, atol: 1e-6);
    }

    [Fact]
    public void The_block_written_in_cells_passes() => Assert.True(Check(Bug.None));

    [Theory]
    [InlineData(Bug.HeadsSplitTheWrongWay)]
    [InlineData(Bug.PostNorm)]
    [InlineData(Bug.NoCausalMask)]
    public void A_broken_block_fails(Bug bug) => Assert.False(Check(bug));
}
