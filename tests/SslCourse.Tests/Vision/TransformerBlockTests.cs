using SslCourse.Vision;
using static TorchSharp.torch;

namespace SslCourse.Tests.Vision;

public sealed class TransformerBlockTests
{
    [Fact]
    public void The_block_is_the_vit_block_written_out_with_the_shared_attention_module()
    {
        manual_seed(5);
        using var block = new TransformerBlock(64, 4);
        using var x = randn(3, 10, 64);
        var w = block.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        Assert.Equal(["attn.c_attn.bias", "attn.c_attn.weight", "attn.c_proj.bias", "attn.c_proj.weight", "ln_1.bias", "ln_1.weight",
            "ln_2.bias", "ln_2.weight", "mlp.0.bias", "mlp.0.weight", "mlp.2.bias", "mlp.2.weight"], w.Keys.Order(StringComparer.Ordinal));
        using var _ = no_grad();
        // The block as MAE's and CLIP's encoders had it before it shared the GPT's attention module.
        var h = nn.functional.layer_norm(x, [64], w["ln_1.weight"], w["ln_1.bias"]);
        var qkv = nn.functional.linear(h, w["attn.c_attn.weight"], w["attn.c_attn.bias"]).view(3, 10, 3, 4, 16).permute(2, 0, 3, 1, 4);
        var att = qkv[0].matmul(qkv[1].transpose(-2, -1)).mul(1.0 / Math.Sqrt(16)).softmax(-1);           // no mask: bidirectional
        var y = x + nn.functional.linear(att.matmul(qkv[2]).transpose(1, 2).reshape(3, 10, 64), w["attn.c_proj.weight"], w["attn.c_proj.bias"]);
        var m = nn.functional.layer_norm(y, [64], w["ln_2.weight"], w["ln_2.bias"]);
        var expected = y + nn.functional.linear(nn.functional.gelu(nn.functional.linear(m, w["mlp.0.weight"], w["mlp.0.bias"])), w["mlp.2.weight"], w["mlp.2.bias"]);
        using var actual = block.forward(x);
        Assert.True(actual.eq(expected).all().item<bool>(), $"max difference {(actual - expected).abs().max().item<float>()}");
        Assert.Equal([3L, 4, 10, 10], block.Attention.LastAttention!.shape);           // the map stays available
        Assert.True(block.Attention.LastAttention!.sum(-1).allclose(ones(3, 4, 10)));  // rows are distributions over all 10 tokens
    }
}
