using SslCourse.Generation;
using SslCourse.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace SslCourse.Tests.NotebookChecks;

/// <summary>
/// 02_5's cached-loop check (cell 025-13d): at every step the written-out KV-cached logits equal a full recomputation,
/// and greedy text equals <see cref="TextGenerator.Generate"/>'s. Plausible broken caches fail it.
/// </summary>
public sealed class KvLoopCheckTests
{
    public enum Bug { None, NewTokenAtPositionZero, NoMaskInThePromptPass, KeyAppendedAfterAttention }

    private static Gpt Model()
    {
        manual_seed(4);
        var model = new Gpt(new GptConfig(VocabSize: 11, BlockSize: 24, Layers: 2, Heads: 2, Embed: 16, Bias: true));
        // Random gains and biases too, so that no part hides behind an initial 1 or 0.
        using (no_grad()) foreach (var p in model.parameters()) p.copy_(randn_like(p) * 0.3 + (p.dim() == 1 ? 1 : 0));
        model.eval();
        return model;
    }

    // The notebook's MyGenerate, greedy, with one optional bug. Returns the tokens and the largest relative logit gap.
    private static (long[] Tokens, double Gap) Written(Gpt model, long[] prompt, int count, Bug bug)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var config = model.Config;
        var top = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var blocks = model.Blocks.Select(b => b.named_parameters().ToDictionary(p => p.name, p => p.parameter)).ToArray();
        Tensor? Opt(Dictionary<string, TorchSharp.Modules.Parameter> w, string name) => w.TryGetValue(name, out var t) ? t : null;
        Tensor Ln(Tensor h, Dictionary<string, TorchSharp.Modules.Parameter> w, string name) =>
            nn.functional.layer_norm(h, [h.shape[^1]], w[name + ".weight"], Opt(w, name + ".bias"), 1e-5);
        Tensor Lin(Tensor h, Dictionary<string, TorchSharp.Modules.Parameter> w, string name) => nn.functional.linear(h, w[name + ".weight"], Opt(w, name + ".bias"));
        int C = config.Embed, H = config.Heads, d = C / H;
        var keys = new Tensor?[config.Layers];
        var values = new Tensor?[config.Layers];
        Tensor Step(Tensor x, long start)
        {
            var n = x.shape[1];
            var from = bug == Bug.NewTokenAtPositionZero && start > 0 ? 0 : (int)start;
            var h = top["wte.weight"][x] + top["wpe.weight"][from..(from + (int)n)];
            for (int l = 0; l < config.Layers; l++)
            {
                var w = blocks[l];
                var qkz = Lin(Ln(h, w, "ln_1"), w, "attn.c_attn").split(C, 2);
                Tensor Heads(Tensor t) => t.view(1, n, H, d).transpose(1, 2);
                var pastK = keys[l];
                var pastV = values[l];
                keys[l] = pastK is null ? Heads(qkz[1]) : cat([pastK, Heads(qkz[1])], 2);
                values[l] = pastV is null ? Heads(qkz[2]) : cat([pastV, Heads(qkz[2])], 2);
                var (k, v) = bug == Bug.KeyAppendedAfterAttention && pastK is not null ? (pastK, pastV!) : (keys[l]!, values[l]!);
                var scores = Heads(qkz[0]).matmul(k.transpose(-2, -1)) / Math.Sqrt(d);
                var later = ones(n, k.shape[2], dtype: ScalarType.Bool).triu(start + 1);
                if (bug == Bug.NoMaskInThePromptPass) later = zeros_like(later);
                var att = scores.masked_fill(later, double.NegativeInfinity).softmax(-1);
                h = h + Lin(att.matmul(v).transpose(1, 2).reshape(1, n, C), w, "attn.c_proj");
                h = h + Lin(nn.functional.gelu(Lin(Ln(h, w, "ln_2"), w, "mlp.c_fc")), w, "mlp.c_proj");
            }
            return Ln(h, top, "ln_f")[.., -1].matmul(top["wte.weight"].T);
        }
        var tokens = prompt.ToList();
        var logits = Step(tensor(tokens.ToArray()).unsqueeze(0), 0);
        double gap = 0;
        for (int i = 0; i < count; i++)
        {
            var recomputed = model.forward(tensor(tokens.ToArray()).unsqueeze(0))[.., -1];
            gap = Math.Max(gap, (logits - recomputed).abs().max().item<float>() / Math.Max(1, recomputed.abs().max().item<float>()));
            var next = logits.argmax(-1).item<long>();
            tokens.Add(next);
            if (i + 1 < count) logits = Step(tensor(new[] { next }).unsqueeze(0), tokens.Count - 1);
        }
        return (tokens.ToArray(), gap);
    }

    // The notebook's check: every step within 1e-4 of recomputation and the library's greedy text.
    private static bool Check(Bug bug)
    {
        using var model = Model();
        long[] prompt = [3, 1, 4, 1, 5, 9];
        var (tokens, gap) = Written(model, prompt, 18, bug);
        using var lib = TextGenerator.Generate(model, tensor(prompt).unsqueeze(0), 18, SamplingOptions.Greedy);
        return gap <= 1e-4 && tokens.SequenceEqual(lib[0].data<long>().ToArray());
    }

    [Fact]
    public void The_written_out_cached_loop_passes() => Assert.True(Check(Bug.None));

    [Theory]
    [InlineData(Bug.NewTokenAtPositionZero)]
    [InlineData(Bug.NoMaskInThePromptPass)]
    [InlineData(Bug.KeyAppendedAfterAttention)]
    public void A_broken_cache_fails(Bug bug) => Assert.False(Check(bug));
}
