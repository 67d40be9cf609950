#!/usr/bin/env python3
"""Regenerate the seed corpora in tests/fuzz/seeds/<target>/ from real repo files (run from anywhere).

safetensors: the real headers of resources/models/*/*.safetensors with the data section cut to what the
  first tensors need (so each seed stays small and most views are valid), plus a few hand-built files.
tokenizer_json: each shipped tokenizer (demo-base, ../shared/data/tokenizers) shrunk to ~300 vocab
  entries and the merges among them, keeping its normalizer / pre-tokenizer / decoder / post-processor.
tokenize_bytes: [tokenizer index, option flags] + sample texts (tests/data/terminal/sample.txt...).
configs: resources/models/*/{config,zip2zip_config,adapter_config}.json and variants of them.
lzw: config bytes + code streams of the reference test vectors (layout in fuzz_lzw.cpp).
cli_args: NUL-separated argument lists as the z2z commands take them.
session_json is produced by the session writer (core/session) and is not regenerated here.
"""
import json
import os
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SEEDS = os.path.join(ROOT, "tests", "fuzz", "seeds")
SHARED_TOK = os.path.join(ROOT, "..", "shared", "data", "tokenizers")


def out(target, name, data):
    d = os.path.join(SEEDS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def safetensors_file(header, data=b""):
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def safetensors_seeds():
    for rel in ["models/demo-base/model.safetensors", "models/demo-zip2zip/zip2zip_encoders.safetensors",
                "models/demo-zip2zip/adapter_model.safetensors"]:
        with open(os.path.join(ROOT, "resources", rel), "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
        # Keep the 3 smallest tensors, moved to the front of a small data section.
        tensors = sorted((k for k in header if k != "__metadata__"),
                         key=lambda k: header[k]["data_offsets"][1] - header[k]["data_offsets"][0])[:3]
        small, pos = {}, 0
        for k in tensors:
            size = header[k]["data_offsets"][1] - header[k]["data_offsets"][0]
            small[k] = dict(header[k], data_offsets=[pos, pos + size])
            pos += size
        if "__metadata__" in header:
            small["__metadata__"] = header["__metadata__"]
        data = (bytes(range(256)) * (pos // 256 + 1))[:pos]
        out("safetensors", os.path.basename(rel), safetensors_file(small, data))
    f32 = struct.pack("<4f", 1.0, -2.5, 3.25, 0.0)
    out("safetensors", "dtypes.safetensors", safetensors_file({
        "__metadata__": {"format": "pt"},
        "a": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
        "b": {"dtype": "BF16", "shape": [4], "data_offsets": [16, 24]},
        "c": {"dtype": "F16", "shape": [2, 1], "data_offsets": [24, 28]},
        "d": {"dtype": "I64", "shape": [1], "data_offsets": [28, 36]},
        "e": {"dtype": "BOOL", "shape": [], "data_offsets": [36, 37]},
        "f": {"dtype": "F64", "shape": [0, 3], "data_offsets": [37, 37]},
    }, f32 + b"\x80\x3f\x00\x40\x00\xc0\x00\x00" + b"\x00\x3c\x00\xc0" + struct.pack("<q", -7) + b"\x01"))
    out("safetensors", "empty_header.safetensors", safetensors_file({}))
    out("safetensors", "unpadded.safetensors",
        struct.pack("<Q", 53) + b'{"x":{"dtype":"U8","shape":[3],"data_offsets":[0,3]}}' + b"abc")


def shrink_tokenizer(j, keep=300, max_merges=200):
    model = j["model"]
    vocab = {k: v for k, v in model["vocab"].items() if v < keep}
    merges = []
    for m in model.get("merges", []):
        a, b = m.split(" ", 1) if isinstance(m, str) else m
        if a in vocab and b in vocab and a + b in vocab:
            merges.append(m)
            if len(merges) >= max_merges:
                break
    j = dict(j)
    j["model"] = dict(model, vocab=vocab, merges=merges)
    j["added_tokens"] = j.get("added_tokens", [])[:8]
    return j


def tokenizer_seeds():
    sources = [("demo-base", os.path.join(ROOT, "resources/models/demo-base/tokenizer.json"))]
    for name in sorted(os.listdir(SHARED_TOK)):
        if name.endswith(".json") and name != "INDEX.json":
            sources.append((name[:-5], os.path.join(SHARED_TOK, name)))
    for name, path in sources:
        with open(path, encoding="utf-8") as f:
            j = shrink_tokenizer(json.load(f))
        out("tokenizer_json", name + ".json", json.dumps(j, ensure_ascii=False, separators=(",", ":")))


def tokenize_bytes_seeds():
    with open(os.path.join(ROOT, "tests/data/terminal/sample.txt"), "rb") as f:
        sample = f.read()[:600]
    with open(os.path.join(ROOT, "README.md"), "rb") as f:
        readme = f.read()[:1500]
    texts = [sample, b"Hello world! The cat sat on the mat. 1234567 + 89 = ?\n",
             "naïve café — 日本語のテキスト 😀 \t\r\n  spaces".encode(),
             b"<s>[INST] hi [/INST]</s><|endoftext|><|im_start|>user\nhi<|im_end|>",
             b"bad utf8: \xff\xfe\xc3 \xe2\x82 \xf0\x9f end", b"    \n\n\n\t\t  x", readme]
    for i, t in enumerate(texts):
        for tok in range(7):
            flags = [0, 1, 2, 16, 4 | 8, 32 | 16 | 1][(i + tok) % 6]
            out("tokenize_bytes", "t%d_tok%d" % (i, tok), bytes([tok, flags]) + t)


def config_seeds():
    for rel in ["demo-base/config.json", "demo-zip2zip/zip2zip_config.json", "demo-zip2zip/adapter_config.json"]:
        with open(os.path.join(ROOT, "resources/models", rel), "rb") as f:
            out("configs", rel.replace("/", "_"), f.read())
    with open(os.path.join(ROOT, "resources/models/demo-base/config.json")) as f:
        base = json.load(f)
    out("configs", "phi3_longrope.json", json.dumps(dict(
        base, architectures=["Phi3ForCausalLM"], model_type="phi3", hidden_size=64, num_attention_heads=4,
        num_key_value_heads=4, partial_rotary_factor=0.5, original_max_position_embeddings=4096,
        rope_scaling={"type": "longrope", "short_factor": [1.0] * 4, "long_factor": [1.5] * 4},
        eos_token_id=[0, 1], sliding_window=2047), indent=1))
    out("configs", "llama3_rope.json", json.dumps(dict(
        base, rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                            "high_freq_factor": 4.0, "original_max_position_embeddings": 8192},
        head_dim=32), indent=1))
    out("configs", "qwen2.json", json.dumps(dict(
        base, architectures=["Qwen2ForCausalLM"], model_type="qwen2", use_sliding_window=False,
        sliding_window=4096, attention_bias=True, dtype="float32"), indent=1))
    with open(os.path.join(ROOT, "resources/models/demo-zip2zip/zip2zip_config.json")) as f:
        z = json.load(f)
    out("configs", "zip2zip_v2.json", json.dumps(dict(
        z, format_version=2, encoder_type="transformer", position_mode="base_token_end",
        encoder=dict(z["encoder"], position_encoding="learnable", use_cls_token=True, extra=1)), indent=1))


def lzw_config_bytes(V, K, S, pad, disabled):
    assert 1 <= V <= 24 and (K is None or K < 40) and 1 <= S <= 8
    kb = 8 if K is None else (K if K % 8 else K + 40)  # K=None: unlimited (k % 8 == 0)
    b = bytes([V - 1, kb, S - 1, pad, len(disabled)])
    for d in disabled:
        b += struct.pack("<H", d)
    return b


def lzw_seeds():
    # (V, K, S, pad, disabled, codes) from the reference test vectors (K=None: unlimited).
    vectors = [
        (10, 20, 4, 0, [9], [1, 2, 10, 9, 10, 10, 3, 9, 9, 10]),           # TV4
        (10, 2, 4, 0, [], [1, 2, 3, 10, 3, 10, 3]),                          # TV5
        (10, 20, 4, 0, [], [1, 10, 11, 12, 10]),                             # TV3
        (10, 20, 4, 0, [], [1, 2, 1, 2, 10, 12, 3, 13, 11]),                 # TV7
        (3, None, 3, 0, [], [2, 1, 3, 1, 5]),                                # TV7b
        (10, 20, 4, 0, [], [1, 2, 15, 3]),                                   # TV10
        (6, None, 4, 5, [], [0, 1, 2, 3, 4, 5, 6, 8, 10]),                   # TV6-like
    ]
    for i, (V, K, S, pad, disabled, codes) in enumerate(vectors):
        body = bytes((c + 2) & 0xFF for c in codes)
        for opts in (0, 0x5D):
            out("lzw", "tv%d_%02x" % (i, opts), lzw_config_bytes(V, K, S, pad, disabled) + bytes([opts]) + body)


def cli_seeds():
    lines = [
        ["--model", "resources/models/demo-zip2zip", "--prompt-ids", "1 2 3", "--max-new-tokens", "16", "--jsonl"],
        ["--temperature=0.7", "--top-p", "0.9", "--seed", "42", "--stop", "\n\n", "--stop", "END", "input.txt"],
        ["--prompt-ids=5,6,7", "--no-summary", "--", "--not-an-option", "-5"],
        ["--help"], ["-h"], ["10 20 30", "--seed", "+7"], ["--max-new-tokens", "99999999999999999999"],
    ]
    for i, argv in enumerate(lines):
        out("cli_args", "argv%d" % i, "\0".join(argv))


def main():
    safetensors_seeds()
    tokenizer_seeds()
    tokenize_bytes_seeds()
    config_seeds()
    lzw_seeds()
    cli_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
