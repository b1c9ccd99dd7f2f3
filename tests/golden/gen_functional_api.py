"""Golden fixtures for torch.autograd.functional (jacobian, hessian, vjp, jvp, vhp, hvp), the printed
form of their results, and torch.autograd.gradcheck / gradgradcheck, from real PyTorch 1.13.

Inputs are literal values (INPUTS) and the functions are named (FUNCS); the C# test has one lambda
per name. Results are encoded with their nesting: a tuple is a JSON list, a tensor is
{"t": {"values", "shape", "dtype", "requires_grad", "grad_fn"}}. Every result also records
  repr    repr(result), what print() shows
  pretty  IPython.lib.pretty.pretty(result), what a notebook shows as the cell's Out[]
Errors record their exception type and text.

IPython is needed for the "pretty" texts (the seed notebooks were rendered by it). If the python
running this lacks it, a pyenv / user site-packages that has it is added to sys.path.
"""
import glob
import math
import sys
import warnings

import torch
from torch.autograd import functional as F
from torch.autograd import gradcheck, gradgradcheck


def _import_pretty():
    try:
        from IPython.lib.pretty import pretty
        return pretty
    except ImportError:
        pass
    for path in sorted(glob.glob("/root/.pyenv/versions/*/lib/python3*/site-packages")) + \
            sorted(glob.glob("/usr/local/lib/python3*/dist-packages")):
        if path not in sys.path:
            sys.path.append(path)
        try:
            from IPython.lib.pretty import pretty
            return pretty
        except ImportError:
            continue
    raise ImportError("gen_functional_api.py needs IPython (pip install ipython) for the notebook display texts")


pretty = _import_pretty()

INPUTS = {
    "a": ([[0.5, -1.0], [1.5, 2.0]], torch.float32),
    "b": ([0.25, -0.5, 1.0], torch.float32),
    "c": ([0.75, 1.25], torch.float32),
    "e": ([0.1, 0.9], torch.float32),
    "s": ([0.6], torch.float32),
    "d": ([1.0, -2.0, 0.5], torch.float64),
    "w": ([0.3, -0.7], torch.float64),
    "seed_x1": ([0.4438], torch.float32),
    "seed_y1": ([0.8725], torch.float32),
    "seed_x3": ([0.1464, 0.2125, 0.7914], torch.float32),
    "seed_y3": ([0.9378, 0.4660, 0.1729], torch.float32),
    "seed_hx": ([0.8534], torch.float32),
    "seed_hy": ([0.0284], torch.float32),
    "seed_v": ([0.5, -0.25, 1.5], torch.float32),
}

# Vectors (v arguments) are inputs too.
INPUTS.update({
    "v2": ([1.0, 0.5], torch.float32),
    "v2b": ([1.0, -1.0], torch.float32),
    "v3": ([0.5, 1.0, 2.0], torch.float32),
    "v22": ([[1.0, 0.5], [-1.0, 2.0]], torch.float32),
    "v23": ([[1.0, 0.0, -1.0], [0.5, 2.0, 1.5]], torch.float32),
    "v0": (2.0, torch.float32),
    "v1": ([1.5], torch.float32),
    "vd": ([0.5, 1.0, -1.0], torch.float64),
    "seed_g": ([0.1, 1.0, 0.0001], torch.float32),
    "i": ([1, 2], torch.int64),
})


def do_some_doubling(x):
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    return y


FUNCS = {
    "exp_reducer": lambda x: x.exp().sum(dim=1),
    "exp_adder": lambda x, y: 2 * x.exp() + 3 * y,
    "two_outputs": lambda x: (x.exp(), (x * x).sum()),
    "tuple_tuple": lambda x, y: (x.unsqueeze(1) * y, x.sin().sum() * y.cos()),
    "one_tuple": lambda x: (x * 2,),
    "independent": lambda x, y: x.exp(),
    "constant": lambda x: torch.ones(3),
    "cubic64": lambda x: x.pow(2) * 3 + x,
    "mixed": lambda x, y: x * y.double().sum() + y.sum(),
    "scalar_out": lambda x: (x * x).sum(),
    "linear": lambda x: 2 * x,
    "matmul": lambda x: x.mm(x).sum(1),
    "select": lambda x: x.select(0, 1) * x,
    "pow_reducer": lambda x: x.pow(3).sum(),
    "pow_adder_reducer": lambda x, y: (2 * x.pow(2) + 3 * y.pow(2)).sum(),
    "exp_sin": lambda x: (x.exp() * x.sin()).sum(),
    "cross": lambda x, y: (x.sum() * y.exp()).sum() + (x * x).sum(),
    "linear_sum": lambda x: (2 * x).sum(),
    "not_scalar": lambda x: x * 2,
    "pow_independent": lambda x, y: x.pow(2).sum(),
    "exp_one": lambda x: x.exp() * 2,
    "exp_sum_one": lambda x: (x.exp() * x).sum(),
    "do_some_doubling": do_some_doubling,
    "none": lambda x: None,
    "none_in_tuple": lambda x: (x * 2, None),
    "identity": lambda x: x,
    "argmax": lambda x: x.argmax(),
}


def make(name):
    """An input by name; the suffix _rg makes it require grad ('a_rg' is 'a' with requires_grad=True)."""
    requires_grad = name.endswith("_rg")
    values, dtype = INPUTS[name[:-3] if requires_grad else name]
    return torch.tensor(values, dtype=dtype, requires_grad=requires_grad)


def args(spec):
    """'a' -> a tensor; ['a', 'b'] -> a tuple of tensors; None -> None."""
    if spec is None:
        return None
    if isinstance(spec, list):
        return tuple(make(n) for n in spec)
    return make(spec)


def encode(value):
    if isinstance(value, torch.Tensor):
        return {"t": {
            "values": value.detach().reshape(-1).tolist(),
            "shape": list(value.shape),
            "dtype": str(value.dtype).replace("torch.", ""),
            "requires_grad": value.requires_grad,
            "grad_fn": None if value.grad_fn is None else type(value.grad_fn).__name__,
        }}
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, list):
        return {"list": [encode(v) for v in value]}
    if value is None:
        return {"none": True}
    if isinstance(value, bool):
        return {"bool": value}
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, float):
        return {"float": value if math.isfinite(value) else repr(value)}
    if isinstance(value, str):
        return {"str": value}
    raise TypeError(type(value))


def run(api, func, inputs, v=None, **kwargs):
    """One call; the result with its repr and pretty form, or the error it raises."""
    fn = getattr(F, api)
    call_args = [FUNCS[func], args(inputs)]
    if api in ("vjp", "jvp", "vhp", "hvp") and v is not None:
        call_args.append(args(v))
    case = {"api": api, "func": func, "inputs": inputs, "v": v, "kwargs": kwargs}
    try:
        result = fn(*call_args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the error text is the fixture
        case["error"] = {"type": type(e).__name__, "message": str(e)}
        return case
    case["result"] = encode(result)
    case["repr"] = repr(result)
    case["pretty"] = pretty(result)
    return case


def functional_cases():
    cases = {}

    def add(name, *a, **k):
        assert name not in cases, name
        cases[name] = run(*a, **k)

    # jacobian: every nesting, both ways of computing it
    for vec in (False, True):
        s = "_vec" if vec else ""
        add("jacobian_exp_reducer" + s, "jacobian", "exp_reducer", "a", vectorize=vec)
        add("jacobian_exp_adder" + s, "jacobian", "exp_adder", ["c", "e"], vectorize=vec)
        add("jacobian_two_outputs" + s, "jacobian", "two_outputs", "b", vectorize=vec)
        add("jacobian_tuple_tuple" + s, "jacobian", "tuple_tuple", ["c", "b"], vectorize=vec)
        add("jacobian_one_tuple" + s, "jacobian", "one_tuple", "b", vectorize=vec)
        add("jacobian_one_element_tuple_input" + s, "jacobian", "exp_reducer", ["a"], vectorize=vec)
        add("jacobian_independent" + s, "jacobian", "independent", ["c", "b"], vectorize=vec)
        add("jacobian_constant" + s, "jacobian", "constant", "b", vectorize=vec)
        add("jacobian_cubic64" + s, "jacobian", "cubic64", "d", vectorize=vec)
        add("jacobian_mixed" + s, "jacobian", "mixed", ["d", "b"], vectorize=vec)
        add("jacobian_scalar_out" + s, "jacobian", "scalar_out", "b", vectorize=vec)
        add("jacobian_matmul" + s, "jacobian", "matmul", "a", vectorize=vec)
        add("jacobian_select" + s, "jacobian", "select", "b", vectorize=vec)
        add("jacobian_exp_reducer_create_graph" + s, "jacobian", "exp_reducer", "a", create_graph=True, vectorize=vec)
        add("jacobian_tuple_tuple_create_graph" + s, "jacobian", "tuple_tuple", ["c", "b"], create_graph=True, vectorize=vec)
        add("jacobian_linear_create_graph" + s, "jacobian", "linear", "b", create_graph=True, vectorize=vec)
    add("jacobian_exp_adder_strict", "jacobian", "exp_adder", ["c", "e"], strict=True)
    add("jacobian_independent_strict", "jacobian", "independent", ["c", "b"], strict=True)
    add("jacobian_constant_strict", "jacobian", "constant", "b", strict=True)
    add("jacobian_linear_strict_create_graph", "jacobian", "linear", "b", strict=True, create_graph=True)
    add("jacobian_strict_vectorize", "jacobian", "exp_adder", ["c", "e"], strict=True, vectorize=True)
    add("jacobian_forward_mode", "jacobian", "exp_reducer", "a", vectorize=True, strategy="forward-mode")
    add("jacobian_forward_mode_mixed", "jacobian", "mixed", ["d", "b"], vectorize=True, strategy="forward-mode")
    add("jacobian_forward_mode_not_vectorized", "jacobian", "exp_reducer", "a", strategy="forward-mode")
    add("jacobian_forward_mode_create_graph", "jacobian", "exp_reducer", "a", vectorize=True,
        strategy="forward-mode", create_graph=True)
    add("jacobian_forward_mode_strict", "jacobian", "exp_reducer", "a", vectorize=True, strategy="forward-mode",
        strict=True)
    # forward mode: every nesting, outputs without tangent, inputs that require grad, and its own errors
    fwd = dict(vectorize=True, strategy="forward-mode")
    for name, func, inputs in [
        ("exp_adder", "exp_adder", ["c", "e"]),
        ("two_outputs", "two_outputs", "b"),
        ("tuple_tuple", "tuple_tuple", ["c", "b"]),
        ("one_tuple", "one_tuple", "b"),
        ("one_element_tuple_input", "exp_reducer", ["a"]),
        ("scalar_input", "exp_one", "v0"),
        ("scalar_out", "scalar_out", "b"),
        ("cubic64", "cubic64", "d"),
        ("matmul", "matmul", "a"),
        ("select", "select", "b"),
        ("identity", "identity", "b"),
        ("independent", "independent", ["c", "b"]),
        ("constant", "constant", "b"),
        ("integer_output", "argmax", "b"),
        ("requires_grad", "exp_reducer", "a_rg"),
        ("requires_grad_linear", "linear", "b_rg"),
        ("requires_grad_identity", "identity", "b_rg"),
        ("requires_grad_tuple", "tuple_tuple", ["c_rg", "b"]),
        ("none_output", "none", "b"),
        ("none_in_tuple_output", "none_in_tuple", "b"),
        ("integer_input", "identity", "i"),
        ("no_inputs", "constant", []),
    ]:
        add("jacobian_forward_mode_" + name, "jacobian", func, inputs, **fwd)
    add("jacobian_bad_strategy", "jacobian", "exp_reducer", "a", strategy="sideways")
    add("jacobian_none_output", "jacobian", "none", "b")
    add("jacobian_none_in_tuple_output", "jacobian", "none_in_tuple", "b")
    add("jacobian_integer_input", "jacobian", "identity", "i")
    add("vjp_none_output", "vjp", "none", "b", v="v3")
    add("hessian_none_output", "hessian", "none", "b")

    # hessian
    for vec in (False, True):
        s = "_vec" if vec else ""
        add("hessian_pow_reducer" + s, "hessian", "pow_reducer", "a", vectorize=vec)
        add("hessian_pow_adder_reducer" + s, "hessian", "pow_adder_reducer", ["c", "e"], vectorize=vec)
        add("hessian_exp_sin" + s, "hessian", "exp_sin", "b", vectorize=vec)
        add("hessian_cross" + s, "hessian", "cross", ["c", "b"], vectorize=vec)
        add("hessian_linear_sum" + s, "hessian", "linear_sum", "b", vectorize=vec)
        add("hessian_one_element_tuple" + s, "hessian", "pow_reducer", ["a"], vectorize=vec)
        add("hessian_pow_reducer_create_graph" + s, "hessian", "pow_reducer", "a", create_graph=True, vectorize=vec)
        add("hessian_cross_create_graph" + s, "hessian", "cross", ["c", "b"], create_graph=True, vectorize=vec)
    add("hessian_forward_mode", "hessian", "pow_reducer", "a", vectorize=True, outer_jacobian_strategy="forward-mode")
    fwd = dict(vectorize=True, outer_jacobian_strategy="forward-mode")
    for name, func, inputs in [
        ("pow_adder_reducer", "pow_adder_reducer", ["c", "e"]),
        ("exp_sin", "exp_sin", "b"),
        ("cross", "cross", ["c", "b"]),
        ("linear_sum", "linear_sum", "b"),
        ("one_element_tuple", "pow_reducer", ["a"]),
        ("pow_independent", "pow_independent", ["c", "b"]),
        ("float64", "pow_reducer", "d"),
        ("requires_grad", "pow_reducer", "a_rg"),
    ]:
        add("hessian_forward_mode_" + name, "hessian", func, inputs, **fwd)
    add("hessian_forward_mode_not_vectorized", "hessian", "pow_reducer", "a", outer_jacobian_strategy="forward-mode")
    add("hessian_forward_mode_strict", "hessian", "pow_reducer", "a", strict=True, **fwd)
    add("hessian_forward_mode_create_graph", "hessian", "pow_reducer", "a", create_graph=True, **fwd)
    add("hessian_not_scalar", "hessian", "not_scalar", "b")
    add("hessian_linear_sum_strict", "hessian", "linear_sum", "b", strict=True)
    add("hessian_pow_independent_strict", "hessian", "pow_independent", ["c", "b"], strict=True)
    add("hessian_pow_independent", "hessian", "pow_independent", ["c", "b"])
    add("hessian_strict_ok", "hessian", "pow_adder_reducer", ["c", "e"], strict=True)
    add("hessian_bad_strategy", "hessian", "pow_reducer", "a", outer_jacobian_strategy="sideways")

    # vjp
    add("vjp_exp_reducer", "vjp", "exp_reducer", "a", v="v2")
    add("vjp_exp_adder", "vjp", "exp_adder", ["c", "e"], v="v2b")
    add("vjp_two_outputs", "vjp", "two_outputs", "b", v=["v3", "v0"])
    add("vjp_tuple_tuple", "vjp", "tuple_tuple", ["c", "b"], v=["v23", "v3"])
    add("vjp_scalar_out_no_v", "vjp", "scalar_out", "b")
    add("vjp_independent", "vjp", "independent", ["c", "b"], v="v2")
    add("vjp_exp_reducer_create_graph", "vjp", "exp_reducer", "a", v="v2", create_graph=True)
    add("vjp_tuple_tuple_create_graph", "vjp", "tuple_tuple", ["c", "b"], v=["v23", "v3"], create_graph=True)
    add("vjp_no_v", "vjp", "exp_reducer", "a")
    add("vjp_bad_v_size", "vjp", "exp_reducer", "a", v="v3")
    add("vjp_bad_v_length", "vjp", "two_outputs", "b", v=["v3"])
    add("vjp_bad_v_entry", "vjp", "two_outputs", "b", v=["v3", "v2"])
    add("vjp_independent_strict", "vjp", "independent", ["c", "b"], v="v2", strict=True)
    add("vjp_constant_strict", "vjp", "constant", "b", v="v3", strict=True)
    add("vjp_linear_strict_create_graph", "vjp", "linear", "b", v="v3", strict=True, create_graph=True)

    # jvp
    add("jvp_exp_reducer", "jvp", "exp_reducer", "a", v="v22")
    add("jvp_exp_adder", "jvp", "exp_adder", ["c", "e"], v=["v2", "v2b"])
    add("jvp_two_outputs", "jvp", "two_outputs", "b", v="v3")
    add("jvp_tuple_tuple", "jvp", "tuple_tuple", ["c", "b"], v=["v2", "v3"])
    add("jvp_one_element_no_v", "jvp", "exp_one", "s")
    add("jvp_independent", "jvp", "independent", ["c", "b"], v=["v2", "v3"])
    add("jvp_exp_reducer_create_graph", "jvp", "exp_reducer", "a", v="v22", create_graph=True)
    add("jvp_no_v", "jvp", "exp_reducer", "a")
    add("jvp_bad_v_size", "jvp", "exp_reducer", "a", v="v3")
    add("jvp_bad_v_length", "jvp", "exp_adder", ["c", "e"], v=["v2"])
    add("jvp_bad_v_entry", "jvp", "exp_adder", ["c", "e"], v=["v2", "v3"])
    add("jvp_independent_strict", "jvp", "independent", ["c", "b"], v=["v2", "v3"], strict=True)
    add("jvp_constant_strict", "jvp", "constant", "b", v="v3", strict=True)

    # vhp and hvp
    for api in ("vhp", "hvp"):
        add(api + "_pow_reducer", api, "pow_reducer", "a", v="v22")
        add(api + "_pow_adder_reducer", api, "pow_adder_reducer", ["c", "e"], v=["v2", "v2b"])
        add(api + "_exp_sin", api, "exp_sin", "b", v="v3")
        add(api + "_cross", api, "cross", ["c", "b"], v=["v2", "v3"])
        add(api + "_one_element_no_v", api, "exp_sum_one", "s")
        add(api + "_pow_independent", api, "pow_independent", ["c", "b"], v=["v2", "v3"])
        add(api + "_pow_reducer_create_graph", api, "pow_reducer", "a", v="v22", create_graph=True)
        add(api + "_cross_create_graph", api, "cross", ["c", "b"], v=["v2", "v3"], create_graph=True)
        add(api + "_no_v", api, "pow_reducer", "a")
        add(api + "_not_scalar", api, "not_scalar", "b", v="v3")
        add(api + "_bad_v_size", api, "pow_reducer", "a", v="v3")
        add(api + "_bad_v_length", api, "pow_adder_reducer", ["c", "e"], v=["v2"])
        add(api + "_linear_sum_strict", api, "linear_sum", "b", v="v3", strict=True)
        add(api + "_pow_independent_strict", api, "pow_independent", ["c", "b"], v=["v2", "v3"], strict=True)
        add(api + "_float64", api, "pow_reducer", "d", v="vd")
    return cases


def seed003():
    """Seed 003's cells with literal inputs: what print(inputs) and the cell's Out[] show."""
    cells = {}
    exp_adder = FUNCS["exp_adder"]
    for name, inputs, fn in [
        ("exp_adder_1", ("seed_x1", "seed_y1"), F.jacobian),
        ("exp_adder_3", ("seed_x3", "seed_y3"), F.jacobian),
        ("hessian", ("seed_hx", "seed_hy"), F.hessian),
    ]:
        t = tuple(make(n) for n in inputs)
        result = fn(exp_adder, t)
        cells[name] = {"inputs": list(inputs), "print_inputs": repr(t), "out": pretty(result)}
    result = F.vjp(do_some_doubling, make("seed_v"), v=make("seed_g"))
    cells["vjp_doubling"] = {"inputs": ["seed_v"], "v": "seed_g", "out": pretty(result)}
    return cells


def printer_cases():
    """Structures printed with repr() and IPython's pretty(): line breaking and nesting rules."""
    t = torch.tensor
    structures = {
        "one_tuple": (t([1.0, 2.0]),),
        "empty_tuple": (),
        "list": [t([1.0]), 2, 2.5, None, True, "a'b"],
        "scalars": (1, -2.5, 1e-05, 1e16, 1234567890123456.0, 123456.789, 0.1, float("inf"), float("nan"), -0.0,
                    "text", "it's", None, False),
        "long_line": (t([1.0, 2.0, 3.0, 4.0, 5.0]), t([6.0, 7.0, 8.0, 9.0, 10.0]), t([11.0, 12.0, 13.0])),
        "long_nested": ((t([1.5, 2.5, 3.5]), t([4.5, 5.5, 6.5])), (t([7.5, 8.5, 9.5]), t([10.5, 11.5, 12.5]))),
        "deep": (((t([[1.0, 2.0], [3.0, 4.0]]),),), t(5.0)),
        "requires_grad": (t([1.0, 2.0], requires_grad=True), (t([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64),)),
        "mixed_multiline": (t(1.0), t([[1.0, 2.0], [3.0, 4.0]]), t(2.0), [t([[5.0], [6.0]]), 7]),
        "wide_tensor": (t([[1.0e-8, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]]), t([1.0])),
        "ints": (t([1, 2, 3]), t([True, False])),
    }
    cases = {name: {"value": encode(s), "repr": repr(s), "pretty": pretty(s)} for name, s in structures.items()}
    narrow = (t([1.0, 2.0]), t([3.0]))
    cases["narrow"] = {"value": encode(narrow), "repr": repr(narrow), "pretty": pretty(narrow, max_width=20),
                       "max_width": 20}
    return cases


def gradcheck_cases():
    x = lambda: torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)  # noqa: E731
    m = lambda: torch.tensor([[0.5, -1.0], [2.0, 1.5]], dtype=torch.float64, requires_grad=True)  # noqa: E731
    y = lambda: torch.tensor([0.5, -1.5, 2.5], dtype=torch.float64, requires_grad=True)  # noqa: E731
    xf = lambda: torch.tensor([1.0, 2.0, 3.0], requires_grad=True)  # noqa: E731
    cases = {}

    def check(name, fn, *a, **k):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = {"result": fn(*a, **k)}
            except Exception as e:  # noqa: BLE001
                result = {"error": {"type": type(e).__name__, "message": str(e)}}
        result["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
        cases[name] = result

    check("cubic", gradcheck, lambda x: x * x * x, (x(),))
    check("wrong", gradcheck, lambda x: x * x.detach(), (x(),))
    check("wrong_no_raise", gradcheck, lambda x: x * x.detach(), (x(),), raise_exception=False)
    check("wrong_matrix", gradcheck, lambda m: m.mm(m.detach()), (m(),))
    check("two_inputs", gradcheck, lambda x, y: (x * y).exp(), (x(), y()))
    check("tuple_outputs", gradcheck, lambda x, y: (x * y, x + y * y), (x(), y()))
    check("tuple_outputs_wrong", gradcheck, lambda x, y: (x * y, x + y * y.detach()), (x(), y()))
    check("float32_pass_no_raise", gradcheck, lambda x: x * 2, (xf(),), raise_exception=False)
    check("float32_wrong", gradcheck, lambda x: x * x, (xf(),))
    check("no_requires_grad", gradcheck, lambda x: x * 2, (x().detach(),))
    check("stride_zero", gradcheck, lambda x: x * 2,
          (torch.ones(1, dtype=torch.float64).expand(3).requires_grad_(),))
    check("no_differentiable_output", gradcheck, lambda x: (x * 2).detach(), (x(),))
    check("constant_output", gradcheck, lambda x: (x + 0.3).round().detach(), (x(),))
    check("shape_changes", gradcheck, lambda x: x * 2 if x[0] > 1.0 else x[:2] * 2, (x(),))
    check("loose_tolerance", gradcheck, lambda x: x * x.detach(), (x(),), atol=10.0)
    check("gradgrad_cubic", gradgradcheck, lambda x: x * x * x, (x(),),
          torch.tensor([1.0, -1.0, 0.5], dtype=torch.float64, requires_grad=True))
    check("gradgrad_cubic_random", gradgradcheck, lambda x: x * x * x, (x(),))
    check("gradgrad_wrong", gradgradcheck, lambda x: x * x * x.detach(), (x(),),
          torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True))
    check("gradgrad_wrong_no_raise", gradgradcheck, lambda x: x * x * x.detach(), (x(),),
          torch.tensor([1.0, 1.0, 1.0], dtype=torch.float64, requires_grad=True), raise_exception=False)
    check("gradgrad_two_inputs", gradgradcheck, lambda x, y: (x * y).exp() * x, (x(), y()),
          torch.tensor([0.5, 1.0, -1.0], dtype=torch.float64, requires_grad=True))
    return cases


def generate():
    return {
        "inputs": {k: {"values": v, "dtype": str(d).replace("torch.", "")} for k, (v, d) in INPUTS.items()},
        "cases": functional_cases(),
        "seed003": seed003(),
        "printer": printer_cases(),
        "gradcheck": gradcheck_cases(),
    }
