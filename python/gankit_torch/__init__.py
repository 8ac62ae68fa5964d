"""Load networks exported by GANKit (``gankit export``) as PyTorch modules.

The weights file is safetensors with PyTorch ``state_dict`` names; the architecture file (format
``gankit.network``, version 1, described in GANKit's ``docs/formats.md``) lies in its metadata under
``gankit.architecture`` and beside it as ``NAME.json``.
"""

from .architecture import ArchitectureError, build_module, read_architecture
from .loader import Sampler, load_discriminator, load_generator

__all__ = ["ArchitectureError", "Sampler", "build_module", "load_discriminator", "load_generator", "read_architecture"]
