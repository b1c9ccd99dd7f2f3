"""Forward-mode AD (torch.autograd.forward_ad): dual tensors, tangents of composite functions, in-place ops
on dual tensors, tangents beside gradients, printing and error texts, from PyTorch 1.13.

Inputs are literal or arange-based, written to the fixture, so the C# side rebuilds them exactly; each case
is named and the C# test applies its own version of the same function."""
import torch
import torch.nn.functional as F
import torch.autograd.forward_ad as fwAD

f64 = torch.float64


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return {"type": type(e).__name__, "message": str(e)}
    return None


def enc(x):
    return {"shape": list(x.shape), "values": x.detach().reshape(-1).tolist(), "dtype": str(x.dtype)}


def inputs():
    a = (torch.arange(6, dtype=f64).reshape(2, 3) - 2.5) / 2   # [[-1.25, -0.75, -0.25], [0.25, 0.75, 1.25]]
    b = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], dtype=f64)
    ua = torch.tensor([[1.0, 0.5, -1.0], [2.0, 0.0, 0.25]], dtype=f64)
    ub = torch.tensor([[-0.5, 1.0, 0.75], [0.0, -2.0, 1.0]], dtype=f64)
    v = torch.tensor([0.5, -1.5, 1.0], dtype=f64)
    uv = torch.tensor([1.0, 2.0, -1.0], dtype=f64)
    return [a, b, v], [ua, ub, uv]


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        ctx.save_for_forward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 2 * x * g

    @staticmethod
    def jvp(ctx, u):
        x, = ctx.saved_tensors
        return 2 * x * u


def composites():
    """name -> f(a, b, v) on dual inputs; the C# test has the same table."""
    return {
        "mul_sin_sum": lambda a, b, v: (a * b).sin().sum(),
        "exp_div": lambda a, b, v: a.exp() / (b * b + 1),
        "pow_sqrt": lambda a, b, v: (a * a + 1).sqrt().pow(3),
        "pow_tensor": lambda a, b, v: (a.abs() + 0.5).pow(b),
        "rsub_reciprocal": lambda a, b, v: 1 - 2 / (b.abs() + 1),
        "softmax": lambda a, b, v: torch.softmax(a * b, 1),
        "log_softmax": lambda a, b, v: torch.log_softmax(a, 0),
        "matmul": lambda a, b, v: a @ b.t(),
        "mv": lambda a, b, v: a.mv(v),
        "broadcast_add": lambda a, b, v: a + v,
        "broadcast_plain": lambda a, b, v: v + torch.ones(2, 3, dtype=f64),
        "where_relu_tanh": lambda a, b, v: torch.where(a > 0, a.relu(), b.tanh()),
        "sigmoid_mean": lambda a, b, v: a.sigmoid().mean(1),
        "norm": lambda a, b, v: a.norm(),
        "cat": lambda a, b, v: torch.cat([a, b * 2], 1),
        "stack": lambda a, b, v: torch.stack([a, v.expand(2, 3)], 0),
        "max_dim": lambda a, b, v: a.max(1).values,
        "max_all": lambda a, b, v: b.max(),
        "clamp": lambda a, b, v: a.clamp(-0.5, 0.5),
        "maximum": lambda a, b, v: torch.maximum(a, b),
        "view_chain": lambda a, b, v: a.t().reshape(-1)[1:5].unsqueeze(0),
        "var_std": lambda a, b, v: a.var(1) + b.std(),
        "prod": lambda a, b, v: b.prod(1),
        "logsumexp": lambda a, b, v: a.logsumexp(1),
        "mse_loss": lambda a, b, v: F.mse_loss(a, b),
        "cross_entropy": lambda a, b, v: F.cross_entropy(a, torch.tensor([2, 0])),
        "index_select": lambda a, b, v: a.index_select(1, torch.tensor([2, 0, 2])),
        "masked_fill": lambda a, b, v: b.masked_fill(a > 0, 0.0),
        "split": lambda a, b, v: a.split(2, 1)[1] * 3,
        "custom_function_jvp": lambda a, b, v: Square.apply(a) + b,
        "no_grad_mode": lambda a, b, v: no_grad(lambda: (a * b).exp()),
        "inference_mode": lambda a, b, v: inference(lambda: (a * b).exp()),
    }


def inference(f):
    with torch.inference_mode():
        return f()


def no_grad(f):
    with torch.no_grad():
        return f()


def run(f, primals, tangents):
    with fwAD.dual_level():
        duals = [fwAD.make_dual(p, u) for p, u in zip(primals, tangents)]
        y = f(*duals)
        p, t = fwAD.unpack_dual(y)
        return {"value": enc(p), "tangent": None if t is None else enc(t)}


def in_place_cases():
    """name -> f(a, b, v) built from in-place ops; the C# test has the same table."""
    def chain(a, b, v):
        z = a.clone()
        z.mul_(b)
        z.exp_()
        return z

    def plain_by_dual(a, b, v):
        z = torch.zeros(2, 3, dtype=f64)
        z.add_(a)
        return z

    def view_of_plain(a, b, v):
        z = torch.zeros(2, 3, dtype=f64)
        z[1].add_(v)
        return z

    def sibling_view(a, b, v):
        z = torch.zeros(2, 3, dtype=f64)
        first = z[0]
        z[1].add_(v)
        return first * 1

    def view_of_dual(a, b, v):
        z = a.clone()
        z[0].mul_(b[1])
        return z

    def dual_view_then_base(a, b, v):
        z = a * 1
        row = z[1]
        z.mul_(b)
        return row * 1

    def setitem(a, b, v):
        z = torch.zeros(2, 3, dtype=f64)
        z[:, 1] = a[:, 0] * 2
        return z

    def copy_(a, b, v):
        z = torch.zeros(2, 3, dtype=f64)
        z.copy_(v)
        return z

    def zero_(a, b, v):
        return a.clone().zero_()

    def dual_by_plain(a, b, v):
        z = a.clone()
        z.div_(torch.full((2, 3), 4.0, dtype=f64))
        return z

    return {
        "chain": chain, "plain_by_dual": plain_by_dual, "view_of_plain": view_of_plain,
        "sibling_view": sibling_view, "view_of_dual": view_of_dual, "dual_view_then_base": dual_view_then_base,
        "setitem": setitem, "copy_": copy_, "zero_": zero_, "dual_by_plain": dual_by_plain,
    }


def reprs():
    out = {}
    with fwAD.dual_level():
        out["vector"] = repr(fwAD.make_dual(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([1.0, 0.0, 0.5])))
        out["scalar"] = repr(fwAD.make_dual(torch.tensor(2.0), torch.tensor(3.0)))
        out["scalar_float32_third"] = repr(fwAD.make_dual(torch.tensor(2.0), torch.tensor(1 / 3)))
        out["scalar_float64_third"] = repr(fwAD.make_dual(torch.tensor(2.0, dtype=f64), torch.tensor(1 / 3, dtype=f64)))
        out["scalar_small"] = repr(fwAD.make_dual(torch.tensor(2.0, dtype=f64), torch.tensor(1e-5, dtype=f64)))
        out["scalar_large"] = repr(fwAD.make_dual(torch.tensor(2.0, dtype=f64), torch.tensor(2.5e16, dtype=f64)))
        x = torch.ones(2, 2, dtype=f64, requires_grad=True)
        out["requires_grad"] = repr(fwAD.make_dual(x, torch.ones(2, 2, dtype=f64) * 1e-5))
        d = fwAD.make_dual(torch.tensor([1.5, -2.0]), torch.tensor([1.0, 2.0]))
        out["result"] = repr(d * 2)
        out["unpacked"] = repr(fwAD.unpack_dual(d))
        out["unpacked_plain"] = repr(fwAD.unpack_dual(torch.tensor([1.0, 2.0])))
        out["float64_tangent_of_float32"] = repr(fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.tensor([0.5, 1.0], dtype=f64)))
    out["outside_level"] = repr(fwAD.unpack_dual(torch.tensor([1.0])))
    return out


def errors():
    x = torch.tensor([1.0, 2.0, 3.0])
    out = {"no_level": err(lambda: fwAD.make_dual(x, torch.ones(3))),
           "exit_without_level": err(lambda: fwAD.exit_dual_level())}
    with fwAD.dual_level():
        out["size"] = err(lambda: fwAD.make_dual(x, torch.ones(2)))
        out["size_2d"] = err(lambda: fwAD.make_dual(x, torch.ones(1, 3)))
        out["primal_dtype"] = err(lambda: fwAD.make_dual(x.long(), torch.ones(3)))
        out["tangent_dtype"] = err(lambda: fwAD.make_dual(x, torch.ones(3).long()))
        out["bool_primal"] = err(lambda: fwAD.make_dual(x > 1, torch.ones(3)))

        def nested():
            with fwAD.dual_level():
                pass
        out["nested"] = err(nested)
        d = fwAD.make_dual(x, torch.ones(3))
        out["already_dual"] = err(lambda: fwAD.make_dual(d, torch.ones(3)))
        out["already_dual_wrong_size"] = err(lambda: fwAD.make_dual(d, torch.ones(2)))
        out["exit_wrong_level"] = err(lambda: fwAD.exit_dual_level(level=1))
        leaf = torch.ones(2, requires_grad=True)
        out["in_place_on_dual_of_leaf"] = err(lambda: fwAD.make_dual(leaf, torch.ones(2)).mul_(2))
        e = fwAD.make_dual(torch.tensor([1.0, 2.0]), torch.ones(2, requires_grad=True))
        out["in_place_on_tangent_leaf"] = err(lambda: e.mul_(3))
        out["custom_jvp_count"] = err(lambda: BadJvp.apply(fwAD.make_dual(torch.ones(2), torch.ones(2))))
    return out


class BadJvp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2

    @staticmethod
    def jvp(ctx, u):
        return u, u


def graph_and_levels():
    out = {}
    with fwAD.dual_level() as level:
        out["level"] = level
        x = torch.tensor([1.0, 2.0], dtype=f64, requires_grad=True)
        d = fwAD.make_dual(x, torch.tensor([1.0, 3.0], dtype=f64))
        out["make_dual_grad_fn"] = d.grad_fn.name()
        out["make_dual_is_leaf"] = d.is_leaf
        p, _ = fwAD.unpack_dual(d)
        out["unpack_grad_fn"] = p.grad_fn.name().rsplit("::", 1)[-1]
        out["unpack_plain_grad_fn"] = None if fwAD.unpack_dual(torch.ones(2)).primal.grad_fn is None else "?"
        z = (d.exp() * d).sum()
        out["coexist_grad_fn"] = z.grad_fn.name()
        out["coexist_tangent"] = fwAD.unpack_dual(z).tangent.item()
        out["coexist_tangent_requires_grad"] = fwAD.unpack_dual(z).tangent.requires_grad
        z.backward()
        out["coexist_grad"] = x.grad.tolist()
        # a tangent that requires grad: the tangent is differentiable
        u = torch.tensor([1.0, -1.0], dtype=f64, requires_grad=True)
        e = fwAD.make_dual(torch.tensor([0.5, 2.0], dtype=f64), u)
        t = fwAD.unpack_dual((e * e * e).sum()).tangent
        out["tangent_of_tangent_grad"] = torch.autograd.grad(t, u)[0].tolist()
        # in place on a dual tensor whose tangent is differentiable: the tangent is updated by a recorded copy
        u2 = torch.tensor([1.0, -1.0], dtype=f64, requires_grad=True)
        w = torch.tensor([2.0, 5.0], dtype=f64, requires_grad=True)
        e2 = fwAD.make_dual(torch.tensor([1.0, 2.0], dtype=f64), u2 * 3)
        e2.mul_(w)
        t2 = fwAD.unpack_dual(e2).tangent
        out["in_place_differentiable_tangent"] = t2.tolist()
        out["in_place_differentiable_tangent_grads"] = [g.tolist() for g in torch.autograd.grad((t2 * t2).sum(), [u2, w])]
        y = d * 2
    out["after_exit_tangent_is_none"] = fwAD.unpack_dual(y).tangent is None
    with fwAD.dual_level():
        out["reentered_tangent_is_none"] = fwAD.unpack_dual(y).tangent is None
    return out


def forward_over_reverse():
    # Hessian-vector product: the tangent of a gradient (computed inside the level).
    with fwAD.dual_level():
        primal, _ = inputs()
        a = primal[0].clone().requires_grad_(True)
        u = torch.tensor([[1.0, 0.0, -1.0], [0.5, 2.0, 0.0]], dtype=f64)
        d = fwAD.make_dual(a, u)
        y = (d.sin() * d * d).sum()
        g, = torch.autograd.grad(y, a, create_graph=True)
        return {"grad": enc(fwAD.unpack_dual(g).primal), "hvp": enc(fwAD.unpack_dual(g).tangent)}


def generate():
    primals, tangents = inputs()
    return {
        "inputs": {"primals": [enc(p) for p in primals], "tangents": [enc(u) for u in tangents]},
        "composites": {name: run(f, primals, tangents) for name, f in composites().items()},
        "in_place": {name: run(f, primals, tangents) for name, f in in_place_cases().items()},
        "float32_primal_float64_tangent": run(lambda a: a * 2, [torch.tensor([1.0, 2.0])], [torch.tensor([0.5, 1.0], dtype=f64)]),
        "reprs": reprs(),
        "errors": errors(),
        "graph": graph_and_levels(),
        "forward_over_reverse": forward_over_reverse(),
    }
