"""Golden fixtures for the summation order of float sums (Note [Outer reduction], Note [Inner sum order]).

PyTorch's CPU sum kernel adds in a fixed cascade order (rows of an outer reduction, vectors of a
contiguous run); SharpGrad follows it, so these float sums must match bit for bit. Inputs are not
stored: element i of a case's flat buffer has the bits of splitmix64(seed + i) laid out as a float of either sign, an exponent
in [-3, 3) and a random mantissa (SharpGrad's test builds the same buffers), so every addition
rounds and a different order gives a different result. Views are built from the flat buffer
(row-major) as described by "view". Outputs are written as floats (exact for float32 and float64).

The order depends on the vector width PyTorch runs with: generate with ATEN_CPU_CAPABILITY=avx2
(the width SharpGrad follows), e.g.
  ATEN_CPU_CAPABILITY=avx2 OMP_NUM_THREADS=1 /usr/bin/python3 tests/golden/generate.py reduce_order
"""
import os

import torch

MASK = (1 << 64) - 1


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def value(h, dtype):
    """A float of either sign, exponent in [-3, 3), random mantissa, from 64 hash bits."""
    sign = -1.0 if h >> 63 else 1.0
    exponent = ((h >> 52) & 0x7FF) % 6 - 3
    if dtype == torch.float32:
        mantissa = 1 + (h & 0x7FFFFF) / 2.0 ** 23
    else:
        mantissa = 1 + (h & ((1 << 52) - 1)) / 2.0 ** 52
    return sign * mantissa * 2.0 ** exponent


def flat(n, seed, dtype):
    return torch.tensor([value(splitmix64(seed + i), dtype) for i in range(n)], dtype=torch.float64).to(dtype)


def make(view, shape, seed, dtype):
    """The input: 'contiguous'; 'rows' (every other row of a buffer twice as tall); 'narrow' (columns
    1..K of a buffer 3 columns wider)."""
    n = 1
    for s in shape:
        n *= s
    if view == "contiguous":
        return flat(n, seed, dtype).reshape(shape)
    if view == "rows":
        tall = [2 * shape[0]] + list(shape[1:])
        return flat(2 * n, seed, dtype).reshape(tall)[::2]
    if view == "narrow":
        wide = list(shape[:-1]) + [shape[-1] + 3]
        return flat(n // shape[-1] * wide[-1], seed, dtype).reshape(wide)[..., 1:shape[-1] + 1]
    raise ValueError(view)


CASES = [
    # (op, shape, dims, keepdim, view, dtype)
    ("sum", [64, 128], [0], False, "contiguous", torch.float32),
    ("sum", [17, 9], [0], False, "contiguous", torch.float32),
    ("sum", [300, 5], [0], False, "contiguous", torch.float32),
    ("sum", [520, 9], [0], True, "contiguous", torch.float32),
    ("sum", [40, 70], [0], False, "contiguous", torch.float32),
    ("sum", [4100, 3], [0], False, "contiguous", torch.float32),
    ("sum", [1100, 40], [0], False, "contiguous", torch.float32),
    ("sum", [3, 50, 40], [1], False, "contiguous", torch.float32),
    ("sum", [4, 25, 40], [0, 1], False, "contiguous", torch.float32),
    ("sum", [2, 3, 20, 16], [2], True, "contiguous", torch.float32),
    ("sum", [70, 33], [0], False, "rows", torch.float32),
    ("sum", [45, 20], [0], False, "narrow", torch.float32),
    ("mean", [64, 128], [0], False, "contiguous", torch.float32),
    ("mean", [33, 7], [0], True, "contiguous", torch.float32),
    ("sum_to_size", [8, 3, 40], [1, 40], False, "contiguous", torch.float32),
    ("sum", [9, 31], [0], False, "contiguous", torch.float64),
    ("sum", [300, 5], [0], False, "contiguous", torch.float64),
    ("sum", [64, 128], [0], False, "contiguous", torch.float64),
    ("sum", [40, 70], [0], False, "narrow", torch.float64),
    ("mean", [260, 18], [0], False, "contiguous", torch.float64),
    # Row strides of a multiple of 1 KB (summed by whole rows, same order).
    ("sum", [70, 512], [0], False, "contiguous", torch.float32),
    ("sum", [40, 256], [0], False, "rows", torch.float32),
    ("sum", [2, 20, 1024], [1], False, "contiguous", torch.float32),
    ("sum", [300, 256], [0], False, "contiguous", torch.float64),
    # Sums of contiguous runs (Note [Inner sum order]); dims [] is a full sum.
    ("sum", [64, 128], [1], False, "contiguous", torch.float32),
    ("sum", [64, 128], [], False, "contiguous", torch.float32),
    ("sum", [9, 7], [1], True, "contiguous", torch.float32),
    ("sum", [5, 3], [1], False, "contiguous", torch.float32),
    ("sum", [6, 1000], [1], False, "contiguous", torch.float32),
    ("sum", [3, 4, 37], [1, 2], False, "contiguous", torch.float32),
    ("sum", [300001], [], False, "contiguous", torch.float32),
    ("sum", [40, 70], [1], False, "narrow", torch.float32),
    ("mean", [64, 128], [], False, "contiguous", torch.float32),
    ("mean", [64, 129], [1], False, "contiguous", torch.float32),
    ("sum_to_size", [64, 128], [64, 1], False, "contiguous", torch.float32),
    ("sum", [7, 3], [1], False, "contiguous", torch.float64),
    ("sum", [5, 131], [1], False, "contiguous", torch.float64),
    ("sum", [100003], [], False, "contiguous", torch.float64),
]


def generate():
    assert os.environ.get("ATEN_CPU_CAPABILITY") == "avx2", "generate with ATEN_CPU_CAPABILITY=avx2 (see the docstring)"
    torch.set_num_threads(1)
    cases = []
    for k, (op, shape, dims, keepdim, view, dtype) in enumerate(CASES):
        seed = 1000 * (k + 1)
        x = make(view, shape, seed, dtype)
        if op == "sum":
            out = x.sum(dims, keepdim=keepdim) if dims else x.sum()
        elif op == "mean":
            out = x.mean(dims, keepdim=keepdim) if dims else x.mean()
        else:
            out = x.sum_to_size(*dims)
        cases.append({"op": op, "shape": shape, "dims": dims, "keepdim": keepdim, "view": view,
                      "dtype": str(dtype).replace("torch.", ""), "seed": seed,
                      "out_shape": list(out.shape), "out": out.reshape(-1).tolist()})
    return {"cases": cases}
