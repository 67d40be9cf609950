#!/usr/bin/python3
"""PyTorch eager baseline for bench/model_vs_pytorch.sh: the same checkpoint run by the model code
of the test oracle (tests/model/reference/z2z_reference.py: Decoder weights/RoPE, HyperEncoder,
LZW decoder state) with an HF-style KV-cached loop — prefill the prompt in one forward, then one
code per forward attending to the cached keys/values (torch.cat per step, as HF's DynamicCache).
zip2zip: every step decodes the fed code, runs both hyper-encoders on the entries it created,
writes them into the [K, D] caches and computes the joint logits [W[:V0]h | cache_out h | W[V0:]h]
with uninstalled slots masked. Greedy (argmax over [0, V0+K)), like bench_model's loop.

    /usr/bin/python3 bench/pytorch_eager.py --model DIR --prompt N --decode M --reps R [--threads T]

prints one JSON object: per repetition prefill / decode seconds (wall and process CPU time), the prompt's code count, the
generated codes of the last repetition (to check against the C++ engine) and hyper-encoder time.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "model", "reference"))
import lzw_reference as lzw  # noqa: E402
import z2z_reference as ref  # noqa: E402


class CachedDecoder:
    """KV-cached forward over ref.Decoder's weights (same math as Decoder.forward)."""

    def __init__(self, dec):
        self.d = dec

    def forward(self, x, positions, cache):
        d = self.d
        n = x.shape[0]
        cos, sin = d.rope(positions)
        rep = d.H // d.KV
        past = cache[0][0].shape[1] if cache else 0
        mask = None
        if n > 1:
            mask = torch.ones(n, past + n, dtype=torch.bool).tril(past)
        new_cache = []
        for li, ly in enumerate(d.layers):
            h = ref.rms_norm(x, ly["ln1"], d.eps)
            q = F.linear(h, ly["q"], ly["qb"]).view(n, d.H, d.hd).transpose(0, 1)
            k = F.linear(h, ly["k"], ly["kb"]).view(n, d.KV, d.hd).transpose(0, 1)
            v = F.linear(h, ly["v"], ly["vb"]).view(n, d.KV, d.hd).transpose(0, 1)
            q = q * cos + ref.rotate_half(q) * sin
            k = k * cos + ref.rotate_half(k) * sin
            if cache:
                k = torch.cat([cache[li][0], k], 1)
                v = torch.cat([cache[li][1], v], 1)
            new_cache.append((k, v))
            kr = k.repeat_interleave(rep, dim=0)
            vr = v.repeat_interleave(rep, dim=0)
            s = (q @ kr.transpose(1, 2)) / math.sqrt(d.hd)
            if mask is not None:
                s = s.masked_fill(~mask, float("-inf"))
            a = (torch.softmax(s, -1) @ vr).transpose(0, 1).reshape(n, d.H * d.hd)
            x = x + F.linear(a, ly["o"], ly["ob"])
            h = ref.rms_norm(x, ly["ln2"], d.eps)
            x = x + F.linear(F.silu(F.linear(h, ly["gate"])) * F.linear(h, ly["up"]), ly["down"])
        return ref.rms_norm(x, d.norm, d.eps), new_cache


class Runner:
    def __init__(self, model_dir):
        if os.path.exists(os.path.join(model_dir, "zip2zip_config.json")):
            self.z = ref.Zip2Zip(model_dir)
            self.dec = self.z.dec
            self.V0, self.K, self.S, self.pad = self.z.V0, self.z.K, self.z.S, self.z.pad
            self.base_end = self.z.position_mode == "base_token_end"
        else:
            cfg = ref._read_json(os.path.join(model_dir, "config.json"))
            self.z = None
            self.dec = ref.Decoder(cfg, ref.load_safetensors_dir(model_dir))
            self.V0, self.K, self.S, self.pad = self.dec.W.shape[0], 0, 1, 0
            self.base_end = False
        self.cd = CachedDecoder(self.dec)
        self.D = self.dec.D
        self.enc_s = 0.0

    def compress(self, ids):
        return self.z.compress(ids) if self.z else list(ids)

    # One sequence: state = (lzw state, kv cache, cache_in, cache_out, installed, base offset, codes fed)
    def start(self):
        self.st = lzw.State(self.z.lzw) if self.z else None
        self.kv = None
        self.cache_in = torch.zeros(self.K, self.D)
        self.cache_out = torch.zeros(self.K, self.D)
        self.installed = torch.zeros(self.K, dtype=torch.bool)
        self.base_off = 0
        self.fed = 0

    def feed(self, codes):
        t0 = time.perf_counter()
        spans = []
        if self.z:
            for c in codes:
                spans.append(len(lzw.decode_into(self.st, [c])))
            if self.st.updates:
                ids = sorted(self.st.updates)
                self.st.updates = set()
                cin, cout = self.z.encode_entries([self.st.id2seq[i] for i in ids])
                slots = torch.tensor([i - self.V0 for i in ids], dtype=torch.int64)
                self.cache_in[slots] = cin
                self.cache_out[slots] = cout
                self.installed[slots] = True
        else:
            spans = [1] * len(codes)
        self.enc_s += time.perf_counter() - t0
        pos = []
        for s in spans:
            pos.append(self.base_off + s - 1 if self.base_end else self.fed)
            self.base_off += s
            self.fed += 1
        ids = torch.tensor(codes, dtype=torch.int64)
        E = self.dec.E
        if self.K:
            is_base = ids < self.V0
            x = torch.where(is_base[:, None], E[ids.clamp(max=self.V0 - 1)],
                            self.cache_in[(ids - self.V0).clamp(min=0)])
        else:
            x = E[ids]
        h, self.kv = self.cd.forward(x, torch.tensor(pos, dtype=torch.int64), self.kv)
        h = h[-1:]
        W = self.dec.W
        base = h @ W.t()
        if not self.K:
            return base[0]
        hyper = (h @ self.cache_out.t()).masked_fill(~self.installed, float("-inf"))
        return torch.cat([base[:, :self.V0], hyper, base[:, self.V0:]], 1)[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--prompt", type=int, default=128, help="prompt length in base tokens")
    ap.add_argument("--decode", type=int, default=128, help="codes to generate")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    r = Runner(a.model)
    prompt_ids = bench_prompt(a.prompt, r.V0)
    prompt = r.compress(prompt_ids)
    out = {"threads": a.threads, "prompt_base_tokens": len(prompt_ids), "prompt_codes": len(prompt),
           "decode_codes": a.decode, "prefill_s": [], "decode_s": [], "encoder_s": [],
           "prefill_cpu_s": [], "decode_cpu_s": []}
    with torch.inference_mode():
        for rep in range(a.reps + 1):  # the first repetition warms up and is not reported
            r.start()
            r.enc_s = 0.0
            c0, t0 = time.process_time(), time.perf_counter()
            logits = r.feed(prompt)
            c1, t1 = time.process_time(), time.perf_counter()
            r.enc_s = 0.0
            gen = []
            for _ in range(a.decode):
                nxt = int(torch.argmax(logits[:r.V0 + r.K]).item())
                gen.append(nxt)
                logits = r.feed([nxt])
            c2, t2 = time.process_time(), time.perf_counter()
            if rep:
                out["prefill_cpu_s"].append(c1 - c0)
                out["decode_cpu_s"].append(c2 - c1)
                out["prefill_s"].append(t1 - t0)
                out["decode_s"].append(t2 - t1)
                out["encoder_s"].append(r.enc_s)
    out["prompt"] = prompt
    out["generated"] = gen
    print(json.dumps(out))


def bench_prompt(n, V0):
    """The benchmark prompt: repetitive base ids (so LZW finds repeats), never 0, 1, 2 (specials).
    Same formula as bench/bench_model.cpp."""
    return [3 + (i * 7 + (i // 5) * 3) % 61 + (i % 3) * 17 for i in range(n)]


if __name__ == "__main__":
    main()
