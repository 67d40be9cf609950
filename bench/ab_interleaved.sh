#!/bin/bash
# A/B two or more builds of one Google Benchmark binary: runs them in turn N times (default 5), pinned
# to core 1, and prints the best items/s (in millions) per benchmark and binary. Interleaving spreads
# machine noise over all binaries; best-of-N keeps the least disturbed run.
#   N=5 bench/ab_interleaved.sh /tmp/bench_lzw_before build/bin/bench_lzw
set -euo pipefail
if [[ $# -lt 1 || "${1:-}" == "--help" ]]; then
  sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
  exit $([[ "${1:-}" == "--help" ]] && echo 0 || echo 2)
fi
N=${N:-5}
for _ in $(seq "$N"); do
  for b in "$@"; do
    taskset -c 1 "$b" --benchmark_min_time=0.3 --benchmark_format=csv 2>/dev/null | grep -E '^"BM' |
      awk -F, -v b="$(basename "$(dirname "$b")")/$(basename "$b")" '{printf "%s %s %.1f\n", b, $1, $7/1e6}'
  done
done | awk '{k=$1" "$2; if($3>m[k])m[k]=$3} END{for(k in m) print k, m[k]}' | sort -k2,2 -k1,1
