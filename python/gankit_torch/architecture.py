"""The architecture file: reading it, checking it, and building the ``nn.Sequential`` it describes."""

import json
from pathlib import Path

import torch
from torch import nn

FORMAT = "gankit.network"
VERSION = 1


class ArchitectureError(ValueError):
    """The file is not a GANKit architecture file of a version this package reads, or the weights do
    not fit it."""


class Reshape(nn.Module):
    """Reshapes each sample to ``shape`` (``[-1]`` flattens), keeping the batch axis."""

    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)

    def extra_repr(self):
        return f"shape={list(self.shape)}"


class Residual(nn.Module):
    """``x + scale * body(x)``, the residual block of WGAN-GP's language model."""

    def __init__(self, body, scale):
        super().__init__()
        self.body = body
        self.scale = scale

    def forward(self, x):
        return x + self.scale * self.body(x)

    def extra_repr(self):
        return f"scale={self.scale}"


class Softmax(nn.Module):
    """Softmax along ``axis`` of each sample (0: the channels)."""

    def __init__(self, axis):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return torch.softmax(x, dim=self.axis + 1)


def read_architecture(path):
    """The architecture of ``path``: a ``.safetensors`` file (its metadata, else the ``.json`` beside
    it) or the ``.json`` file itself. Refuses other formats and versions, naming them."""
    path = Path(path)
    text = None
    if path.suffix == ".safetensors":
        from safetensors import safe_open

        with safe_open(str(path), framework="pt") as f:
            text = (f.metadata() or {}).get("gankit.architecture")
        if text is None:
            sidecar = path.with_suffix(".json")
            if not sidecar.exists():
                raise ArchitectureError(f"{path}: no 'gankit.architecture' metadata and no {sidecar.name} beside it")
            path, text = sidecar, sidecar.read_text()
    else:
        text = path.read_text()
    try:
        arch = json.loads(text)
    except json.JSONDecodeError as e:
        raise ArchitectureError(f"{path}: not JSON ({e})") from None
    if not isinstance(arch, dict):
        raise ArchitectureError(f"{path}: not a JSON object")
    if "format" not in arch:
        if "network" in arch and "weights" in arch:
            raise ArchitectureError(
                f"{path}: an architecture file of version 0 (GANKit's export before the format was versioned); "
                f"this package reads version {VERSION}: export the run again with `gankit export`")
        raise ArchitectureError(f"{path}: no 'format' key; not a GANKit architecture file")
    if arch["format"] != FORMAT:
        raise ArchitectureError(f"{path}: format {arch['format']!r}, expected {FORMAT!r}")
    if arch.get("version") != VERSION:
        raise ArchitectureError(f"{path}: architecture file version {arch.get('version')}; this package reads version {VERSION}")
    return arch


def _layer(spec, input_shape):
    kind = spec["kind"]
    if kind == "linear":
        return nn.Linear(spec["in_features"], spec["out_features"], bias=spec["bias"])
    if kind == "conv2d":
        return nn.Conv2d(spec["in_channels"], spec["out_channels"], spec["kernel_size"], stride=spec["stride"],
                         padding=spec["padding"], bias=spec["bias"])
    if kind == "conv1d":
        return nn.Conv1d(spec["in_channels"], spec["out_channels"], spec["kernel_size"], padding=spec["padding"], bias=spec["bias"])
    if kind == "softmax":
        return Softmax(spec["axis"])
    if kind == "residual":
        return Residual(nn.Sequential(*[_layer(inner, input_shape) for inner in spec["body"]]), spec["scale"])
    if kind == "conv_transpose2d":
        return nn.ConvTranspose2d(spec["in_channels"], spec["out_channels"], spec["kernel_size"], stride=spec["stride"],
                                  padding=spec["padding"], output_padding=spec["output_padding"], bias=spec["bias"])
    if kind == "batch_norm":
        norm = nn.BatchNorm2d if len(input_shape) == 3 else nn.BatchNorm1d
        return norm(spec["features"], eps=spec["eps"], momentum=spec["momentum"])
    if kind == "relu":
        return nn.ReLU()
    if kind == "leaky_relu":
        return nn.LeakyReLU(spec["slope"])
    if kind == "tanh":
        return nn.Tanh()
    if kind == "sigmoid":
        return nn.Sigmoid()
    if kind == "identity":
        return nn.Identity()
    if kind == "reshape":
        return nn.Flatten() if spec["shape"] == [-1] else Reshape(spec["shape"])
    raise ArchitectureError(f"layer {spec.get('name')}: unknown kind {kind!r}")


def build_module(arch):
    """The ``nn.Sequential`` an architecture describes, with freshly initialised weights. Layer ``i``
    is child ``str(i)``, so the file's tensor names are its ``state_dict`` keys."""
    layers, shape = [], arch["input"]["shape"]
    for index, spec in enumerate(arch["layers"]):
        if spec["name"] != str(index):
            raise ArchitectureError(f"layer {index} is named {spec['name']!r}; layers are named by their index")
        layers.append(_layer(spec, shape))
        shape = spec["output_shape"]
    return nn.Sequential(*layers)


def load_weights(module, arch, tensors, source):
    """Loads ``tensors`` into ``module``, checking every name and shape against the architecture."""
    expected = {}
    for spec, child in zip(arch["layers"], module):
        params = dict(child.named_parameters()) | {k: v for k, v in child.named_buffers() if k != "num_batches_tracked"}
        for full in spec["tensors"]:
            local = full.split(".", 1)[1]
            if local not in params:
                raise ArchitectureError(f"{source}: tensor {full!r} does not fit layer {spec['name']} ({spec['kind']})")
            expected[full] = tuple(params[local].shape)
    for name, shape in expected.items():
        if name not in tensors:
            raise ArchitectureError(f"{source}: tensor {name!r} is missing (shape {list(shape)} expected)")
        if tuple(tensors[name].shape) != shape:
            raise ArchitectureError(f"{source}: tensor {name!r} has shape {list(tensors[name].shape)}, the architecture needs {list(shape)}")
    extra = sorted(set(tensors) - set(expected))
    if extra:
        raise ArchitectureError(f"{source}: tensor {extra[0]!r} does not belong to this architecture")
    state = dict(tensors)
    # GANKit does not count BatchNorm's batches; eval mode never reads the count.
    for name, buffer in module.named_buffers():
        if name.endswith("num_batches_tracked"):
            state[name] = torch.zeros_like(buffer)
    module.load_state_dict(state, strict=True)
