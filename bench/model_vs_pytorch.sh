#!/usr/bin/env bash
# bench/model_vs_pytorch.sh — model-engine speed at batch 1 on the demo-size checkpoint
# (bench/make_bench_model.py), ours (build/bin/bench_model) vs the same weights run by a PyTorch eager
# KV-cached loop (bench/pytorch_eager.py), plus a STREAM-like copy for the memory-bandwidth bound.
# Prints the machine, its load, and one table (min / median over REPS repetitions, CPU time and wall).
#
#   bench/model_vs_pytorch.sh                       # build/ binaries, 5 repetitions, 1 thread
#   BUILD_DIR=build-eng REPS=9 THREADS=2 bench/model_vs_pytorch.sh
#   DTYPE=bf16 bench/model_vs_pytorch.sh            # the checkpoint stored in bf16 (as released ones are)
# Env: BUILD_DIR (build), REPS (5), THREADS (1, both sides), PROMPT (128 base tokens), DECODE
# (128 codes), MODEL_DIR (/tmp/z2z_bench_model_<uid>), KEEP (keep the raw JSON in this directory).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
REPS=${REPS:-5}
THREADS=${THREADS:-1}
PROMPT=${PROMPT:-128}
DECODE=${DECODE:-128}
DTYPE=${DTYPE:-f32}
MODEL_DIR=${MODEL_DIR:-/tmp/z2z_bench_model_$(id -u)$([[ $DTYPE == f32 ]] || echo "_$DTYPE")}
PY=/usr/bin/python3  # Debian's python3-torch (the pyenv python on PATH has no torch)
BENCH="$BUILD_DIR/bin/bench_model"
[[ -x "$BENCH" ]] || { echo "model_vs_pytorch: $BENCH not built (cmake --build $BUILD_DIR --target bench_model)" >&2; exit 1; }
OUT=${KEEP:-$(mktemp -d)}
mkdir -p "$OUT"

echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB"
echo "blas:    $(readlink -f /etc/alternatives/libblas.so.3-x86_64-linux-gnu)"
echo "torch:   $($PY -c 'import torch; print(torch.__version__)'), threads $THREADS, prompt $PROMPT base tokens, decode $DECODE codes, $REPS repetitions"
echo "load before: $(uptime | sed 's/.*load average/load average/')"

$PY bench/make_bench_model.py "$MODEL_DIR" --dtype "$DTYPE"

"$BENCH" --model_dir="$MODEL_DIR" --threads="$THREADS" --prompt="$PROMPT" --decode="$DECODE" \
  --benchmark_repetitions="$REPS" --benchmark_min_time=1 --benchmark_format=json >"$OUT/ours.json" 2>/dev/null
"$BENCH" --model_dir="$MODEL_DIR" --threads="$THREADS" --prompt="$PROMPT" --decode="$DECODE" --print_codes >"$OUT/ours_codes.json"
for m in base z2z; do
  $PY bench/pytorch_eager.py --model "$MODEL_DIR/$m" --prompt "$PROMPT" --decode "$DECODE" --reps "$REPS" \
    --threads "$THREADS" >"$OUT/pytorch_$m.json"
done
echo "load after:  $(uptime | sed 's/.*load average/load average/')"

$PY - "$OUT" <<'EOF'
import json, os, statistics, sys
out = sys.argv[1]
ours = json.load(open(os.path.join(out, "ours.json")))
codes = json.load(open(os.path.join(out, "ours_codes.json")))
pt = {m: json.load(open(os.path.join(out, "pytorch_%s.json" % m))) for m in ("base", "z2z")}
ctx = ours["context"]
runs = [b for b in ours["benchmarks"] if b.get("run_type") == "iteration"]

def reps(name, key):
    return [b[key] for b in runs if b["run_name"].split("/process_time")[0] == name]

def summary(v):  # rates: median and best (max) repetition
    return statistics.median(v), max(v)

rows = []
ratios = {}
for m in ("base", "z2z"):
    for phase, n in (("prefill", pt[m]["prompt_codes"]), ("decode", pt[m]["decode_codes"])):
        name = "BM_%s/%s" % (phase.capitalize(), m)
        for clock, okey, pkey in (("CPU", "cpu_time", phase + "_cpu_s"), ("wall", "real_time", phase + "_s")):
            o = [n * 1e3 / t for t in reps(name, okey)]  # bench_model times are ms per iteration
            p = [n / t for t in pt[m][pkey]]
            ratios[(m, phase, clock)] = statistics.median(o) / statistics.median(p)
            rows.append((m, phase, clock, summary(o), summary(p), ratios[(m, phase, clock)]))

print()
print("| model | phase | clock | ours, codes/s: median (best) | PyTorch eager, codes/s: median (best) | ours / PyTorch |")
print("|---|---|---|---|---|---|")
for m, phase, clock, o, p, r in rows:
    print("| %s | %s | %s | %.0f (%.0f) | %.0f (%.0f) | %.2fx |" % (m, phase, clock, o[0], o[1], p[0], p[1], r))

# bandwidth bounds: STREAM copy over main memory (the target's bound) and over a cache-sized footprint
def stream(arg):
    name = "BM_StreamCopy/%d" % arg
    cpu = reps(name, "bytes_per_second")
    wall = [2 * (arg << 20) / (t / 1e3) for t in reps(name, "real_time")]
    return statistics.median(cpu), max(cpu), statistics.median(wall)

bw, bw_best, bw_wall = stream(256)
bwc, bwc_best, bwc_wall = stream(12)
print()
print("STREAM copy, 2 x 256 MiB (main memory): median %.1f GB/s (best %.1f; wall median %.1f); "
      "2 x 12 MiB (cache-sized): median %.1f GB/s (best %.1f)" % (bw / 1e9, bw_best / 1e9, bw_wall / 1e9, bwc / 1e9, bwc_best / 1e9))
print()
print("| model | bytes read per decode step | DRAM bound = bytes / DRAM copy rate | cache bound | ours: time per code (CPU, median) | ours / DRAM bound | ours / cache bound | encoder share of a step |")
print("|---|---|---|---|---|---|---|---|")
for m in ("base", "z2z"):
    # weights (all but the embedding table) + the KV cache at the average context of the decode run
    avg_context = pt[m]["prompt_codes"] + pt[m]["decode_codes"] / 2
    b = int(ctx[m + "_decode_weight_bytes"]) + int(ctx[m + "_kv_bytes_per_position"]) * avg_context
    if m == "z2z":
        b += int(ctx["z2z_encoder_bytes"]) // 2  # the output encoder runs once per step (one new entry)
    bound_ms, cache_ms = b / bw * 1e3, b / bwc * 1e3
    step_ms = statistics.median([t / pt[m]["decode_codes"] for t in reps("BM_Decode/" + m, "cpu_time")])
    share = statistics.median(reps("BM_Decode/" + m, "encoder_share"))
    ratios[(m, "bound")] = step_ms / bound_ms
    ratios[(m, "share")] = share
    print("| %s | %.1f MB | %.3f ms (%.0f codes/s) | %.3f ms | %.3f ms | %.2fx | %.2fx | %.1f %% |" % (
        m, b / 1e6, bound_ms, 1e3 / bound_ms, cache_ms, step_ms, step_ms / bound_ms, step_ms / cache_ms, 100 * share))

print()
for m in ("base", "z2z"):
    a, b = codes[m]["generated"], pt[m]["generated"]
    same = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    print("greedy check %s: prompt codes %s, first %d of %d generated codes identical" % (
        m, "identical" if codes[m]["prompt"] == pt[m]["prompt"] else "DIFFER", same, len(a)))
print()
def verdict(ok):
    return "MET" if ok else "NOT MET"
for m in ("base", "z2z"):
    r = ratios[(m, "decode", "CPU")]
    print("target decode >= 5x PyTorch eager (%s): %.2fx CPU, %.2fx wall -> %s" % (
        m, r, ratios[(m, "decode", "wall")], verdict(min(r, ratios[(m, "decode", "wall")]) >= 5)))
for m in ("base", "z2z"):
    print("target decode within 2x of the bandwidth bound (%s): %.2fx -> %s" % (m, ratios[(m, "bound")], verdict(ratios[(m, "bound")] <= 2)))
print("target hyper-encoder <= 10%% of a decode step: %.1f %% -> %s" % (100 * ratios[("z2z", "share")], verdict(ratios[("z2z", "share")] <= 0.10)))
EOF
[[ -n "${KEEP:-}" ]] || rm -rf "$OUT"
