"""Checks GANKit's exports in PyTorch (through gankit_torch) and ONNX Runtime against GANKit's own
outputs on the same inputs. Usage: check_exports.py MANIFEST.json

The manifest lists cases: {"name", "role", "weights" (.safetensors), "onnx" (optional), "input"
(.npy: noise for a generator, samples for a discriminator), "expected" (.npy: GANKit's output)}.
Prints one line per case and exits 1 if any output differs by more than rtol = atol = 1e-5.
"""

import json
import sys

import numpy as np
import torch

import gankit_torch

TOLERANCE = 1e-5


def compare(label, got, want):
    got = np.asarray(got, dtype=np.float32)
    if got.shape != want.shape:
        print(f"FAIL {label}: shape {got.shape}, GANKit's {want.shape}")
        return False
    diff = float(np.max(np.abs(got - want))) if want.size else 0.0
    ok = bool(np.allclose(got, want, rtol=TOLERANCE, atol=TOLERANCE))
    print(f"{'ok  ' if ok else 'FAIL'} {label}: max |difference| {diff:.3g}")
    return ok


def main(manifest_path):
    cases = json.load(open(manifest_path))
    ok = True
    for case in cases:
        x = np.load(case["input"])
        want = np.load(case["expected"])
        if case["role"] == "generator":
            module, sample = gankit_torch.load_generator(case["weights"])
            assert not module.training
            assert sample.dimension == x.shape[1]
        else:
            module = gankit_torch.load_discriminator(case["weights"])
        with torch.no_grad():
            got = module(torch.from_numpy(x)).numpy()
        ok &= compare(f"{case['name']} PyTorch", got, want)
        if case.get("onnx"):
            import onnx
            import onnxruntime

            model = onnx.load(case["onnx"])
            onnx.checker.check_model(model, full_check=True)
            session = onnxruntime.InferenceSession(case["onnx"], providers=["CPUExecutionProvider"])
            name = session.get_inputs()[0].name
            got = session.run(None, {name: x})[0]
            ok &= compare(f"{case['name']} ONNX Runtime (opset {model.opset_import[0].version})", got, want)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
