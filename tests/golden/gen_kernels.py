"""Golden fixtures for the kernel table's special values (tests/SharpGrad.Tests/Kernels): what
PyTorch's CPU ops return on NaN, +-inf, +-0, the largest and smallest finite values, the smallest
subnormal and normal, +-1 and halves, for float32 and float64, and on the integer extremes for
int64 and int32 (wrap-around).

Floats are stored as the hex of their IEEE bits (so NaN, infinities and the sign of zero survive
JSON exactly); integers as JSON numbers. Unary ops map each input; binary ops and comparisons run
on every pair (a, b) of inputs, a = inputs[i // n], b = inputs[i % n]. The C# test
(KernelTorchSpecialsTests) runs the matching kernel's span member on the same inputs.
"""
import struct

import torch

FLOATS = {"float32": torch.float32, "float64": torch.float64}
INTS = {"int64": torch.int64, "int32": torch.int32}


def float_specials(dtype):
    fi = torch.finfo(dtype)
    subnormal = fi.tiny * fi.eps  # the smallest subnormal: 2^-149 or 2^-1074
    return [float("nan"), float("inf"), float("-inf"), -0.0, 0.0, fi.max, -fi.max,
            subnormal, -subnormal, fi.tiny, 1.0, -1.0, 0.5, -2.5]


def int_specials(dtype):
    ii = torch.iinfo(dtype)
    return [0, 1, -1, ii.max, ii.min, ii.min + 1, ii.max - 1, 2]


def bits(t):
    fmt, ufmt = ("<f", "<I") if t.dtype == torch.float32 else ("<d", "<Q")
    return ["%x" % struct.unpack(ufmt, struct.pack(fmt, v))[0] for v in t.tolist()]


UNARY_FLOAT = {
    "exp": torch.exp, "reciprocal": torch.reciprocal, "sqrt": torch.sqrt, "rsqrt": torch.rsqrt,
    "log": torch.log, "sin": torch.sin, "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "log1p": torch.log1p, "expm1": torch.expm1, "floor": torch.floor, "ceil": torch.ceil, "round": torch.round,
}
UNARY_NUMBER = {
    "neg": torch.neg, "relu": torch.relu, "abs": torch.abs, "sign": torch.sign, "square": torch.square,
    "pow3": lambda x: torch.pow(x, 3),
}
BINARY_NUMBER = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "maximum": torch.maximum, "minimum": torch.minimum,
}
BINARY_FLOAT = {"div": torch.div, "pow": torch.pow}
# torch.clamp with a C# number bound (what ClampMinOp/ClampMaxOp implement): one call per bound.
CLAMP = {"clamp_min": lambda a, b: torch.clamp(a, min=b), "clamp_max": lambda a, b: torch.clamp(a, max=b)}
COMPARE = {"eq": torch.eq, "ne": torch.ne, "lt": torch.lt, "le": torch.le, "gt": torch.gt, "ge": torch.ge}


def pairs(values, dtype):
    n = len(values)
    a = torch.tensor([values[i // n] for i in range(n * n)], dtype=dtype)
    b = torch.tensor([values[i % n] for i in range(n * n)], dtype=dtype)
    return a, b


def generate():
    out = {"inputs": {}, "unary": {}, "binary": {}, "compare": {}}
    for name, dtype in FLOATS.items():
        x = torch.tensor(float_specials(dtype), dtype=dtype)
        out["inputs"][name] = bits(x)
        for op, f in {**UNARY_FLOAT, **UNARY_NUMBER}.items():
            out["unary"].setdefault(op, {})[name] = bits(f(x))
        a, b = pairs(float_specials(dtype), dtype)
        for op, f in {**BINARY_NUMBER, **BINARY_FLOAT}.items():
            out["binary"].setdefault(op, {})[name] = bits(f(a, b))
        for op, f in CLAMP.items():
            n = len(x)
            rows = [bits(f(x, float(bound))) for bound in x.tolist()]
            # pairs order: a = inputs[i // n], b = inputs[i % n]
            out["binary"].setdefault(op, {})[name] = [rows[i % n][i // n] for i in range(n * n)]
        for op, f in COMPARE.items():
            out["compare"].setdefault(op, {})[name] = f(a, b).tolist()
    for name, dtype in INTS.items():
        x = torch.tensor(int_specials(dtype), dtype=dtype)
        out["inputs"][name] = x.tolist()
        for op, f in UNARY_NUMBER.items():
            out["unary"][op][name] = f(x).tolist()
        a, b = pairs(int_specials(dtype), dtype)
        for op, f in BINARY_NUMBER.items():
            out["binary"][op][name] = f(a, b).tolist()
        for op, f in COMPARE.items():
            out["compare"][op][name] = f(a, b).tolist()
    return out
