"""Golden fixtures for reductions (max/min/argmax/argmin, norm, prod, var/std, logsumexp, sum dtypes)
and linear algebra (mm, bmm, mv, dot, matmul).

Every case records its inputs, the forward value (and indices), the grad_fn name, the gradients of
(op(x) * w).sum() and, for some, second derivatives: the gradient of sum(grad_i * v_i) with the
first-order gradients taken with create_graph=True. Inputs and weights are arange-based multiples of
1/4 or 1/8, exact in float32. Special floats are written as the strings "nan", "inf", "-inf".
"""
import math

import torch

INF = float("inf")
NAN = float("nan")


def num(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def enc(t):
    t = t.detach()
    if t._is_zerotensor():  # PyTorch's lazily-allocated zeros (from some double backward formulas)
        t = torch.zeros(t.shape, dtype=t.dtype)
    return {"shape": list(t.shape), "dtype": str(t.dtype).replace("torch.", ""),
            "values": [num(v) for v in t.reshape(-1).tolist()]}


def pattern(*shape, dtype=torch.float32, mul=7, mod=11, offset=5, scale=0.25):
    """Distinct-ish values: ((i * mul) % mod - offset) * scale, exact in float32."""
    n = math.prod(shape)
    t = ((torch.arange(n, dtype=torch.float64) * mul) % mod - offset) * scale
    return t.reshape(shape).to(dtype)


def weight(shape, dtype):
    n = math.prod(shape)
    return ((torch.arange(n, dtype=torch.float64) % 5 + 1) * 0.5).reshape(shape).to(dtype)


def tensor(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype)


CASES = []
ERRORS = []


def arg_json(args):
    return {k: num(v) if isinstance(v, float) else v for k, v in args.items()}


def case(name, op, fn, inputs, args=None, double=False, grad=True):
    """grad=False records the forward only (PyTorch 1.13 fails in some degenerate backward cases)."""
    args = args or {}
    xs = [x.clone().requires_grad_(grad and x.is_floating_point()) for x in inputs]
    out = fn(*xs)
    indices = None
    if isinstance(out, tuple):
        out, indices = out.values, out.indices
    entry = {"name": name, "op": op, "args": arg_json(args), "inputs": [enc(x) for x in inputs],
             "out": enc(out), "grad_fn": out.grad_fn.name() if out.grad_fn is not None else None}
    if indices is not None:
        entry["indices"] = enc(indices)
    if out.requires_grad:
        w = weight(out.shape, out.dtype)
        diff = [x for x in xs if x.requires_grad]
        grads = torch.autograd.grad((out * w).sum(), diff, allow_unused=True, create_graph=double)
        entry["weight"] = enc(w)
        entry["grads"] = [enc(g) if g is not None else None for g in grads]
        if double:
            vs = [pattern(*x.shape, dtype=x.dtype, mul=3, mod=7, offset=3, scale=0.5) for x in diff]
            terms = [(g * v).sum() for g, v in zip(grads, vs) if g is not None and g.requires_grad]
            gg = torch.autograd.grad(sum(terms), diff, allow_unused=True) if terms else [None] * len(diff)
            entry["v"] = [enc(v) for v in vs]
            entry["gradgrads"] = [enc(g) if g is not None else enc(torch.zeros_like(x)) for g, x in zip(gg, diff)]
    CASES.append(entry)


def error(name, op, fn, inputs, args=None):
    try:
        fn(*inputs)
    except Exception as e:  # noqa: BLE001 - we record whatever torch raises
        ERRORS.append({"name": name, "op": op, "args": arg_json(args or {}), "inputs": [enc(x) for x in inputs],
                       "type": type(e).__name__, "error": str(e)})
        return
    raise AssertionError(f"{name} did not raise")


def chain(t):
    names = []

    def rec(fn):
        if fn is None:
            return
        names.append(fn.name().replace("torch::autograd::", ""))
        for nxt, _ in fn.next_functions:
            rec(nxt)
    rec(t.grad_fn)
    return names


def reductions():
    x = pattern(3, 4)
    ties = tensor([[2., 5., 5., -1.], [1., 1., 0., 1.], [-3., -3., -3., -3.]])
    nans = tensor([[1., NAN, 3., NAN], [0.5, 2., -1., 2.], [NAN, -4., 8., 0.]])
    ints = pattern(3, 4, dtype=torch.int64, scale=1)
    bools = tensor([[True, False, True], [False, False, True]], torch.bool)
    x3 = pattern(2, 3, 4, dtype=torch.float64)
    scalar = tensor(3.5)

    for nm, t in [("x", x), ("ties", ties), ("nans", nans), ("ints", ints), ("bools", bools), ("x3", x3), ("scalar", scalar)]:
        case(f"max_{nm}", "max", lambda a: a.max(), [t], double=nm == "ties")
        case(f"min_{nm}", "min", lambda a: a.min(), [t])
    for nm, t, dims in [("x", x, [0, 1, -1]), ("ties", ties, [1]), ("nans", nans, [0, 1]), ("ints", ints, [1]),
                        ("bools", bools, [0]), ("x3", x3, [0, 1, 2]), ("scalar", scalar, [0])]:
        for d in dims:
            for k in [False, True]:
                a = {"dim": d, "keepdim": k}
                case(f"max_dim_{nm}_{d}_{k}", "max_dim", lambda t_, d=d, k=k: t_.max(d, k), [t], a, double=nm == "x3" and d == 1)
                case(f"min_dim_{nm}_{d}_{k}", "min_dim", lambda t_, d=d, k=k: t_.min(d, k), [t], a)
    for nm, t in [("x", x), ("ties", ties), ("nans", nans), ("ints", ints), ("x3", x3), ("scalar", scalar)]:
        for d in [None, 0, -1]:
            for k in [False, True]:
                a = {"dim": d, "keepdim": k}
                case(f"argmax_{nm}_{d}_{k}", "argmax", lambda t_, d=d, k=k: t_.argmax(d, k), [t], a)
                case(f"argmin_{nm}_{d}_{k}", "argmin", lambda t_, d=d, k=k: t_.argmin(d, k), [t], a)

    # Sum dtypes (ints and bools sum to int64).
    for nm, t in [("ints", ints), ("int32", ints.int()), ("bools", bools)]:
        case(f"sum_{nm}", "sum", lambda a: a.sum(), [t])
        case(f"prod_{nm}", "prod", lambda a: a.prod(), [t], {"dim": None, "keepdim": False})

    # Norms.
    zrow = tensor([[1., -2., 0.5, 0.], [0., 0., 0., 0.], [-3., 1., 1., -3.]])
    for p in [2, 1, INF, -INF, 0, 3, 1.5, 0.5, -1]:
        src = zrow if p > -1 else zrow.abs() + 0.5
        for dims in [None, [1], [0, 1]]:
            for k in [False, True]:
                if dims is None and k:
                    continue
                a = {"p": p, "dim": dims, "keepdim": k}
                f = (lambda t_, p=p: t_.norm(p)) if dims is None else (lambda t_, p=p, dims=dims, k=k: t_.norm(p, dims, k))
                case(f"norm_{p}_{dims}_{k}", "norm", f, [src], a, double=dims == [1] and not k and p not in (INF, -INF, 0))
    case("norm_x3_f64", "norm", lambda t_: t_.norm(3, [0, 2], True), [x3], {"p": 3, "dim": [0, 2], "keepdim": True}, double=True)
    case("norm_scalar", "norm", lambda t_: t_.norm(), [scalar], {"p": 2, "dim": None, "keepdim": False})
    case("norm_zero_vector", "norm", lambda t_: t_.norm(), [torch.zeros(3)], {"p": 2, "dim": None, "keepdim": False})
    case("norm_nan", "norm", lambda t_: t_.norm(INF, [1]), [nans], {"p": INF, "dim": [1], "keepdim": False})
    case("norm_empty_inf", "norm", lambda t_: t_.norm(INF), [torch.zeros(0, 3)], {"p": INF, "dim": None, "keepdim": False})
    for dims in [None, [1]]:
        case(f"vector_norm_{dims}", "vector_norm", lambda t_, dims=dims: torch.linalg.vector_norm(t_, 2, dims), [zrow],
             {"ord": 2, "dim": dims, "keepdim": False})

    # Products, with zeros.
    zeros = tensor([[0., 2., 3., 0.5], [0., 0., 1., 2.], [4., 5., 6., -0.5], [1.5, -1., 1., 0.]])
    case("prod_x", "prod", lambda a: a.prod(), [x.abs() + 0.25], {"dim": None, "keepdim": False}, double=True)
    case("prod_one_zero", "prod", lambda a: a.prod(), [tensor([[2., 0., 3.], [0.5, -1., 4.]])], {"dim": None, "keepdim": False}, double=True)
    case("prod_two_zeros", "prod", lambda a: a.prod(), [zeros], {"dim": None, "keepdim": False})
    for d in [0, 1]:
        for k in [False, True]:
            case(f"prod_zeros_{d}_{k}", "prod", lambda a, d=d, k=k: a.prod(d, k), [zeros], {"dim": d, "keepdim": k},
                 double=d == 0 and not k)
    case("prod_dim_x3", "prod", lambda a: a.prod(1), [x3.abs() + 0.5], {"dim": 1, "keepdim": False}, double=True)
    case("prod_scalar", "prod", lambda a: a.prod(), [scalar], {"dim": None, "keepdim": False})
    case("prod_scalar_zero", "prod", lambda a: a.prod(0), [tensor(0.)], {"dim": 0, "keepdim": False})
    case("prod_ints_dim", "prod", lambda a: a.prod(1), [ints], {"dim": 1, "keepdim": False})
    case("prod_dtype", "prod", lambda a: a.prod(dtype=torch.float64), [x.abs() + 1], {"dim": None, "keepdim": False, "dtype": "float64"})

    # Variance and standard deviation.
    flat = tensor([[3., 3., 3.], [1., 2., 4.]])
    for op in ["var", "std"]:
        f = getattr(torch.Tensor, op)
        case(f"{op}_all", op, lambda a, f=f: f(a), [x], {"unbiased": True}, double=True)
        case(f"{op}_all_biased", op, lambda a, f=f: f(a, unbiased=False), [x], {"unbiased": False})
        case(f"{op}_dim", op, lambda a, f=f: f(a, 1), [x], {"dim": 1, "unbiased": True, "keepdim": False}, double=True)
        case(f"{op}_dim_keepdim_biased", op, lambda a, f=f: f(a, 0, False, True), [x], {"dim": 0, "unbiased": False, "keepdim": True})
        case(f"{op}_dims", op, lambda a, f=f: f(a, [0, 2], True, False), [x3], {"dims": [0, 2], "unbiased": True, "keepdim": False})
        case(f"{op}_correction", op, lambda a, f=f: f(a, [1], correction=2, keepdim=True), [x], {"dims": [1], "correction": 2, "keepdim": True})
        case(f"{op}_correction_all", op, lambda a, f=f: f(a, None, correction=0), [x], {"dims": None, "correction": 0, "keepdim": False})
        case(f"{op}_constant_row", op, lambda a, f=f: f(a, 1), [flat], {"dim": 1, "unbiased": True, "keepdim": False})
        # n - correction == 0: NaN; PyTorch 1.13's backward fails on these (a shape bug), so forward only.
        case(f"{op}_single", op, lambda a, f=f: f(a), [tensor([2.5])], {"unbiased": True}, grad=False)
        case(f"{op}_empty", op, lambda a, f=f: f(a), [torch.zeros(0)], {"unbiased": True}, grad=False)

    # Log-sum-exp.
    case("logsumexp_dim", "logsumexp", lambda a: a.logsumexp(1), [x], {"dims": [1], "keepdim": False}, double=True)
    case("logsumexp_dims_keepdim", "logsumexp", lambda a: a.logsumexp([0, 2], True), [x3], {"dims": [0, 2], "keepdim": True})
    case("logsumexp_inf", "logsumexp", lambda a: a.logsumexp(1), [tensor([[-INF, -INF], [INF, 1.], [0., -INF]])], {"dims": [1], "keepdim": False})
    case("logsumexp_ints", "logsumexp", lambda a: a.logsumexp(0), [ints], {"dims": [0], "keepdim": False})
    case("logsumexp_scalar", "logsumexp", lambda a: a.logsumexp(0), [scalar], {"dims": [0], "keepdim": False})

    # Errors.
    empty = torch.zeros(0, 3)
    error("max_empty", "max", lambda a: a.max(), [torch.zeros(0)])
    error("min_empty", "min", lambda a: a.min(), [torch.zeros(0)])
    error("argmax_empty", "argmax", lambda a: a.argmax(), [torch.zeros(0)], {"dim": None, "keepdim": False})
    error("argmin_empty", "argmin", lambda a: a.argmin(), [torch.zeros(0)], {"dim": None, "keepdim": False})
    error("max_dim_empty", "max_dim", lambda a: a.max(0), [empty], {"dim": 0, "keepdim": False})
    error("min_dim_empty", "min_dim", lambda a: a.min(-2), [empty], {"dim": -2, "keepdim": False})
    error("argmax_dim_empty", "argmax", lambda a: a.argmax(0), [empty], {"dim": 0, "keepdim": False})
    error("max_dim_range", "max_dim", lambda a: a.max(2), [x], {"dim": 2, "keepdim": False})
    error("argmax_bool", "argmax", lambda a: a.argmax(), [bools], {"dim": None, "keepdim": False})
    error("argmax_bool_dim", "argmax", lambda a: a.argmax(1), [bools], {"dim": 1, "keepdim": False})
    error("argmin_bool", "argmin", lambda a: a.argmin(), [bools], {"dim": None, "keepdim": False})
    error("norm_long", "norm", lambda a: a.norm(), [ints], {"p": 2, "dim": None, "keepdim": False})
    error("norm_bool", "norm", lambda a: a.norm(1, [0]), [bools], {"p": 1, "dim": [0], "keepdim": False})
    error("vector_norm_long", "vector_norm", lambda a: torch.linalg.vector_norm(a), [ints], {"ord": 2, "dim": None, "keepdim": False})
    error("var_long", "var", lambda a: a.var(), [ints], {"unbiased": True})
    error("std_bool", "std", lambda a: a.std(0), [bools], {"dim": 0, "unbiased": True, "keepdim": False})
    error("norm_dims_repeat", "norm", lambda a: a.norm(2, [1, 1]), [x], {"p": 2, "dim": [1, 1], "keepdim": False})


def linalg():
    a23, a34, a35 = pattern(2, 3), pattern(3, 4, mul=5, mod=13, offset=6), pattern(3, 5)
    v3, v4 = pattern(3, mul=3, mod=5, offset=2), pattern(4, mul=3, mod=7, offset=3)
    b234, b243 = pattern(2, 3, 4), pattern(2, 4, 3, mul=5, mod=9, offset=4)
    cases = [
        ("mm", "mm", [a23, a34]),
        ("mm_f64", "mm", [a23.double(), a34.double()]),
        ("mm_long", "mm", [pattern(2, 3, dtype=torch.int64, scale=1), pattern(3, 4, dtype=torch.int64, scale=1)]),
        ("mm_int32", "mm", [pattern(2, 3, dtype=torch.int32, scale=1), pattern(3, 4, dtype=torch.int32, scale=1)]),
        ("mm_empty_k", "mm", [torch.zeros(2, 0), torch.zeros(0, 3)]),
        ("bmm", "bmm", [b234, b243.transpose(1, 2).contiguous().transpose(1, 2)]),
        ("mv", "mv", [a34, v4]),
        ("dot", "dot", [v4, pattern(4)]),
        ("dot_long", "dot", [pattern(4, dtype=torch.int64, scale=1), pattern(4, dtype=torch.int64, scale=1, mul=3)]),
        ("matmul_1d_1d", "matmul", [v4, pattern(4)]),
        ("matmul_2d_1d", "matmul", [a34, v4]),
        ("matmul_1d_2d", "matmul", [v3, a34]),
        ("matmul_2d_2d", "matmul", [a23, a34]),
        ("matmul_3d_2d", "matmul", [b234, pattern(4, 2)]),
        ("matmul_2d_3d", "matmul", [a23, b234]),
        ("matmul_1d_3d", "matmul", [v3, b234]),
        ("matmul_3d_1d", "matmul", [b234, v4]),
        ("matmul_3d_3d", "matmul", [b234, b243]),
        ("matmul_4d_3d", "matmul", [pattern(3, 1, 2, 3), b234]),
        ("matmul_3d_1x3d", "matmul", [b243, pattern(1, 3, 5)]),
        ("matmul_long", "matmul", [pattern(2, 2, 3, dtype=torch.int64, scale=1), pattern(3, 2, dtype=torch.int64, scale=1)]),
    ]
    for name, op, inputs in cases:
        case(name, op, getattr(torch, op), inputs, double=inputs[0].is_floating_point() and op != "dot")
    # Gradient-graph shapes of matmul (inner nodes too), with both operands requiring grad.
    graphs = {}
    for name, op, inputs in cases:
        if op == "matmul" and inputs[0].is_floating_point():
            xs = [x.clone().requires_grad_() for x in inputs]
            graphs[name] = {"inputs": [enc(x) for x in inputs], "chain": chain(torch.matmul(*xs))}
    xs = [pattern(2, 4, 3).requires_grad_(), pattern(4, 5).requires_grad_()]
    graphs["matmul_permuted_3d_2d"] = {"inputs": [enc(x) for x in xs], "permute_first": True,
                                       "chain": chain(torch.matmul(xs[0].transpose(1, 2), xs[1]))}

    f, d = torch.zeros(2, 3), torch.zeros(3, 4, dtype=torch.float64)
    bl = lambda *s: torch.zeros(*s, dtype=torch.bool)  # noqa: E731
    error("mm_shapes", "mm", torch.mm, [torch.zeros(2, 3), torch.zeros(4, 5)])
    error("mm_self_vector", "mm", torch.mm, [torch.zeros(3), torch.zeros(3, 4)])
    error("mm_mat2_vector", "mm", torch.mm, [f, torch.zeros(3)])
    error("mm_dtype", "mm", torch.mm, [f, d])
    error("mm_dtype_long", "mm", torch.mm, [f.long(), torch.zeros(3, 4)])
    error("mm_bool", "mm", torch.mm, [bl(2, 3), bl(3, 4)])
    error("mm_bool_double", "mm", torch.mm, [bl(2, 3), d])
    error("mm_shapes_before_dtype", "mm", torch.mm, [torch.zeros(2, 3), torch.zeros(4, 5, dtype=torch.float64)])
    error("bmm_dim1", "bmm", torch.bmm, [torch.zeros(3, 3), torch.zeros(2, 3, 2)])
    error("bmm_dim2", "bmm", torch.bmm, [torch.zeros(2, 3, 3), torch.zeros(3, 2)])
    error("bmm_batch", "bmm", torch.bmm, [torch.zeros(2, 3, 3), torch.zeros(3, 3, 2)])
    error("bmm_inner", "bmm", torch.bmm, [torch.zeros(2, 3, 3), torch.zeros(2, 4, 2)])
    error("bmm_dtype", "bmm", torch.bmm, [torch.zeros(2, 3, 3), torch.zeros(2, 3, 2, dtype=torch.float64)])
    error("bmm_bool", "bmm", torch.bmm, [bl(2, 3, 3), bl(2, 3, 2)])
    error("mv_size", "mv", torch.mv, [torch.zeros(3, 3), torch.zeros(4)])
    error("mv_matrix_vec", "mv", torch.mv, [torch.zeros(3, 3), torch.zeros(3, 3)])
    error("mv_vector_self", "mv", torch.mv, [torch.zeros(3), torch.zeros(3)])
    error("mv_dtype", "mv", torch.mv, [torch.zeros(3, 3), torch.zeros(3, dtype=torch.float64)])
    error("mv_bool", "mv", torch.mv, [bl(3, 3), bl(3)])
    error("dot_2d", "dot", torch.dot, [torch.zeros(2, 2), torch.zeros(2, 2)])
    error("dot_size", "dot", torch.dot, [torch.zeros(3), torch.zeros(4)])
    error("dot_dtype", "dot", torch.dot, [torch.zeros(3), torch.zeros(3, dtype=torch.float64)])
    error("dot_dtype_before_size", "dot", torch.dot, [torch.zeros(3), torch.zeros(4, dtype=torch.float64)])
    error("dot_bool", "dot", torch.dot, [bl(3), bl(3)])
    error("matmul_0d", "matmul", torch.matmul, [torch.tensor(1.), torch.zeros(2)])
    error("matmul_0d_right", "matmul", torch.matmul, [torch.zeros(2), torch.tensor(1.)])
    error("matmul_1d_1d", "matmul", torch.matmul, [torch.zeros(3), torch.zeros(4)])
    error("matmul_2d_1d", "matmul", torch.matmul, [torch.zeros(3, 3), torch.zeros(4)])
    error("matmul_1d_2d", "matmul", torch.matmul, [torch.zeros(3), torch.zeros(4, 2)])
    error("matmul_2d_2d", "matmul", torch.matmul, [torch.zeros(2, 3), torch.zeros(4, 5)])
    error("matmul_3d_1d", "matmul", torch.matmul, [torch.zeros(2, 3, 3), torch.zeros(4)])
    error("matmul_3d_2d", "matmul", torch.matmul, [torch.zeros(2, 3, 3), torch.zeros(4, 2)])
    error("matmul_1d_3d", "matmul", torch.matmul, [torch.zeros(3), torch.zeros(2, 4, 2)])
    error("matmul_2d_3d", "matmul", torch.matmul, [torch.zeros(2, 3), torch.zeros(2, 4, 2)])
    error("matmul_3d_3d_inner", "matmul", torch.matmul, [torch.zeros(2, 3, 3), torch.zeros(2, 4, 2)])
    error("matmul_batch_broadcast", "matmul", torch.matmul, [torch.zeros(2, 3, 3), torch.zeros(3, 3, 2)])
    error("matmul_dtype", "matmul", torch.matmul, [f, d])
    error("matmul_dtype_3d", "matmul", torch.matmul, [torch.zeros(2, 3, 3), torch.zeros(2, 3, 2, dtype=torch.float64)])
    error("matmul_dtype_1d", "matmul", torch.matmul, [torch.zeros(3), torch.zeros(3, dtype=torch.float64)])
    return graphs


def generate():
    CASES.clear()
    ERRORS.clear()
    reductions()
    graphs = linalg()
    return {"cases": CASES, "errors": ERRORS, "matmul_graphs": graphs}
