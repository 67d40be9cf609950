#!/usr/bin/python3
"""Self-checks of the independent zip2zip test oracle (tests/model/reference/, written from the
spec ../shared/docs/reference-zip2zip.md).  Runs in a few seconds; exit code 0 only if all pass.

    /usr/bin/python3 check_reference.py [-v]

Checks: codec test vectors TV1-TV10 and random codec properties; safetensors round trips; synthetic
checkpoints load; score gives finite log-probs (null exactly at uninstallable targets); the one-pass
score equals a slow one-position-at-a-time recompute; greedy generation is consistent with a
one-pass forward over its own output; RoPE variants; GQA against a naive per-head loop; encoder
edge rows (all pad but one, all pad); LoRA merge changes the weights; the CLIs.
"""
import io
import json
import math
import os
import random
import subprocess
import sys
import tempfile
from contextlib import redirect_stdout

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import torch  # noqa: E402

import lzw_reference as lzw  # noqa: E402
import lzw_vectors_check  # noqa: E402
import make_checkpoints  # noqa: E402
import safetensors_io as sio  # noqa: E402
import z2z_reference as z2z  # noqa: E402

PY = "/usr/bin/python3"
RESULTS = []
VERBOSE = "-v" in sys.argv


def check(name, ok, detail=""):
    RESULTS.append((name, bool(ok)))
    if not ok:
        print("FAIL %s %s" % (name, detail))
    elif VERBOSE:
        print("ok   %s" % name)


def close(a, b, tol=1e-4):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= tol * max(1.0, abs(b))


# ----------------------------------------------------------------------------------------------
def check_codec():
    buf = io.StringIO()
    with redirect_stdout(buf):
        rc = lzw_vectors_check.main()
    check("codec test vectors TV1-TV10", rc == 0, buf.getvalue())

    rng = random.Random(7)
    bad = 0
    for trial in range(400):
        V = rng.randint(3, 6)
        S = rng.randint(2, 5)
        K = rng.choice([2, 5, 100])
        cfg = lzw.Config(V, K, S, 0, [0])
        ids = [rng.randint(0, V - 1) if rng.random() < 0.05 else rng.randint(1, min(3, V - 1))
               for _ in range(rng.randint(1, 40))]
        codes, _, est = lzw.encode(cfg, ids)
        base, dst = lzw.decode(cfg, codes)
        if base != ids or dst.codebook() != est.codebook():
            bad += 1
        # streaming (code by code through the manager) == offline
        m = lzw.CodebookManager(cfg)
        m.update_codebooks([codes[:1]])
        for c in codes[1:]:
            if c == 0:
                continue  # a row exactly [pad] is skipped by the manager (differs from offline)
            m.update_codebooks([[c]])
        if 0 not in codes[1:] and m.get_codebooks()[0] != dst.codebook():
            bad += 1
        # a random valid re-segmentation (hyper code -> its base expansion) stays lossless
        out_codes = []
        for c in codes:
            if c >= V and rng.random() < 0.3:
                exp = list(est.id2seq[c])
                for b in exp:
                    out_codes.append(b)
            else:
                out_codes.append(c)
        try:
            base2, _ = lzw.decode(cfg, out_codes)
            if base2 != ids:
                bad += 1
        except lzw.LZWError:
            pass  # an expansion can make a later canonical id unknown in the decoder: allowed
    check("codec random properties (lossless, decoder==encoder, streaming==offline)", bad == 0,
          "%d failures" % bad)


def check_safetensors(tmp):
    g = torch.Generator().manual_seed(3)
    t = {"a": torch.randn(3, 5, generator=g), "b": torch.randn(7, generator=g) * 100,
         "c": torch.randn(2, 2, 2, generator=g)}
    ok = True
    for dt in ("F32", "F16", "BF16"):
        p = os.path.join(tmp, "x_%s.safetensors" % dt)
        sio.save(p, t, dt, metadata={"k": "v"})
        back, meta, dts = sio.load(p, with_dtypes=True)
        for k in t:
            ok &= torch.equal(back[k], sio.round_to_dtype(t[k], dt)) and dts[k] == dt
        ok &= meta == {"k": "v"}
    bf = sio.round_to_dtype(torch.tensor([1.0, 1.00390625, 1.01171875, -3.5]), "BF16")
    ok &= bf.tolist() == [1.0, 1.0, 1.015625, -3.5]      # round-to-nearest-even on ties
    check("safetensors F32/F16/BF16 round trip", ok)


def test_ids(rng, n, alphabet, extra=()):
    ids = [rng.choice(alphabet) for _ in range(n)]
    for pos, v in extra:
        ids[pos] = v
    return ids


def check_model(ckdir, name, ids, step_check=True):
    m = z2z.Zip2Zip(os.path.join(ckdir, name))
    codes = m.compress(ids)
    lps, unav = m.score_codes(codes, mask=True)
    nulls = sum(v is None for v in lps)
    finite = all(v is None or math.isfinite(v) for v in lps)
    nhyper = sum(c >= m.V0 for c in codes)
    check("%s: score finite, nulls == uninstallable (%d), %d hyper codes of %d"
          % (name, unav, nhyper, len(codes)), finite and nulls == unav and nhyper > 0)
    lps_nm, unav_nm = m.score_codes(codes, mask=False)
    check("%s: --no-mask score all finite" % name,
          all(v is not None and math.isfinite(v) for v in lps_nm) and unav_nm == unav)
    if step_check:
        worst = 0.0
        for i in range(len(codes) - 1):
            for mask, ref in ((True, lps), (False, lps_nm)):
                lg = m.step_logits(codes[:i + 1], mask=mask)
                v = torch.log_softmax(lg, -1)[codes[i + 1]].item()
                v = None if v == float("-inf") else v
                if not close(v, ref[i]):
                    worst = float("inf")
                elif v is not None:
                    worst = max(worst, abs(v - ref[i]))
        check("%s: one-pass score == step-by-step recompute (max |d| %.2e)" % (name, worst), worst < 1e-4)
    return m, codes, lps


def check_generate(m, name, prompt_ids, n):
    prompt = m.compress(prompt_ids)
    gen, base_ids = m.generate(prompt, n)
    seq = prompt + gen
    snaps, spans, st = m.stream_snaps(seq, len(prompt))
    logits, _ = m.joint_logits(seq, snaps, spans, True)
    ok = True
    for j, g in enumerate(gen):
        row = logits[len(prompt) - 1 + j, :m.V0 + m.K]
        ok &= int(torch.argmax(row)) == g
    exp = []
    for c in gen:
        exp += list(st.id2seq[c]) if c >= m.V0 else [c]
    ok &= exp == base_ids
    check("%s: greedy generate == argmax of a one-pass forward over its output (%d ids, %d hyper)"
          % (name, len(gen), sum(c >= m.V0 for c in gen)), ok)
    return gen


def check_rope(ckdir):
    m = z2z.Zip2Zip(os.path.join(ckdir, "v2_llama"))
    base = 1.0 / (10000.0 ** (torch.arange(0, 16, 2).float() / 16))
    inv, attn = m.dec.inv_freq(10)
    wl = 2 * math.pi / base
    ok = attn == 1.0
    for i in range(8):
        if wl[i] < 1024 / 4:
            ok &= abs(inv[i] - base[i]) < 1e-12
        elif wl[i] > 1024 / 1:
            ok &= abs(inv[i] - base[i] / 8) < 1e-12
        else:
            s = (1024 / wl[i] - 1) / (4 - 1)
            ok &= abs(inv[i] - ((1 - s) * base[i] / 8 + s * base[i])) < 1e-9
    bands = (sum(bool(w < 256) for w in wl), sum(bool(w > 1024) for w in wl))
    check("llama3 rope frequencies (bands hi/lo %s of 8)" % (bands,), ok and bands[0] > 0 and bands[1] > 0)

    p = z2z.Zip2Zip(os.path.join(ckdir, "v1_phi3_adapter"))
    rs = p.cfg["rope_scaling"]
    af = math.sqrt(1 + math.log(128 / 32) / math.log(32))
    inv_s, a_s = p.dec.inv_freq(32)
    inv_l, a_l = p.dec.inv_freq(33)
    ok = abs(a_s - af) < 1e-12 and abs(a_l - af) < 1e-12
    ok &= torch.allclose(inv_s, 1.0 / (torch.tensor(rs["short_factor"]) * 10000.0 ** (torch.arange(0, 16, 2).float() / 16)))
    ok &= torch.allclose(inv_l, 1.0 / (torch.tensor(rs["long_factor"]) * 10000.0 ** (torch.arange(0, 16, 2).float() / 16)))
    cos, _ = p.dec.rope(torch.tensor([0]))
    ok &= abs(cos[0, 0].item() - af) < 1e-6
    check("longrope: short <= 32 < long, attention factor %.6f on cos/sin" % af, ok)
    return m


def naive_decoder(dec, x, positions):
    """Per-head / per-position loop, kv head of q head h = h // (H/KV); rotation via complex numbers."""
    n = x.shape[0]
    inv, attn = dec.inv_freq(int(positions.max()) + 1)
    rep = dec.H // dec.KV
    hd = dec.hd

    def rot(vec, p):   # HF rotate_half layout: pair (i, i + hd/2)
        c = torch.complex(vec[:hd // 2], vec[hd // 2:])
        r = c * torch.polar(torch.ones(hd // 2), p * inv) * attn
        return torch.cat([r.real, r.imag])
    for ly in dec.layers:
        h = z2z.rms_norm(x, ly["ln1"], dec.eps)
        q = h @ ly["q"].t() + (ly["qb"] if ly["qb"] is not None else 0)
        k = h @ ly["k"].t() + (ly["kb"] if ly["kb"] is not None else 0)
        v = h @ ly["v"].t() + (ly["vb"] if ly["vb"] is not None else 0)
        out = torch.zeros(n, dec.H * hd)
        for hh in range(dec.H):
            kvh = hh // rep
            for i in range(n):
                qi = rot(q[i, hh * hd:(hh + 1) * hd], float(positions[i]))
                sc = torch.stack([qi @ rot(k[j, kvh * hd:(kvh + 1) * hd], float(positions[j]))
                                  for j in range(i + 1)]) / math.sqrt(hd)
                w = torch.softmax(sc, 0)
                out[i, hh * hd:(hh + 1) * hd] = sum(w[j] * v[j, kvh * hd:(kvh + 1) * hd] for j in range(i + 1))
        x = x + out @ ly["o"].t() + (ly["ob"] if ly["ob"] is not None else 0)
        h = z2z.rms_norm(x, ly["ln2"], dec.eps)
        x = x + (torch.nn.functional.silu(h @ ly["gate"].t()) * (h @ ly["up"].t())) @ ly["down"].t()
    return z2z.rms_norm(x, dec.norm, dec.eps)


def check_decoder_naive(ckdir):
    for name in ("v2_llama", "v1_phi3_adapter", "v1_qwen2_tied"):
        m = z2z.Zip2Zip(os.path.join(ckdir, name))
        g = torch.Generator().manual_seed(5)
        x = torch.randn(6, m.dec.D, generator=g) * 0.5
        pos = torch.tensor([0, 1, 3, 4, 7, 9])
        a = m.dec.forward(x, pos)
        b = naive_decoder(m.dec, x, pos)
        d = (a - b).abs().max().item()
        check("%s: decoder == naive per-head loop (GQA, rope, bias) max |d| %.1e" % (name, d), d < 1e-4)


def check_encoders(ckdir):
    for name in ("v1_phi3_adapter", "v1_qwen2_tied", "v2_llama", "v2_llama_causal"):
        m = z2z.Zip2Zip(os.path.join(ckdir, name))
        one = torch.full((1, m.S), m.pad, dtype=torch.int64)
        one[0, 0] = 5
        allpad = torch.full((1, m.S), m.pad, dtype=torch.int64)
        ok = True
        for enc, W in ((m.enc_in, m.dec.E), (m.enc_out, m.dec.W)):
            for rows in (one, allpad):
                ok &= bool(torch.isfinite(enc(rows, W, m.pad)).all())
            # batch == single rows
            rows = m.entry_rows([(5, 6), (7, 8, 9)[:m.S], (4,)])
            batch = enc(rows, W, m.pad)
            single = torch.cat([enc(rows[i:i + 1], W, m.pad) for i in range(3)])
            ok &= torch.allclose(batch, single, atol=1e-6)
        check("%s: %s encoder finite on all-pad-except-one / all-pad rows, batch == single"
              % (name, m.enc_in.type), ok)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(1, 3, 8, generator=g)
    w = [torch.randn(8, 8, generator=g) for _ in range(4)]
    valid = torch.tensor([[True, False, True]])
    out = z2z.masked_mha(x, *w, 2, valid[:, :, None] & valid[:, None, :])
    check("masked MHA: fully masked query row gives exactly 0", bool((out[0, 1] == 0).all())
          and bool(out[0, 0].abs().sum() > 0))
    # transformer: pad slots enter the mean with the real pad-row embedding
    m = z2z.Zip2Zip(os.path.join(ckdir, "v1_phi3_adapter"))
    rows = m.entry_rows([(5, 6)])
    a = m.enc_in(rows, m.dec.E, m.pad)
    E2 = m.dec.E.clone()
    E2[m.pad] += 1.0
    b = m.enc_in(rows, E2, m.pad)
    check("transformer encoder: pad slots use the pad id's embedding row (mean over all S)",
          not torch.allclose(a, b))
    # res_latent_attn: pad is masked out -> pad row irrelevant
    m = z2z.Zip2Zip(os.path.join(ckdir, "v2_llama"))
    rows = m.entry_rows([(5, 6)])
    a = m.enc_in(rows, m.dec.E, m.pad)
    E2 = m.dec.E.clone()
    E2[m.pad] += 1.0
    b = m.enc_in(rows, E2, m.pad)
    check("res_latent_attn: pad row irrelevant", torch.allclose(a, b, atol=1e-6))


def check_lora(ckdir):
    for name, n_expected in (("v1_phi3_adapter", 8), ("v1_qwen2_tied", 14)):
        with_l = z2z.Zip2Zip(os.path.join(ckdir, name))
        without = z2z.Zip2Zip(os.path.join(ckdir, name), use_lora=False)
        diffs = []
        for a, b in zip(with_l.dec.layers, without.dec.layers):
            for k in ("q", "k", "v", "o", "gate", "up", "down"):
                diffs.append((a[k] - b[k]).abs().max().item())
        lw, _ = with_l.score_codes(with_l.compress([5, 6, 7, 5, 6, 7]))
        lo, _ = without.score_codes(without.compress([5, 6, 7, 5, 6, 7]))
        check("%s: LoRA merges %d pairs (%d expected), changes every projection and the scores"
              % (name, len(with_l.lora_merged), n_expected),
              len(with_l.lora_merged) == n_expected and min(diffs) > 1e-4
              and max(abs(x - y) for x, y in zip(lw, lo)) > 1e-4)


def check_positions(m):
    m.position_mode = "base_token_end"
    pos = m.positions([1, 1, 1, 1, 2, 3, 1]).tolist()
    check("base_token_end positions (TV7): %s" % pos, pos == [0, 1, 2, 3, 5, 8, 9])


def check_cli(ckdir):
    r = subprocess.run([PY, os.path.join(HERE, "lzw_reference.py"), "encode", "--V", "27", "--K", "100",
                        "--S", "5", "--pad", "0", "--disabled", "0,26", "--ids",
                        "1 2 3 4 5 1 2 3 4 5 1 2 3 4 5"], capture_output=True, text=True)
    ok = r.returncode == 0 and json.loads(r.stdout)["codes"] == [1, 2, 3, 4, 5, 27, 29, 31, 28, 30]
    ok &= list(json.loads(r.stdout)["codebook"]) == [str(i) for i in range(27, 36)]
    r2 = subprocess.run([PY, os.path.join(HERE, "lzw_reference.py"), "decode", "--V", "10", "--K", "20",
                         "--S", "4", "--pad", "0", "--ids", "12"], capture_output=True, text=True)
    check("lzw_reference CLI (TV1 encode; unknown id with empty buffer -> exit 2)",
          ok and r2.returncode == 2)
    ids = "5 6 7 5 6 7 5 6 7 8 5 6 7 8"
    r = subprocess.run([PY, os.path.join(HERE, "z2z_reference.py"), "score", "--model",
                        os.path.join(ckdir, "v2_llama"), "--ids", ids], capture_output=True, text=True)
    m = z2z.Zip2Zip(os.path.join(ckdir, "v2_llama"))
    codes = m.compress([int(x) for x in ids.split()])
    lps, unav = m.score_codes(codes)
    ok = r.returncode == 0
    if ok:
        j = json.loads(r.stdout)
        ok = j["codes"] == codes and j["uninstallable_targets"] == unav and \
            all(close(a, b, 1e-6) for a, b in zip(j["logprobs"], lps)) and len(j["logprobs"]) == len(lps)
    check("z2z_reference score CLI == in-process", ok, r.stderr)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(1)
    check_codec()
    with tempfile.TemporaryDirectory() as tmp:
        check_safetensors(tmp)
        ck = os.path.join(tmp, "ck")
        make_checkpoints.main([ck, "--seed", "1234"])
        rng = random.Random(11)
        # long sequence on llama: fills the K=48 codebook (codebook-full path), 4-symbol alphabet
        long_ids = test_ids(rng, 220, [5, 6, 7, 8], extra=[(40, 2), (41, 12), (90, 297)])
        m, codes, _ = check_model(ck, "v2_llama", long_ids)
        st = m.replay(codes)[2]
        check("v2_llama: long test sequence fills the codebook (%d entries)" % len(st.id2seq),
              len(st.id2seq) == m.K)
        mid_ids = test_ids(rng, 70, [5, 6, 7], extra=[(30, 1)])
        check_model(ck, "v2_llama_causal", mid_ids)
        check_model(ck, "v1_qwen2_tied", mid_ids + test_ids(rng, 40, [9, 10]))
        # phi3: keep the step-by-step check below original_max_position_embeddings (32) so that
        # the short longrope factors are used in both paths; a long sequence is scored separately.
        short = test_ids(rng, 45, [5, 6, 7], extra=[(20, 283)])
        _, pc, _ = check_model(ck, "v1_phi3_adapter", short)
        check("v1_phi3_adapter: step-check sequence stays <= 32 codes (%d)" % len(pc), len(pc) <= 32)
        check_model(ck, "v1_phi3_adapter", [283 if x == 297 else x for x in long_ids], step_check=False)
        prompts = ([5, 6, 7, 5, 6, 7, 5, 6, 7, 8, 5, 6, 7, 8], [40, 41, 42, 43] * 5 + [44])
        for name in ("v2_llama", "v2_llama_causal", "v1_phi3_adapter", "v1_qwen2_tied"):
            mm = z2z.Zip2Zip(os.path.join(ck, name))
            for prompt in prompts:
                n = 24
                if name == "v1_phi3_adapter":   # stay within the short longrope regime (<= 32 codes)
                    n = min(n, 32 - len(mm.compress(prompt)))
                check_generate(mm, name, prompt, n)
        m = check_rope(ck)
        check_positions(m)
        check_decoder_naive(ck)
        check_encoders(ck)
        check_lora(ck)
        check_cli(ck)
    failed = [n for n, ok in RESULTS if not ok]
    print("check_reference: %d passed, %d failed" % (len(RESULTS) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
