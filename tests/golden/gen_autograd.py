"""Golden fixtures for the autograd engine and surface: grad_fn names, next_functions structure,
gradients and error / warning texts, from real PyTorch 1.13.

Inputs are literal values so that C# rebuilds them exactly. Each expression records its output
(values, dtype, shape), its grad_fn graph (node names, next_functions pairs, node identity and the
leaf behind every AccumulateGrad) and the gradient of every leaf after
out.backward(grad_output) with a non-trivial grad_output.
"""
import torch

INPUTS = {
    "x": ([[0.5, 1.0, 1.5], [2.0, 2.5, 3.0]], torch.float32),
    "y": ([[1.5, -2.0, 2.5], [3.0, -0.5, 4.0]], torch.float32),
    "b": ([0.25, -1.0, 2.0], torch.float32),
    "c": ([[1.0], [2.0], [3.0]], torch.float32),
    "r": ([[1.0, 2.0, 3.0, 4.0]], torch.float32),
    "d": ([[2.0, 0.5, -1.0], [1.5, 3.0, -2.5]], torch.float64),
}

# name -> (input names, function). The C# test has one lambda per name.
EXPRESSIONS = {
    "x + y": ("xy", lambda x, y: x + y),
    "x + 2": ("x", lambda x: x + 2),
    "2 + x": ("x", lambda x: 2 + x),
    "x - y": ("xy", lambda x, y: x - y),
    "x - 2": ("x", lambda x: x - 2),
    "2 - x": ("x", lambda x: 2 - x),
    "x * y": ("xy", lambda x, y: x * y),
    "x * 2": ("x", lambda x: x * 2),
    "x / y": ("xy", lambda x, y: x / y),
    "x / 2": ("x", lambda x: x / 2),
    "2 / x": ("x", lambda x: 2 / x),
    "-x": ("x", lambda x: -x),
    "x.exp()": ("x", lambda x: x.exp()),
    "x.reciprocal()": ("x", lambda x: x.reciprocal()),
    "x.sum()": ("x", lambda x: x.sum()),
    "x.sum(0)": ("x", lambda x: x.sum(0)),
    "x.sum(1, keepdim=True)": ("x", lambda x: x.sum(1, keepdim=True)),
    "x.mean()": ("x", lambda x: x.mean()),
    "x.mean(0)": ("x", lambda x: x.mean(0)),
    "x.view(3, 2)": ("x", lambda x: x.view(3, 2)),
    "x.view(-1)": ("x", lambda x: x.view(-1)),
    "x.reshape(6)": ("x", lambda x: x.reshape(6)),
    "c.expand(3, 4).reshape(12)": ("c", lambda c: c.expand(3, 4).reshape(12)),
    "x.expand(2, 2, 3)": ("x", lambda x: x.expand(2, 2, 3)),
    "x.clone()": ("x", lambda x: x.clone()),
    "x.to(torch.float64)": ("x", lambda x: x.to(torch.float64)),
    "x.add(y, alpha=2)": ("xy", lambda x, y: x.add(y, alpha=2)),
    "x.sub(y, alpha=2)": ("xy", lambda x, y: x.sub(y, alpha=2)),
    "x + b": ("xb", lambda x, b: x + b),
    "c + r": ("cr", lambda c, r: c + r),
    "c * r": ("cr", lambda c, r: c * r),
    "x * d": ("xd", lambda x, d: x * d),
    "x / d": ("xd", lambda x, d: x / d),
    "x * x": ("x", lambda x: x * x),
    "diamond": ("x", lambda x: (lambda t: t * t + t)(x * 2)),
    "(x * y).exp() / (x + y)": ("xy", lambda x, y: (x * y).exp() / (x + y)),
}


def graph(fn, leaves):
    """Serialises a grad_fn graph: every distinct node gets an id in first-visit order."""
    ids = {}
    nodes = []
    alive = []  # keeps every Python wrapper alive, so that id() is never reused and wrappers stay unique

    def visit(f):
        if f is None:
            return None
        key = id(f)
        if key not in ids:
            alive.append(f)
            ids[key] = len(nodes)
            entry = {"name": type(f).__name__}
            nodes.append(entry)
            if type(f).__name__ == "AccumulateGrad":
                entry["variable"] = next(n for n, t in leaves.items() if t is f.variable)
            entry["next"] = [[visit(g), nr] for g, nr in f.next_functions]
        return ids[key]

    root = visit(fn)
    return {"root": root, "nodes": nodes}


def flat(t):
    return t.detach().reshape(-1).tolist()


def expressions():
    out = {}
    for name, (names, f) in EXPRESSIONS.items():
        leaves = {n: torch.tensor(INPUTS[n][0], dtype=INPUTS[n][1], requires_grad=True) for n in names}
        result = f(*leaves.values())
        n = result.numel()
        grad_output = [float(i % 3 + 1) * 0.5 for i in range(n)]
        result.backward(torch.tensor(grad_output, dtype=result.dtype).reshape(result.shape))
        out[name] = {
            "inputs": list(names),
            "shape": list(result.shape),
            "dtype": str(result.dtype),
            "values": flat(result),
            "grad_output": grad_output,
            "graph": graph(result.grad_fn, leaves),
            "grads": {k: {"dtype": str(v.grad.dtype), "shape": list(v.grad.shape), "values": flat(v.grad)}
                      for k, v in leaves.items()},
        }
    return out


def message(f, error=RuntimeError):
    try:
        f()
    except error as e:
        return str(e)
    raise AssertionError(f"expected a {error.__name__}")


def errors():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    u = torch.tensor([1.0, 2.0], requires_grad=True)

    def twice():
        s = (x * x).sum()
        s.backward()
        s.backward()

    e = {
        "implicit_scalar": message(lambda: (x * 2).backward()),
        "no_grad_fn_0": message(lambda: torch.ones(3).sum().backward()),
        "no_grad_fn_1": message(lambda: torch.autograd.backward([(x * 2).sum(), torch.ones(2).sum()])),
        "shape_mismatch": message(lambda: (x * 2).backward(torch.ones(2))),
        "shape_mismatch_scalar": message(lambda: (x * 2).sum().backward(torch.ones(1))),
        "too_few_gradients": message(lambda: torch.autograd.backward(
            [(x * 2).sum(), (x * 3).sum()], [torch.tensor(1.0)])),
        "second_backward": message(twice),
        "unused": message(lambda: torch.autograd.grad((x * 2).sum(), [x, u])),
        "input_not_requiring_grad": message(lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(2)])),
        "grad_implicit_scalar": message(lambda: torch.autograd.grad(x * 2, [x])),
    }
    e["grad_no_outputs"] = message(lambda: torch.autograd.grad([], [x]))
    y = x * 2
    e["non_leaf_requires_grad_false"] = message(lambda: setattr(y, "requires_grad", False))
    e["non_leaf_requires_grad_true"] = message(lambda: setattr(y, "requires_grad", True))
    e["non_leaf_requires_grad_method_false"] = message(lambda: y.requires_grad_(False))
    e["int_requires_grad_attribute"] = message(lambda: setattr(torch.ones(2, dtype=torch.int64), "requires_grad", True))
    e["int32_requires_grad_attribute"] = message(lambda: setattr(torch.ones(2, dtype=torch.int32), "requires_grad", True))
    e["bool_requires_grad_attribute"] = message(lambda: setattr(torch.ones(2, dtype=torch.bool), "requires_grad", True))
    e["int_requires_grad_method"] = message(lambda: torch.ones(2, dtype=torch.int64).requires_grad_())
    e["bool_requires_grad_method"] = message(lambda: torch.ones(2, dtype=torch.bool).requires_grad_())
    e["int_requires_grad_factory"] = message(lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True))
    e["int32_requires_grad_factory"] = message(lambda: torch.ones(2, dtype=torch.int32, requires_grad=True))
    e["retain_grad_no_grad"] = message(lambda: torch.ones(2).retain_grad())
    a = torch.ones(2, requires_grad=True)
    e["grad_setter_size"] = message(lambda: setattr(a, "grad", torch.zeros(3)))
    e["grad_setter_size_2d"] = message(lambda: setattr(a, "grad", torch.zeros(1, 2)))
    e["grad_setter_size_0d"] = message(lambda: setattr(a, "grad", torch.zeros(())))
    e["grad_setter_type"] = message(lambda: setattr(a, "grad", torch.zeros(2, dtype=torch.float64)))
    e["grad_setter_type_int"] = message(lambda: setattr(a, "grad", torch.zeros(2, dtype=torch.int64)))
    e["grad_setter_type_and_size"] = message(lambda: setattr(a, "grad", torch.zeros(3, dtype=torch.float64)))
    e["grad_setter_self"] = message(lambda: setattr(a, "grad", a))
    return e


def value_errors():
    """Python ValueErrors (ArgumentException in SharpGrad)."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    return {"grad_empty_inputs": message(lambda: torch.autograd.grad((x * 2).sum(), []), ValueError)}


WARNING_SCRIPT = r"""
import json, warnings, torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 2
out = {}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    assert y.grad is None
    (x * 2).sum().backward(create_graph=True)
    (x * 2).sum().backward(create_graph=True)
    torch.autograd.grad((x * 2).sum(), [x], create_graph=True)
    assert y.grad is None
print(json.dumps([[w.category.__name__, str(w.message)] for w in caught]))
"""


def warning_texts():
    """Runs in a fresh interpreter: the create_graph warning fires once per process."""
    import json
    import subprocess
    import sys
    caught = json.loads(subprocess.run([sys.executable, "-c", WARNING_SCRIPT], check=True,
                                       capture_output=True, text=True).stdout)
    # Torch repeats the .grad warning under the "always" filter and emits the create_graph one once.
    names = ["non_leaf_grad", "backward_create_graph", "non_leaf_grad"]
    assert len(caught) == len(names), caught
    out = {}
    for name, (category, text) in zip(names, caught):
        # Drop the C++ location suffix "(Triggered internally at ...)".
        out[name] = {"category": category, "text": text[: text.index(" (Triggered internally")]}
    return out


def seed003():
    """Seed 003: y = x + 2; z = y * y * 3; t = z.sum(); t.grad_fn.next_functions chain."""
    x = torch.tensor([-0.7020, 0.7491, 0.3764, -0.3933], requires_grad=True)
    y = x + 2
    z = y * y * 3
    t = z.sum()
    chain = []
    fn = t.grad_fn
    for _ in range(4):
        chain.append([[type(f).__name__ if f is not None else None, nr] for f, nr in fn.next_functions])
        fn = fn.next_functions[0][0]
    t.backward()
    return {
        "grad_fn": type(t.grad_fn).__name__,
        "chain": chain,
        "z_grad_fn": type(z.grad_fn).__name__,
        "y_grad_fn": type(y.grad_fn).__name__,
        "x_grad_fn": None if x.grad_fn is None else type(x.grad_fn).__name__,
        "inner_mul_shares_add": (z.grad_fn.next_functions[0][0].next_functions[0][0]
                                 is z.grad_fn.next_functions[0][0].next_functions[1][0]),
        "x_grad": flat(x.grad),
    }


def special():
    """Results of engine corner cases checked against SharpGrad."""
    out = {}
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    # Gradient arguments of another dtype are cast to the output's dtype.
    for name, g in [("float64", torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)),
                    ("int64", torch.tensor([1, 2, 3])),
                    ("bool", torch.tensor([True, False, True]))]:
        x.grad = None
        (x * 2).backward(g)
        out["grad_arg_" + name] = {"dtype": str(x.grad.dtype), "values": flat(x.grad)}
    # More gradients than tensors: torch ignores the extra ones.
    x.grad = None
    torch.autograd.backward([(x * 2).sum()], [torch.tensor(1.0), torch.tensor(5.0)])
    out["extra_gradients"] = flat(x.grad)
    # Backward through a graph without saved tensors works twice without retain_graph.
    x.grad = None
    s = (x + 1).sum()
    s.backward()
    s.backward()
    out["add_twice"] = flat(x.grad)
    # retain_graph accumulates.
    x.grad = None
    s = (x * x).sum()
    s.backward(retain_graph=True)
    s.backward()
    out["retain_graph_twice"] = flat(x.grad)
    # Multiple roots with their own gradients; a root that feeds another root.
    x.grad = None
    a = x * 2
    b = a.exp()
    torch.autograd.backward([a, b], [torch.tensor([1.0, 0.5, 0.25]), torch.tensor([0.1, 0.2, 0.3])])
    out["multiple_roots"] = flat(x.grad)
    # autograd.grad of outputs with respect to themselves.
    y = x * 2
    out["grad_of_self"] = flat(torch.autograd.grad([y], [y], [torch.tensor([1.0, 2.0, 3.0])])[0])
    out["grad_of_leaf_self"] = flat(torch.autograd.grad([x], [x], [torch.tensor([4.0, 5.0, 6.0])])[0])
    # autograd.grad populates retained grads of non-leaves but never leaf .grad.
    x.grad = None
    y = x * 2
    y.retain_grad()
    (g,) = torch.autograd.grad((y * y).sum(), [x])
    out["grad_retained"] = {"x_grad_is_none": x.grad is None, "y_grad": flat(y.grad), "result": flat(g)}
    # Grad of a non-leaf input.
    z = x * 2
    w = (z.exp() * z).sum()
    out["grad_non_leaf"] = flat(torch.autograd.grad(w, [z])[0])
    # allow_unused
    u = torch.tensor([1.0, 2.0], requires_grad=True)
    res = torch.autograd.grad((x * 3).sum(), [x, u], allow_unused=True)
    out["allow_unused"] = [flat(res[0]), res[1] is None]
    # Several outputs are summed; an input may be listed twice; a non-leaf and its leaf together.
    v = torch.tensor([1.0, 2.0], requires_grad=True)
    out["grad_two_outputs"] = flat(torch.autograd.grad([(v * 2).sum(), (v * 3).sum()], [v])[0])
    out["grad_input_twice"] = [flat(t) for t in torch.autograd.grad([(v * 2).sum()], [v, v])]
    w = v * 2
    out["grad_non_leaf_and_leaf"] = [flat(t) for t in torch.autograd.grad([w.sum()], [w, v])]
    # Double backward through autograd.grad(create_graph=True).
    (g1,) = torch.autograd.grad((x * x * x).sum(), [x], create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), [x])
    out["double_backward"] = {"first": flat(g1), "first_requires_grad": g1.requires_grad, "second": flat(g2)}
    # Version counters: detach() shares it, .data does not.
    v = torch.ones(3, requires_grad=True)
    v.detach().add_(1)
    after_detach = v._version
    v.data.add_(1)
    out["version"] = {"after_detach_write": after_detach, "after_data_write": v._version, "values": flat(v)}
    # A long chain: 100,000 multiplications in float64.
    c = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    t = c
    for _ in range(100000):
        t = t * 1.0001
    t.backward()
    out["long_chain"] = {"n": 100000, "factor": 1.0001, "start": 1.5, "value": t.item(), "grad": c.grad.item()}
    # A many-times-shared leaf and a deep diamond tower.
    s = torch.tensor([1.0, -2.0], requires_grad=True)
    total = s * 0
    for i in range(1, 1001):
        total = total + s * float(i)
    total.sum().backward()
    out["shared_leaf_1000"] = flat(s.grad)
    s.grad = None
    t = s * 1
    for _ in range(50):
        t = t + t
    t.sum().backward()
    out["diamond_tower_50"] = flat(s.grad)
    return out


class _Stop(torch.autograd.Function):
    """Passes no gradient to its input."""

    @staticmethod
    def forward(ctx, a):
        return a * 1

    @staticmethod
    def backward(ctx, g):
        return None


def engine():
    """Small engine cases, each mirrored by one C# test."""
    out = {}
    x = torch.tensor([0.3, -0.2, 0.1], requires_grad=True)
    y = x * 2
    for _ in range(9):
        y = y * 2
    y.backward(torch.tensor([1.0, 1.0, 0.0001]))
    out["vjp_doubling"] = flat(x.grad)

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    torch.autograd.backward([y, y], [torch.tensor([1.0, 2.0]), torch.tensor([10.0, 20.0])])
    out["same_root_twice"] = flat(x.grad)

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.backward(torch.tensor([3.0, 4.0]))
    out["leaf_backward"] = flat(x.grad)

    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (x * 2).sum(0, keepdim=True).backward()
    out["implicit_one_element"] = flat(x.grad)

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    first = x.grad
    first_values = flat(first)
    (x * x).sum().backward()
    same = x.grad is first
    second = flat(x.grad)
    x.grad = None
    (x * 3).sum().backward()
    out["accumulate"] = {"first": first_values, "second": second, "same_object": same, "after_reset": flat(x.grad)}

    for name, create_graph in [("plain", False), ("create_graph", True)]:
        x = torch.tensor([1.0, 2.0], requires_grad=True)
        g = torch.tensor([1.0, 1.0])
        (x + 0).backward(g, create_graph=create_graph)
        is_g = x.grad is g
        requires_grad = x.grad.requires_grad
        (x + 0).backward(g)
        out["grad_arg_copy_" + name] = {"is_g": is_g, "requires_grad": requires_grad,
                                        "g_after": flat(g), "x_grad": flat(x.grad)}

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a = x * 2
    e = a.exp()
    (_Stop.apply(e) + a).sum().backward()
    out["stop_node"] = flat(x.grad)

    # Concurrent backward passes into one shared leaf (PyTorch locks AccumulateGrad).
    import threading
    x = torch.tensor([1.0, 2.0], requires_grad=True)

    def work():
        for _ in range(2000):
            (x * 3).sum().backward()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out["concurrent"] = {"threads": 4, "passes": 2000, "grad": flat(x.grad)}
    return out


def flags():
    """is_leaf / requires_grad / retains_grad / grad_fn of the tensors the C# flag tests build."""
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    plain = torch.tensor([1.0, 2.0])
    y = x * 2
    with torch.no_grad():
        n = x * 2
    d = y.detach()
    data = y.data
    cases = {"leaf": x, "plain": plain, "result": y, "plain_result": plain * 2, "no_grad_result": n,
             "detach": d, "data": data, "leaf_detach": x.detach(), "leaf_data": x.data}
    out = {name: {"is_leaf": t.is_leaf, "requires_grad": t.requires_grad, "retains_grad": t.retains_grad,
                  "grad_fn": None if t.grad_fn is None else type(t.grad_fn).__name__}
           for name, t in cases.items()}
    x.requires_grad = False
    out["leaf_after_requires_grad_false"] = {"is_leaf": x.is_leaf, "requires_grad": x.requires_grad}
    y.retain_grad()
    out["result_after_retain_grad"] = {"retains_grad": y.retains_grad}
    z = torch.tensor([1.0, 2.0], requires_grad=True)
    z.retain_grad()
    out["leaf_after_retain_grad"] = {"retains_grad": z.retains_grad}
    # A non-leaf's grad can be assigned and read back.
    w = z * 2
    w.grad = torch.tensor([5.0, 6.0])
    out["non_leaf_grad_assigned"] = flat(w.grad)
    # retain_grad on a non-leaf: its .grad after backward, accumulated over two calls.
    q = z * 3
    q.retain_grad()
    (q * q).sum().backward(retain_graph=True)
    once = flat(q.grad)
    (q * q).sum().backward()
    out["retained"] = {"once": once, "twice": flat(q.grad), "leaf": flat(z.grad)}
    # Storage sharing: writes through detach() / .data are seen by the original.
    s = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    s.detach()[0] = 10.0
    s.data[2] = 30.0
    out["storage_shared"] = flat(s)
    return out


def saved():
    """Saved tensors: the version check and its message, and .data writes that bypass it."""
    out = {}
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp()
    y.detach().add_(1)
    out["modified_output"] = message(lambda: y.sum().backward())
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    w = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    z = x * w
    x.detach().add_(1)
    x.detach().add_(1)
    out["modified_leaf_twice"] = message(lambda: z.sum().backward())
    c = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    z = x * c
    c.add_(1)
    out["modified_constant"] = message(lambda: z.sum().backward())
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.exp()
    y.data.add_(1)
    y.sum().backward()
    out["data_write_uses_new_values"] = flat(x.grad)
    return out


class _BadShape(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 1

    @staticmethod
    def backward(ctx, g):
        return torch.ones(2, 4)


class _WideDouble(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a):
        return a * 1

    @staticmethod
    def backward(ctx, g):
        return torch.ones(2, 3, dtype=torch.float64)


def custom_nodes():
    """Gradients a node returns in a broadcast shape / other dtype are reduced and cast by the engine."""
    a = torch.ones(3, requires_grad=True)
    invalid = message(lambda: _BadShape.apply(a).sum().backward())
    b = torch.ones(3, requires_grad=True)
    _WideDouble.apply(b).sum().backward()
    return {"invalid_shape": invalid, "reduced": {"dtype": str(b.grad.dtype), "values": flat(b.grad)}}


def generate():
    return {
        "inputs": {k: {"values": flat(torch.tensor(v, dtype=d)), "shape": list(torch.tensor(v).shape), "dtype": str(d)}
                   for k, (v, d) in INPUTS.items()},
        "expressions": expressions(),
        "errors": errors(),
        "value_errors": value_errors(),
        "warnings": warning_texts(),
        "seed003": seed003(),
        "special": special(),
        "custom_nodes": custom_nodes(),
        "engine": engine(),
        "flags": flags(),
        "saved": saved(),
    }
