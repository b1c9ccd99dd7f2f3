"""Autograd in depth: hooks, custom functions, anomaly detection, inference mode, saved-tensor hooks,
checkpoint: values, gradients and error texts from PyTorch 1.13."""
import torch
from torch.autograd.function import once_differentiable


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return str(e)
    return None


def x3():
    return torch.tensor([1.0, -2.0, 3.0], dtype=torch.float64, requires_grad=True)


def hooks():
    out = {}
    x = x3()
    y = x * 2
    y.register_hook(lambda g: g * 10)
    h = x.register_hook(lambda g: g + 1)
    (y * y).sum().backward()
    out["tensor_hooks_grad"] = x.grad.tolist()
    h.remove()
    x.grad = None
    y = x * 2
    (y * y).sum().backward()
    out["after_remove_grad"] = x.grad.tolist()
    x = x3()
    z = x.exp()
    seen = {}
    z.grad_fn.register_prehook(lambda go: (go[0] * 3,))
    z.grad_fn.register_hook(lambda gi, go: seen.update(gi=gi[0].tolist(), go=go[0].tolist()))
    z.sum().backward()
    out["node_hooks_grad"] = x.grad.tolist()
    out["node_hook_seen"] = seen
    x = x3()
    g, = torch.autograd.grad((x * x).sum(), [x])
    x.register_hook(lambda g: g * 0)
    g2, = torch.autograd.grad((x * x).sum(), [x])
    out["grad_with_leaf_hook"] = g2.tolist()
    out["errors"] = {"hook_no_grad": err(lambda: torch.ones(2).register_hook(lambda g: g))}
    return out


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g


class TwoOut(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, y):
        return x + y, x * y

    @staticmethod
    def backward(ctx, ga, gb):
        return ga + gb * 2, ga - gb


class WrongCount(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g, g


class WrongShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return torch.ones(5, dtype=torch.float64)


class Once(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2

    @staticmethod
    @once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g


class Dirty(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2


def functions():
    out = {}
    x = x3()
    y = Cube.apply(x)
    out["cube_name"] = type(y.grad_fn).__name__
    g, = torch.autograd.grad(y.sum(), [x], create_graph=True)
    out["cube_grad"] = g.tolist()
    gg, = torch.autograd.grad(g.sum(), [x])
    out["cube_gradgrad"] = gg.tolist()
    a, b = x3(), x3()
    s, p = TwoOut.apply(a, b)
    (s * 2 + p * 3).sum().backward()
    out["two_out_grads"] = [a.grad.tolist(), b.grad.tolist()]
    x = x3()
    y = Cube.apply(x)
    x2 = x * 1
    out["errors"] = {
        "wrong_count": err(lambda: WrongCount.apply(x3()).sum().backward()),
        "wrong_shape": err(lambda: WrongShape.apply(x3()).sum().backward()),
        "dirty_leaf": err(lambda: Dirty.apply(x3())),
    }
    x = x3()
    y = Once.apply(x)
    g, = torch.autograd.grad((y * x).sum(), [x], create_graph=True)
    out["once_grad"] = g.tolist()
    out["errors"]["once_twice"] = err(lambda: g.sum().backward())
    x = x3()
    d = Dirty.apply(x * 1)
    out["dirty_name"] = type(d.grad_fn).__name__
    d.sum().backward()
    out["dirty_grad"] = x.grad.tolist()
    return out


def anomaly():
    out = {}
    with torch.autograd.detect_anomaly():
        a = torch.tensor([0.0, 1.0], requires_grad=True)
        b = a / a
        out["nan_error"] = err(lambda: b.sum().backward())
    return out


def inference():
    out = {}
    with torch.inference_mode():
        i = torch.ones(3)
        out["inside"] = [i.is_inference(), torch.is_inference_mode_enabled(), torch.is_grad_enabled(), (i * 2).requires_grad]
    out["outside"] = [i.is_inference(), torch.is_inference_mode_enabled(), torch.ones(2).is_inference()]
    w = torch.ones(3, requires_grad=True)
    out["errors"] = {
        "save": err(lambda: (w * i).sum().backward()),
        "in_place": err(lambda: i.add_(1)),
        "requires_grad": err(lambda: i.requires_grad_()),
    }
    (w + i).sum().backward()
    out["add_ok_grad"] = w.grad.tolist()
    return out


def saved_hooks():
    out = {"packed": 0, "unpacked": 0}

    def pack(t):
        out["packed"] += 1
        return t.clone() * 1

    def unpack(t):
        out["unpacked"] += 1
        return t

    x = x3()
    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (x * x).exp()
    y.sum().backward()
    out["grad"] = x.grad.tolist()
    return out


def checkpoint():
    import torch.utils.checkpoint as cp
    x = x3()
    w = torch.tensor([0.5, 1.5, -1.0], dtype=torch.float64, requires_grad=True)
    y = cp.checkpoint(lambda t: (t * w).exp().sin(), x, use_reentrant=True)
    y.sum().backward()
    return {"x_grad": x.grad.tolist(), "w_grad": w.grad.tolist(), "name": type(y.grad_fn).__name__}


def generate():
    return {"hooks": hooks(), "functions": functions(), "anomaly": anomaly(), "inference": inference(),
            "saved_hooks": saved_hooks(), "checkpoint": checkpoint()}
