#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz harnesses into Fuzz/Corpus/<harness>/seed-*.

Seeds are small valid (and a few nearly valid) files of each format, so that libFuzzer starts
from the parsers' deep paths rather than from their first check. Run once; the output is
committed. Needs Pillow, NumPy and safetensors; reads MNIST from ../shared/datasets (slices
only) and a checkpoint manifest and run config from a tiny `gankit train` run passed as argv[1].
"""
import gzip, io, json, os, struct, sys, tarfile, zlib
from pathlib import Path

import numpy as np
from PIL import Image
from safetensors.numpy import save as st_save

root = Path(__file__).resolve().parent
corpus = root / "Corpus"
datasets = Path(os.environ.get("GANKIT_DATASETS_DIR", root.parent.parent / "shared" / "datasets"))
run = Path(sys.argv[1]) if len(sys.argv) > 1 else None
rng = np.random.default_rng(0)


def seed(harness, name, data):
    folder = corpus / harness
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"seed-{name}").write_bytes(bytes(data))


def gz(data):
    return gzip.compress(data, mtime=0)


# IDX: two real MNIST images and ten labels, raw and gzip-compressed, and near misses.
images = gzip.decompress((datasets / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes())
labels = gzip.decompress((datasets / "mnist" / "t10k-labels-idx1-ubyte.gz").read_bytes())
two = struct.pack(">IIII", 0x803, 2, 28, 28) + images[16:16 + 2 * 784]
ten = struct.pack(">II", 0x801, 10) + labels[8:18]
for name, data in [("images-2", two), ("labels-10", ten), ("images-0", struct.pack(">IIII", 0x803, 0, 28, 28)),
                   ("images-truncated", two[:400]), ("labels-trailing", ten + b"\x01")]:
    seed("idx", name, data)
    seed("idx", name + ".gz", gz(data))
seed("idx", "images-gz-truncated", gz(two)[:300])

# gzip: members, concatenations, truncations, stored blocks.
text = b"GANKit reads gzip through zlib's gzread.\n" * 4
seed("gzip", "text.gz", gz(text))
seed("gzip", "plain", text)
seed("gzip", "two-members.gz", gz(text[:50]) + gz(text[50:]))
seed("gzip", "truncated.gz", gz(text)[:25])
seed("gzip", "stored.gz", gzip.compress(text, compresslevel=0, mtime=0))
seed("gzip", "labels.gz", gz(ten))

# CIFAR-10 batches: records of a label byte and 3×32×32 pixels.
def record(label):
    return bytes([label]) + rng.integers(0, 256, 3072, dtype=np.uint8).tobytes()
seed("cifar10", "one", record(3))
seed("cifar10", "two", record(0) + record(9))
seed("cifar10", "bad-label", record(10))
seed("cifar10", "short", record(1)[:3000])

# tar: ustar, GNU long names, pax, gzip-compressed, a directory and a link.
def tar(fmt, members, compress=False):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=fmt) as archive:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if data is None:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            elif isinstance(data, str):
                info.type = tarfile.SYMTYPE
                info.linkname = data
                archive.addfile(info)
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    out = buffer.getvalue()
    return gz(out) if compress else out
small = [("cifar-10-batches-bin", None), ("cifar-10-batches-bin/test_batch.bin", record(4)[:100]), ("a.txt", b"hello")]
seed("tar", "ustar", tar(tarfile.USTAR_FORMAT, small))
seed("tar", "gnu-long-name", tar(tarfile.GNU_FORMAT, [("d/" + "long-folder-name-" * 8 + "/b.bin", b"xyz" * 10)]))
seed("tar", "pax", tar(tarfile.PAX_FORMAT, [("p\u00e9.txt", b"pax"), ("link", "a.txt")]))
seed("tar", "ustar.gz", tar(tarfile.USTAR_FORMAT, small, compress=True))
huge = tarfile.TarInfo("big.bin")
huge.size = 0o77777777777  # a header announcing 8 GiB, then 10 bytes
seed("tar", "big-member", huge.tobuf(format=tarfile.USTAR_FORMAT) + b"x" * 10)

# PNG: grey, RGB, RGBA, palette, 16-bit, grey+alpha, and a truncated one.
def png(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **options)
    return buffer.getvalue()
pixels = rng.integers(0, 256, (6, 5, 4), dtype=np.uint8)
seed("png", "grey", png(Image.fromarray(pixels[..., 0], "L")))
seed("png", "rgb", png(Image.fromarray(pixels[..., :3], "RGB")))
seed("png", "rgba", png(Image.fromarray(pixels, "RGBA")))
seed("png", "palette", png(Image.fromarray(pixels[..., :3], "RGB").convert("P")))
seed("png", "grey16", png(Image.frombytes("I;16", (5, 6), (pixels[..., 0].astype("<u2") * 257).tobytes())))
seed("png", "grey-alpha", png(Image.fromarray(pixels[..., :2], "LA")))
seed("png", "truncated", png(Image.fromarray(pixels[..., :3], "RGB"))[:60])

# JPEG: grey, RGB with 4:2:0 and 4:4:4, progressive, CMYK, and a truncated one.
def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", **options)
    return buffer.getvalue()
photo = Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8), "RGB")
seed("jpeg", "grey", jpeg(photo.convert("L"), quality=50))
seed("jpeg", "rgb-420", jpeg(photo, quality=50, subsampling=2))
seed("jpeg", "rgb-444", jpeg(photo, quality=90, subsampling=0))
seed("jpeg", "progressive", jpeg(photo, quality=50, progressive=True))
seed("jpeg", "cmyk", jpeg(photo.convert("CMYK"), quality=50))
seed("jpeg", "truncated", jpeg(photo, quality=50)[:200])

# The packed image cache: a 4096-byte header (magic, JSON length, JSON) then [N, C, H, W] bytes.
def packed(count, channels, size, extra=b""):
    header = json.dumps({"version": 1, "count": count, "channels": channels, "height": size, "width": size,
                         "fingerprint": "f", "source": "s", "skipped": 0}, separators=(",", ":")).encode()
    head = b"GKIMAGE1" + struct.pack("<Q", len(header)) + header
    return head + bytes(4096 - len(head)) + bytes(count * channels * size * size) + extra
seed("packed-image", "grey", packed(2, 1, 4))
seed("packed-image", "rgb", packed(1, 3, 2))
seed("packed-image", "empty", packed(0, 1, 8))
seed("packed-image", "trailing", packed(1, 1, 2, b"\x00"))

# safetensors: each dtype, metadata, an empty file and a header only.
tensors = {"a": rng.standard_normal((2, 3)).astype(np.float32), "b": np.arange(4, dtype=np.int64),
           "c": np.ones((1, 2), dtype=np.float16), "d": np.array([True, False]), "e": np.zeros((0, 3), dtype=np.uint8)}
seed("safetensors", "mixed", st_save(tensors, metadata={"format": "pt", "iteration": "2"}))
seed("safetensors", "f32", st_save({"layers.0.weight": rng.standard_normal((4, 2)).astype(np.float32)}))
seed("safetensors", "f64-i8-u16", st_save({"x": np.ones(2), "y": np.int8([-1, 1]), "z": np.uint16([7])}))
seed("safetensors", "empty", st_save({}))
seed("safetensors", "scalar", st_save({"s": np.array(3.0, dtype=np.float32)}))

# NumPy .npy: float32 and float64, 1-D to 3-D and scalars, versions 1.0 and 2.0.
def npy(array, version=None):
    buffer = io.BytesIO()
    if version:
        np.lib.format.write_array(buffer, array, version=version)
    else:
        np.save(buffer, array)
    return buffer.getvalue()
seed("npy", "f4-2d", npy(rng.standard_normal((3, 2)).astype(np.float32)))
seed("npy", "f8-1d", npy(rng.standard_normal(4)))
seed("npy", "f4-3d", npy(np.zeros((2, 1, 2), dtype=np.float32)))
seed("npy", "scalar", npy(np.float32(1.5)))
seed("npy", "v2", npy(np.ones((2, 2), dtype=np.float32), version=(2, 0)))
seed("npy", "fortran", npy(np.asfortranarray(np.ones((2, 3), dtype=np.float32))))

# Text corpora: fortune records and lines, UTF-8 of every width, one invalid byte.
seed("text", "fortune", "A fool and his money.\n%\nHe who laughs last? Thinks slowest!\n%\nCaf\u00e9 \u2014 \U0001F600.\n".encode())
seed("text", "lines", b"one sentence per line\nthe second line\n\n  \nlast")
seed("text", "invalid", b"valid then \xc3\x28 invalid")

# Config files (YAML or JSON) and the checkpoint manifest of a tiny real run.
seed("config", "yaml", b"dataset: grid25\nobjective: wgan-gp\ntopology: single\niterations: 3000\nbatch-size: 64\nlearning-rate: 1e-3\n")
seed("config", "flow", b"{iterations: 10, pairs: 3, messengers: false, beta: 0.5, weighting: wegan}\n")
seed("config", "anchors", b"base: &b 5\niterations: *b\n")
seed("config", "list", b"- iterations\n- 5\n")
laughs = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
laughs += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
seed("config", "alias-key-bomb", ("\n".join(laughs) + "\n? *a9\n: 1\n").encode())
if run:
    seed("config", "run-config.json", (run / "config.json").read_bytes())
    manifest = (run / "checkpoints" / "checkpoint.json").read_bytes()
    seed("checkpoint", "manifest.json", manifest)
    compact = json.loads(manifest)
    del compact["data"]
    seed("checkpoint", "manifest-without-data.json", json.dumps(compact, separators=(",", ":")).encode())
