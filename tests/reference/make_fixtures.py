"""Writes the reference fixtures the C# tests compare against (tests/SslCourse.Tests/Reference/).

An independent implementation: plain PyTorch (Debian's python3-torch 1.13, CPU), written for this comparison, with
nothing shared with the course's C# code. Regenerate with
    OMP_NUM_THREADS=1 python3 tests/reference/make_fixtures.py
The outputs are deterministic for a given PyTorch build; they are committed, so CI needs no PyTorch.
"""
import json
import math
import os
import struct

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(1234)
torch.set_num_threads(1)


def save(path, tensors, metadata=None):
    """safetensors writer (F32 only): 8-byte header length, JSON header, contiguous little-endian data."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().to(torch.float32).contiguous()
        data = t.numpy().tobytes() if hasattr(t, "numpy") else bytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * ((8 - len(raw) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


# ---- a GPT (Radford et al. 2019) with pre-LayerNorm blocks, written out by hand --------------------------------
def init_gpt(v, t, layers, c):
    w = {"wte.weight": torch.randn(v, c) * 0.2, "wpe.weight": torch.randn(t, c) * 0.2,
         "ln_f.weight": 1 + 0.1 * torch.randn(c), "ln_f.bias": 0.1 * torch.randn(c)}
    for i in range(layers):
        p = f"h.{i}."
        for ln in ("ln_1", "ln_2"):
            w[p + ln + ".weight"] = 1 + 0.1 * torch.randn(c)
            w[p + ln + ".bias"] = 0.1 * torch.randn(c)
        # nanoGPT / torch.nn.Linear layout: (out, in)
        w[p + "attn.c_attn.weight"] = torch.randn(3 * c, c) * 0.2
        w[p + "attn.c_attn.bias"] = 0.1 * torch.randn(3 * c)
        w[p + "attn.c_proj.weight"] = torch.randn(c, c) * 0.2
        w[p + "attn.c_proj.bias"] = 0.1 * torch.randn(c)
        w[p + "mlp.c_fc.weight"] = torch.randn(4 * c, c) * 0.2
        w[p + "mlp.c_fc.bias"] = 0.1 * torch.randn(4 * c)
        w[p + "mlp.c_proj.weight"] = torch.randn(c, 4 * c) * 0.2
        w[p + "mlp.c_proj.bias"] = 0.1 * torch.randn(c)
    return w


def gpt_forward(w, idx, layers, heads, tanh_gelu):
    b, t = idx.shape
    c = w["wte.weight"].shape[1]
    x = w["wte.weight"][idx] + w["wpe.weight"][torch.arange(t)]                    # (B, T, C)
    mask = torch.ones(t, t).tril().bool()
    for i in range(layers):
        p = f"h.{i}."
        h = F.layer_norm(x, (c,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        qkv = h @ w[p + "attn.c_attn.weight"].T + w[p + "attn.c_attn.bias"]        # (B, T, 3C)
        q, k, v = qkv.split(c, dim=2)
        q, k, v = (z.view(b, t, heads, c // heads).transpose(1, 2) for z in (q, k, v))  # (B, nh, T, hs)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // heads)
        att = att.masked_fill(~mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)
        x = x + y @ w[p + "attn.c_proj.weight"].T + w[p + "attn.c_proj.bias"]
        h = F.layer_norm(x, (c,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        h = h @ w[p + "mlp.c_fc.weight"].T + w[p + "mlp.c_fc.bias"]
        h = F.gelu(h, approximate="tanh" if tanh_gelu else "none")
        x = x + h @ w[p + "mlp.c_proj.weight"].T + w[p + "mlp.c_proj.bias"]
    x = F.layer_norm(x, (c,), w["ln_f.weight"], w["ln_f.bias"], 1e-5)
    return x @ w["wte.weight"].T                                                   # tied output layer (B, T, V)


# nanoGPT layout: 3 heads of width 16 (not GPT-2's 64), exact GELU.
cfg = dict(vocab=13, block=10, layers=2, heads=3, embed=48)
w = init_gpt(cfg["vocab"], cfg["block"], cfg["layers"], cfg["embed"])
idx = torch.randint(0, cfg["vocab"], (2, 9))
targets = torch.randint(0, cfg["vocab"], (2, 9))
logits = gpt_forward(w, idx, cfg["layers"], cfg["heads"], tanh_gelu=False)
lm_loss = F.cross_entropy(logits.reshape(-1, cfg["vocab"]), targets.reshape(-1))
save(os.path.join(HERE, "gpt_nanogpt.safetensors"),
     {**{"weights." + k: v for k, v in w.items()}, "input.idx": idx, "input.targets": targets,
      "expected.logits": logits, "expected.loss": lm_loss.reshape(1)},
     {k: str(v) for k, v in cfg.items()})

# Hugging Face GPT-2 layout: Conv1D weights stored (in, out), "transformer." prefix, tied lm_head stored too,
# the causal-mask buffer, config.json with 4 heads of width 16, tanh GELU ("gelu_new").
cfg2 = dict(vocab=17, block=12, layers=2, heads=4, embed=64)
w2 = init_gpt(cfg2["vocab"], cfg2["block"], cfg2["layers"], cfg2["embed"])
hf = {}
for k, v in w2.items():
    conv1d = any(k.endswith(s) for s in ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight"))
    hf["transformer." + k] = v.T.contiguous() if conv1d else v
for i in range(cfg2["layers"]):
    hf[f"transformer.h.{i}.attn.bias"] = torch.ones(cfg2["block"], cfg2["block"]).tril().view(1, 1, cfg2["block"], cfg2["block"])
hf["lm_head.weight"] = w2["wte.weight"]
os.makedirs(os.path.join(HERE, "gpt2_hf"), exist_ok=True)
save(os.path.join(HERE, "gpt2_hf", "model.safetensors"), hf, {"format": "pt"})
with open(os.path.join(HERE, "gpt2_hf", "config.json"), "w") as f:
    json.dump({"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "activation_function": "gelu_new",
               "layer_norm_epsilon": 1e-05, "n_ctx": cfg2["block"], "n_positions": cfg2["block"], "n_embd": cfg2["embed"],
               "n_head": cfg2["heads"], "n_layer": cfg2["layers"], "vocab_size": cfg2["vocab"]}, f, indent=2)
idx2 = torch.randint(0, cfg2["vocab"], (2, 12))
save(os.path.join(HERE, "gpt2_hf_expected.safetensors"),
     {"input.idx": idx2, "expected.logits": gpt_forward(w2, idx2, cfg2["layers"], cfg2["heads"], tanh_gelu=True)})

# One AdamW step (Loshchilov & Hutter, 2019) with nanoGPT's two parameter groups: decay for dim >= 2 only.
params = {"w": torch.randn(4, 3), "b": torch.randn(3), "gain": 1 + 0.1 * torch.randn(3)}
grads = {k: torch.randn_like(v) for k, v in params.items()}
live = {k: v.clone().requires_grad_(True) for k, v in params.items()}
for k in live:
    live[k].grad = grads[k].clone()
opt = torch.optim.AdamW([{"params": [live["w"]], "weight_decay": 0.1},
                         {"params": [live["b"], live["gain"]], "weight_decay": 0.0}], lr=1e-2, betas=(0.9, 0.99), eps=1e-8)
opt.step()
save(os.path.join(HERE, "adamw_step.safetensors"),
     {**{"param." + k: v for k, v in params.items()}, **{"grad." + k: v for k, v in grads.items()},
      **{"after." + k: v.detach() for k, v in live.items()}},
     {"lr": "0.01", "beta1": "0.9", "beta2": "0.99", "eps": "1e-08", "weight_decay": "0.1"})

# NT-Xent (Chen et al. 2020), written as the paper's per-anchor sum; CS229's simplified contrastive loss; MAE's
# masked MSE (He et al. 2022); the LM cross-entropy on a (B, T, V) batch.
z1, z2, tau = torch.randn(6, 5), torch.randn(6, 5), 0.3
z = F.normalize(torch.cat([z1, z2]), dim=1)
sim = z @ z.T / tau
n = z1.shape[0]
terms = []
for i in range(2 * n):
    pos = (i + n) % (2 * n)
    denom = sum(math.exp(sim[i, j]) for j in range(2 * n) if j != i)
    terms.append(-(sim[i, pos].item() - math.log(denom)))
ntxent = torch.tensor(sum(terms) / (2 * n))
ph, pt = torch.randn(5, 4), torch.randn(5, 4)
dots = ph @ pt.T
cs229 = torch.tensor(sum(-(dots[i, i].item() - math.log(sum(math.exp(dots[i, j]) for j in range(5)))) for i in range(5)))
pred, target = torch.randn(2, 6, 4), torch.randn(2, 6, 4)
mask = (torch.rand(2, 6) < 0.75).float()
mae = (((pred - target) ** 2).mean(-1) * mask).sum() / mask.sum()
lm_logits, lm_targets = torch.randn(2, 5, 7), torch.randint(0, 7, (2, 5))
lm = F.cross_entropy(lm_logits.reshape(-1, 7), lm_targets.reshape(-1))
save(os.path.join(HERE, "losses.safetensors"),
     {"ntxent.z1": z1, "ntxent.z2": z2, "ntxent.loss": ntxent.reshape(1),
      "cs229.phi_hat": ph, "cs229.phi_tilde": pt, "cs229.loss": cs229.reshape(1),
      "mae.prediction": pred, "mae.target": target, "mae.mask": mask, "mae.loss": mae.reshape(1),
      "lm.logits": lm_logits, "lm.targets": lm_targets, "lm.loss": lm.reshape(1)},
     {"ntxent.tau": str(tau), "torch": torch.__version__})
print("fixtures written to", HERE)
