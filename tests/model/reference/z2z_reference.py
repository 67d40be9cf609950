#!/usr/bin/python3
"""Independent PyTorch reference of the zip2zip model — the TEST ORACLE of zip2zip studio.

Written only from ../shared/docs/reference-zip2zip.md (§2 wiring and hyper-encoders, §3 generation,
§4 checkpoint layouts, §6 base-token positions) and the public HF decoder definitions; it shares no
code with the C++ engine (core/model, core/generate).  f32, CPU, one thread, deterministic.

    /usr/bin/python3 z2z_reference.py score    --model DIR --ids "1 2 3 ..." [--no-mask]
                                               [--codes "..."] [--dump] [--dump-file F.safetensors]
        -> {"codes":[...],"logprobs":[...],"uninstallable_targets":N}
    /usr/bin/python3 z2z_reference.py generate --model DIR --prompt-ids "..." --max-new-tokens N
                                               [--no-compress-prompt] [--no-mask] [--dump]
        -> {"prompt_codes":[...],"generated":[...],"base_ids":[...]}

Semantics (the C++ engine must match these; see README.md beside this file):
  * joint logits at every position: [ W[:V0]·h | cacheOut·h (K hyper columns, no bias) | W[V0:]·h ];
    hyper column V0+k is "installed" at position i iff the streaming decoder has an entry for id
    V0+k after consuming codes[0..i]; uninstalled columns are -inf (default) or exactly 0
    (--no-mask, the HF runtime's zero-initialised cache).  The tail W[V0:] columns are always part of
    the softmax; greedy generation never picks them (ids >= V0+K are not valid output ids).
  * score: ids -> canonical LZW encode -> ONE causal forward; logprobs[i] = log p(codes[i+1] |
    codes[..i]) (natural log); a target column not installed at its position is printed as null
    under masking (finite under --no-mask) and counted in uninstallable_targets in both modes.
  * generate: greedy, ties -> lowest id, full recompute per step, streaming CodebookManager fed
    the prompt codes (one row) then each new id as a single-id row (a row exactly [pad] is skipped,
    as in the reference manager); stops after N ids or at an eos id (included in the output).
Exit codes: 0 ok, 1 error (bad checkpoint...), 2 bad input (ids out of range, codec errors).
"""
import argparse
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lzw_reference as lzw  # noqa: E402
import safetensors_io as sio  # noqa: E402

torch.set_num_threads(1)
torch.manual_seed(0)


class InputError(Exception):
    """Bad user input (exit code 2)."""


def _read_json(path):
    with open(path) as f:
        return json.load(f)


def load_safetensors_dir(d):
    """model.safetensors, or model.safetensors.index.json + shards."""
    single = os.path.join(d, "model.safetensors")
    if os.path.exists(single):
        return sio.load(single)[0]
    index = os.path.join(d, "model.safetensors.index.json")
    if os.path.exists(index):
        out = {}
        for shard in sorted(set(_read_json(index)["weight_map"].values())):
            out.update(sio.load(os.path.join(d, shard))[0])
        return out
    raise RuntimeError("no model.safetensors in %s" % d)


# ----------------------------------------------------------------------------------------------
# LoRA
# ----------------------------------------------------------------------------------------------
def merge_lora(tensors, adapter_dir):
    """W += (lora_alpha / r) * B @ A for every lora_A/lora_B pair in adapter_model.safetensors,
    regardless of target_modules.  Returns the list of merged base keys."""
    acfg = _read_json(os.path.join(adapter_dir, "adapter_config.json"))
    if acfg.get("use_rslora"):
        raise RuntimeError("use_rslora is not supported by the reference")
    r = acfg["r"]
    scale = float(acfg["lora_alpha"]) / float(r)
    ad = sio.load(os.path.join(adapter_dir, "adapter_model.safetensors"))[0]
    pairs = {}
    for k, v in ad.items():
        if not k.startswith("base_model.model."):
            raise RuntimeError("unexpected adapter key %s" % k)
        for tag in ("A", "B"):
            suf = ".lora_%s.weight" % tag
            if k.endswith(suf):
                mod = k[len("base_model.model."):-len(suf)]
                pairs.setdefault(mod, {})[tag] = v
                break
        else:
            raise RuntimeError("unexpected adapter key %s" % k)
    merged = []
    for mod in sorted(pairs):
        p = pairs[mod]
        if "A" not in p or "B" not in p:
            raise RuntimeError("incomplete LoRA pair for %s" % mod)
        key = mod + ".weight"
        if key not in tensors:
            raise RuntimeError("LoRA target %s not in the base model" % key)
        A, B = p["A"], p["B"]
        if A.shape[0] != r or B.shape[1] != r:
            raise RuntimeError("LoRA rank mismatch for %s" % mod)
        tensors[key] = tensors[key] + scale * (B @ A)
        merged.append(key)
    return merged


# ----------------------------------------------------------------------------------------------
# HF decoder (Llama / Mistral / Qwen2 / Phi3)
# ----------------------------------------------------------------------------------------------
def rms_norm(x, w, eps):
    var = x.pow(2).mean(-1, keepdim=True)
    return w * (x * torch.rsqrt(var + eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


class Decoder:
    def __init__(self, cfg, t):
        self.cfg = cfg
        mt = cfg.get("model_type")
        arch = (cfg.get("architectures") or [""])[0]
        if mt in ("llama", "mistral") or arch in ("LlamaForCausalLM", "MistralForCausalLM"):
            self.kind = "llama"
        elif mt == "qwen2" or arch == "Qwen2ForCausalLM":
            self.kind = "qwen2"
        elif mt == "phi3" or arch == "Phi3ForCausalLM":
            self.kind = "phi3"
        else:
            raise RuntimeError("unsupported model_type %r" % mt)
        if cfg.get("hidden_act", "silu") != "silu":
            raise RuntimeError("hidden_act must be silu")
        if cfg.get("partial_rotary_factor", 1.0) != 1.0:
            raise RuntimeError("partial_rotary_factor != 1 not supported")
        self.D = cfg["hidden_size"]
        self.H = cfg["num_attention_heads"]
        self.KV = cfg.get("num_key_value_heads") or self.H
        self.hd = cfg.get("head_dim") or self.D // self.H
        self.eps = cfg.get("rms_norm_eps", 1e-6)
        self.L = cfg["num_hidden_layers"]
        self.E = t["model.embed_tokens.weight"]
        # tie_word_embeddings: HF default of these four model types is False
        if cfg.get("tie_word_embeddings", False):
            self.W = self.E
        else:
            if "lm_head.weight" not in t:
                raise RuntimeError("lm_head.weight missing and tie_word_embeddings is false")
            self.W = t["lm_head.weight"]
        self.norm = t["model.norm.weight"]
        if cfg.get("mlp_bias"):
            raise RuntimeError("mlp_bias is not supported")
        bias = self.kind == "qwen2" or bool(cfg.get("attention_bias", False))
        obias = self.kind != "qwen2" and bool(cfg.get("attention_bias", False))  # HF Llama: o_proj too
        self.layers = []
        qn, kvn = self.H * self.hd, self.KV * self.hd
        for i in range(self.L):
            p = "model.layers.%d." % i
            ly = {"ln1": t[p + "input_layernorm.weight"], "ln2": t[p + "post_attention_layernorm.weight"],
                  "o": t[p + "self_attn.o_proj.weight"], "down": t[p + "mlp.down_proj.weight"]}
            if self.kind == "phi3":
                qkv = t[p + "self_attn.qkv_proj.weight"]
                ly["q"], ly["k"], ly["v"] = qkv[:qn], qkv[qn:qn + kvn], qkv[qn + kvn:qn + 2 * kvn]
                if qkv.shape[0] != qn + 2 * kvn:
                    raise RuntimeError("qkv_proj shape mismatch")
                gu = t[p + "mlp.gate_up_proj.weight"]
                I = gu.shape[0] // 2
                ly["gate"], ly["up"] = gu[:I], gu[I:]
            else:
                for m in ("q", "k", "v"):
                    ly[m] = t[p + "self_attn.%s_proj.weight" % m]
                ly["gate"], ly["up"] = t[p + "mlp.gate_proj.weight"], t[p + "mlp.up_proj.weight"]
            for m in ("q", "k", "v"):
                ly[m + "b"] = t.get(p + "self_attn.%s_proj.bias" % m) if bias else None
                if bias and ly[m + "b"] is None:
                    raise RuntimeError("missing %s_proj.bias" % m)
            ly["ob"] = t.get(p + "self_attn.o_proj.bias") if obias else None
            if obias and ly["ob"] is None:
                raise RuntimeError("missing o_proj.bias")
            self.layers.append(ly)

    # --- RoPE -------------------------------------------------------------------------------
    def inv_freq(self, seq_len):
        cfg = self.cfg
        base = float(cfg.get("rope_theta", 10000.0))
        dim = self.hd
        expo = torch.arange(0, dim, 2, dtype=torch.int64).float() / dim
        inv = 1.0 / (base ** expo)
        attn = 1.0
        rs = cfg.get("rope_scaling")
        rtype = None if not rs else (rs.get("rope_type") or rs.get("type"))
        if rtype in (None, "default"):
            pass
        elif rtype == "linear":
            inv = inv / float(rs["factor"])
        elif rtype == "llama3":
            factor = float(rs["factor"])
            lo, hi = float(rs["low_freq_factor"]), float(rs["high_freq_factor"])
            old = float(rs["original_max_position_embeddings"])
            lo_wl, hi_wl = old / lo, old / hi
            wavelen = 2 * math.pi / inv
            inv_l = torch.where(wavelen > lo_wl, inv / factor, inv)
            smooth = (old / wavelen - lo) / (hi - lo)
            smoothed = (1 - smooth) * inv_l / factor + smooth * inv_l
            medium = ~(wavelen < hi_wl) * ~(wavelen > lo_wl)
            inv = torch.where(medium, smoothed, inv_l)
        elif rtype in ("longrope", "su"):
            orig = cfg.get("original_max_position_embeddings") or rs.get("original_max_position_embeddings")
            if orig:
                factor = cfg["max_position_embeddings"] / orig
            else:
                orig = cfg["max_position_embeddings"]
                factor = float(rs.get("factor", 1.0))
            af = rs.get("attention_factor")
            if af is None:
                af = 1.0 if factor <= 1.0 else math.sqrt(1 + math.log(factor) / math.log(orig))
            attn = float(af)
            ext = rs["long_factor"] if seq_len > orig else rs["short_factor"]
            ext = torch.tensor(ext, dtype=torch.float32)
            if ext.numel() != dim // 2:
                raise RuntimeError("longrope factor length != head_dim/2")
            inv = 1.0 / (ext * base ** expo)
        else:
            raise RuntimeError("unsupported rope_scaling type %r" % rtype)
        return inv, attn

    def rope(self, positions):
        seq_len = int(positions.max().item()) + 1 if positions.numel() else 0
        inv, attn = self.inv_freq(seq_len)
        freqs = positions.float()[:, None] * inv[None, :]
        emb = torch.cat([freqs, freqs], -1)
        return emb.cos() * attn, emb.sin() * attn

    # --- forward ------------------------------------------------------------------------------
    def forward(self, x, positions, taps=None):
        """x: [n, D] input embeddings, positions: [n] int64 -> final-normed hidden [n, D]."""
        n = x.shape[0]
        cos, sin = self.rope(positions)
        causal = torch.ones(n, n, dtype=torch.bool).tril()
        rep = self.H // self.KV
        for li, ly in enumerate(self.layers):
            h = rms_norm(x, ly["ln1"], self.eps)
            q = F.linear(h, ly["q"], ly["qb"]).view(n, self.H, self.hd).transpose(0, 1)
            k = F.linear(h, ly["k"], ly["kb"]).view(n, self.KV, self.hd).transpose(0, 1)
            v = F.linear(h, ly["v"], ly["vb"]).view(n, self.KV, self.hd).transpose(0, 1)
            q = q * cos + rotate_half(q) * sin
            k = k * cos + rotate_half(k) * sin
            k = k.repeat_interleave(rep, dim=0)      # q head j uses kv head j // rep
            v = v.repeat_interleave(rep, dim=0)
            s = (q @ k.transpose(1, 2)) / math.sqrt(self.hd)
            s = s.masked_fill(~causal, float("-inf"))
            a = torch.softmax(s, -1) @ v               # [H, n, hd]
            a = a.transpose(0, 1).reshape(n, self.H * self.hd)
            x = x + F.linear(a, ly["o"], ly["ob"])
            h = rms_norm(x, ly["ln2"], self.eps)
            x = x + F.linear(F.silu(F.linear(h, ly["gate"])) * F.linear(h, ly["up"]), ly["down"])
            if taps is not None:
                taps["layer%d_out" % li] = x.clone()
        return rms_norm(x, self.norm, self.eps)


# ----------------------------------------------------------------------------------------------
# Hyper-encoders (§2.2)
# ----------------------------------------------------------------------------------------------
def layer_norm(x, p, eps=1e-5):
    return F.layer_norm(x, (x.shape[-1],), p[".weight"], p[".bias"], eps)


def masked_mha(x, wq, wk, wv, wo, heads, mask):
    """x [N,S,D]; mask [N,S,S] bool (query, key); fully-masked query rows give a zero output."""
    N, S, Dh = x.shape[0], x.shape[1], wq.shape[0]
    hd = Dh // heads
    q = F.linear(x, wq).view(N, S, heads, hd).transpose(1, 2)
    k = F.linear(x, wk).view(N, S, heads, hd).transpose(1, 2)
    v = F.linear(x, wv).view(N, S, heads, hd).transpose(1, 2)
    s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
    s = s.masked_fill(~mask[:, None], float("-inf"))
    p = torch.nan_to_num(torch.softmax(s, -1), nan=0.0)   # all -inf row -> NaN -> 0
    o = (p @ v).transpose(1, 2).reshape(N, S, Dh)
    return F.linear(o, wo)


class HyperEncoder:
    def __init__(self, etype, ecfg, params, S):
        self.type = etype
        self.cfg = ecfg
        self.p = params
        self.S = S
        if etype in ("transformer", "attention", "res_latent_attn"):
            pe = params.get("pos_embed.weight")
            if etype == "res_latent_attn" or ecfg.get("position_encoding") == "learnable" or pe is not None:
                if pe is None:
                    raise RuntimeError("pos_embed.weight missing")
                if pe.shape[0] != S:
                    raise RuntimeError("pos_embed has %d rows, max_subtokens is %d" % (pe.shape[0], S))
        if etype == "transformer":
            self.L = ecfg.get("num_hidden_layers")
            if self.L is None:
                self.L = len({k.split(".")[1] for k in params if k.startswith("layers.")})
        elif etype == "res_latent_attn":
            self.H = ecfg["hidden_size"]
            self.Dm = ecfg.get("model_hidden_size") or self.H
            self.L = ecfg.get("num_hidden_layers")
            if self.Dm != self.H and ("proj_in.weight" not in params or "proj_out.weight" not in params):
                raise RuntimeError("res_latent_attn: Dm != H but proj_in/proj_out missing")
        elif etype not in ("attention", "average"):
            raise RuntimeError("unsupported encoder_type %r" % etype)

    def _ln(self, prefix):
        return {".weight": self.p[prefix + ".weight"], ".bias": self.p[prefix + ".bias"]}

    def __call__(self, rows, Wsrc, pad):
        """rows [N,S] int64 (right-padded with pad) -> [N, D]."""
        if rows.shape[0] == 0:
            return torch.zeros(0, Wsrc.shape[1])
        valid = rows != pad
        x = Wsrc[rows]                                          # [N,S,D] (pad slots: row of pad id)
        if self.type == "average":
            m = valid.float()[..., None]
            return (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        if self.type == "transformer":
            if self.cfg.get("position_encoding") == "learnable":
                x = x + self.p["pos_embed.weight"][None]
            heads = self.cfg["num_heads"]
            mask = valid[:, :, None] & valid[:, None, :]
            for i in range(self.L):
                pf = "layers.%d." % i
                a = masked_mha(x, self.p[pf + "attention.q_proj.weight"], self.p[pf + "attention.k_proj.weight"],
                               self.p[pf + "attention.v_proj.weight"], self.p[pf + "attention.o_proj.weight"],
                               heads, mask)
                x = layer_norm(x + a, self._ln(pf + "post_attention_layernorm"))
                m = F.linear(F.gelu(F.linear(x, self.p[pf + "mlp.fc1.weight"])), self.p[pf + "mlp.fc2.weight"])
                x = layer_norm(x + m, self._ln(pf + "post_mlp_layernorm"))
            return x.mean(1)                                    # over ALL S slots, pads included
        if self.type == "attention":
            if self.p["attention.q_proj.weight"].shape[1] != x.shape[-1]:
                raise RuntimeError("attention encoder with down/up projection not supported")
            if "pos_embed.weight" in self.p:
                x = x + self.p["pos_embed.weight"][None]
            mask = valid[:, :, None] & valid[:, None, :]
            a = masked_mha(x, self.p["attention.q_proj.weight"], self.p["attention.k_proj.weight"],
                           self.p["attention.v_proj.weight"], self.p["attention.o_proj.weight"],
                           self.cfg["num_heads"], mask)
            return a.mean(1)
        # res_latent_attn
        first = x[:, 0].clone()
        if self.Dm != self.H:
            x = F.linear(x, self.p["proj_in.weight"])
        x = x + self.p["pos_embed.weight"][None]
        S = rows.shape[1]
        mask = valid[:, None, :].expand(-1, S, -1)
        if self.cfg.get("causal"):
            mask = mask & torch.ones(S, S, dtype=torch.bool).tril()[None]
        heads = self.cfg["num_heads"]
        L = self.L if self.L is not None else len({k.split(".")[1] for k in self.p if k.startswith("layers.")})
        for i in range(L):
            pf = "layers.%d." % i
            h = layer_norm(x, self._ln(pf + "norm1"))
            x = x + masked_mha(h, self.p[pf + "wq.weight"], self.p[pf + "wk.weight"], self.p[pf + "wv.weight"],
                               self.p[pf + "wo.weight"], heads, mask)
            h = layer_norm(x, self._ln(pf + "norm2"))
            x = x + F.linear(F.gelu(F.linear(h, self.p[pf + "w1.weight"])), self.p[pf + "w2.weight"])
        x = layer_norm(x, self._ln("norm"))
        if self.cfg.get("causal"):
            idx = torch.arange(S)[None].expand(rows.shape[0], -1)
            last = torch.where(valid, idx, torch.zeros_like(idx)).max(1).values
            pooled = x[torch.arange(rows.shape[0]), last]
        else:
            m = valid.float()[..., None]
            pooled = (x * m).sum(1) / m.sum(1).clamp(min=1.0)
        if self.Dm != self.H:
            pooled = F.linear(pooled, self.p["proj_out.weight"])
        if self.cfg.get("residual"):
            pooled = first + pooled
        return pooled


# ----------------------------------------------------------------------------------------------
# zip2zip model
# ----------------------------------------------------------------------------------------------
class Zip2Zip:
    def __init__(self, model_dir, use_lora=True):
        self.dir = os.path.abspath(model_dir)
        z = _read_json(os.path.join(self.dir, "zip2zip_config.json"))
        self.zcfg = z
        self.format_version = z.get("format_version", 1)
        base = z.get("base_model_name_or_path")
        if base is None:
            raise RuntimeError("base_model_name_or_path missing")
        if base == ".":
            base_dir = self.dir
        elif os.path.isabs(base):
            base_dir = base
        else:
            base_dir = os.path.normpath(os.path.join(self.dir, base))
        self.base_dir = base_dir
        cfg = _read_json(os.path.join(base_dir, "config.json"))
        self.cfg = cfg
        tensors = load_safetensors_dir(base_dir)
        self.lora_merged = []
        if use_lora and os.path.exists(os.path.join(self.dir, "adapter_model.safetensors")):
            self.lora_merged = merge_lora(tensors, self.dir)
        self.dec = Decoder(cfg, tensors)
        comp = z["compression"]
        self.V0 = comp["initial_vocab_size"]
        self.K = comp["max_codebook_size"]
        self.S = comp["max_subtokens"]
        pad = cfg.get("pad_token_id")
        eos = cfg.get("eos_token_id")
        self.eos = set(eos if isinstance(eos, list) else ([] if eos is None else [eos]))
        if pad is None:
            if eos is None:
                raise RuntimeError("no pad_token_id and no eos_token_id")
            pad = eos[0] if isinstance(eos, list) else eos
        self.pad = int(pad)
        self.lzw = lzw.Config(self.V0, self.K, self.S, self.pad, comp.get("disabled_ids") or [])
        self.position_mode = z.get("position_mode") or "consecutive"
        if self.position_mode not in ("consecutive", "base_token_end"):
            raise RuntimeError("unsupported position_mode %r" % self.position_mode)
        if self.V0 > self.dec.E.shape[0] or self.V0 > self.dec.W.shape[0]:
            raise RuntimeError("initial_vocab_size larger than the model vocab")
        # encoders
        ep = os.path.join(self.dir, "zip2zip_encoders.safetensors")
        if not os.path.exists(ep):
            ep = os.path.join(self.dir, "encoders.safetensors")
        et = sio.load(ep)[0]
        ecfg = z["encoder"]
        etype = z["encoder_type"]
        pin = {k[len("input_encoder."):]: v for k, v in et.items() if k.startswith("input_encoder.")}
        pout = {k[len("output_encoder."):]: v for k, v in et.items() if k.startswith("output_encoder.")}
        if not pin:
            raise RuntimeError("no input_encoder.* tensors")
        self.enc_in = HyperEncoder(etype, ecfg, pin, self.S)
        if ecfg.get("tie_encoders"):
            self.enc_out = self.enc_in
        else:
            if not pout:
                raise RuntimeError("tie_encoders is false but no output_encoder.* tensors")
            self.enc_out = HyperEncoder(etype, ecfg, pout, self.S)

    # --- helpers ------------------------------------------------------------------------------
    def entry_rows(self, seqs):
        rows = torch.full((len(seqs), self.S), self.pad, dtype=torch.int64)
        for i, s in enumerate(seqs):
            if not 1 <= len(s) <= self.S:
                raise InputError("entry of length %d" % len(s))
            rows[i, :len(s)] = torch.tensor(s, dtype=torch.int64)
        return rows

    def encode_entries(self, seqs):
        rows = self.entry_rows(seqs)
        return self.enc_in(rows, self.dec.E, self.pad), self.enc_out(rows, self.dec.W, self.pad)

    def compress(self, ids):
        for x in ids:
            if not 0 <= x < self.V0:
                raise InputError("base id %d out of range [0, %d)" % (x, self.V0))
        return lzw.encode(self.lzw, ids)[0]

    def replay(self, codes, state=None, spans=None):
        """Feed codes one at a time to a decoder state (no [pad]-row skip: same as decoding the
        whole row).  Returns per position: the installed {slot: seq} snapshot and the span."""
        st = state if state is not None else lzw.State(self.lzw)
        snaps, out_spans = [], []
        cur = {}
        for c in codes:
            if not 0 <= c < self.V0 + self.K:
                raise InputError("code %d out of range [0, %d)" % (c, self.V0 + self.K))
            base = lzw.decode_into(st, [c])
            for hid in sorted(st.updates):
                cur[hid - self.V0] = st.id2seq[hid]
            st.updates = set()
            snaps.append(dict(cur))
            out_spans.append(len(base))
        return snaps, out_spans, st

    def positions(self, spans):
        if self.position_mode == "consecutive":
            return torch.arange(len(spans), dtype=torch.int64)
        pos, off = [], 0
        for s in spans:
            pos.append(off + s - 1)
            off += s
        return torch.tensor(pos, dtype=torch.int64)

    def joint_logits(self, codes, snaps, spans, mask=True, taps=None):
        """One causal forward over `codes`; snaps[i] = {slot: seq} installed after codes[..i].
        Returns logits [n, V0 + K + (Vm - V0)] and the installed-bool matrix [n, K]."""
        n = len(codes)
        # unique (slot, seq) versions -> encoder outputs
        versions = {}
        for sn in snaps:
            for k, s in sn.items():
                versions.setdefault((k, s), len(versions))
        vlist = sorted(versions, key=versions.get)
        if vlist:
            cin, cout = self.encode_entries([s for _, s in vlist])
        else:
            cin = cout = torch.zeros(0, self.dec.D)
        E, W = self.dec.E, self.dec.W
        x = torch.zeros(n, self.dec.D)
        for i, c in enumerate(codes):
            if c < self.V0:
                x[i] = E[c]
            else:
                key = (c - self.V0, snaps[i].get(c - self.V0))
                if key in versions:
                    x[i] = cin[versions[key]]          # else: zero row (uninstalled cache row)
        pos = self.positions(spans)
        if taps is not None:
            taps["input_embeds"] = x.clone()
            taps["positions"] = pos.clone()
            taps["hyper_in"] = cin.clone()
            taps["hyper_out"] = cout.clone()
            taps["hyper_versions"] = [[k + self.V0, list(s)] for k, s in vlist]
        h = self.dec.forward(x, pos, taps)
        if taps is not None:
            taps["final_hidden"] = h.clone()
        base = h @ W[:self.V0].t()
        tail = h @ W[self.V0:].t()
        hyp_all = h @ cout.t() if vlist else torch.zeros(n, 0)
        hyper = torch.zeros(n, self.K)
        installed = torch.zeros(n, self.K, dtype=torch.bool)
        for i, sn in enumerate(snaps):
            for k, s in sn.items():
                hyper[i, k] = hyp_all[i, versions[(k, s)]]
                installed[i, k] = True
        if mask:
            hyper = hyper.masked_fill(~installed, float("-inf"))
        logits = torch.cat([base, hyper, tail], 1)
        if taps is not None:
            taps["logits"] = logits.clone()
        return logits, installed

    # --- public API ---------------------------------------------------------------------------
    def score_codes(self, codes, mask=True, taps=None):
        if len(codes) == 0:
            return [], 0
        snaps, spans, _ = self.replay(codes)
        logits, installed = self.joint_logits(codes, snaps, spans, mask, taps)
        lp = torch.log_softmax(logits, -1)
        out, unavailable = [], 0
        for i in range(len(codes) - 1):
            t = codes[i + 1]
            if t >= self.V0 and not installed[i, t - self.V0]:
                unavailable += 1
            v = lp[i, t].item()
            out.append(None if v == float("-inf") else v)
        return out, unavailable

    def step_logits(self, codes, mask=True):
        """Joint logits at the last position of `codes` (full recompute, slow path)."""
        snaps, spans, _ = self.replay(codes)
        return self.joint_logits(codes, snaps, spans, mask)[0][-1]

    def generate(self, prompt_codes, max_new_tokens, mask=True):
        """Greedy decoding; returns (generated ids, their base-token expansion)."""
        seq = list(prompt_codes)
        n_prompt = len(seq)
        for c in seq:
            if not 0 <= c < self.V0 + self.K:
                raise InputError("code %d out of range [0, %d)" % (c, self.V0 + self.K))
        mgr = lzw.CodebookManager(self.lzw)      # the streaming manager (state of record)
        mgr.update_codebooks([seq])
        generated = []
        for _ in range(max_new_tokens):
            snaps, spans, _st = self.stream_snaps(seq, n_prompt)
            logits, _inst = self.joint_logits(seq, snaps, spans, mask)
            last = logits[-1, :self.V0 + self.K]            # tail columns are never generated
            nxt = int(torch.argmax(last).item())              # first maximum = lowest id
            generated.append(nxt)
            mgr.update_codebooks([[nxt]])
            seq.append(nxt)
            if nxt in self.eos:
                break
        st = mgr.states[0]
        if self.stream_snaps(seq, n_prompt)[2].codebook() != st.codebook():
            raise RuntimeError("internal: replayed state != manager state")
        base_ids = []
        for c in generated:
            if c < self.V0:
                base_ids.append(c)
            elif c in st.id2seq:
                base_ids += list(st.id2seq[c])
            else:
                raise InputError("generated id %d has no entry" % c)
        return generated, base_ids

    def stream_snaps(self, seq, n_prompt):
        """Per-position {slot: seq} snapshots and spans for a generation sequence, with the
        manager's semantics: the prompt is one row, each later id its own row, and a row that is
        exactly [pad] is skipped (the decoder state does not see it; its span counts as 1)."""
        st = lzw.State(self.lzw)
        snaps, spans, cur = [], [], {}
        for i, c in enumerate(seq):
            if c == self.pad and (i >= n_prompt or n_prompt == 1):   # a row exactly [pad]
                base = [c]
            else:
                base = lzw.decode_into(st, [c])
            for hid in sorted(st.updates):
                cur[hid - self.V0] = st.id2seq[hid]
            st.updates = set()
            snaps.append(dict(cur))
            spans.append(len(base))
        return snaps, spans, st


# ----------------------------------------------------------------------------------------------
# CLI
# ----------------------------------------------------------------------------------------------
def _parse_ids(s):
    s = (s or "").replace(",", " ").strip()
    try:
        return [int(t) for t in s.split()] if s else []
    except ValueError as e:
        raise InputError(str(e))


def _fmt(v):
    return "null" if v is None else repr(float(v))


def _dump(taps, n_entries=3, n_vals=8):
    def vec(t):
        return [round(float(x), 6) for x in t[:n_vals]]
    err = sys.stderr
    print(json.dumps({"dump": "positions", "values": taps["positions"].tolist()}), file=err)
    for j, (hid, seq) in enumerate(taps["hyper_versions"][:n_entries]):
        print(json.dumps({"dump": "hyper_in", "id": hid, "entry": seq, "vec": vec(taps["hyper_in"][j])}), file=err)
        print(json.dumps({"dump": "hyper_out", "id": hid, "entry": seq, "vec": vec(taps["hyper_out"][j])}), file=err)
    for name in ("input_embeds", "layer0_out", "final_hidden"):
        for i in range(min(2, taps[name].shape[0])):
            print(json.dumps({"dump": name, "pos": i, "vec": vec(taps[name][i])}), file=err)
    lg = taps["logits"][-1]
    top = torch.topk(lg, min(5, lg.numel()))
    print(json.dumps({"dump": "logits_last_top5", "ids": top.indices.tolist(),
                      "values": [round(float(v), 6) for v in top.values]}), file=err)


def _save_taps(path, taps):
    t = {k: v.float() for k, v in taps.items() if isinstance(v, torch.Tensor) and v.numel()}
    t = {k: v.masked_fill(torch.isinf(v), -1e30) if v.is_floating_point() else v for k, v in t.items()}
    sio.save(path, t, "F32", metadata={"hyper_versions": json.dumps(taps["hyper_versions"])})


def main(argv=None):
    ap = argparse.ArgumentParser(description="zip2zip PyTorch reference (test oracle)")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("score")
    sp.add_argument("--model", required=True)
    sp.add_argument("--ids", default=None, help="base ids, canonically LZW-encoded")
    sp.add_argument("--codes", default=None, help="score this code stream verbatim instead")
    sp.add_argument("--no-mask", action="store_true")
    sp.add_argument("--no-lora", action="store_true")
    sp.add_argument("--dump", action="store_true", help="print intermediate tensors to stderr")
    sp.add_argument("--dump-file", default=None, help="write full intermediate tensors (safetensors)")
    gp = sub.add_parser("generate")
    gp.add_argument("--model", required=True)
    gp.add_argument("--prompt-ids", required=True)
    gp.add_argument("--max-new-tokens", type=int, required=True)
    gp.add_argument("--no-compress-prompt", action="store_true")
    gp.add_argument("--no-mask", action="store_true")
    gp.add_argument("--no-lora", action="store_true")
    gp.add_argument("--dump", action="store_true", help="dump the prefill forward to stderr")
    a = ap.parse_args(argv)
    try:
        m = Zip2Zip(a.model, use_lora=not a.no_lora)
    except (OSError, KeyError, RuntimeError, ValueError) as e:
        print("z2z_reference: cannot load %s: %s" % (a.model, e), file=sys.stderr)
        return 1
    try:
        if a.cmd == "score":
            if (a.ids is None) == (a.codes is None):
                raise InputError("give exactly one of --ids / --codes")
            codes = m.compress(_parse_ids(a.ids)) if a.ids is not None else _parse_ids(a.codes)
            taps = {} if (a.dump or a.dump_file) else None
            lps, unav = m.score_codes(codes, mask=not a.no_mask, taps=taps)
            if taps:
                if a.dump:
                    _dump(taps)
                if a.dump_file:
                    _save_taps(a.dump_file, taps)
            print('{"codes":%s,"logprobs":[%s],"uninstallable_targets":%d}'
                  % (json.dumps(codes, separators=(",", ":")), ",".join(_fmt(v) for v in lps), unav))
        else:
            ids = _parse_ids(a.prompt_ids)
            if a.no_compress_prompt:
                for x in ids:
                    if not 0 <= x < m.V0:
                        raise InputError("base id %d out of range [0, %d)" % (x, m.V0))
                prompt = ids
            else:
                prompt = m.compress(ids)
            if not prompt:
                raise InputError("empty prompt")
            if a.max_new_tokens < 0:
                raise InputError("negative --max-new-tokens")
            if a.dump:
                taps = {}
                m.score_codes(prompt, mask=not a.no_mask, taps=taps)
                _dump(taps)
            gen, base_ids = m.generate(prompt, a.max_new_tokens, mask=not a.no_mask)
            print(json.dumps({"prompt_codes": prompt, "generated": gen, "base_ids": base_ids},
                             separators=(",", ":")))
    except (InputError, lzw.LZWError) as e:
        print("z2z_reference: %s" % e, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
