#!/usr/bin/python3
"""Plot the loss curves of one or more `z2z train` runs (DIR/train_log.json) into a PNG.
usage: scripts/plot-train-log.py OUT.png LABEL=DIR/train_log.json [LABEL=...]
Needs python3-matplotlib (Debian)."""
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

out, runs = sys.argv[1], sys.argv[2:]
fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
for spec in runs:
    label, path = spec.split("=", 1)
    log = json.load(open(path))
    tr = log["loss_curve"]
    xs = [s for s, _ in tr]
    ys = [l for _, l in tr]
    k = max(1, len(ys) // 200)  # light smoothing for readability
    sm = [sum(ys[max(0, i - k):i + 1]) / len(ys[max(0, i - k):i + 1]) for i in range(len(ys))]
    ax.plot(xs, sm, label=f"{label} train", linewidth=1)
    if log.get("val_curve"):
        ax.plot([s for s, _ in log["val_curve"]], [l for _, l in log["val_curve"]], "o-", label=f"{label} validation", markersize=3)
ax.set_xlabel("optimizer step")
ax.set_ylabel("loss (nats / target code)")
ax.grid(alpha=0.3)
ax.legend()
fig.tight_layout()
fig.savefig(out)
print("wrote", out)
