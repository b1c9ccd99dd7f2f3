"""Golden fixtures for Tensor.ToString(): repr(tensor) of PyTorch 1.13.

Each case describes a tensor the C# test can rebuild exactly, plus the expected repr:
  values    flat row-major values (floats already rounded to the dtype via tolist(); "nan", "inf",
            "-inf" as strings since JSON has no such numbers), or
  arange    {"n", "scale", "offset"}: value i is i * scale + offset computed in float64 (int for
            integer dtypes) and then converted to the dtype, for big tensors
  shape, dtype ("float32", "float64", "int64", "int32", "bool"), requires_grad
  op        optional: an op applied to the leaf to get a grad_fn or a strided view
            ({"name": "mul", "scalar": 2}, {"name": "view", "shape": [...]}, ...)
  options   optional: torch.set_printoptions keyword arguments used for this case only
  expected  repr(tensor)
"""
import math

import torch

DTYPES = {
    "float32": torch.float32,
    "float64": torch.float64,
    "int64": torch.int64,
    "int32": torch.int32,
    "bool": torch.bool,
}


def encode(v):
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
    return v


def apply_op(x, op):
    name = op["name"]
    if name == "add":
        return x + op["scalar"]
    if name == "add_self":
        return x + x
    if name == "sub":
        return x - op["scalar"]
    if name == "rsub":
        return op["scalar"] - x
    if name == "mul":
        return x * op["scalar"]
    if name == "mul_self":
        return x * x
    if name == "div":
        return x / op["scalar"]
    if name == "neg":
        return -x
    if name == "exp":
        return x.exp()
    if name == "sum":
        return x.sum()
    if name == "sum_dim":
        return x.sum(op["dim"])
    if name == "mean":
        return x.mean()
    if name == "mean_dim":
        return x.mean(op["dim"])
    if name == "view":
        return x.view(op["shape"])
    if name == "expand":
        return x.expand(op["shape"])
    if name == "to":
        return x.to(DTYPES[op["dtype"]])
    if name == "clone":
        return x.clone()
    if name == "tutorial":
        # The autograd tutorial: y = x + 2; z = y * y * 3.
        y = x + 2
        return y * y * 3
    if name == "tutorial_mean":
        y = x + 2
        return (y * y * 3).mean()
    raise ValueError(name)


class Cases:
    def __init__(self):
        self.cases = []

    def add(self, name, values=None, shape=None, dtype="float32", requires_grad=False, op=None,
            options=None, arange=None):
        torch_dtype = DTYPES[dtype]
        if arange is not None:
            n, scale, offset = arange["n"], arange["scale"], arange["offset"]
            raw = [i * scale + offset for i in range(n)]
            t = torch.tensor(raw, dtype=torch_dtype)
        else:
            t = torch.tensor(values, dtype=torch_dtype)
        if shape is None:
            shape = list(t.shape)
        t = t.reshape(shape)
        if requires_grad:
            t.requires_grad_(True)
        case = {
            "name": name,
            "shape": list(shape),
            "dtype": dtype,
            "requires_grad": requires_grad,
        }
        if arange is not None:
            case["arange"] = arange
        else:
            case["values"] = [encode(v) for v in t.detach().reshape(-1).tolist()]
        result = apply_op(t, op) if op is not None else t
        if op is not None:
            case["op"] = op
        if options is not None:
            case["options"] = options
            torch.set_printoptions(**options)
        try:
            case["expected"] = repr(result)
        finally:
            torch.set_printoptions(profile="default")
        assert repr(result) == str(result)
        self.cases.append(case)


def scalars(c):
    c.add("scalar_float_int_valued", 27.0, [])
    c.add("scalar_float_fraction", 0.1, [])
    c.add("scalar_float_negative", -3.25, [])
    c.add("scalar_float_tiny", 1e-10, [])
    c.add("scalar_float_huge", 123456789.0, [])
    c.add("scalar_float_nan", float("nan"), [])
    c.add("scalar_float_neg_inf", float("-inf"), [])
    c.add("scalar_float_neg_zero", -0.0, [])
    c.add("scalar_float64", 1.5, [], "float64")
    c.add("scalar_float64_pi", math.pi, [], "float64")
    c.add("scalar_int64", 3, [], "int64")
    c.add("scalar_int64_max", 2 ** 63 - 1, [], "int64")
    c.add("scalar_int32_min", -(2 ** 31), [], "int32")
    c.add("scalar_bool", True, [], "bool")
    c.add("scalar_requires_grad", 2.0, [], requires_grad=True)
    c.add("scalar_float64_requires_grad", 2.5, [], "float64", requires_grad=True)


def empties(c):
    for dtype in DTYPES:
        c.add(f"empty_1d_{dtype}", [], [0], dtype)
    c.add("empty_0x3", [], [0, 3])
    c.add("empty_2x0_int32", [], [2, 0], "int32")
    c.add("empty_3x0x2_float64", [], [3, 0, 2], "float64")
    c.add("empty_requires_grad", [], [0], requires_grad=True)
    c.add("empty_2d_float64_requires_grad", [], [0, 4], "float64", requires_grad=True)


def floats(c):
    c.add("ones_2x2", [1.0] * 4, [2, 2])
    c.add("int_valued_mixed_widths", [1.0, -20.0, 300.0, 4.0, 0.0, -0.0], [2, 3])
    c.add("neg_zero_and_one", [-0.0, 1.0])
    c.add("fixed_simple", [0.1, 1.0, 2.5])
    c.add("fixed_negative", [-1.5, 2.25, -0.125, 10.0625], [2, 2])
    c.add("round_half_even_ties", [0.03125, 0.09375, 0.15625, 1.00005, 2.5])
    c.add("fixed_rounding_carry", [9.99996, 0.99999, 99.99995])
    c.add("sci_ratio", [204.8, 2048.0, 0.2048])
    c.add("sci_ratio_int_valued", [1.0, 1000.0, 1001.0])
    c.add("int_valued_ratio_1000", [1.0, 1000.0])
    c.add("sci_huge", [1e9, 2e9, 3.5e9])
    c.add("int_valued_near_1e8", [99999999.0, 100000000.0])
    c.add("sci_tiny", [1e-5, 2e-5, 3e-5])
    c.add("sci_tiny_min", [1e-4, 0.5, 0.25])
    c.add("fixed_min_1e-4", [0.0001, 0.05], dtype="float64")
    c.add("sci_negative_exponents", [-1.5e-7, 3.25e-12, 4.0e-9], [3, 1])
    c.add("sci_with_zero", [0.0, 1e-6, -2e-6, 0.0], [2, 2])
    c.add("sci_big_exponent", [1e300, -2e-300, 1.0], dtype="float64")
    c.add("float32_extremes", [3.4e38, 1.2e-38, -1.0])
    c.add("float32_subnormal", [1e-45, 1.0])
    c.add("nan_inf_fixed", [float("nan"), float("inf"), float("-inf"), 1.5, -2.25])
    c.add("nan_inf_int_valued", [float("nan"), 1.0, float("-inf"), 100.0])
    c.add("nan_inf_sci", [float("nan"), 1e-8, float("inf"), 1.0])
    c.add("only_nan_inf", [float("nan"), float("inf"), float("-inf")])
    c.add("all_zeros", [0.0] * 6, [2, 3])
    c.add("zeros_and_neg_zero", [0.0, -0.0, 0.0])
    c.add("float64_fixed", [0.1, 0.2, 0.30000000000000004], dtype="float64")
    c.add("float64_int_valued", [1.0, 2.0], dtype="float64")
    c.add("float32_decimal_values", [0.1, 0.7, 1.1, 123.456, -9.87654])
    c.add("big_int_valued_float64", [2.0 ** 60, 1.0], dtype="float64")
    c.add("large_fixed_values_sci", [12345.678, 0.5, -54321.1])
    c.add("large_fixed_values", [12345.678, 100.5, -54321.1])
    c.add("fixed_ratio_just_below_1000", [0.0011, 1.0999], dtype="float64")
    c.add("fixed_mixed_signs_3d", [(-1) ** i * (i * 0.3 + 0.01) for i in range(12)], [3, 2, 2])


def integers(c):
    c.add("int64_row", [1, 2, 3], dtype="int64")
    c.add("int64_negative_widths", [-100, 5, 20, -3], [2, 2], "int64")
    c.add("int64_huge", [2 ** 62 + 1, -(2 ** 63), 7], dtype="int64")
    c.add("int32_matrix", list(range(-4, 5)), [3, 3], "int32")
    c.add("bool_row", [True, False], dtype="bool")
    c.add("bool_matrix", [True, False, False, True, True, False], [2, 3], "bool")
    c.add("int64_3d", list(range(24)), [2, 3, 4], "int64")


def shapes(c):
    c.add("float_3d", [i * 0.5 for i in range(24)], [2, 3, 4])
    c.add("float_4d", [float(i) for i in range(36)], [2, 3, 2, 3])
    c.add("float_4d_fixed", [i * 0.25 - 2 for i in range(16)], [2, 2, 2, 2])
    c.add("single_element_1d", [5.0], [1])
    c.add("column_vector", [1.5, 2.5, 3.5], [3, 1])
    c.add("size_one_dims", [1.0, 2.0], [1, 2, 1])
    c.add("bool_3d", [i % 3 == 0 for i in range(12)], [2, 3, 2], "bool")
    c.add("int32_4d", list(range(16)), [2, 2, 2, 2], "int32")


def wrapping(c):
    c.add("wrap_1d_fixed", arange={"n": 30, "scale": 1.25, "offset": -3.0}, shape=[30])
    c.add("wrap_1d_int_valued", arange={"n": 50, "scale": 1.0, "offset": 0.0}, shape=[50])
    c.add("wrap_1d_sci", arange={"n": 20, "scale": 1.5e5, "offset": 1e-3}, shape=[20])
    c.add("wrap_2d_fixed", arange={"n": 40, "scale": 1.5, "offset": 0.0}, shape=[2, 20])
    c.add("wrap_3d", arange={"n": 60, "scale": 0.75, "offset": -10.0}, shape=[2, 2, 15])
    c.add("wrap_int64", arange={"n": 45, "scale": 123457, "offset": -1000}, shape=[45], dtype="int64")
    c.add("wrap_bool", [i % 2 == 0 for i in range(30)], [30], "bool")
    c.add("wrap_float64", arange={"n": 25, "scale": 0.1, "offset": 0.0}, shape=[25], dtype="float64")


def summarised(c):
    c.add("summarise_1d_1001", arange={"n": 1001, "scale": 1.0, "offset": 0.0}, shape=[1001])
    c.add("summarise_1d_2000_fixed", arange={"n": 2000, "scale": 0.5, "offset": -3.0}, shape=[2000])
    c.add("summarise_1d_int64", arange={"n": 5000, "scale": 7, "offset": -2}, shape=[5000], dtype="int64")
    c.add("summarise_2d", arange={"n": 2500, "scale": 0.01, "offset": 0.0}, shape=[50, 50])
    c.add("summarise_2d_narrow_rows", arange={"n": 1200, "scale": 1.0, "offset": 0.0}, shape=[2, 600])
    c.add("summarise_2d_narrow_cols", arange={"n": 1200, "scale": 1.0, "offset": 0.0}, shape=[600, 2])
    c.add("summarise_3d", arange={"n": 8000, "scale": 1.0, "offset": 0.0}, shape=[20, 20, 20])
    c.add("summarise_2d_fixed", arange={"n": 2500, "scale": 0.01, "offset": 1.0}, shape=[50, 50])
    c.add("summarise_expanded_view", [0.5, -1.0, 2.0], [1, 3], op={"name": "expand", "shape": [1000, 3]})
    c.add("summarise_4d", arange={"n": 4096, "scale": 0.001, "offset": 0.0}, shape=[8, 8, 8, 8])
    # A fraction hidden by the ellipsis does not leave integer mode.
    c.add("summarise_hidden_fraction", [0.5 if i == 550 else float(i) for i in range(1100)], [1100])
    c.add("summarise_bool", [i % 5 == 0 for i in range(1500)], [3, 500], "bool")
    c.add("summarise_requires_grad", arange={"n": 1500, "scale": 0.25, "offset": 0.0}, shape=[1500],
          requires_grad=True)
    c.add("summarise_float64_grad_fn", arange={"n": 1200, "scale": 1.0, "offset": 0.0}, shape=[30, 40],
          dtype="float64", requires_grad=True, op={"name": "mul", "scalar": 2})
    c.add("not_summarised_at_1000", arange={"n": 1000, "scale": 1.0, "offset": 0.0}, shape=[10, 100])


def autograd(c):
    c.add("leaf_requires_grad_2x2", [1.0] * 4, [2, 2], requires_grad=True)
    c.add("tutorial_mul", [1.0] * 4, [2, 2], requires_grad=True, op={"name": "tutorial"})
    c.add("tutorial_mean", [1.0] * 4, [2, 2], requires_grad=True, op={"name": "tutorial_mean"})
    c.add("add_scalar", [1.0, 2.0, 3.0], requires_grad=True, op={"name": "add", "scalar": 2})
    c.add("add_self", [0.5, 1.5], requires_grad=True, op={"name": "add_self"})
    c.add("sub_scalar", [1.0, 2.0], [1, 2], requires_grad=True, op={"name": "sub", "scalar": 0.5})
    c.add("rsub_scalar", [1.0, 2.0], requires_grad=True, op={"name": "rsub", "scalar": 1})
    c.add("mul_self", [1.5, -2.0], requires_grad=True, op={"name": "mul_self"})
    c.add("div_scalar", [1.0, 3.0], requires_grad=True, op={"name": "div", "scalar": 4})
    c.add("neg", [1.0, -2.0], requires_grad=True, op={"name": "neg"})
    c.add("exp_zero", [0.0, 0.0], requires_grad=True, op={"name": "exp"})
    c.add("sum", [1.0, 2.0, 3.0, 4.0], [2, 2], requires_grad=True, op={"name": "sum"})
    c.add("sum_dim", [1.0, 2.0, 3.0, 4.0], [2, 2], requires_grad=True, op={"name": "sum_dim", "dim": 0})
    c.add("mean", [1.0, 2.0, 3.0, 4.0], [2, 2], requires_grad=True, op={"name": "mean"})
    c.add("mean_dim", [1.0, 2.0, 3.0, 4.0], [2, 2], requires_grad=True, op={"name": "mean_dim", "dim": 1})
    c.add("view", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], requires_grad=True, op={"name": "view", "shape": [2, 3]})
    # reshape is left out: PyTorch 1.13 records ReshapeAliasBackward0 for a reshape that can be a view.
    c.add("expand", [1.0, 2.0, 3.0], [3, 1], requires_grad=True, op={"name": "expand", "shape": [3, 4]})
    c.add("expand_no_grad", [1.25, 2.5], [1, 2], op={"name": "expand", "shape": [3, 2]})
    c.add("expand_int64_no_grad", [7, -8], [2, 1], "int64", op={"name": "expand", "shape": [2, 3]})
    c.add("to_float64", [1.0, 2.5], requires_grad=True, op={"name": "to", "dtype": "float64"})
    c.add("clone_float64", [1.0, 2.5], dtype="float64", requires_grad=True, op={"name": "clone"})
    c.add("float64_mul_grad_fn", [0.5, 1.0, 1.5, 2.0], [2, 2], "float64", requires_grad=True,
          op={"name": "mul", "scalar": 3})
    c.add("float64_sum_grad_fn", [0.5, 1.0, 1.5, 2.0], dtype="float64", requires_grad=True, op={"name": "sum"})
    c.add("float64_requires_grad_matrix", [0.1, 0.2, 0.3, 0.4], [2, 2], "float64", requires_grad=True)


def suffix_wrapping(c):
    # Rows whose last line ends near the line width: the suffix goes on its own line.
    for n in range(6, 12):
        c.add(f"suffix_wrap_requires_grad_{n}", arange={"n": n, "scale": 1.5, "offset": 100.0}, shape=[n],
              requires_grad=True)
    for n in range(6, 10):
        c.add(f"suffix_wrap_float64_grad_{n}", arange={"n": n, "scale": 1.5, "offset": 100.0}, shape=[n],
              dtype="float64", requires_grad=True)
    for n in range(7, 11):
        c.add(f"suffix_wrap_grad_fn_{n}", arange={"n": n, "scale": 0.25, "offset": 1000.0}, shape=[n],
              requires_grad=True, op={"name": "mul", "scalar": 2})
    # PyTorch measures the last line two characters long; these straddle that boundary.
    for n in range(11, 15):
        c.add(f"suffix_boundary_ones_{n}", [1.0] * n, [n], requires_grad=True)
        c.add(f"suffix_boundary_ones_2x{n}", [1.0] * (2 * n), [2, n], requires_grad=True)
    for n in range(7, 12):
        c.add(f"suffix_boundary_float64_ones_{n}", [1.0] * n, [n], "float64", requires_grad=True)
    c.add("suffix_wrap_int32", arange={"n": 12, "scale": 1, "offset": 100000}, shape=[12], dtype="int32")
    c.add("suffix_wrap_2d_float64", arange={"n": 16, "scale": 1.5, "offset": 100.0}, shape=[2, 8],
          dtype="float64", requires_grad=True)
    c.add("suffix_wrap_empty", [], [0, 3, 40000000, 0], "float64", requires_grad=True)


def options(c):
    c.add("opt_precision_2", [0.125, 1.0 / 3.0, 2.0])
    c.add("opt_precision_2_set", [0.125, 1.0 / 3.0, 2.0], options={"precision": 2})
    c.add("opt_precision_0", [0.5, 1.5, 2.25], options={"precision": 0})
    c.add("opt_precision_0_sci", [1e-5, 2.5], options={"precision": 0})
    c.add("opt_precision_8_float64", [1.0 / 3.0, 2.0 / 3.0], dtype="float64", options={"precision": 8})
    c.add("opt_threshold_5", arange={"n": 10, "scale": 1, "offset": 0}, shape=[10], dtype="int64",
          options={"threshold": 5})
    c.add("opt_edgeitems_1", arange={"n": 2000, "scale": 1.0, "offset": 0.0}, shape=[10, 200],
          options={"edgeitems": 1})
    c.add("opt_edgeitems_0_1d", arange={"n": 8, "scale": 1, "offset": 0}, shape=[8], dtype="int64",
          options={"threshold": 3, "edgeitems": 0})
    c.add("opt_linewidth_40", arange={"n": 20, "scale": 0.5, "offset": 0.0}, shape=[2, 10],
          requires_grad=True, options={"linewidth": 40})
    c.add("opt_linewidth_tiny", [1.5, 2.5, 3.5], requires_grad=True, options={"linewidth": 5})
    c.add("opt_sci_true", [1.0, 2.5, 100.0], options={"sci_mode": True})
    c.add("opt_sci_true_int_valued", [1.0, 2.0], options={"sci_mode": True})
    c.add("opt_sci_false", [1e-6, 1e10, -3.0], dtype="float64", options={"sci_mode": False})
    c.add("opt_sci_false_int_valued", [1e10, 1.0], options={"sci_mode": False})
    c.add("opt_sci_true_only_zeros", [0.0, 0.0], options={"sci_mode": True})
    c.add("opt_profile_short", [0.125, 1.0 / 3.0], options={"profile": "short"})
    c.add("opt_profile_full", arange={"n": 1200, "scale": 1, "offset": 0}, shape=[1200], dtype="int64",
          options={"profile": "full"})


def float_formats():
    """Python's '{:.pf}' and '{:.pe}' on doubles that stress rounding: ties, carries, extremes."""
    values = [0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.03125, 0.09375, 1.00005, 9.99995, 9.9999500001, 0.00005,
              -0.00004, 1e-4, 123.456, 1 / 3, 2 / 3, math.pi, 1e15, 1e16, 1e22, 1e23, 2.0 ** 70,
              1.7976931348623157e308, 5e-324, 2.2250738585072014e-308, 1e-100, 99999.5, 999995.0,
              float(torch.tensor(0.1).item()), float(torch.tensor(3.4e38).item()), 4.35, 0.125, 0.375]
    out = []
    for v in values:
        for p in (0, 1, 2, 4, 8):
            out.append({"value": v, "precision": p, "fixed": f"{v:.{p}f}", "sci": f"{v:.{p}e}"})
    return out


def generate():
    c = Cases()
    for group in (scalars, empties, floats, integers, shapes, wrapping, summarised, autograd, suffix_wrapping,
                  options):
        group(c)
    names = [case["name"] for case in c.cases]
    assert len(names) == len(set(names)), "duplicate case names"
    return {"cases": c.cases, "float_formats": float_formats()}
