"""Writes PyTorch's values for the Inception network's operations (max and average pooling,
adaptive average pooling, bilinear resizing, concatenation along channels) in ../shared/oracle's
format (a JSON object: case, kind, config, inputs and expected as {"shape", "data"}), into DIR.
Each case: the forward value, the input gradient for a random upstream gradient, and the double
backward of a gradient penalty through a convolution in front of the op.
Usage: pooling_ops_oracle.py DIR. Float64 inside, rounded to float32 on output."""

import torch
import torch.nn.functional as F

from oracle_format import save

torch.manual_seed(29)

def op(config):
    kind = config["op"]
    if kind == "max_pool":
        return lambda h: F.max_pool2d(h, config["kernel"], config["stride"], config["padding"])
    if kind == "avg_pool":
        return lambda h: F.avg_pool2d(h, config["kernel"], config["stride"], config["padding"],
                                      count_include_pad=config["count_include_pad"])
    if kind == "adaptive_avg_pool":
        return lambda h: F.adaptive_avg_pool2d(h, 1)
    if kind == "resize_bilinear":
        return lambda h: F.interpolate(h, size=(config["height"], config["width"]), mode="bilinear", align_corners=False)
    raise ValueError(kind)


def case(name, config, shape, dtype=torch.float64):
    """x [N, C, H, W]; y = op(x); penalty through conv2d(x, w, padding 1) in front of the op."""
    x = torch.randn(*shape, dtype=dtype, requires_grad=True)
    f = op(config)
    y = f(x)
    upstream = torch.randn_like(y)
    gx, = torch.autograd.grad((y * upstream).sum(), [x])
    w = torch.randn(shape[1], shape[1], 3, 3, dtype=dtype, requires_grad=True)
    h = F.conv2d(x, w, padding=1)
    z = f(h)
    gh, = torch.autograd.grad((z * upstream).sum(), [x], create_graph=True)  # conv keeps the shape: z is y's shape
    gw, = torch.autograd.grad((gh ** 2).sum(), [w])
    save(name, "pooling_op", config, {"x": x, "upstream": upstream, "weight": w}, {"y": y, "grad_x": gx, "penalty_grad_weight": gw})


case("max_pool_3s2", {"op": "max_pool", "kernel": 3, "stride": 2, "padding": 0}, (2, 3, 9, 9))
case("max_pool_3s1p1", {"op": "max_pool", "kernel": 3, "stride": 1, "padding": 1}, (2, 2, 7, 8))
case("avg_pool_3s1p1_exclude_pad", {"op": "avg_pool", "kernel": 3, "stride": 1, "padding": 1, "count_include_pad": False}, (2, 3, 6, 7))
case("avg_pool_3s1p1_include_pad", {"op": "avg_pool", "kernel": 3, "stride": 1, "padding": 1, "count_include_pad": True}, (2, 3, 6, 7))
case("avg_pool_3s2p1_exclude_pad", {"op": "avg_pool", "kernel": 3, "stride": 2, "padding": 1, "count_include_pad": False}, (1, 2, 8, 9))
case("avg_pool_5s3_include_pad", {"op": "avg_pool", "kernel": 5, "stride": 3, "padding": 2, "count_include_pad": True}, (1, 2, 11, 10))
case("adaptive_avg_pool", {"op": "adaptive_avg_pool"}, (2, 3, 5, 7))
case("resize_up", {"op": "resize_bilinear", "height": 11, "width": 13}, (2, 3, 5, 7))
case("resize_down", {"op": "resize_bilinear", "height": 4, "width": 5}, (1, 2, 9, 8))
# The FID network's resize, in float32 as it runs: PyTorch computes source coordinates in the
# tensor's precision, and 299 output pixels put float32's rounding of them above the tolerance
# against float64 (GANKit reproduces the float32 coordinates).
case("resize_32_to_299", {"op": "resize_bilinear", "height": 299, "width": 299}, (1, 1, 32, 32), dtype=torch.float32)

# torch.cat along the channels of [N, C, H, W], with each part's gradient.
parts = [torch.randn(2, c, 3, 4, dtype=torch.float64, requires_grad=True) for c in (2, 1, 3)]
y = torch.cat(parts, 1)
upstream = torch.randn_like(y)
grads = torch.autograd.grad((y * upstream).sum(), parts)
save("concatenate_channels", "pooling_op", {"op": "concatenate"}, {"a": parts[0], "b": parts[1], "c": parts[2], "upstream": upstream},
     {"y": y, "grad_a": grads[0], "grad_b": grads[1], "grad_c": grads[2]})
