"""../shared/oracle's format, shared by the oracle scripts beside this file: one JSON object per
case (case, kind, config, inputs and expected as {"shape", "data"}), written into the directory
given as the script's argument, tensors rounded to float32."""

import json
import sys

out = sys.argv[1]


def t(x):
    x = x.detach().to("cpu").float()
    return {"shape": list(x.shape), "data": x.flatten().tolist()}


def save(name, kind, config, inputs, expected):
    with open(f"{out}/{name}.json", "w") as f:
        json.dump({"case": name, "kind": kind, "config": config, "inputs": {k: t(v) for k, v in inputs.items()},
                   "expected": {k: t(v) for k, v in expected.items()}}, f)
