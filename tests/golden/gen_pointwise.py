"""Golden fixtures for the pointwise ops: unary math, activations, clamp, maximum/minimum, where,
pow, comparisons, logical and bitwise ops, all/any.

Each case names an op, its operands (tensors from literal values, C# numbers, or None) and keyword
arguments. The fixture records what PyTorch returns: the result's dtype, shape, values and grad_fn
name, and the gradient of (op(...) * w).sum() for every operand that requires grad, with a fixed
weight w; or the error type and message. Values that JSON cannot hold are strings: "nan", "inf",
"-inf". The C# test (PointwiseTests) runs every case through the same op.
"""
import math

import torch

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64,
          "int32": torch.int32, "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}
WEIGHTS = [1.0, -0.5, 0.75, 2.0, -1.25, 0.5]
nan, inf = math.nan, math.inf


def enc(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def flat(t):
    if t._is_zerotensor():  # PyTorch's lazily-zero gradients hold no storage
        t = torch.zeros(t.shape, dtype=t.dtype)
    return [enc(v) for v in t.detach().reshape(-1).tolist()]


def describe(t):
    return {"dtype": NAMES[t.dtype], "shape": list(t.shape), "values": flat(t)}


def T(values, dtype="float32", shape=None, grad=None):
    """A tensor operand from literal values (flat, with an optional shape)."""
    if grad is None:
        grad = dtype in ("float32", "float64")
    n = len(values)
    return {"kind": "tensor", "dtype": dtype, "shape": list(shape) if shape is not None else [n],
            "values": [enc(v) for v in values], "requires_grad": grad}


def S(value):
    """A C# number operand: int or float."""
    return {"kind": "scalar", "type": "int" if isinstance(value, int) else "float", "value": enc(value)}


NONE = {"kind": "none"}


def build(operand):
    if operand["kind"] == "none":
        return None
    if operand["kind"] == "scalar":
        v = operand["value"]
        return float(v) if isinstance(v, str) else v
    values = [float(v) if isinstance(v, str) else v for v in operand["values"]]
    t = torch.tensor(values, dtype=DTYPES[operand["dtype"]]).reshape(operand["shape"])
    if operand["requires_grad"]:
        t.requires_grad_(True)
    return t


def _all_any(fn):
    return lambda x, dim=None, keepdim=False: fn(x) if dim is None else fn(x, dim, keepdim)


OPS = {
    "sqrt": torch.sqrt, "rsqrt": torch.rsqrt, "log": torch.log, "sin": torch.sin, "cos": torch.cos,
    "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "abs": torch.abs,
    "sign": torch.sign, "square": torch.square, "log1p": torch.log1p, "expm1": torch.expm1,
    "floor": torch.floor, "ceil": torch.ceil, "round": torch.round,
    "clamp": lambda x, lo, hi: torch.clamp(x, lo, hi),
    "clamp_min": torch.clamp_min, "clamp_max": torch.clamp_max,
    "maximum": torch.maximum, "minimum": torch.minimum,
    "where": lambda c, x, y: torch.where(c, x, y),
    "where_method": lambda x, c, y: x.where(c, y),
    "pow": torch.pow,
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b, "lt": lambda a, b: a < b,
    "le": lambda a, b: a <= b, "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    "logical_and": torch.logical_and, "logical_or": torch.logical_or,
    "logical_xor": torch.logical_xor, "logical_not": torch.logical_not,
    "bitwise_and": torch.bitwise_and, "bitwise_or": torch.bitwise_or,
    "bitwise_xor": torch.bitwise_xor, "bitwise_not": torch.bitwise_not,
    "all": _all_any(torch.all), "any": _all_any(torch.any),
}


def run(name, op, operands, **kwargs):
    case = {"name": name, "op": op, "operands": operands, "kwargs": kwargs}
    args = [build(o) for o in operands]
    try:
        out = OPS[op](*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the error text is the fixture
        case["error"] = {"type": type(e).__name__, "message": str(e)}
        return case
    case["out"] = describe(out)
    case["grad_fn"] = type(out.grad_fn).__name__ if out.grad_fn is not None else None
    if out.requires_grad:
        w = torch.tensor([WEIGHTS[i % len(WEIGHTS)] for i in range(out.numel())], dtype=out.dtype).reshape(out.shape)
        case["weight"] = flat(w)
        (out * w).sum().backward()
        case["grads"] = [describe(a.grad) if isinstance(a, torch.Tensor) and a.grad is not None else None
                         for a in args]
    return case


MIXED = [-2.5, -1.0, -0.25, 0.5, 1.25, 3.0]
POSITIVE = [0.25, 0.5, 1.0, 1.5, 2.0, 3.0]


def unary_cases():
    cases = []
    domains = {"sqrt": POSITIVE, "rsqrt": POSITIVE, "log": POSITIVE, "log1p": [-0.75, -0.5, 0.0, 0.5, 1.5, 3.0]}
    for op in ["sqrt", "rsqrt", "log", "sin", "cos", "tanh", "sigmoid", "log1p", "expm1",
               "relu", "abs", "sign", "square", "floor", "ceil", "round"]:
        values = domains.get(op, MIXED)
        for dt in ["float32", "float64"]:
            cases.append(run(f"{op}_{dt}", op, [T(values, dt, [2, 3])]))
        cases.append(run(f"{op}_int64", op, [T([-3, 0, 2, 7], "int64", grad=False)]))
        cases.append(run(f"{op}_int32", op, [T([-3, 0, 2, 7], "int32", grad=False)]))
        cases.append(run(f"{op}_bool", op, [T([True, False], "bool", grad=False)]))
        cases.append(run(f"{op}_edges", op, [T([0.0, -0.0, -1.0, nan, inf, -inf], "float32", grad=False)]))
    # Gradients at the edges of the domains.
    cases.append(run("sqrt_edge_grad", "sqrt", [T([0.0, -1.0, 4.0])]))
    cases.append(run("rsqrt_edge_grad", "rsqrt", [T([0.0, -1.0, 4.0])]))
    cases.append(run("log_edge_grad", "log", [T([0.0, -1.0, 4.0])]))
    cases.append(run("relu_edge_grad", "relu", [T([-1.0, 0.0, -0.0, 1.0, nan])]))
    cases.append(run("abs_edge_grad", "abs", [T([-1.0, 0.0, -0.0, 1.0, nan])]))
    cases.append(run("sigmoid_large", "sigmoid", [T([-30.0, -10.0, 10.0, 30.0])]))
    cases.append(run("tanh_large", "tanh", [T([-30.0, -10.0, 1e-5, 10.0, 30.0])]))
    cases.append(run("log1p_small", "log1p", [T([1e-10, -1e-7, 1e-5], "float64")]))
    cases.append(run("expm1_small", "expm1", [T([1e-10, -1e-7, 1e-5], "float64")]))
    cases.append(run("round_halves", "round", [T([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5], grad=False)]))
    cases.append(run("abs_int64_min", "abs", [T([-9223372036854775808, -5, 5], "int64", grad=False)]))
    return cases


def clamp_cases():
    x = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, nan]
    cases = [
        run("clamp_both", "clamp", [T(x), S(-0.5), S(1.0)]),
        run("clamp_both_float64", "clamp", [T(x, "float64", [2, 4]), S(-0.5), S(1)]),
        run("clamp_min_only", "clamp", [T(x), S(0.0), NONE]),
        run("clamp_max_only", "clamp", [T(x), NONE, S(0.5)]),
        run("clamp_min_above_max", "clamp", [T(x), S(1.0), S(-1.0)]),
        run("clamp_nan_min_only", "clamp", [T(x), S(nan), NONE]),
        run("clamp_nan_max_only", "clamp", [T(x), NONE, S(nan)]),
        run("clamp_nan_bound_both", "clamp", [T(x), S(nan), S(1.0)]),
        run("clamp_int64_int", "clamp", [T([-3, 0, 2, 7], "int64"), S(0), S(5)]),
        run("clamp_int64_float", "clamp", [T([-3, 0, 2, 7], "int64"), S(1.5), NONE]),
        run("clamp_int32_int", "clamp", [T([-3, 0, 2, 7], "int32"), S(1), NONE]),
        run("clamp_bool_int", "clamp", [T([True, False], "bool"), S(0), NONE]),
        run("clamp_no_bounds", "clamp", [T(x), NONE, NONE]),
        run("clamp_min_fn", "clamp_min", [T(x), S(0.0)]),
        run("clamp_max_fn", "clamp_max", [T(x), S(0.0)]),
        run("clamp_min_fn_nan", "clamp_min", [T(x), S(nan)]),
        run("clamp_min_fn_int", "clamp_min", [T([-3, 0, 2, 7], "int64"), S(1)]),
        # Tensor bounds: ClampBackward0, broadcasting x [2, 4] with min [4] and max [2, 1].
        run("clamp_tensor_both", "clamp",
            [T([-2.0, -1.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0], shape=[2, 4]), T([-1.0, 0.5, nan, 0.0]), T([1.0, 2.5], shape=[2, 1])]),
        run("clamp_tensor_min_above_max", "clamp",
            [T([-1.0, 0.0, 1.5, 3.0]), T([2.0, 2.0, 2.0, 0.0]), T([1.0, 1.0, 1.0, 1.0])]),
        run("clamp_tensor_min", "clamp", [T([-1.0, 0.0, 0.5, nan, 1.0]), T([0.0, 0.0, 0.0, 0.0, nan]), NONE]),
        run("clamp_tensor_max", "clamp", [T([-1.0, 0.0, 0.5, nan, 1.0]), NONE, T([0.0, 0.0, 0.0, 0.0, nan])]),
        run("clamp_tensor_int_min_float", "clamp", [T([1, 2], "int64"), T([1.5], shape=[]), NONE]),
        run("clamp_tensor_promote_zero_dim", "clamp",
            [T([1.0, 2.0]), T([1.5], "float64", []), T([1], "int64")]),
        run("clamp_tensor_promote_float64", "clamp",
            [T([1, 2], "int64"), T([1], "int64"), T([2.5], "float64")]),
        run("clamp_tensor_no_bounds", "clamp", [T(x), NONE, NONE]),
    ]
    return cases


PAIRS = [  # (name, a, b): the type promotion table of the task
    ("int64_float32", T([1, -2, 3], "int64"), T([0.5, -2.0, 4.0], "float32", grad=False)),
    ("int32_int64", T([1, -2, 3], "int32"), T([2, -2, 1], "int64")),
    ("bool_int64", T([True, False, True], "bool"), T([0, -1, 2], "int64")),
    ("float32_float64", T([1.0, -2.0, 3.0], "float32", grad=False), T([0.5, -2.0, 4.0], "float64", grad=False)),
    ("float32_float64_zero_dim", T([1.0, -2.0, 3.0], "float32", grad=False), T([0.5], "float64", [], grad=False)),
    ("int32_float64_zero_dim", T([1, -2, 3], "int32"), T([0.5], "float64", [], grad=False)),
    ("bool_bool", T([True, False, True], "bool"), T([False, False, True], "bool")),
]


def binary_cases():
    cases = []
    a = T([1.0, 2.0, 3.0, nan, 1.0, -1.0], shape=[2, 3])
    b = T([1.0, 1.0, 4.0])
    for op in ["maximum", "minimum"]:
        cases.append(run(f"{op}_broadcast", op, [a, b]))
        cases.append(run(f"{op}_ties_nan", op, [T([1.0, 2.0, 3.0, nan, 1.0, nan]), T([1.0, 1.0, 4.0, 1.0, nan, nan])]))
        cases.append(run(f"{op}_float64", op, [T([0.5, -1.5, 2.0], "float64"), T([0.5, 1.0, -3.0], "float64")]))
        cases.append(run(f"{op}_one_requires_grad", op, [T([0.5, -1.5, 2.0]), T([1.0, 1.0, 1.0], grad=False)]))
        for name, x, y in PAIRS:
            cases.append(run(f"{op}_{name}", op, [x, y]))
    cond = T([True, False, True, False, False, True], "bool", [2, 3])
    cases += [
        run("where_broadcast", "where", [cond, T([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape=[2, 3]), T([-1.0, -2.0, -3.0])]),
        run("where_cond_broadcast", "where", [T([True, False, True], "bool"), T([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], shape=[2, 3]), T([0.5], shape=[1, 1])]),
        run("where_method", "where_method", [T([1.0, 2.0, 3.0]), T([False, True, True], "bool"), T([7.0, 8.0, 9.0])]),
        run("where_scalar_other", "where", [T([True, False, True], "bool"), T([1.0, 2.0, 3.0]), S(0.0)]),
        run("where_scalar_input_int", "where", [T([True, False, True], "bool"), S(2), T([1.5, 2.5, 3.5])]),
        run("where_scalars_float", "where", [T([True, False, True], "bool"), S(0.0), S(1.0)]),
        run("where_scalars_int", "where", [T([True, False, True], "bool"), S(0), S(1)]),
        run("where_int64_scalar_float", "where", [T([True, False, True], "bool"), T([1, 2, 3], "int64"), S(2.5)]),
        run("where_float_condition", "where", [T([1.0, 0.0], grad=False), T([1.0, 2.0]), T([3.0, 4.0])]),
        run("where_int_condition", "where", [T([1, 0], "int64"), T([1.0, 2.0]), T([3.0, 4.0])]),
    ]
    for name, x, y in PAIRS:
        cases.append(run(f"where_{name}", "where", [T([True, False, True], "bool"), x, y]))
    return cases


def pow_cases():
    x = T([0.5, 1.0, 1.5, 2.0, 2.5, 3.0], shape=[2, 3])
    cases = [run(f"pow_scalar_{str(e).replace('-', 'm').replace('.', '_')}", "pow", [x, S(e)])
             for e in [2, 3, 0.5, -1, -2, -0.5, 2.5, 0, 1, 1.0 / 3.0, -1.5]]
    ints = T([-3, -1, 0, 1, 2, 5], "int64")
    cases += [
        run("pow_scalar_float64", "pow", [T([0.5, 1.0, 2.5], "float64"), S(2.5)]),
        run("pow_scalar_edges", "pow", [T([0.0, -1.0, 4.0, -8.0, nan]), S(0.5)]),
        run("pow_scalar_zero_nan", "pow", [T([nan, 0.0, inf]), S(0)]),
        run("pow_int64_2", "pow", [ints, S(2)]),
        run("pow_int64_3", "pow", [ints, S(3)]),
        run("pow_int64_5", "pow", [ints, S(5)]),
        run("pow_int64_0", "pow", [ints, S(0)]),
        run("pow_int64_float", "pow", [ints, S(2.5)]),
        run("pow_int64_negative_float", "pow", [ints, S(-1.0)]),
        run("pow_int64_negative_int", "pow", [ints, S(-1)]),
        run("pow_int64_wraps", "pow", [T([3, -3], "int64"), S(40)]),
        run("pow_int32_wraps", "pow", [T([3, -3], "int32"), S(40)]),
        run("pow_bool_int", "pow", [T([True, False], "bool"), S(2)]),
        run("pow_bool_negative_int", "pow", [T([True, False], "bool"), S(-1)]),
        run("pow_bool_float", "pow", [T([True, False], "bool"), S(2.0)]),
        run("pow_tensor_broadcast", "pow", [x, T([0.5, 2.0, -1.5])]),
        run("pow_tensor_float64", "pow", [T([0.5, 1.0, 2.5], "float64"), T([2.0, -0.5, 1.5], "float64")]),
        run("pow_tensor_edges", "pow", [T([0.0, 0.0, 0.0, -1.0, 2.0, 0.0]), T([0.0, 2.0, -1.0, 2.0, 0.5, 0.5])]),
        run("pow_tensor_int64", "pow", [T([1, -1, 2, 0, 3, -2], "int64"), T([-1, -1, -1, -2, 2, 3], "int64")]),
        run("pow_tensor_int64_zero_dim", "pow", [T([1, -1, 2, 0], "int64"), T([-2], "int64", [])]),
        run("pow_tensor_bool", "pow", [T([True, False], "bool"), T([True, True], "bool")]),
        run("pow_base_2", "pow", [S(2), T([0.0, 2.0, -1.0, 0.5])]),
        run("pow_base_0", "pow", [S(0.0), T([0.0, 2.0, -1.0])]),
        run("pow_base_negative", "pow", [S(-2.0), T([0.0, 2.0, -1.0])]),
        run("pow_base_1", "pow", [S(1), T([0.0, 2.0, -1.0])]),
        run("pow_base_int_int64", "pow", [S(2), T([-1, 0, 3, 10], "int64")]),
        run("pow_base_minus_1_int64", "pow", [S(-1), T([-1, -2, -3, 4], "int64")]),
        run("pow_base_float_int64", "pow", [S(2.5), T([-1, 0, 3], "int64")]),
        run("pow_base_int_bool", "pow", [S(2), T([True, False], "bool")]),
    ]
    for name, a, b in PAIRS:
        cases.append(run(f"pow_{name}", "pow", [a, b]))
    return cases


def comparison_cases():
    cases = []
    a = T([1.0, 2.0, nan, 0.5, 3.0, -1.0], shape=[2, 3])
    b = T([1.0, 1.0, nan], grad=False)
    for op in ["eq", "ne", "lt", "le", "gt", "ge"]:
        cases.append(run(f"{op}_broadcast", op, [a, b]))
        cases.append(run(f"{op}_scalar", op, [a, S(1.0)]))
        cases.append(run(f"{op}_int64_scalar_float", op, [T([1, 2, 3], "int64"), S(2.5)]))
        cases.append(run(f"{op}_int64_float32", op, [T([1, 2, 3], "int64"), T([1.0, 2.5, 2.0], grad=False)]))
        cases.append(run(f"{op}_bool_int64", op, [T([True, False, True], "bool"), T([1, 0, 2], "int64")]))
        cases.append(run(f"{op}_float32_scalar_tenth", op, [T([0.1, 0.2], grad=False), S(0.1)]))
        cases.append(run(f"{op}_float64_zero_dim_float32", op, [T([0.1, 0.2], "float64"), T([0.1], "float32", [], grad=False)]))
        cases.append(run(f"{op}_int64_big", op, [T([16777217], "int64"), S(16777216.0)]))
        if op in ("lt", "le", "gt", "ge"):
            cases.append(run(f"{op}_scalar_first", op, [S(1), a]))
        cases.append(run(f"{op}_size_mismatch", op, [T([1.0, 2.0, 3.0]), T([1.0, 2.0])]))
    return cases


def logical_cases():
    f = T([1.0, 0.0, nan, -2.0, 0.0, 0.5], shape=[2, 3], grad=False)
    i = T([0, 3, 0], "int64")
    cases = []
    for op in ["logical_and", "logical_or", "logical_xor"]:
        cases.append(run(f"{op}_float_int64", op, [f, i]))
        cases.append(run(f"{op}_bool", op, [T([True, True, False, False], "bool"), T([True, False, True, False], "bool")]))
    for op in ["bitwise_and", "bitwise_or", "bitwise_xor"]:
        cases.append(run(f"{op}_bool", op, [T([True, True, False, False], "bool"), T([True, False, True, False], "bool")]))
        cases.append(run(f"{op}_int64_bool", op, [T([6, -1, 5, 0], "int64"), T([True, False, True, True], "bool")]))
        cases.append(run(f"{op}_int32_int64", op, [T([6, -1, 5, 12], "int32"), T([3, 7, -8, 10], "int64")]))
        cases.append(run(f"{op}_int32", op, [T([6, -1, 5, 12], "int32"), T([3, 7], "int32", [2, 1])]))
        cases.append(run(f"{op}_float", op, [T([1.5], grad=False), T([1.0], grad=False)]))
    cases += [
        run("logical_not_float", "logical_not", [f]),
        run("logical_not_int64", "logical_not", [i]),
        run("logical_not_bool", "logical_not", [T([True, False], "bool")]),
        run("bitwise_not_bool", "bitwise_not", [T([True, False], "bool")]),
        run("bitwise_not_int64", "bitwise_not", [T([1, -2, 0], "int64")]),
        run("bitwise_not_int32", "bitwise_not", [T([1, -2, 0], "int32")]),
        run("bitwise_not_float", "bitwise_not", [T([1.5], grad=False)]),
    ]
    m = T([1.0, 0.0, 2.0, 1.0, 1.0, 1.0], shape=[2, 3], grad=False)
    for op in ["all", "any"]:
        cases += [
            run(f"{op}_whole", op, [m]),
            run(f"{op}_dim0", op, [m], dim=0),
            run(f"{op}_dim1_keepdim", op, [m], dim=1, keepdim=True),
            run(f"{op}_dim_negative", op, [m], dim=-1),
            run(f"{op}_empty", op, [T([], "float32", [0], grad=False)]),
            run(f"{op}_empty_dim", op, [T([], "float32", [2, 0], grad=False)], dim=1),
            run(f"{op}_nan", op, [T([nan, 0.0], grad=False)]),
            run(f"{op}_zero_dim", op, [T([2.0], shape=[], grad=False)], dim=0),
            run(f"{op}_int64", op, [T([3, 0, -1], "int64")]),
            run(f"{op}_bool", op, [T([True, False], "bool")], dim=0),
            run(f"{op}_requires_grad", op, [T([1.0, 2.0])]),
            run(f"{op}_dim_out_of_range", op, [T([1.0, 2.0], grad=False)], dim=1),
        ]
    return cases


WEIGHTS2 = [0.5, 1.5, -1.0, 0.25]


def run_double(name, op, operands):
    """Double backward: g = d/dx (op(...) * w).sum() with create_graph, then d/dx (g * w2).sum()."""
    args = [build(o) for o in operands]
    out = OPS[op](*args)
    w = torch.tensor([WEIGHTS[i % len(WEIGHTS)] for i in range(out.numel())], dtype=out.dtype).reshape(out.shape)
    inputs = [a for a in args if isinstance(a, torch.Tensor) and a.requires_grad]
    firsts = torch.autograd.grad((out * w).sum(), inputs, create_graph=True)
    total = sum((g * torch.tensor([WEIGHTS2[i % len(WEIGHTS2)] for i in range(g.numel())], dtype=g.dtype).reshape(g.shape)).sum()
                for g in firsts)
    case = {"name": name, "op": op, "operands": operands, "kwargs": {}, "first": [describe(g) for g in firsts]}
    try:
        seconds = torch.autograd.grad(total, inputs, allow_unused=True)
    except Exception as e:  # noqa: BLE001 - the error text is the fixture
        case["error"] = {"type": type(e).__name__, "message": str(e)}
        return case
    case["second"] = [describe(g) if g is not None else None for g in seconds]
    return case


def double_cases():
    x = T([0.25, 0.5, 1.0, 1.5, 2.0, 3.0], "float64", [2, 3])
    m = T(MIXED, "float64", [2, 3])
    cases = [run_double(f"double_{op}", op, [x if op in ("sqrt", "rsqrt", "log", "log1p") else m])
             for op in ["sqrt", "rsqrt", "log", "sin", "cos", "tanh", "sigmoid", "log1p", "expm1", "relu", "abs", "square"]]
    cases += [
        run_double("double_pow_scalar", "pow", [x, S(2.5)]),
        run_double("double_pow_tensor", "pow", [x, T([0.5, 2.0, -1.5], "float64")]),
        run_double("double_pow_base", "pow", [S(2.5), m]),
        run_double("double_maximum", "maximum", [m, T([0.5, -1.0, 1.0], "float64")]),
        run_double("double_where", "where", [T([True, False, True], "bool"), m, T([2.0, 1.0, 0.5], "float64")]),
        run_double("double_clamp", "clamp", [m, S(-1.0), S(1.0)]),
        run_double("double_clamp_tensor", "clamp", [m, T([-1.0, 0.0, 0.25], "float64"), NONE]),
    ]
    return cases


def generate():
    cases = unary_cases() + clamp_cases() + binary_cases() + pow_cases() + comparison_cases() + logical_cases()
    double = double_cases()
    names = [c["name"] for c in cases + double]
    assert len(names) == len(set(names)), "case names must be unique"
    return {"weights": WEIGHTS, "weights2": WEIGHTS2, "cases": cases, "double": double}
