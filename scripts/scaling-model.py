#!/usr/bin/env python3
"""SGAN's iteration time over many nodes, from docs/scaling.md's model; writes docs/scaling-model.svg.

Usage: python3 scripts/scaling-model.py [OUT.svg]
The parameters are the ones measured on this machine (toy) or stated as assumptions (DCGAN-64) in
docs/scaling.md; change them here and rerun to model another machine.
"""
import math
import sys

GAMMA = 0.61          # the global pair's work per local pair, in local pairs' work (measured, toy, N = 4)
ALPHA = 25e-6         # seconds per message on the network (assumed; loopback measured 2-10 us)
NETWORKS = {"10 GbE": 1.25e9, "100 GbE": 12.5e9}  # bytes per second
MODELS = {
    # p: seconds of one local pair's iteration + its messenger + its samples for D0 (1 thread);
    # D, G: parameters of the discriminator and generator; sample: floats per fake batch.
    "toy MLP": dict(p=19.5e-3, D=527_361, G=577_026, sample=64 * 2),
    "DCGAN-64": dict(p=3.7, D=2_765_568, G=3_576_704, sample=64 * 3 * 64 * 64),
}


def one_process(m, n):
    return n * m["p"] * (1 + GAMMA)


def per_pair_bytes(m):
    return 4 * m["D"] + 4 * m["sample"] + 4 * m["sample"]  # messenger in, G_n's samples in, G0's samples out


def current(m, n, beta):
    """One pair per node, the global pair on rank 0 (what GANKit does): rank 0 receives every messenger."""
    c = 3 * ALPHA + per_pair_bytes(m) / beta
    return max(GAMMA * n * m["p"] + n * c, m["p"] + c)


def sharded(m, n, beta):
    """The global update split over the nodes: each computes G0's and D0's gradients against its own
    messenger and samples, summed in a fixed-order tree, then G0 and D0 broadcast in a tree."""
    steps = math.ceil(math.log2(n + 1)) if n > 1 else 0
    tree = 2 * steps * (2 * ALPHA + 4 * (m["G"] + m["D"]) / beta)
    return m["p"] * (1 + GAMMA) + tree


def svg(path):
    width, height, left, right, top, bottom = 860, 440, 70, 290, 30, 50
    nodes = [2 ** k for k in range(0, 11)]
    series = []
    colors = {"toy MLP": "#1f77b4", "DCGAN-64": "#d62728"}
    for name, m in MODELS.items():
        for net, beta in NETWORKS.items():
            series.append((f"{name}, {net}, as built", colors[name], "", [one_process(m, n) / current(m, n, beta) for n in nodes]))
            series.append((f"{name}, {net}, global update sharded", colors[name], "6,4", [one_process(m, n) / sharded(m, n, beta) for n in nodes]))
    ymax = 1024

    def x(n):
        return left + (width - left - right) * math.log2(n) / math.log2(nodes[-1])

    def y(s):
        return top + (height - top - bottom) * (1 - math.log2(max(s, 1)) / math.log2(ymax))

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="18" font-size="13">SGAN speed-up over one process, one local pair per node (model of docs/scaling.md)</text>']
    for n in nodes:
        out.append(f'<line x1="{x(n):.1f}" y1="{top}" x2="{x(n):.1f}" y2="{height - bottom}" stroke="#eee"/>')
        out.append(f'<text x="{x(n):.1f}" y="{height - bottom + 15}" text-anchor="middle">{n}</text>')
    for s in [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]:
        out.append(f'<line x1="{left}" y1="{y(s):.1f}" x2="{width - right}" y2="{y(s):.1f}" stroke="#eee"/>')
        out.append(f'<text x="{left - 6}" y="{y(s) + 4:.1f}" text-anchor="end">{s}×</text>')
    out.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">local pairs N, one per node (plus rank 0, which holds the global pair)</text>')
    for i, (label, color, dash, values) in enumerate(series):
        points = " ".join(f"{x(n):.1f},{y(v):.1f}" for n, v in zip(nodes, values))
        opacity = "1" if "100 GbE" not in label else "0.5"
        out.append(f'<polyline points="{points}" fill="none" stroke="{color}" stroke-width="2" stroke-opacity="{opacity}" stroke-dasharray="{dash}"/>')
        ly = top + 14 + 16 * i
        out.append(f'<line x1="{width - right + 10}" y1="{ly}" x2="{width - right + 34}" y2="{ly}" stroke="{color}" stroke-width="2" stroke-opacity="{opacity}" stroke-dasharray="{dash}"/>')
        out.append(f'<text x="{width - right + 38}" y="{ly + 4}" font-size="9.5">{label}</text>')
    out.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/scaling-model.svg"
    svg(path)
    for name, m in MODELS.items():
        for net, beta in NETWORKS.items():
            row = [f"{one_process(m, n) / current(m, n, beta):.2f}/{one_process(m, n) / sharded(m, n, beta):.1f}" for n in (10, 100, 1000)]
            print(f"{name:9s} {net:7s} speed-up (as built / sharded) at N = 10, 100, 1000: {', '.join(row)}")
