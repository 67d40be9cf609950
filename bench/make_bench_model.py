#!/usr/bin/python3
"""Writes the demo-size random-weight checkpoint used by the model-engine benchmarks
(bench/bench_model.cpp, bench/model_vs_pytorch.sh), in the exact on-disk layouts of
tests/model/reference/make_checkpoints.py (whose tensor builders it reuses at a larger size).

    /usr/bin/python3 bench/make_bench_model.py OUT_DIR [--seed N] [--dtype f32|bf16]

creates
  OUT_DIR/base/  plain HF LlamaForCausalLM: 6 layers, hidden 256, 8 heads / 4 KV heads (head_dim 32),
                 MLP 704, vocab 4096, untied lm_head, llama3 rope scaling, F32
  OUT_DIR/z2z/   v2 self-contained zip2zip export of the same decoder weights: res_latent_attn
                 encoders (latent 128, model hidden 256 -> proj_in/proj_out, 2 layers, 2 heads,
                 intermediate null = 4*128), mean pooling, residual, untied; V0 = 4096, K = 512, S = 4,
                 position_mode base_token_end
--dtype bf16 stores every tensor in bf16, as released checkpoints are (the engine widens them to f32;
the hyper-encoders' fast path then reads its matrices as bf16). Deterministic for a given seed. Skips the work when OUT_DIR/.done holds the same parameters.
"""
import argparse
import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "model", "reference"))
import make_checkpoints as mc  # noqa: E402
import safetensors_io as sio  # noqa: E402

# Demo size. make_checkpoints' decoder builder reads these module constants.
D, LAYERS, HEADS, KV_HEADS, INTER, VOCAB = 256, 6, 8, 4, 704, 4096
K, S = 512, 4
ENC_H, ENC_LAYERS, ENC_HEADS = 128, 2, 2


def main(argv=None):
    ap = argparse.ArgumentParser(description="write the demo-size benchmark checkpoint")
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--dtype", choices=["f32", "bf16"], default="f32")
    a = ap.parse_args(argv)
    st_dtype = a.dtype.upper()
    stamp = json.dumps({"v": 1, "seed": a.seed, "D": D, "L": LAYERS, "V": VOCAB, "K": K, "dtype": a.dtype})
    done = os.path.join(a.out_dir, ".done")
    if os.path.exists(done) and open(done).read() == stamp:
        return 0

    mc.D, mc.LAYERS, mc.HEADS, mc.KV_HEADS, mc.HEAD_DIM, mc.INTER = D, LAYERS, HEADS, KV_HEADS, D // HEADS, INTER
    g = torch.Generator().manual_seed(a.seed)
    cfg = {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": D, "intermediate_size": INTER, "num_hidden_layers": LAYERS,
        "num_attention_heads": HEADS, "num_key_value_heads": KV_HEADS, "head_dim": D // HEADS,
        "hidden_act": "silu", "max_position_embeddings": 8192, "rms_norm_eps": 1e-5,
        "rope_theta": 500000.0,
        "rope_scaling": {"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                         "high_freq_factor": 4.0, "original_max_position_embeddings": 1024},
        "vocab_size": VOCAB, "tie_word_embeddings": False, "bos_token_id": 1,
        "eos_token_id": 2, "attention_bias": False, "mlp_bias": False,
        "torch_dtype": "bfloat16" if a.dtype == "bf16" else "float32",
    }
    dec = mc.decoder_tensors(g, "llama", VOCAB)
    enc_in = mc.res_latent_encoder(g, S, ENC_H, D, 4 * ENC_H, ENC_LAYERS, out_scale=0.5)
    enc_out = mc.res_latent_encoder(g, S, ENC_H, D, 4 * ENC_H, ENC_LAYERS, out_scale=0.25)

    for sub in ("base", "z2z"):
        d = os.path.join(a.out_dir, sub)
        os.makedirs(d, exist_ok=True)
        mc.write_json(os.path.join(d, "config.json"), cfg)
        sio.save(os.path.join(d, "model.safetensors"), dec, st_dtype, metadata={"format": "pt"})
    d = os.path.join(a.out_dir, "z2z")
    mc.write_json(os.path.join(d, "zip2zip_config.json"), {
        "format_version": 2, "base_model_name_or_path": ".", "position_mode": "base_token_end",
        "encoder_type": "res_latent_attn",
        "encoder": {"hidden_size": ENC_H, "model_hidden_size": D, "num_hidden_layers": ENC_LAYERS,
                    "intermediate_size": None, "num_heads": ENC_HEADS, "causal": False,
                    "residual": True, "tie_encoders": False, "position_encoding": None},
        "compression": {"initial_vocab_size": VOCAB, "max_codebook_size": K, "max_subtokens": S,
                        "disabled_ids": [0, 1, 2]}})
    sio.save(os.path.join(d, "zip2zip_encoders.safetensors"),
             {**mc.prefixed("input_encoder.", enc_in), **mc.prefixed("output_encoder.", enc_out)}, st_dtype)
    with open(done, "w") as f:
        f.write(stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
