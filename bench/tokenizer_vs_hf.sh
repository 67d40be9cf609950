#!/usr/bin/env bash
# bench/tokenizer_vs_hf.sh — our tokenizer vs HF tokenizers 0.23.2 (npm `tokenizers`, the Rust library's
# Node binding; its linux-x64 binary ships inside the npm tarball), same text, same run, one thread.
#   bench/tokenizer_vs_hf.sh [--repeat N]
# Needs node + npm (Debian: nodejs npm) for the HF side. Env: BUILD_DIR (default build; needs bin/bench_tokenizer), HF_DIR (scratch install dir, default
# $BUILD_DIR/hf-tokenizers, gitignored), SHARED (default ../shared).
# Prints a Markdown table: MB/s per tokenizer for "doc" (one encode per document) and "file" (one
# encode per ~0.5 MB domain file), the speed-up, and whether all ids are identical (checksums).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
HF_DIR=${HF_DIR:-$BUILD_DIR/hf-tokenizers}
SHARED=${SHARED:-../shared}
REPEAT=3
if [[ "${1:-}" == "--repeat" ]]; then REPEAT=$2; fi

if [[ ! -x "$BUILD_DIR/bin/bench_tokenizer" ]]; then
  echo "tokenizer_vs_hf: $BUILD_DIR/bin/bench_tokenizer missing; run BUILD_DIR=$BUILD_DIR scripts/build" >&2
  exit 1
fi
if [[ ! -f "$HF_DIR/node_modules/tokenizers/package.json" ]]; then
  mkdir -p "$HF_DIR"
  npm install --prefix "$HF_DIR" --no-audit --no-fund --no-save tokenizers@0.23.2 >/dev/null
fi

export RAYON_NUM_THREADS=1 TOKENIZERS_PARALLELISM=false
export HF_TOKENIZERS_DIR="$(cd "$HF_DIR" && pwd)/node_modules"
# Interleaved per tokenizer (ours, then HF) so both see the same machine load.
ours="" hf=""
for name in llama3 qwen3 gemma3 o200k deepseek3 llama2; do
  ours+=$("$BUILD_DIR/bin/bench_tokenizer" --tsv --repeat "$REPEAT" --only "$name")$'\n'
  hf+=$(node bench/tokenizer_vs_hf.mjs "$SHARED" --repeat "$REPEAT" --only "$name")$'\n'
done
ours=${ours%$'\n'} hf=${hf%$'\n'}

echo "| tokenizer | mode | bytes | tokens | ours MB/s | HF MB/s | speed-up | ids identical |"
echo "|---|---|---|---|---|---|---|---|"
join -t $'\t' <(awk -F'\t' '{print $1"/"$2"\t"$0}' <<<"$ours" | sort) \
              <(awk -F'\t' '{print $1"/"$2"\t"$0}' <<<"$hf" | sort) |
  awk -F'\t' '{
    # fields: key, ours: name mode bytes tokens checksum s mbs (2..8), hf: same (9..15)
    same = ($5 == $12 && $6 == $13) ? "yes" : "NO";
    printf "| %s | %s | %s | %s | %.1f | %.2f | %.1fx | %s |\n", $2, $3, $4, $5, $8, $15, $8 / $15, same
  }' | sort -t'|' -k2,2 -k3,3
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
