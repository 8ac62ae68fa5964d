"""The table of scripts/data-parallel-quality.sh: each seed's final scores in one process and over
2 ranks, the mean difference with its 95% confidence interval (paired by seed, Student's t with
n - 1 degrees of freedom), and the one-process runs' spread over seeds, for scale."""
import json
import math
import statistics
import sys
from pathlib import Path

METRICS = [  # name, what it is
    ("modes_covered_strict", "modes with ≥ 1% of the samples within 3σ (of 8)"),
    ("high_quality_fraction", "samples within 3σ of a mode"),
    ("mmd2_sigma_0.1", "MMD² with σ = 0.1"),
    ("kl_to_uniform", "KL of the mode histogram to uniform"),
]
T975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}


def final_metrics(run: Path) -> dict:
    last = None
    for line in (run / "metrics.jsonl").read_text().splitlines():
        record = json.loads(line)
        if "metrics" in record:
            last = record
    if last is None:
        sys.exit(f"{run}: no evaluation in metrics.jsonl")
    return last["metrics"]


def main(out: Path) -> None:
    seeds = sorted((p.name for p in (out / "one-process").iterdir()), key=lambda name: int(name.removeprefix("seed-")))
    one = {s: final_metrics(out / "one-process" / s) for s in seeds}
    two = {s: final_metrics(out / "two-ranks" / s) for s in seeds}
    def show(value):
        return "undefined" if value is None else f"{value:.3g}"

    print("| metric | run | " + " | ".join(f"seed {s.removeprefix('seed-')}" for s in seeds) + " |")
    print("|---|---|" + "---|" * len(seeds))
    for name, _ in METRICS:
        for arm, values in (("one process", one), ("2 ranks", two)):
            print(f"| {name} | {arm} | " + " | ".join(show(values[s].get(name)) for s in seeds) + " |")
    print()
    print("| metric | mean, one process | mean, 2 ranks | difference (2 ranks − one), 95% CI | seeds' SD, one process | verdict |")
    print("|---|---|---|---|---|---|")
    for name, meaning in METRICS:
        # A metric undefined for a run (KL with no sample near any mode) drops that seed's pair.
        kept = [s for s in seeds if one[s].get(name) is not None and two[s].get(name) is not None]
        a = [one[s][name] for s in kept]
        b = [two[s][name] for s in kept]
        d = [y - x for x, y in zip(a, b)]
        n = len(d)
        if n < 2:
            print(f"| {name} ({meaning}) | – | – | defined for {n} seed pair(s): no interval | – | – |")
            continue
        mean = statistics.fmean(d)
        half = T975[n - 1] * statistics.stdev(d) / math.sqrt(n) if n > 1 else float("inf")
        spread = statistics.stdev(a) if n > 1 else float("nan")
        verdict = "no difference detected" if abs(mean) <= half else ("2 ranks higher" if mean > 0 else "2 ranks lower")
        note = "" if n == len(seeds) else f" ({n} seeds)"
        print(f"| {name} ({meaning}){note} | {statistics.fmean(a):.4g} | {statistics.fmean(b):.4g} | "
              f"{mean:+.4g} [{mean - half:+.4g}, {mean + half:+.4g}] | {spread:.4g} | {verdict} |")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "runs/data-parallel-quality"))
