#!/usr/bin/python3
"""Writes small synthetic zip2zip checkpoints (random, seeded weights) in the exact on-disk layouts
of ../shared/docs/reference-zip2zip.md §4 — part of the independent TEST ORACLE of zip2zip studio
(tests/model/reference/), written from the spec only.

    /usr/bin/python3 make_checkpoints.py OUT_DIR [--seed N]

creates (see OUT_DIR/README.md, written alongside):
  v2_llama/          v2 self-contained, LlamaForCausalLM (GQA, llama3 rope), res_latent_attn H=32 != Dm=64
                     (proj_in/proj_out), mean pooling, residual, untied encoders, F32
  v2_llama_causal/   same decoder weights; res_latent_attn H == Dm (no projections), causal pooling,
                     no residual (second res_latent_attn code path)
  v1_phi3_adapter/   v1 adapter repo -> ../phi3_base; transformer encoder (post-LN, learnable pos),
                     untied; PEFT LoRA on qkv_proj/o_proj/gate_up_proj/down_proj (F32)
  phi3_base/         Phi3ForCausalLM, fused qkv/gate_up, longrope, BF16 weights, vocab 300 > V0 = 288
  v1_qwen2_tied/     v1 adapter repo -> ../qwen2_base; transformer encoder (intermediate_size null),
                     tie_encoders true (only input_encoder.* keys); LoRA (BF16) on all 7 projections
                     although target_modules lists only q_proj,v_proj (merge-every-pair rule)
  qwen2_base/        Qwen2ForCausalLM, q/k/v bias, tie_word_embeddings true (no lm_head.weight), F16
Everything is deterministic for a given seed (torch.manual_seed).
"""
import argparse
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io as sio  # noqa: E402

D = 64          # model hidden
LAYERS = 2
HEADS = 4
KV_HEADS = 2
HEAD_DIM = D // HEADS
INTER = 96


def randn(g, *shape, std=1.0):
    return torch.randn(*shape, generator=g, dtype=torch.float32) * std


def norm_w(g, n):
    return 1.0 + randn(g, n, std=0.1)


def decoder_tensors(g, arch, vocab, tied=False, emb_std=0.5, head_std=0.25):
    t = {"model.embed_tokens.weight": randn(g, vocab, D, std=emb_std),
         "model.norm.weight": norm_w(g, D)}
    if not tied:
        t["lm_head.weight"] = randn(g, vocab, D, std=head_std)
    ws = 1.0 / math.sqrt(D)
    for i in range(LAYERS):
        p = "model.layers.%d." % i
        t[p + "input_layernorm.weight"] = norm_w(g, D)
        t[p + "post_attention_layernorm.weight"] = norm_w(g, D)
        q = randn(g, HEADS * HEAD_DIM, D, std=ws * 2)
        k = randn(g, KV_HEADS * HEAD_DIM, D, std=ws * 2)
        v = randn(g, KV_HEADS * HEAD_DIM, D, std=ws)
        o = randn(g, D, HEADS * HEAD_DIM, std=ws)
        gate = randn(g, INTER, D, std=ws)
        up = randn(g, INTER, D, std=ws)
        down = randn(g, D, INTER, std=1.0 / math.sqrt(INTER))
        if arch == "phi3":
            t[p + "self_attn.qkv_proj.weight"] = torch.cat([q, k, v], 0)
            t[p + "mlp.gate_up_proj.weight"] = torch.cat([gate, up], 0)
        else:
            t[p + "self_attn.q_proj.weight"] = q
            t[p + "self_attn.k_proj.weight"] = k
            t[p + "self_attn.v_proj.weight"] = v
            t[p + "mlp.gate_proj.weight"] = gate
            t[p + "mlp.up_proj.weight"] = up
        t[p + "self_attn.o_proj.weight"] = o
        t[p + "mlp.down_proj.weight"] = down
        if arch == "qwen2":
            t[p + "self_attn.q_proj.bias"] = randn(g, HEADS * HEAD_DIM, std=0.5)
            t[p + "self_attn.k_proj.bias"] = randn(g, KV_HEADS * HEAD_DIM, std=0.5)
            t[p + "self_attn.v_proj.bias"] = randn(g, KV_HEADS * HEAD_DIM, std=0.2)
    return t


def ln(g, prefix, n, t, scale=1.0):
    t[prefix + ".weight"] = scale * norm_w(g, n)
    t[prefix + ".bias"] = randn(g, n, std=0.1)


def transformer_encoder(g, S, hidden, inter, layers, out_scale):
    t = {"pos_embed.weight": randn(g, S, hidden, std=0.3)}
    ws = 1.0 / math.sqrt(hidden)
    for i in range(layers):
        p = "layers.%d." % i
        for m in ("q", "k", "v", "o"):
            t[p + "attention.%s_proj.weight" % m] = randn(g, hidden, hidden, std=ws * (2 if m in "qk" else 1))
        t[p + "mlp.fc1.weight"] = randn(g, inter, hidden, std=ws)
        t[p + "mlp.fc2.weight"] = randn(g, hidden, inter, std=1.0 / math.sqrt(inter))
        ln(g, p + "post_attention_layernorm", hidden, t)
        ln(g, p + "post_mlp_layernorm", hidden, t, scale=out_scale if i == layers - 1 else 1.0)
    return t


def res_latent_encoder(g, S, H, Dm, inter, layers, out_scale):
    t = {"pos_embed.weight": randn(g, S, H, std=0.3)}
    ws = 1.0 / math.sqrt(H)
    for i in range(layers):
        p = "layers.%d." % i
        for m in ("wq", "wk", "wv", "wo"):
            t[p + m + ".weight"] = randn(g, H, H, std=ws * (2 if m in ("wq", "wk") else 1))
        t[p + "w1.weight"] = randn(g, inter, H, std=ws)
        t[p + "w2.weight"] = randn(g, H, inter, std=1.0 / math.sqrt(inter))
        ln(g, p + "norm1", H, t)
        ln(g, p + "norm2", H, t)
    ln(g, "norm", H, t, scale=out_scale)
    if Dm != H:
        t["proj_in.weight"] = randn(g, H, Dm, std=1.0 / math.sqrt(Dm))
        t["proj_out.weight"] = randn(g, Dm, H, std=1.0 / math.sqrt(H))   # non-zero on purpose
    return t


def prefixed(prefix, t):
    return {prefix + k: v for k, v in t.items()}


def lora_tensors(g, modules, r):
    """modules: list of (peft module path, in_features, out_features); A [r,in], B [out,r] (non-zero)."""
    t = {}
    for path, fin, fout in modules:
        t["base_model.model.%s.lora_A.weight" % path] = randn(g, r, fin, std=1.0 / math.sqrt(fin))
        t["base_model.model.%s.lora_B.weight" % path] = randn(g, fout, r, std=0.05)
    return t


def write_json(path, obj):
    with open(path, "w") as f:
        f.write(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def rounded(tensors, dtype):
    return {k: sio.round_to_dtype(v, dtype) for k, v in tensors.items()}


def make_v2_llama(out, g):
    vocab = 300
    cfg = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": D, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM,
        "hidden_act": "silu", "max_position_embeddings": 2048, "rms_norm_eps": 1e-5,
        "rope_theta": 10000.0,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 1024},
        "vocab_size": vocab, "tie_word_embeddings": False, "bos_token_id": 1,
        "eos_token_id": [2, 298], "attention_bias": False, "mlp_bias": False,
        "torch_dtype": "float32",
    }
    dec = decoder_tensors(g, "llama", vocab)
    specials = [0, 1, 2, 296, 297, 298, 299]
    digits = list(range(10, 20))          # stand-ins for the digit ids a release disables
    comp = {"initial_vocab_size": vocab, "max_codebook_size": 48, "max_subtokens": 4,
            "disabled_ids": sorted(specials + digits)}
    enc_in = res_latent_encoder(g, 4, 32, D, 64, 2, out_scale=0.5)
    enc_out = res_latent_encoder(g, 4, 32, D, 64, 2, out_scale=0.25)
    d = os.path.join(out, "v2_llama")
    os.makedirs(d, exist_ok=True)
    write_json(os.path.join(d, "config.json"), cfg)
    sio.save(os.path.join(d, "model.safetensors"), dec, "F32", metadata={"format": "pt"})
    write_json(os.path.join(d, "zip2zip_config.json"), {
        "format_version": 2, "base_model_name_or_path": ".", "position_mode": "base_token_end",
        "encoder_type": "res_latent_attn",
        "encoder": {"hidden_size": 32, "model_hidden_size": D, "num_hidden_layers": 2,
                    "intermediate_size": 64, "num_heads": 2, "causal": False, "residual": True,
                    "tie_encoders": False, "position_encoding": None},
        "compression": comp})
    sio.save(os.path.join(d, "zip2zip_encoders.safetensors"),
             {**prefixed("input_encoder.", enc_in), **prefixed("output_encoder.", enc_out)}, "F32")

    # causal / no-projection / no-residual variant, same decoder
    d2 = os.path.join(out, "v2_llama_causal")
    os.makedirs(d2, exist_ok=True)
    write_json(os.path.join(d2, "config.json"), cfg)
    sio.save(os.path.join(d2, "model.safetensors"), dec, "F32", metadata={"format": "pt"})
    enc_in2 = res_latent_encoder(g, 4, D, D, 128, 2, out_scale=0.5)
    enc_out2 = res_latent_encoder(g, 4, D, D, 128, 2, out_scale=0.25)
    write_json(os.path.join(d2, "zip2zip_config.json"), {
        "format_version": 2, "base_model_name_or_path": ".", "position_mode": "base_token_end",
        "encoder_type": "res_latent_attn",
        "encoder": {"hidden_size": D, "model_hidden_size": None, "num_hidden_layers": 2,
                    "intermediate_size": None, "num_heads": 4, "causal": True, "residual": False,
                    "tie_encoders": False, "position_encoding": None},
        "compression": comp})
    sio.save(os.path.join(d2, "zip2zip_encoders.safetensors"),
             {**prefixed("input_encoder.", enc_in2), **prefixed("output_encoder.", enc_out2)}, "F32")


def make_v1_phi3(out, g):
    vocab, V0 = 300, 288
    cfg = {
        "architectures": ["Phi3ForCausalLM"], "model_type": "phi3",
        "hidden_size": D, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "hidden_act": "silu",
        "max_position_embeddings": 128, "original_max_position_embeddings": 32,
        "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
        "rope_scaling": {"type": "longrope",
                         "short_factor": [1.0, 1.02, 1.05, 1.1, 1.2, 1.35, 1.5, 1.7],
                         "long_factor": [1.0, 1.3, 1.8, 2.5, 3.4, 4.2, 5.5, 7.0]},
        "vocab_size": vocab, "tie_word_embeddings": False, "bos_token_id": 1,
        "eos_token_id": 281, "pad_token_id": 282, "attention_bias": False,
        "torch_dtype": "bfloat16",
    }
    dec = rounded(decoder_tensors(g, "phi3", vocab), "BF16")
    base = os.path.join(out, "phi3_base")
    os.makedirs(base, exist_ok=True)
    write_json(os.path.join(base, "config.json"), cfg)
    sio.save(os.path.join(base, "model.safetensors"), dec, "BF16", metadata={"format": "pt"})

    ad = os.path.join(out, "v1_phi3_adapter")
    os.makedirs(ad, exist_ok=True)
    S = 4
    write_json(os.path.join(ad, "zip2zip_config.json"), {
        "base_model_name_or_path": "../phi3_base", "encoder_type": "transformer",
        "encoder": {"hidden_size": D, "num_hidden_layers": 2, "intermediate_size": 128,
                    "num_heads": 4, "position_encoding": "learnable", "tie_encoders": False},
        "compression": {"initial_vocab_size": V0, "max_codebook_size": 40, "max_subtokens": S,
                        "disabled_ids": [0, 1, 2] + list(range(280, 288))}})
    enc = {**prefixed("input_encoder.", transformer_encoder(g, S, D, 128, 2, 0.5)),
           **prefixed("output_encoder.", transformer_encoder(g, S, D, 128, 2, 0.6))}
    sio.save(os.path.join(ad, "zip2zip_encoders.safetensors"), enc, "F32")
    r = 4
    qkv_out = (HEADS + 2 * KV_HEADS) * HEAD_DIM
    mods = []
    for i in range(LAYERS):
        p = "model.layers.%d." % i
        mods += [(p + "self_attn.qkv_proj", D, qkv_out), (p + "self_attn.o_proj", D, D),
                 (p + "mlp.gate_up_proj", D, 2 * INTER), (p + "mlp.down_proj", INTER, D)]
    sio.save(os.path.join(ad, "adapter_model.safetensors"), lora_tensors(g, mods, r), "F32",
             metadata={"format": "pt"})
    write_json(os.path.join(ad, "adapter_config.json"), {
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "../phi3_base",
        "r": r, "lora_alpha": 8, "lora_dropout": 0.0, "bias": "none", "fan_in_fan_out": False,
        "inference_mode": True, "use_rslora": False,
        "target_modules": ["qkv_proj", "o_proj", "gate_up_proj", "down_proj"]})


def make_v1_qwen2(out, g):
    vocab = 300
    cfg = {
        "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
        "hidden_size": D, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "hidden_act": "silu",
        "max_position_embeddings": 512, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0,
        "rope_scaling": None, "use_sliding_window": False, "sliding_window": None,
        "vocab_size": vocab, "tie_word_embeddings": True, "bos_token_id": 1, "eos_token_id": 2,
        "torch_dtype": "float16",
    }
    dec = rounded(decoder_tensors(g, "qwen2", vocab, tied=True, emb_std=0.35), "F16")
    base = os.path.join(out, "qwen2_base")
    os.makedirs(base, exist_ok=True)
    write_json(os.path.join(base, "config.json"), cfg)
    sio.save(os.path.join(base, "model.safetensors"), dec, "F16", metadata={"format": "pt"})

    ad = os.path.join(out, "v1_qwen2_tied")
    os.makedirs(ad, exist_ok=True)
    S = 3
    write_json(os.path.join(ad, "zip2zip_config.json"), {
        "base_model_name_or_path": "../qwen2_base", "encoder_type": "transformer",
        "encoder": {"hidden_size": D, "num_hidden_layers": 1, "intermediate_size": None,
                    "num_heads": 4, "position_encoding": "learnable", "tie_encoders": True},
        "compression": {"initial_vocab_size": vocab, "max_codebook_size": 64, "max_subtokens": S,
                        "disabled_ids": [0, 1, 2, 297, 298, 299]}})
    enc = prefixed("input_encoder.", transformer_encoder(g, S, D, 4 * D, 1, 0.7))
    sio.save(os.path.join(ad, "zip2zip_encoders.safetensors"), rounded(enc, "F16"), "F16")
    r = 2
    mods = []
    for i in range(LAYERS):
        p = "model.layers.%d." % i
        mods += [(p + "self_attn.q_proj", D, HEADS * HEAD_DIM),
                 (p + "self_attn.k_proj", D, KV_HEADS * HEAD_DIM),
                 (p + "self_attn.v_proj", D, KV_HEADS * HEAD_DIM),
                 (p + "self_attn.o_proj", D, D), (p + "mlp.gate_proj", D, INTER),
                 (p + "mlp.up_proj", D, INTER), (p + "mlp.down_proj", INTER, D)]
    sio.save(os.path.join(ad, "adapter_model.safetensors"),
             rounded(lora_tensors(g, mods, r), "BF16"), "BF16", metadata={"format": "pt"})
    write_json(os.path.join(ad, "adapter_config.json"), {
        "peft_type": "LORA", "task_type": "CAUSAL_LM", "base_model_name_or_path": "../qwen2_base",
        "r": r, "lora_alpha": 4, "lora_dropout": 0.0, "bias": "none", "fan_in_fan_out": False,
        "inference_mode": True, "use_rslora": False, "target_modules": ["q_proj", "v_proj"]})


README = """# Synthetic zip2zip checkpoints (generated by tests/model/reference/make_checkpoints.py)

Random seeded weights, tiny sizes (decoder hidden 64, 2 layers, 4 heads / 2 KV heads, head_dim 16,
MLP 96, vocab 300).  Layouts follow ../shared/docs/reference-zip2zip.md §4.  All tests feed ids.

| dir | what it exercises |
|---|---|
| `v2_llama/` | v2 self-contained (`format_version 2`, base `"."`, `position_mode "base_token_end"`); LlamaForCausalLM, GQA, rope_theta 1e4, rope_scaling llama3 (factor 8, low 1, high 4, original 1024: head_dim 16 puts frequencies in all three bands); `eos_token_id [2, 298]`, no `pad_token_id` => pad = 2; encoders `res_latent_attn` H=32, Dm=64 (proj_in/proj_out, non-zero proj_out), 2 heads, I=64, mean pooling (causal false), residual true, untied; V0 = 300 = full vocab, K=48, S=4, disabled = specials {0,1,2,296..299} + "digits" 10..19; all F32. |
| `v2_llama_causal/` | same decoder; `res_latent_attn` H = Dm = 64 (`model_hidden_size` null => no projections), 4 heads, `intermediate_size` null (4H), causal true (last-valid-token pooling), residual false. |
| `v1_phi3_adapter/` | v1 adapter repo, base `../phi3_base`; encoder `transformer` (post-LN, learnable pos, I=128, 4 heads, 2 layers), untied; PEFT LoRA r=4 alpha=8 (scale 2) on qkv_proj/o_proj/gate_up_proj/down_proj, F32, non-zero B; V0 = 288 < model vocab 300 (base rows 288..299 are shifted behind the K=40 hyper columns), S=4, disabled {0,1,2,280..287}. |
| `phi3_base/` | Phi3ForCausalLM, fused `qkv_proj` = cat(q,k,v) and `gate_up_proj` = cat(gate,up); rope_scaling longrope (short/long factors, `original_max_position_embeddings` 32 at top level, max_position_embeddings 128 => attention factor sqrt(1+ln 4/ln 32)); **BF16** on disk; eos 281, pad 282 (pad != eos, disabled). |
| `v1_qwen2_tied/` | v1 adapter repo, base `../qwen2_base`; encoder `transformer` with `intermediate_size` null (=4*64), 1 layer, tie_encoders true (only `input_encoder.*` keys, module reused on the LM head); F16 encoders; LoRA r=2 alpha=4 BF16 on all 7 projections while `target_modules` = [q_proj, v_proj] (merge every pair present); V0=300, K=64, S=3, disabled {0,1,2,297,298,299}. |
| `qwen2_base/` | Qwen2ForCausalLM, q/k/v bias, tie_word_embeddings true with **no** `lm_head.weight` stored, rope_theta 1e6, rms eps 1e-6, eos 2 and no pad => pad = 2; F16 on disk. |
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description="write synthetic zip2zip checkpoints")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args(argv)
    torch.manual_seed(a.seed)
    os.makedirs(a.out_dir, exist_ok=True)
    # one generator per checkpoint so that each is independent of the others' sizes
    make_v2_llama(a.out_dir, torch.Generator().manual_seed(a.seed * 10 + 1))
    make_v1_phi3(a.out_dir, torch.Generator().manual_seed(a.seed * 10 + 2))
    make_v1_qwen2(a.out_dir, torch.Generator().manual_seed(a.seed * 10 + 3))
    with open(os.path.join(a.out_dir, "README.md"), "w") as f:
        f.write(README)
    return 0


if __name__ == "__main__":
    sys.exit(main())
