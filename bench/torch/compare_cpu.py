#!/usr/bin/env python3
"""The course's standing CPU comparison with PyTorch: nanoGPT's CPU setting for shakespeare_char, trained once by a
small PyTorch script written for this comparison (below) and once by the course's TorchSharp GPT, on the same
machine, one after the other. Prints ms/step for both, their ratio, and both validation losses.

Setting (nanoGPT README, "I only have a macbook"): 4 layers, 4 heads, width 128, context 64, batch 12, 2,000 steps,
AdamW lr 1e-3 -> 1e-4 cosine, warm-up 100, beta2 0.99, weight decay 0.1 on dim >= 2 weights, clip 1.0, dropout 0,
no biases; validation = mean over eval batches of the last 10% of tiny Shakespeare.

Run from the repository root, after `dotnet build SslCourse.sln -c Release`, with Debian's python3-torch:
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch/compare_cpu.py [--steps 2000] [--threads 1]
(/usr/bin/python3 is Debian's Python, where apt-get install python3-torch libopenblas0-pthread puts PyTorch 1.13.)
OMP_NUM_THREADS=1 also keeps the course's run (a child process) on one libtorch thread.
Not part of ./course test.
"""
import argparse, math, os, re, subprocess, sys, time

import torch
import torch.nn as nn
import torch.nn.functional as F


def layer_norm(width):
    """LayerNorm without a bias. PyTorch 1.13 (Debian 12) has no bias=False: keep its bias at zero and frozen."""
    ln = nn.LayerNorm(width)
    ln.bias.requires_grad_(False)
    return ln


class Block(nn.Module):
    """Pre-LayerNorm Transformer block with causal multi-head attention and a 4x GELU MLP, no biases."""

    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.norm1 = layer_norm(width)
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.out = nn.Linear(width, width, bias=False)
        self.norm2 = layer_norm(width)
        self.up = nn.Linear(width, 4 * width, bias=False)
        self.down = nn.Linear(4 * width, width, bias=False)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.qkv(self.norm1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        # PyTorch 1.13 has no fused scaled_dot_product_attention: the explicit form, as nanoGPT's fallback path.
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        causal = torch.ones(t, t, dtype=torch.bool, device=x.device).tril()
        y = F.softmax(scores.masked_fill(~causal, float("-inf")), dim=-1) @ v
        x = x + self.out(y.transpose(1, 2).reshape(b, t, c))
        return x + self.down(F.gelu(self.up(self.norm2(x))))


class CharGpt(nn.Module):
    def __init__(self, vocab, context, layers, heads, width):
        super().__init__()
        self.tokens = nn.Embedding(vocab, width)
        self.positions = nn.Embedding(context, width)
        self.blocks = nn.ModuleList(Block(width, heads) for _ in range(layers))
        self.norm = layer_norm(width)
        for name, p in self.named_parameters():
            if p.dim() >= 2:
                std = 0.02 / math.sqrt(2 * layers) if name.endswith(("out.weight", "down.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx, targets):
        t = idx.shape[1]
        h = self.tokens(idx) + self.positions(torch.arange(t, device=idx.device))
        for blk in self.blocks:
            h = blk(h)
        logits = self.norm(h) @ self.tokens.weight.T  # tied output layer
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def lr_at(step, steps, peak, floor, warmup):
    if step < warmup:
        return peak * (step + 1) / warmup
    return floor + 0.5 * (peak - floor) * (1 + math.cos(math.pi * (step - warmup) / (steps - warmup)))


def batch(data, size, context, gen):
    starts = torch.randint(0, len(data) - context, (size,), generator=gen)
    windows = torch.stack([data[s:s + context + 1] for s in starts.tolist()])
    return windows[:, :-1], windows[:, 1:]


@torch.no_grad()
def estimate(model, data, batches, size, context, gen):
    model.eval()
    total = sum(model(*batch(data, size, context, gen)).item() for _ in range(batches))
    model.train()
    return total / batches


def run_torch(text, steps, eval_batches, seed):
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([index[c] for c in text], dtype=torch.long)
    n = int(0.9 * len(ids))
    train, val = ids[:n], ids[n:]
    torch.manual_seed(seed)
    model = CharGpt(len(chars), 64, 4, 4, 128)
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": 0.1},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    opt = torch.optim.AdamW(groups, lr=1e-3, betas=(0.9, 0.99))
    gen = torch.Generator().manual_seed(seed)
    start, cpu_start = time.perf_counter(), time.process_time()
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, 1e-3, 1e-4, 100)
        loss = model(*batch(train, 12, 64, gen))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if (step + 1) % 500 == 0:
            print(f"  pytorch step {step + 1}: loss {loss.item():.4f}", flush=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    return 1000 * seconds / steps, 1000 * cpu / steps, estimate(model, val, eval_batches, 12, 64, gen), len(chars)


def run_course(steps, eval_batches):
    dll = os.path.join("bench", "SslCourse.Bench", "bin", "Release", "net10.0", "SslCourse.Bench.dll")
    if not os.path.exists(dll):
        sys.exit(f"compare_cpu: {dll} not found; run `dotnet build SslCourse.sln -c Release` first")
    cmd = ["dotnet", dll, "run", "gpt-cpu", "--steps", str(steps), "--eval-batches", str(eval_batches)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    print(out.stdout, end="")
    m = re.search(r"RESULT ms_per_step=([\d.]+) cpu_ms_per_step=([\d.]+) val=([\d.]+)", out.stdout)
    if out.returncode not in (0, 1) or not m:
        sys.exit(f"compare_cpu: the course's run failed (exit {out.returncode}): {out.stderr.strip()[-500:]}")
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--eval-batches", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    if a.steps <= 100:
        sys.exit(f"compare_cpu: --steps must exceed the 100 warm-up steps, got {a.steps}")
    torch.set_num_threads(a.threads)
    path = os.path.join("data", "tinyshakespeare.txt")
    if not os.path.exists(path):
        sys.exit(f"compare_cpu: {path} not found; run from the repository root")
    text = open(path, encoding="utf-8").read()
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s); {a.steps} steps; validation over {a.eval_batches} batches of 12x64")
    t_ms, t_cpu, t_val, vocab = run_torch(text, a.steps, a.eval_batches, a.seed)
    print(f"  pytorch: {t_ms:.1f} ms/step wall, {t_cpu:.1f} ms/step CPU, validation {t_val:.4f} (V = {vocab})", flush=True)
    c_ms, c_cpu, c_val = run_course(a.steps, a.eval_batches)
    print(f"\n{'':24}{'ms/step':>10}{'CPU ms/step':>13}{'validation':>12}")
    print(f"{'PyTorch (this script)':24}{t_ms:10.1f}{t_cpu:13.1f}{t_val:12.4f}")
    print(f"{'course GPT (TorchSharp)':24}{c_ms:10.1f}{c_cpu:13.1f}{c_val:12.4f}")
    print(f"ratio course / PyTorch: {c_ms / t_ms:.2f}x wall time per step, {c_cpu / t_cpu:.2f}x CPU time per step "
          "(on a shared machine the CPU-time ratio is the steadier one); nanoGPT's README reports validation 1.88 for this setting")


if __name__ == "__main__":
    main()
