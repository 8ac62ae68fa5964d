"""Writes PyTorch's values for the character-level GAN's operations, in ../shared/oracle's format
(a JSON object: case, kind, config, inputs and expected as {"shape", "data"}), into DIR.
Usage: text_ops_oracle.py DIR. Float64 inside, rounded to float32 on output."""

import torch

from oracle_format import save

torch.manual_seed(17)

# conv1d: forward, first-order gradients, and the double backward of a WGAN-GP-style penalty.
# Cases 2 and 3 are wide enough that the automatic choice is the 1-D Winograd form (F(4, 5) on the
# text nets' layer, F(6, 3) with a partial last tile), with weights at the scale of PyTorch's initialisation.
for i, (n, c, length, o, k, p) in enumerate([(2, 3, 7, 4, 5, 2), (3, 5, 6, 2, 1, 0), (2, 20, 32, 24, 5, 2), (2, 17, 11, 16, 3, 1)]):
    x = torch.randn(n, c, length, dtype=torch.float64, requires_grad=True)
    w = (torch.randn(o, c, k, dtype=torch.float64) * (1 if i < 2 else (c * k) ** -0.5)).requires_grad_(True)
    b = torch.randn(o, dtype=torch.float64, requires_grad=True)
    y = torch.nn.functional.conv1d(x, w, b, padding=p)
    upstream = torch.randn_like(y)
    gx, gw, gb = torch.autograd.grad((y * upstream).sum(), [x, w, b], create_graph=True)
    penalty = (gx ** 2).sum()
    ggw, = torch.autograd.grad(penalty, [w])
    save(f"conv1d_{i}", "conv1d", {"padding": p}, {"x": x, "weight": w, "bias": b, "upstream": upstream},
         {"y": y, "grad_x": gx, "grad_weight": gw, "grad_bias": gb, "penalty_grad_weight": ggw})

# softmax over the channel axis of [N, V, L], with a second-order term through it.
x = torch.randn(2, 5, 3, dtype=torch.float64, requires_grad=True) * 3
x.retain_grad()
y = torch.softmax(x, dim=1)
upstream = torch.randn_like(y)
gx, = torch.autograd.grad((y * upstream).sum(), [x], create_graph=True)
ggx, = torch.autograd.grad((gx ** 2).sum(), [x])
save("softmax_0", "softmax", {"axis": 1}, {"x": x, "upstream": upstream}, {"y": y, "grad_x": gx, "grad_of_grad_norm": ggx})

# One residual block of WGAN-GP's language model: x + 0.3 · conv(relu(conv(relu(x)))).
x = torch.randn(2, 4, 6, dtype=torch.float64, requires_grad=True)
w1 = torch.randn(4, 4, 5, dtype=torch.float64, requires_grad=True) * 0.3
b1 = torch.randn(4, dtype=torch.float64, requires_grad=True)
w2 = torch.randn(4, 4, 5, dtype=torch.float64, requires_grad=True) * 0.3
b2 = torch.randn(4, dtype=torch.float64, requires_grad=True)
for v in (w1, w2):
    v.retain_grad()
h = torch.nn.functional.conv1d(torch.relu(x), w1, b1, padding=2)
y = x + 0.3 * torch.nn.functional.conv1d(torch.relu(h), w2, b2, padding=2)
upstream = torch.randn_like(y)
gx, g1, g2 = torch.autograd.grad((y * upstream).sum(), [x, w1, w2], create_graph=True)
pg1, pg2 = torch.autograd.grad((gx ** 2).sum(), [w1, w2])
save("residual_block_0", "residual_block", {"scale": 0.3, "padding": 2},
     {"x": x, "w1": w1, "b1": b1, "w2": w2, "b2": b2, "upstream": upstream},
     {"y": y, "grad_x": gx, "grad_w1": g1, "grad_w2": g2, "penalty_grad_w1": pg1, "penalty_grad_w2": pg2})
