"""Golden fixtures for masked and advanced indexing: masked_fill, masked_select, masked_scatter,
index_put and index (advanced indexing, torch.ops.aten.index.Tensor).

Cases are recorded as in gen_functional.py (same record format and replay): literal inputs, the
output (values, shape, dtype, grad_fn name), the gradients of every leaf after backward with a
fixed grad_output, optionally second-order gradients, or the error (Python type and exact message).
Index tensors are named i0, i1, ...; a number argument is stored in args as "value" with
"value_int" telling an integer from a floating one.
"""
import math

import torch

import gen_functional as base

CASES = []
long = base.long


def index_list(T):
    return [T[k] for k in sorted(k for k in T if k.startswith("i") and k[1:].isdigit())]


def call(op, T, a):
    value = a.get("value")
    if isinstance(value, str):
        value = float(value)
    if value is not None and a.get("value_int"):
        value = int(value)
    if op == "masked_fill":
        return T["input"].masked_fill(T["mask"], value)
    if op == "masked_select":
        return T["input"].masked_select(T["mask"])
    if op == "masked_scatter":
        return T["input"].masked_scatter(T["mask"], T["source"])
    if op == "index_put":
        return T["input"].index_put(tuple(index_list(T)), T["values"], accumulate=a.get("accumulate", False))
    if op == "index":
        return torch.ops.aten.index.Tensor(T["input"], index_list(T))
    raise KeyError(op)


def case(name, op, tensors, grad=(), double=False, **args):
    if "value" in args:
        args["value_int"] = isinstance(args["value"], int) and not isinstance(args["value"], bool)
        args["value"] = base.num(float(args["value"])) if not args["value_int"] else args["value"]
    CASES.append(base.record(call, name, op, tensors, grad, double, args))


def masks():
    return (torch.tensor([[True, False, True, False], [False, False, True, True], [True, False, False, False]]),
            torch.tensor([True, False, True]))


def masked_fill_cases():
    x = base.vals([3, 4])
    m34, m3 = masks()
    case("masked_fill_float32", "masked_fill", {"input": x, "mask": m34}, grad=["input"], value=-1.5)
    case("masked_fill_float64_double", "masked_fill", {"input": x.double(), "mask": m34}, grad=["input"], double=True, value=2.25)
    case("masked_fill_mask_broadcasts_up", "masked_fill", {"input": x[0], "mask": m34}, grad=["input"], value=7)
    case("masked_fill_mask_broadcasts", "masked_fill", {"input": x, "mask": torch.tensor([True, False, False, True])}, grad=["input"], value=0)
    case("masked_fill_nan", "masked_fill", {"input": x, "mask": m34}, value=math.nan)
    case("masked_fill_inf", "masked_fill", {"input": x, "mask": m34}, value=-math.inf)
    case("masked_fill_int64", "masked_fill", {"input": long(1, 2, 3), "mask": m3}, value=-7)
    case("masked_fill_int64_fraction", "masked_fill", {"input": long(1, 2, 3), "mask": m3}, value=2.5)
    case("masked_fill_int32_negative_fraction", "masked_fill", {"input": long(1, 2, 3).int(), "mask": m3}, value=-2.75)
    case("masked_fill_bool", "masked_fill", {"input": torch.tensor([True, False, False]), "mask": m3}, value=2)
    case("masked_fill_bool_zero", "masked_fill", {"input": torch.tensor([True, True, False]), "mask": m3}, value=0.0)
    case("masked_fill_0d", "masked_fill", {"input": torch.tensor(1.5), "mask": torch.tensor(True)}, grad=["input"], value=3)
    case("masked_fill_empty", "masked_fill", {"input": torch.zeros(0, 3), "mask": torch.zeros(0, 3, dtype=torch.bool)}, value=1)
    # errors
    case("masked_fill_shape_error", "masked_fill", {"input": x, "mask": torch.tensor([True, False])}, value=0)
    case("masked_fill_nan_int64", "masked_fill", {"input": long(1, 2, 3), "mask": m3}, value=math.nan)
    case("masked_fill_inf_int32", "masked_fill", {"input": long(1, 2, 3).int(), "mask": m3}, value=math.inf)
    case("masked_fill_int32_overflow", "masked_fill", {"input": long(1, 2, 3).int(), "mask": m3}, value=2 ** 40)
    case("masked_fill_float32_overflow", "masked_fill", {"input": x, "mask": m34}, value=1e300)


def masked_select_cases():
    x = base.vals([3, 4])
    m34, m3 = masks()
    case("masked_select_float32", "masked_select", {"input": x, "mask": m34}, grad=["input"])
    case("masked_select_float64_double", "masked_select", {"input": x.double(), "mask": m34}, grad=["input"], double=True)
    case("masked_select_mask_broadcasts", "masked_select", {"input": x, "mask": torch.tensor([False, True, True, False])}, grad=["input"])
    case("masked_select_input_broadcasts", "masked_select", {"input": x[1], "mask": m34}, grad=["input"])
    case("masked_select_int64", "masked_select", {"input": long(4, 5, 6), "mask": m3})
    case("masked_select_bool", "masked_select", {"input": torch.tensor([True, False, True]), "mask": m3})
    case("masked_select_none", "masked_select", {"input": x, "mask": torch.zeros(3, 4, dtype=torch.bool)}, grad=["input"])
    case("masked_select_0d", "masked_select", {"input": torch.tensor(2.5), "mask": torch.tensor(True)}, grad=["input"])
    # errors
    case("masked_select_shape_error", "masked_select", {"input": x, "mask": torch.tensor([True, False])})
    case("masked_select_long_mask", "masked_select", {"input": x, "mask": m34.long()})


def masked_scatter_cases():
    x = base.vals([3, 4])
    m34, m3 = masks()
    src = base.vals([2, 4], 0.5, 7, 3)
    case("masked_scatter_float32", "masked_scatter", {"input": x, "mask": m34, "source": src}, grad=["input", "source"])
    case("masked_scatter_exact_source", "masked_scatter", {"input": x, "mask": m34, "source": src.reshape(-1)[:5]}, grad=["input", "source"])
    case("masked_scatter_float64_double", "masked_scatter", {"input": x.double(), "mask": m34, "source": src.double()},
         grad=["input", "source"], double=True)
    case("masked_scatter_mask_broadcasts", "masked_scatter", {"input": x, "mask": torch.tensor([True, False, False, True]), "source": src.t()},
         grad=["input", "source"])
    case("masked_scatter_input_broadcasts", "masked_scatter", {"input": x[2], "mask": m34, "source": base.vals([6])}, grad=["input", "source"])
    case("masked_scatter_int64", "masked_scatter", {"input": long(1, 2, 3), "mask": m3, "source": long(7, 8, 9)})
    case("masked_scatter_bool", "masked_scatter", {"input": torch.tensor([False, False, True]), "mask": m3, "source": torch.tensor([True, False])})
    # errors
    case("masked_scatter_too_few", "masked_scatter", {"input": x, "mask": m34, "source": base.vals([4])})
    case("masked_scatter_dtype", "masked_scatter", {"input": x, "mask": m34, "source": src.double()})
    case("masked_scatter_shape_error", "masked_scatter", {"input": x, "mask": torch.tensor([True, False]), "source": src})


def index_put_cases():
    x = base.vals([3, 4])
    m34, m3 = masks()
    v = base.vals([3, 4], 0.5, 7, 3)
    case("index_put_rows", "index_put", {"input": x, "i0": long(2, 0), "values": v[:2]}, grad=["input", "values"])
    case("index_put_rows_broadcast_values", "index_put", {"input": x, "i0": long(2, 0), "values": v[0]}, grad=["input", "values"])
    case("index_put_negative", "index_put", {"input": x, "i0": long(-1, -3), "values": v[:2]}, grad=["input", "values"])
    case("index_put_accumulate", "index_put", {"input": x, "i0": long(2, 0, 2), "values": v}, grad=["input", "values"], accumulate=True)
    case("index_put_accumulate_double", "index_put", {"input": x.double(), "i0": long(2, 0, 2), "values": v.double()},
         grad=["input", "values"], double=True, accumulate=True)
    case("index_put_two_indices", "index_put", {"input": x, "i0": long(0, 2, -1), "i1": long(1, 3, 0), "values": v[0, :3]},
         grad=["input", "values"])
    case("index_put_broadcast_indices", "index_put", {"input": x, "i0": long(0, 2).reshape(2, 1), "i1": long(1, 3, 0),
                                                      "values": v[:2, :3]}, grad=["input", "values"])
    case("index_put_0d_index", "index_put", {"input": x, "i0": torch.tensor(1), "values": v[1]}, grad=["input", "values"])
    case("index_put_mask_rows", "index_put", {"input": x, "i0": m3, "values": v[:2]}, grad=["input", "values"])
    case("index_put_mask_full", "index_put", {"input": x, "i0": m34, "values": base.vals([5], 0.5)}, grad=["input", "values"])
    case("index_put_mask_fill", "index_put", {"input": x, "i0": m34, "values": torch.tensor(-2.0)}, grad=["input", "values"])
    case("index_put_mask_fill_other_dtype", "index_put", {"input": x, "i0": m34, "values": torch.tensor([-2.5], dtype=torch.float64)})
    case("index_put_mask_and_index", "index_put", {"input": x, "i0": m3, "i1": long(3), "values": v[0, :2]}, grad=["input", "values"])
    case("index_put_bool_flag", "index_put", {"input": x, "i0": torch.tensor(True), "values": torch.tensor(9.0)}, grad=["input", "values"])
    case("index_put_int64", "index_put", {"input": long(1, 2, 3), "i0": long(0, 0), "values": long(5, 6)}, accumulate=True)
    case("index_put_bool_accumulate", "index_put", {"input": torch.tensor([True, False]), "i0": long(1, 1),
                                                    "values": torch.tensor([False, True])}, accumulate=True)
    case("index_put_empty_index", "index_put", {"input": x, "i0": torch.zeros(0, dtype=torch.int64), "values": torch.tensor(5.0)})
    # errors
    case("index_put_mask_shape", "index_put", {"input": x, "i0": torch.tensor([True, False]), "values": torch.tensor(0.0)})
    case("index_put_out_of_bounds", "index_put", {"input": x, "i0": long(5), "values": torch.tensor(0.0)})
    case("index_put_out_of_bounds_negative", "index_put", {"input": x, "i0": long(0), "i1": long(-5), "values": torch.tensor(0.0)})
    case("index_put_float_index", "index_put", {"input": x, "i0": torch.tensor([0.0]), "values": torch.tensor(0.0)})
    case("index_put_int32_index", "index_put", {"input": x, "i0": long(0).int(), "values": torch.tensor(0.0)})
    case("index_put_dtype", "index_put", {"input": x, "i0": long(0), "values": torch.tensor(0.0, dtype=torch.float64)})
    case("index_put_values_shape", "index_put", {"input": x, "i0": long(0), "values": torch.tensor([1.0, 2.0])})
    case("index_put_too_many", "index_put", {"input": x, "i0": long(0), "i1": long(0), "i2": long(0), "values": torch.tensor(0.0)})
    case("index_put_indices_shape", "index_put", {"input": x, "i0": long(0, 1), "i1": long(0, 1, 2), "values": torch.tensor(0.0)})


def index_cases():
    x = base.vals([3, 4])
    m34, m3 = masks()
    case("index_rows", "index", {"input": x, "i0": long(2, 0, 2)}, grad=["input"])
    case("index_rows_double", "index", {"input": x.double(), "i0": long(2, 0, 2)}, grad=["input"], double=True)
    case("index_two", "index", {"input": x, "i0": long(0, 2).reshape(2, 1), "i1": long(1, 3, -1)}, grad=["input"])
    case("index_mask", "index", {"input": x, "i0": m34}, grad=["input"])
    case("index_mask_rows", "index", {"input": x, "i0": m3}, grad=["input"])
    case("index_0d", "index", {"input": x, "i0": torch.tensor(-2)}, grad=["input"])
    case("index_3d", "index", {"input": base.vals([2, 3, 2]), "i0": long(1, 0), "i1": long(2, 2)}, grad=["input"])
    case("index_int64", "index", {"input": long(4, 5, 6), "i0": long(2, 2, 0)})
    case("index_empty", "index", {"input": x, "i0": torch.zeros(0, dtype=torch.int64)})
    # errors
    case("index_out_of_bounds", "index", {"input": x, "i0": long(0), "i1": long(4)})
    case("index_mask_shape", "index", {"input": x, "i0": torch.tensor([True, False, True, True])})
    case("index_too_many", "index", {"input": x, "i0": long(0), "i1": long(0), "i2": long(0)})


def generate():
    CASES.clear()
    masked_fill_cases()
    masked_select_cases()
    masked_scatter_cases()
    index_put_cases()
    index_cases()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    return {"cases": CASES}
