#!/bin/bash
# Data-parallel training of one pair against the same pair in one process: the default ring8 job
# with --topology single, seeds 0 … SEEDS−1 (default 3), once in one process and once under
# `mpirun -np 2 … --data-parallel`; then the table of scores (scripts/data-parallel-quality.py).
#   [SEEDS=10] bash scripts/data-parallel-quality.sh [OUT_DIR]
#   (as root: MPIRUN_FLAGS="--allow-run-as-root --oversubscribe"; GANKIT=path of another build)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/data-parallel-quality}
bin=${GANKIT:-.build/release/gankit}
[ -x "$bin" ] || swift build -c release --product gankit
common=(--dataset ring8 --topology single --threads 1)
for seed in $(seq 0 $((${SEEDS:-3} - 1))); do
    [ -f "$out/one-process/seed-$seed/checkpoints/checkpoint.json" ] ||
        "$bin" train "${common[@]}" --seed "$seed" --out "$out/one-process/seed-$seed"
    # shellcheck disable=SC2086
    [ -f "$out/two-ranks/seed-$seed/checkpoints/checkpoint.json" ] ||
        mpirun ${MPIRUN_FLAGS:-} -np 2 "$bin" train --data-parallel "${common[@]}" --seed "$seed" --out "$out/two-ranks/seed-$seed"
done
python3 scripts/data-parallel-quality.py "$out"
