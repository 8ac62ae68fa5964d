"""``load_generator`` and ``load_discriminator``: exported networks as PyTorch modules in eval mode."""

from pathlib import Path

import torch

from .architecture import ArchitectureError, build_module, load_weights, read_architecture


class Sampler:
    """Draws samples of a generator: noise of the distribution and dimension it was trained with,
    through the module, without gradients."""

    def __init__(self, module, noise):
        if noise is None or noise.get("distribution") not in ("normal", "uniform"):
            raise ArchitectureError(f"unsupported noise {noise!r}; this package draws 'normal' or 'uniform' noise")
        self.module = module
        self.dimension = noise["dimension"]
        self.distribution = noise["distribution"]

    def noise(self, count, generator=None):
        """``[count, dimension]`` noise: standard normal, or uniform on [-1, 1] (``generator``: a
        ``torch.Generator`` for reproducible draws)."""
        if self.distribution == "uniform":
            return torch.rand(count, self.dimension, generator=generator) * 2 - 1
        return torch.randn(count, self.dimension, generator=generator)

    @torch.no_grad()
    def __call__(self, count, generator=None):
        return self.module(self.noise(count, generator))


def _load(path, role):
    path = Path(path)
    arch = read_architecture(path)
    if arch["role"] != role:
        raise ArchitectureError(f"{path}: holds a {arch['role']}, not a {role}")
    weights = path if path.suffix == ".safetensors" else path.with_suffix(".safetensors")
    from safetensors.torch import load_file

    module = build_module(arch)
    load_weights(module, arch, load_file(str(weights)), str(weights))
    module.eval()
    return module, arch


def load_generator(path):
    """``(module, sample)``: the generator as an ``nn.Module`` in eval mode, and a ``Sampler``
    (``sample(64)`` gives 64 samples). ``module.architecture`` holds the architecture file."""
    module, arch = _load(path, "generator")
    module.architecture = arch
    return module, Sampler(module, arch["input"].get("noise"))


def load_discriminator(path):
    """The discriminator as an ``nn.Module`` in eval mode; its output is what
    ``module.architecture["output"]["meaning"]`` says (``logit``, ``critic`` or ``score``)."""
    module, arch = _load(path, "discriminator")
    module.architecture = arch
    return module
