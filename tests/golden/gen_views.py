"""Golden fixtures for view ops, the indexer, and joining/splitting ops (PyTorch 1.13).

Every case starts from arange-based tensors, so the C# tests rebuild the exact inputs. A "chain" is a
list of ops applied in order; each op is a list [name, *args] interpreted identically by
tests/SharpGrad.Tests/Ops/ViewTests.cs. Index specs: an int, "..." (Ellipsis), null (None) or
{"slice": [start, stop, step]} (null bounds mean the ends).
"""
import re
import warnings

import torch

DTYPES = {"float64": torch.float64, "float32": torch.float32, "int64": torch.int64, "int32": torch.int32,
          "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def make(shape, dtype="float64", requires_grad=False):
    """arange(numel) reshaped (bool: odd positions are True), optionally a leaf requiring grad."""
    n = 1
    for s in shape:
        n *= s
    flat = torch.arange(n)
    if dtype == "bool":
        flat = flat % 2 == 1
    else:
        flat = flat.to(DTYPES[dtype])
    if requires_grad:
        flat.requires_grad_()
    return flat, flat.reshape(shape)


def index_of(spec):
    if spec == "...":
        return Ellipsis
    if spec is None:
        return None
    if isinstance(spec, dict):
        return slice(*spec["slice"])
    return spec


def apply(t, op):
    name, args = op[0], op[1:]
    if name == "index":
        specs = args[0]
        if len(specs) == 1:
            return t[index_of(specs[0])]  # Python's single-index fast path, like C#'s one-argument indexer
        return t[tuple(index_of(s) for s in specs)]
    if name == "t":
        return t.t()
    if name == "T":
        return t.T
    if name == "mT":
        return t.mT
    if name == "squeeze":
        return t.squeeze(*args)
    if name == "slice":
        return torch.ops.aten.slice(t, *args)
    if name == "as_strided":
        return t.as_strided(*args)
    if name == "split_sizes":
        return t.split(args[0], args[1])
    return getattr(t, name)(*args)


def node_chain(t):
    names, fn = [], t.grad_fn
    while fn is not None and not type(fn).__name__.endswith("AccumulateGrad"):
        names.append(type(fn).__name__)
        fn = next((f for f, _ in fn.next_functions if f is not None), None)
    return names


def values(t):
    return t.detach().double().flatten().tolist()


def ramp(shape, dtype):
    """The output gradient used everywhere: 1, 2, 3, ... in the output's shape."""
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float64) + 1).reshape(shape).to(dtype)


def chain_case(shape, ops, dtype="float64"):
    leaf, base = make(shape, dtype, requires_grad=dtype == "float64")
    y = base
    for op in ops:
        y = apply(y, op)
    case = {
        "base": list(shape), "dtype": dtype, "ops": ops,
        "shape": list(y.shape), "stride": list(y.stride()), "offset": y.storage_offset(),
        "contiguous": y.is_contiguous(), "values": values(y),
        "shares_storage": y.storage().data_ptr() == leaf.storage().data_ptr(),
        "nodes": node_chain(y),
    }
    if dtype == "float64":
        y.backward(ramp(y.shape, y.dtype))
        case["grad"] = leaf.grad.tolist()
    return case


def S(start=None, stop=None, step=None):
    return {"slice": [start, stop, step]}


def chains():
    x3 = (2, 3, 4)
    cases = [
        (x3, [["transpose", 0, 2]]), (x3, [["transpose", -1, 0]]), (x3, [["transpose", 1, 1]]),
        (x3, [["permute", 2, 0, 1]]), (x3, [["permute", -1, -3, 1]]), (x3, [["mT"]]), (x3, [["T"]]),
        (x3, [["transpose", 0, 2], ["select", 1, 1]]), (x3, [["permute", 2, 0, 1], ["index", [S(1), S(None, None, 2)]]]),
        (x3, [["narrow", 1, 1, 2]]), (x3, [["narrow", -1, -2, 2]]), (x3, [["narrow", 0, 2, 0]]),
        (x3, [["select", 1, -1]]), (x3, [["select", 2, 3]]), (x3, [["select", 0, 0], ["select", 0, 2]]),
        (x3, [["slice", 1, 1, 3, 1]]), (x3, [["slice", 2, 0, 100, 3]]), (x3, [["slice", 0, -5, 1, 1]]),
        (x3, [["slice", 1, -1, -2, 1]]), (x3, [["slice", 2, None, None, 2]]),
        (x3, [["as_strided", [2, 2], [1, 2], 1]]), (x3, [["as_strided", [3, 3], [1, 1]]]),
        (x3, [["as_strided", [4], [6], 1]]), (x3, [["select", 0, 1], ["as_strided", [2, 3], [3, 1], 14]]),
        (x3, [["select", 0, 1], ["as_strided", [2, 2], [0, 1]]]), (x3, [["transpose", 0, 2], ["as_strided", [3, 2], [2, 5], 3]]),
        (x3, [["narrow", 1, 0, 1], ["squeeze"]]), (x3, [["narrow", 1, 0, 1], ["squeeze", 1]]), (x3, [["squeeze", 1]]),
        (x3, [["unsqueeze", 0]]), (x3, [["unsqueeze", -1]]), (x3, [["unsqueeze", 2]]), (x3, [["transpose", 0, 1], ["unsqueeze", 1]]),
        (x3, [["flatten"]]), (x3, [["flatten", 1]]), (x3, [["flatten", 0, 1]]), (x3, [["transpose", 0, 1], ["flatten"]]),
        (x3, [["flatten", 1, 1]]), (x3, [["narrow", 2, 1, 2], ["flatten", 1]]), (x3, [["transpose", 1, 2], ["flatten", 0, 1]]),
        (x3, [["index", [1]]]), (x3, [["index", [-1]]]), (x3, [["index", [1, 2]]]), (x3, [["index", [S(), 1]]]),
        (x3, [["index", ["...", 1]]]), (x3, [["index", [None, 1]]]), (x3, [["index", [1, None]]]),
        (x3, [["index", ["...", None]]]), (x3, [["index", [S(1), 2]]]), (x3, [["index", [S(), None, S(1, 3)]]]),
        (x3, [["index", [1, "...", 2]]]), (x3, [["index", [None]]]), (x3, [["index", ["..."]]]), (x3, [["index", [S()]]]),
        (x3, [["index", [0, 1, 2]]]), (x3, [["index", [S(5, 7)]]]), (x3, [["index", [S(-5, 1)]]]),
        (x3, [["index", ["...", None, 1]]]), (x3, [["index", [None, "...", 1]]]), (x3, [["index", [1, "...", None]]]),
        (x3, [["index", [S(None, None, 2), S(1, None, 2), S(-3, -1)]]]), (x3, [["index", [0, 1, 2, None]]]),
        (x3, [["index", [S(), S()]]]), (x3, [["transpose", 0, 2], ["index", [S(1, 3), 0]]]),
        ((3, 1), [["expand", 3, 4], ["as_strided", [2, 2], [1, 1]]]), ((3, 1), [["expand", 3, 4], ["transpose", 0, 1]]),
        ((3, 1), [["expand", 2, 3, 4], ["select", 0, 1], ["index", [S(1), S(None, None, 2)]]]),
        ((3, 4), [["t"]]), ((3, 4), [["T"]]), ((3, 4), [["mT"]]), ((3, 4), [["t"], ["t"]]), ((3, 4), [["index", [S(), -1]]]),
        ((5,), [["t"]]), ((5,), [["T"]]), ((5,), [["select", 0, -1]]), ((5,), [["unsqueeze", 0], ["t"]]),
        ((5,), [["index", [S(1, None, 3)]]]), ((5,), [["as_strided", [2, 3], [1, 1], 1]]),
        ((), [["squeeze"]]), ((), [["squeeze", 0]]), ((), [["squeeze", -1]]), ((), [["unsqueeze", 0]]), ((), [["flatten"]]),
        ((), [["transpose", 0, -1]]), ((), [["t"]]), ((), [["T"]]), ((), [["index", [None]]]), ((), [["index", ["..."]]]),
        ((), [["as_strided", [2], [0]]]),
        ((1, 3, 1), [["squeeze"]]), ((1, 3, 1), [["squeeze", 0]]), ((1, 3, 1), [["squeeze", 2]]), ((1, 3, 1), [["squeeze", 1]]),
        ((1, 3, 1), [["squeeze", -1]]), ((2, 0, 3), [["transpose", 0, 1]]), ((2, 0, 3), [["index", [S(), S(), 1]]]),
        ((2, 0, 3), [["narrow", 1, 0, 0]]),
    ]
    out = [chain_case(shape, ops) for shape, ops in cases]
    for dtype in ("int64", "int32", "bool", "float32"):
        out.append(chain_case(x3, [["permute", 2, 0, 1], ["index", [S(1), 1]]], dtype))
        out.append(chain_case(x3, [["as_strided", [3, 3], [1, 1], 2]], dtype))
        out.append(chain_case((2, 3), [["t"], ["unsqueeze", 1], ["index", ["...", 0]]], dtype))
    return out


def error(shape, ops, dtype="float64"):
    _, base = make(shape, dtype)
    try:
        y = base
        for op in ops:
            y = apply(y, op)
    except Exception as e:  # noqa: BLE001 - recording the exact error is the point
        return {"base": list(shape), "dtype": dtype, "ops": ops, "type": type(e).__name__, "message": str(e)}
    raise AssertionError(f"no error for {ops}")


def errors():
    x3 = (2, 3, 4)
    return [
        error(x3, [["transpose", 1, 3]]), error(x3, [["transpose", -4, 0]]), error(x3, [["permute", 2, 0]]),
        error(x3, [["permute", 2, 0, 0]]), error(x3, [["permute", 0, 1, -3]]), error(x3, [["permute", 2, 0, 3]]),
        error(x3, [["t"]]), error((5,), [["mT"]]), error((3,), [["select", 0, 5]]), error((3,), [["select", 0, -4]]),
        error((), [["select", 0, 0]]), error(x3, [["select", -1, 10]]), error(x3, [["select", 3, 0]]),
        error(x3, [["narrow", 1, 2, 2]]), error(x3, [["narrow", 1, 0, -1]]), error(x3, [["narrow", 1, 4, 0]]),
        error(x3, [["narrow", 1, -4, 1]]), error(x3, [["narrow", -1, 3, 2]]), error((), [["narrow", 0, 0, 1]]),
        error(x3, [["slice", 1, 0, 3, 0]]), error(x3, [["slice", 1, 0, 3, -1]]), error((), [["slice", 0, 0, 3, 1]]),
        error(x3, [["slice", 3, 0, 3, 1]]),
        error(x3, [["as_strided", [2, 2], [100, 1]]]), error(x3, [["as_strided", [2, 2], [-1, 1]]]),
        error(x3, [["as_strided", [-2, 2], [1, 1]]]), error(x3, [["as_strided", [2, 2], [1]]]),
        error(x3, [["as_strided", [2, 2], [1, 1], -1]]), error(x3, [["as_strided", [25], [1]]], "bool"),
        error(x3, [["as_strided", [13], [2]]], "int64"),
        error(x3, [["squeeze", 3]]), error(x3, [["unsqueeze", 4]]), error(x3, [["unsqueeze", -5]]), error((), [["squeeze", 1]]),
        error(x3, [["flatten", 2, 1]]), error(x3, [["flatten", 0, 3]]),
        error(x3, [["index", [5]]]), error(x3, [["index", [-3]]]), error(x3, [["index", [0, 5]]]), error(x3, [["index", ["...", 7]]]),
        error(x3, [["index", [0, "...", 7]]]), error(x3, [["index", [None, 0, 5]]]), error(x3, [["index", [0, 0, 0, 0]]]),
        error(x3, [["index", [0, None, 0, 0, 0]]]), error(x3, [["index", [S(0, 1), 5]]]),
        error(x3, [["index", [S(None, None, 0)]]]), error(x3, [["index", [S(None, None, -1)]]]),
        error((), [["index", [0]]]), error((), [["index", [1]]]), error((), [["index", [-1]]]), error((), [["index", [S()]]]),
        error((), [["index", [S(), S()]]]), error((), [["index", ["...", 0]]]),
        error((), [["split", 1]]), error(x3, [["split", -1]]), error(x3, [["split", 0]]), error(x3, [["split", 2, 5]]),
        error(x3, [["split_sizes", [1, 1], 1]]), error(x3, [["split_sizes", [5, -1], 2]]), error(x3, [["split_sizes", [4], 7]]),
        error((), [["chunk", 1]]), error(x3, [["chunk", 0]]), error(x3, [["chunk", -1, 5]]), error(x3, [["chunk", 2, 3]]),
        error((), [["unbind", 0]]), error((), [["unbind", 1]]), error(x3, [["unbind", 3]]),
    ]


def tensor_spec(spec):
    """Builds one input of a joining case: {shape, dtype, grad, ops}."""
    leaf, base = make(spec["shape"], spec["dtype"], requires_grad=spec.get("grad", False))
    for op in spec.get("ops", []):
        base = apply(base, op)
    return leaf, base


def joining_case(fn, dim, specs):
    pairs = [tensor_spec(s) for s in specs]
    try:
        y = getattr(torch, fn)([b for _, b in pairs], dim)
    except Exception as e:  # noqa: BLE001
        return {"fn": fn, "dim": dim, "inputs": specs, "type": type(e).__name__, "message": str(e)}
    case = {"fn": fn, "dim": dim, "inputs": specs, "shape": list(y.shape), "dtype": NAMES[y.dtype],
            "values": values(y), "node": type(y.grad_fn).__name__ if y.grad_fn else None}
    if y.requires_grad:
        y.backward(ramp(y.shape, y.dtype))
        case["grads"] = [None if leaf.grad is None else {"dtype": NAMES[leaf.grad.dtype], "values": values(leaf.grad),
                                                          "shape": list(leaf.grad.shape)} for leaf, _ in pairs]
    return case


def T(shape, dtype="float64", grad=True, ops=None):
    return {"shape": list(shape), "dtype": dtype, "grad": grad and dtype in ("float64", "float32"), "ops": ops or []}


def joining():
    return [
        joining_case("cat", 1, [T((2, 3)), T((2, 2))]),
        joining_case("cat", 0, [T((2, 3)), T((1, 3), grad=False), T((2, 3))]),
        joining_case("cat", -1, [T((2, 3), "float32"), T((2, 2), "float64")]),
        joining_case("cat", 0, [T((2, 3), "int64"), T((2, 3), "float64")]),
        joining_case("cat", 0, [T((2, 3), "int32"), T((1, 3), "float32")]),
        joining_case("cat", 0, [T((2,), "int64"), T((2,), "bool")]),
        joining_case("cat", 0, [T((2,), "bool"), T((3,), "bool")]),
        joining_case("cat", 1, [T((0,)), T((2, 3)), T((0,), "int64"), T((2, 1))]),
        joining_case("cat", 0, [T((0,)), T((0,))]),
        joining_case("cat", 1, [T((0,)), T((0,))]),
        joining_case("cat", 0, [T((3, 2), ops=[["t"]]), T((3, 6), ops=[["index", [S(), S(None, None, 2)]]])]),
        joining_case("cat", 1, [T((3, 2), ops=[["t"]]), T((2, 4), ops=[["index", [S(), S(1, None, 2)]]])]),
        joining_case("cat", 2, [T((2, 3, 4), ops=[["transpose", 0, 1]]), T((3, 2, 1))]),
        joining_case("cat", 1, [T((2, 3))]),
        joining_case("cat", 0, [T((2, 0)), T((3, 0))]),
        joining_case("cat", 1, []),
        joining_case("cat", 1, [T((2, 2)), T((3, 3))]),
        joining_case("cat", 1, [T((2, 2)), T((3, 2, 2))]),
        joining_case("cat", 0, [T(()), T(())]),
        joining_case("cat", 0, [T((2,)), T(())]),
        joining_case("cat", 2, [T((2, 3)), T((2, 3))]),
        joining_case("cat", 2, [T((0,)), T((2, 3))]),
        joining_case("cat", 1, [T((2, 3)), T((0,)), T((3, 2))]),
        joining_case("cat", 1, [T((2, 3, 4)), T((2, 5, 3))]),
        joining_case("cat", 1, [T((0, 3)), T((2, 3))]),
        joining_case("stack", 0, [T((2, 3)), T((2, 3))]),
        joining_case("stack", 1, [T((2, 3)), T((2, 3), grad=False), T((2, 3))]),
        joining_case("stack", 2, [T((2, 3)), T((2, 3))]),
        joining_case("stack", -1, [T((2, 3), "float32"), T((2, 3), "float64")]),
        joining_case("stack", 0, [T(()), T(())]),
        joining_case("stack", 0, [T((2,), "int32"), T((2,), "float32")]),
        joining_case("stack", 1, [T((3, 2), ops=[["t"]]), T((2, 3))]),
        joining_case("stack", 0, []),
        joining_case("stack", 0, [T((2,)), T((3,))]),
        joining_case("stack", 2, [T((2,)), T((2,))]),
        joining_case("stack", -3, [T((2,)), T((2,))]),
    ]


def splitting_case(shape, op, used):
    leaf, base = make(shape, "float64", requires_grad=True)
    outs = apply(base, op)
    case = {"base": list(shape), "op": op, "used": used,
            "outputs": [{"shape": list(o.shape), "stride": list(o.stride()), "offset": o.storage_offset(),
                         "values": values(o), "node": type(o.grad_fn).__name__} for o in outs]}
    if used:
        torch.autograd.backward([outs[k] for k in used], [ramp(outs[k].shape, outs[k].dtype) * (k + 1) for k in used])
        case["grad"] = leaf.grad.tolist()
    return case


def splitting():
    x3 = (2, 3, 4)
    return [
        splitting_case(x3, ["split", 2, 2], [0, 1]), splitting_case(x3, ["split", 2, 1], [1]),
        splitting_case(x3, ["split", 5], [0]), splitting_case(x3, ["split_sizes", [1, 3], 2], [0]),
        splitting_case(x3, ["split_sizes", [4, 0], 2], [0, 1]), splitting_case(x3, ["split_sizes", [1, 0, 2], -2], [2]),
        splitting_case(x3, ["chunk", 2, 2], [1]), splitting_case(x3, ["chunk", 4, 1], [0, 2]),
        splitting_case(x3, ["chunk", 5, 0], [0, 1]), splitting_case(x3, ["unbind", 1], [2]),
        splitting_case(x3, ["unbind", -1], [0, 3]), splitting_case(x3, ["unbind", 0], [0, 1]),
        splitting_case((0, 2), ["chunk", 2], []), splitting_case((0, 2), ["split", 0], []),
        splitting_case((0, 2), ["unbind", 0], []), splitting_case((5,), ["chunk", 3], [1, 2]),
        splitting_case((6,), ["chunk", 4], [0, 2]),
    ]


def indexing_case(fn, shape, dim, index, source_shape=None, alpha=None, dtype="float64"):
    leaf, base = make(shape, dtype, requires_grad=dtype == "float64")
    idx = torch.tensor(index, dtype=torch.int64)
    case = {"fn": fn, "base": list(shape), "dim": dim, "index": index, "dtype": dtype, "alpha": alpha,
            "source": source_shape}
    src_leaf = None
    try:
        if fn == "index_select":
            y = base.index_select(dim, idx)
        else:
            src_leaf, src = make(source_shape, dtype, requires_grad=dtype == "float64")
            src = src * 10 if dtype != "bool" else src
            y = base.index_add(dim, idx, src) if alpha is None else base.index_add(dim, idx, src, alpha=alpha)
    except Exception as e:  # noqa: BLE001
        case.update(type=type(e).__name__, message=str(e))
        return case
    case.update(shape=list(y.shape), values=values(y), node=type(y.grad_fn).__name__ if y.grad_fn else None)
    if y.requires_grad:
        try:
            y.backward(ramp(y.shape, y.dtype))
        except RuntimeError as e:  # PyTorch does not reduce a broadcast source's gradient
            case["backward_error"] = str(e)
            return case
        case["grad"] = values(leaf.grad)
        if src_leaf is not None:
            case["source_grad"] = values(src_leaf.grad)
    return case


def indexing():
    x3 = (2, 3, 4)
    return [
        indexing_case("index_select", x3, 1, [2, 0, 2]), indexing_case("index_select", x3, -1, [3]),
        indexing_case("index_select", x3, 0, []), indexing_case("index_select", (), 0, [0]),
        indexing_case("index_select", x3, 2, [1, 1], dtype="int64"), indexing_case("index_select", x3, 0, [1], dtype="bool"),
        indexing_case("index_select", x3, 1, [3]), indexing_case("index_select", x3, 1, [-1]),
        indexing_case("index_select", x3, 3, [0]), indexing_case("index_select", (), 0, [1]),
        indexing_case("index_add", x3, 1, [2, 0, 2], (2, 3, 4)), indexing_case("index_add", x3, 0, [1, 1], (2, 3, 4), alpha=0.5),
        indexing_case("index_add", x3, 2, [0], (2, 3, 1)), indexing_case("index_add", x3, 1, [0], (1, 1, 4)),
        indexing_case("index_add", x3, 1, [0], (2, 1, 1)), indexing_case("index_add", (3,), 0, [1], ()),
        indexing_case("index_add", (3,), 0, [0, 0, 2], (3,), dtype="int64"),
        indexing_case("index_add", (3,), 0, [0, 0, 1], (3,), alpha=3, dtype="int64"),
        indexing_case("index_add", (3,), 0, [0, 0, 1], (3,), dtype="bool"),
        indexing_case("index_add", x3, 1, [3], (2, 1, 4)), indexing_case("index_add", x3, 1, [-1], (2, 1, 4)),
        indexing_case("index_add", x3, 1, [1], (2, 2, 4)), indexing_case("index_add", x3, 1, [1], (1, 4)),
        indexing_case("index_add", x3, 3, [0], (2, 3, 1)),
    ]


def double_backward_case(shape, ops):
    """g = d/dx sum(y * y) with create_graph, then d/dx sum(g * ramp): exercises each backward's own backward."""
    leaf, base = make(shape, "float64", requires_grad=True)
    y = base
    for op in ops:
        y = apply(y, op)
    (g,) = torch.autograd.grad((y * y).sum(), leaf, create_graph=True)
    (g * ramp(g.shape, g.dtype)).sum().backward()
    return {"base": list(shape), "ops": ops, "grad": values(g), "grad2": values(leaf.grad)}


def double_backward():
    x3 = (2, 3, 4)
    return [double_backward_case(x3, ops) for ops in [
        [["select", 1, 1]], [["index", [S(), S(1, None, 2)]]], [["as_strided", [3, 3], [1, 1], 2]],
        [["permute", 2, 0, 1], ["narrow", 0, 1, 2]], [["transpose", 0, 1], ["flatten"]], [["unsqueeze", 1], ["squeeze"]],
        [["index", [1, None, S(None, 2)]]], [["T"], ["index", [-1]]], [["index", ["..."]]],
    ]]


def t_warning():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.zeros(3).T
    text = str(caught[0].message)
    return re.sub(r" \(Triggered internally at .*\)$", "", text)


def generate():
    warning = t_warning()  # first: PyTorch warns only once per process
    return {"chains": chains(), "errors": errors(), "joining": joining(), "splitting": splitting(),
            "indexing": indexing(), "double_backward": double_backward(), "t_warning": warning}
