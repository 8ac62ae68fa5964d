"""PyTorch's side of the FID Inception comparison: pytorch-fid 0.3.0's own network with random
weights (BatchNorm's running statistics randomised too, so that they matter), two small sets of
images, and what pytorch-fid computes from them.
Usage: fid_inception_reference.py DIR. Writes DIR/weights.pth (the network's state_dict, as the
official FID weights file holds it) and DIR/reference.safetensors: images_a, images_b ([8, 3, 32,
32] in [0, 1]), pool_a, pool_b ([8, 2048]), logits_a, logits_b ([8, 1008]), fid log_inception_score and fid_folders ([1]), and the
two sets as PNG folders DIR/folder_a and DIR/folder_b.
Needs torch, safetensors, numpy and pytorch-fid with torchvision's Python files (scripts/setup)."""

import importlib.util
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

# pytorch-fid imports torchvision, whose C operators do not load beside a CPU-only torch from another
# build; the network needs none of them, so its Python files are loaded under a bare package.
spec = importlib.util.find_spec("torchvision")
shim = types.ModuleType("torchvision")
shim.__path__ = [os.path.dirname(spec.origin)]
shim.__version__ = "0.28.0"  # the pinned torchvision: pytorch-fid then skips its slow default initialisation
sys.modules.setdefault("torchvision", shim)
import pytorch_fid.inception as fid  # noqa: E402

out = sys.argv[1]
torch.manual_seed(13)

# Build fid_inception_v3() without its download, then give every tensor random values.
fid.load_state_dict_from_url = lambda *a, **k: None
real_load = nn.Module.load_state_dict
nn.Module.load_state_dict = lambda self, state, *a, **k: None if state is None else real_load(self, state, *a, **k)
inception = fid.fid_inception_v3()
nn.Module.load_state_dict = real_load
with torch.no_grad():
    for m in inception.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.weight[0].numel()
            m.weight.normal_(0, (2.0 / fan_in) ** 0.5)
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.uniform_(0.6, 1.4)
            m.bias.normal_(0, 0.2)
            m.running_mean.normal_(0, 0.3)
            m.running_var.uniform_(0.5, 2.0)
        elif isinstance(m, nn.Linear):
            m.weight.normal_(0, 8 * 2048 ** -0.5)  # logits spread enough that the Inception score is not 1
            m.bias.normal_(0, 0.1)
torch.save(inception.state_dict(), f"{out}/weights.pth")

# pytorch-fid's InceptionV3 (resize to 299, scale to [-1, 1], pool features) around that network.
fid.fid_inception_v3 = lambda: inception
net = fid.InceptionV3([fid.InceptionV3.BLOCK_INDEX_BY_DIM[2048]], resize_input=True, normalize_input=True).eval()
inception.eval()

# Two sets of 8 CIFAR-sized images: smooth colour fields with noise, the second set of a higher frequency, with more of a random colour.
y, x = torch.meshgrid(torch.linspace(0, 1, 32), torch.linspace(0, 1, 32), indexing="ij")
def images(frequency, shift):
    base = torch.stack([torch.sin(frequency * x + k) * torch.cos(2 * y - k) for k in range(3)])[None] * 0.3 + 0.5
    phase = torch.rand(8, 3, 1, 1)
    return (base * (1 - shift) + shift * phase + 0.15 * torch.rand(8, 3, 32, 32)).clamp(0, 1)
images_a, images_b = images(3, 0.1), images(9, 0.4)

with torch.no_grad():
    pool_a = net(images_a)[0].flatten(1)
    pool_b = net(images_b)[0].flatten(1)
    logits_a, logits_b = inception.fc(pool_a), inception.fc(pool_b)

# FID from pytorch-fid's statistics (float64 mean and np.cov), with the trace of the square root
# taken as the eigenvalues of √Σa Σb √Σa: exact with fewer images than features, where scipy's
# sqrtm, which pytorch-fid's calculate_frechet_distance uses, warns of a singular matrix and takes
# 30 s. On these images the two agreed to 1e-6 (3.577878 and 3.577879).
def stats(p):
    p = p.double().numpy()
    return p.mean(0), np.cov(p, rowvar=False)
(mu_a, s_a), (mu_b, s_b) = stats(pool_a), stats(pool_b)
w, v = np.linalg.eigh(s_a)
root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
trace_root = np.sqrt(np.clip(np.linalg.eigvalsh(root @ s_b @ root), 0, None)).sum()
fid_value = ((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * trace_root
print(f"fid {fid_value:.6f}")

# The Inception score of both sets together (16 images, 2 splits), as the original computes it:
# softmax over the 1008 logits, exp of the mean KL divergence to the split's marginal.
probabilities = torch.softmax(torch.cat([logits_a, logits_b]).double(), 1).numpy()
split_scores = []
for part in np.split(probabilities, 2):
    kl = (part * (np.log(part) - np.log(part.mean(0, keepdims=True)))).sum(1)
    split_scores.append(np.exp(kl.mean()))
inception_score = np.mean(split_scores)
print(f"inception score {inception_score:.6f}")
# Its logarithm is what float32 keeps precisely when the score is near 1.

# The same images as two folders of PNG files, read back as pytorch-fid's ImagePathDataset reads
# them (PIL, RGB, ToTensor: bytes / 255), and the FID between the folders (`gankit fid`'s check).
from PIL import Image  # noqa: E402
def folder_features(images, name):
    os.makedirs(f"{out}/{name}", exist_ok=True)
    for k, image in enumerate(images):
        pixels = (image.permute(1, 2, 0).numpy() * 255).round().astype(np.uint8)
        Image.fromarray(pixels).save(f"{out}/{name}/{k:02d}.png")
    files = sorted(os.listdir(f"{out}/{name}"))
    batch = torch.stack([torch.from_numpy(np.asarray(Image.open(f"{out}/{name}/{f}").convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)
                         for f in files])
    with torch.no_grad():
        return net(batch)[0].flatten(1)
(mu_a, s_a), (mu_b, s_b) = stats(folder_features(images_a, "folder_a")), stats(folder_features(images_b, "folder_b"))
w, v = np.linalg.eigh(s_a)
root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
trace_root = np.sqrt(np.clip(np.linalg.eigvalsh(root @ s_b @ root), 0, None)).sum()
fid_folders = ((mu_a - mu_b) ** 2).sum() + np.trace(s_a) + np.trace(s_b) - 2 * trace_root
print(f"fid of the folders {fid_folders:.6f}")

save_file({"images_a": images_a.contiguous(), "images_b": images_b.contiguous(), "pool_a": pool_a.contiguous(),
           "pool_b": pool_b.contiguous(), "logits_a": logits_a.contiguous(), "logits_b": logits_b.contiguous(),
           "fid": torch.tensor([fid_value], dtype=torch.float32),
           "fid_folders": torch.tensor([fid_folders], dtype=torch.float32),
           "log_inception_score": torch.tensor([np.log(inception_score)], dtype=torch.float32)},
          f"{out}/reference.safetensors")
