"""Writes PyTorch's values for spectrally normalised layers (torch.nn.utils.spectral_norm), in
../shared/oracle's format, into DIR: a training-mode forward pass (one power-iteration step, which
moves u and v), first-order gradients, the double backward of a gradient penalty, and an
evaluation-mode pass (no step). Usage: spectral_norm_oracle.py DIR. Float64 inside, float32 out."""

import torch

from oracle_format import save

torch.manual_seed(23)

layers = [
    ("linear", lambda: torch.nn.Linear(6, 4), (3, 6), {}),
    ("conv2d", lambda: torch.nn.Conv2d(3, 5, 3, stride=2, padding=1), (2, 3, 5, 5), {"stride": 2, "padding": 1}),
    ("conv1d", lambda: torch.nn.Conv1d(4, 6, 5, padding=2), (2, 4, 7), {"padding": 2}),
]
for kind, make, shape, config in layers:
    layer = torch.nn.utils.spectral_norm(make().double())
    weight, u, v = layer.weight_orig.detach().clone(), layer.weight_u.clone(), layer.weight_v.clone()
    bias = layer.bias.detach().clone()
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    layer.train()
    y = layer(x)
    upstream = torch.randn_like(y)
    gx, gw, gb = torch.autograd.grad((y * upstream).sum(), [x, layer.weight_orig, layer.bias], create_graph=True)
    ggw, = torch.autograd.grad((gx ** 2).sum(), [layer.weight_orig])
    stepped_u, stepped_v = layer.weight_u.clone(), layer.weight_v.clone()
    layer.eval()
    with torch.no_grad():
        y_eval = layer(x)
    save(f"spectral_norm_{kind}", kind, config,
         {"x": x, "weight_orig": weight, "weight_u": u, "weight_v": v, "bias": bias, "upstream": upstream},
         {"y": y, "grad_x": gx, "grad_weight_orig": gw, "grad_bias": gb, "penalty_grad_weight_orig": ggw,
          "weight_u": stepped_u, "weight_v": stepped_v, "y_eval": y_eval})
