"""In-place ops: values, gradients and grad_fn names of scenarios that write through views and
indexers (CopySlices, regenerated AsStridedBackward0 views), and the in-place error texts."""
import torch


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return str(e)
    return None


def leaf():
    return torch.arange(12, dtype=torch.float64).reshape(3, 4).div(4).sub(1).requires_grad_(True)


def weight(n):
    return torch.arange(n, dtype=torch.float64) + 1


def scenario(build):
    x = leaf()
    y, extra = build(x)
    (y * weight(y.numel()).reshape(y.shape)).sum().backward()
    out = {"values": y.detach().flatten().tolist(), "shape": list(y.shape), "grad_fn": type(y.grad_fn).__name__, "grad": x.grad.flatten().tolist()}
    out.update(extra)
    return out


def setitem_slice(x):
    y = x * 1
    y[1:, :2] = x[:2, :2] * 3
    return y, {}


def setitem_scalar_index(x):
    z = torch.zeros(3, dtype=torch.float64)
    z[1] = x[0, 0] * x[1, 1]
    return z, {}


def write_base_read_view(x):
    y = x * 2
    v = y[0]
    y.mul_(3)
    return v, {"view_grad_fn": type(v.grad_fn).__name__}


def chain_of_in_place(x):
    y = x.sin()
    y.clamp_(-0.5, 0.5)
    y.mul_(x)
    y.add_(1)
    y.pow_(2)
    return y, {}


def column_write_sibling(x):
    y = x * 1
    row = y[0]
    y[:, 1] = x[:, 0].exp()
    return row * y[2], {"row_grad_fn": type(row.grad_fn).__name__}


def fill_and_zero_views(x):
    y = x * 1
    y[0].fill_(2)
    y[:, 3].zero_()
    return y * x, {}


def generate():
    out = {"scenarios": {}}
    for f in [setitem_slice, setitem_scalar_index, write_base_read_view, chain_of_in_place, column_write_sibling, fill_and_zero_views]:
        out["scenarios"][f.__name__] = scenario(f)
    x = leaf()
    y = x * 1
    e = {
        "leaf": err(lambda: x.add_(1)),
        "view_of_leaf": err(lambda: x[0].mul_(2)),
        "setitem_leaf": err(lambda: x.__setitem__(0, torch.ones(4, dtype=torch.float64))),
        "shape": err(lambda: y.add_(torch.ones(2, 3, 4, dtype=torch.float64))),
        "copy_shape": err(lambda: y.copy_(torch.ones(5))),
        "int_from_float": err(lambda: torch.ones(3, dtype=torch.int64).mul_(0.5)),
        "int_sin": err(lambda: torch.ones(3, dtype=torch.int64).sin_()),
    }
    a = x.sigmoid()
    a.mul_(2)
    e["saved_output"] = err(lambda: a.sum().backward())
    w = torch.ones(3, 4, dtype=torch.float64)
    z = x * w
    w.add_(1)
    e["saved_input"] = err(lambda: z.sum().backward())
    out["errors"] = e
    return out
