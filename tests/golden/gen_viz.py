"""Graph pictures (torchviz's make_dot semantics) of real PyTorch 1.13 graphs.

torchviz itself is not installed here, so this walks the real autograd graph with the rules that
make_dot documents and that SharpGrad's Torch.Viz.MakeDot follows:
  - one grey box per backward node, labelled with its name; an edge from each node to the node it
    sends gradients to (grad_fn.next_functions, one edge per entry, so x * x gives two);
  - a leaf that requires grad is a lightblue box "name\\n (shape)" with an edge into its AccumulateGrad;
  - the output is a darkolivegreen1 box; if it is a view, its base is a darkolivegreen3 box with a
    dotted edge to it;
  - show_saved: each tensor in a built-in node's _saved_* attributes is an orange box "attr\\n (shape)"
    with an undirected edge from the node; tensors a custom Function saved are always drawn, with an
    undirected edge into the node;
  - show_attrs: the node label lists its _saved_* attributes in aligned "key: value" rows.
SharpGrad's own conventions are applied here too, so the comparison is exact: tensor labels add a
dtype line when the dtype is not float32, and one tensor is one box (the first role drawn names it).
The graph is written as sorted label multisets (ids differ between the two implementations).
"""
import torch


def size_text(t):
    return "(" + ", ".join(str(d) for d in t.shape) + ")"


def tensor_label(t, name):
    label = f"{name}\n {size_text(t)}"
    if t.dtype != torch.float32:
        label += f"\n {str(t.dtype)[len('torch.'):]}"
    return label


def saved_attrs(fn):
    return [(a[len("_saved_"):], getattr(fn, a)) for a in sorted(dir(fn)) if a.startswith("_saved_")]


def attr_label(fn, max_chars=50):
    name = type(fn).__name__
    attrs = {}
    for key, val in saved_attrs(fn):
        if torch.is_tensor(val):
            attrs[key] = "[saved tensor]"
        elif isinstance(val, tuple) and any(torch.is_tensor(v) for v in val):
            attrs[key] = "[saved tensors]"
        else:
            attrs[key] = str(val)
    if not attrs:
        return name
    w1 = max(len(k) for k in attrs)
    w2 = min(max(len(v) for v in attrs.values()), max(max_chars, 3))
    rule = "-" * max(w1 + w2 + 2, len(name))
    rows = []
    for k, v in attrs.items():
        if len(v) > w2:
            v = v[: w2 - 3] + "..."
        rows.append(k.ljust(w1) + ": " + v.rjust(w2))
    return name + "\n" + rule + "\n" + "\n".join(rows)


class Picture:
    def __init__(self, params, show_saved):
        self.names = {id(t): n for n, t in params.items()}
        self.show_saved = show_saved
        self.labels = {}  # id -> (label, fill)
        self.edges = []  # (from id, to id, attr)
        self.keep = []  # keeps every object alive so ids stay unique
        self.seen_nodes = set()

    def box(self, obj, label, fill):
        self.keep.append(obj)
        if id(obj) in self.labels:
            return False
        self.labels[id(obj)] = (label, fill)
        return True

    def edge(self, a, b, attr=""):
        self.keep += [a, b]
        self.edges.append((id(a), id(b), attr))

    def tensor(self, t, fill, name=""):
        return self.box(t, tensor_label(t, name or self.names.get(id(t), "")), fill)

    def output(self, t):
        if not self.tensor(t, "darkolivegreen1"):
            return
        if t.grad_fn is not None:
            self.node(t.grad_fn)
            self.edge(t.grad_fn, t)
        if t._is_view():
            base = t._base
            if self.tensor(base, "darkolivegreen3") and base.grad_fn is not None:
                self.node(base.grad_fn)
                self.edge(base.grad_fn, base)
            self.edge(base, t, "style=dotted")

    def node(self, fn):
        if fn in self.seen_nodes:
            return
        self.seen_nodes.add(fn)
        if self.show_saved:
            for key, val in saved_attrs(fn):
                items = [(key, val)] if torch.is_tensor(val) else (
                    [(f"{key}[{i}]", v) for i, v in enumerate(val) if torch.is_tensor(v)] if isinstance(val, tuple) else [])
                for name, t in items:
                    self.edge(fn, t, "dir=none")
                    self.tensor(t, "orange", name)
        if hasattr(fn, "variable"):
            self.tensor(fn.variable, "lightblue")
            self.edge(fn.variable, fn)
        self.box(fn, type(fn).__name__, "")
        for nxt, _ in fn.next_functions:
            if nxt is not None:
                self.edge(nxt, fn)
                self.node(nxt)
        if hasattr(fn, "saved_tensors"):
            for t in fn.saved_tensors:
                self.edge(t, fn, "dir=none")
                self.tensor(t, "orange")

    def result(self):
        nodes = sorted([label, fill] for label, fill in self.labels.values())
        edges = sorted([self.labels[a][0], self.labels[b][0], attr] for a, b, attr in self.edges)
        return {"nodes": nodes, "edges": edges}


def picture(outputs, params, show_saved=False):
    p = Picture(params, show_saved)
    for o in outputs:
        p.output(o)
    return p.result()


def seed002():
    x = torch.ones(5)
    y = torch.zeros(3)
    w = torch.randn(5, 3, requires_grad=True)
    b = torch.randn(3, requires_grad=True)
    z = torch.matmul(x, w) + b
    loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
    return loss, {"w": w, "b": b}


class Sq(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 2 * x * g


def generate():
    out = {}
    loss, params = seed002()
    out["seed002"] = picture([loss], params)
    out["seed002_saved"] = picture([loss], params, show_saved=True)
    squeeze = loss.grad_fn.next_functions[0][0].next_functions[0][0]
    out["squeeze_attr_label"] = attr_label(squeeze)

    # A view output (its base drawn dark green, joined by a dotted edge) over float64 leaves.
    a = torch.arange(6.0, dtype=torch.float64).reshape(2, 3).requires_grad_()
    out["view_output"] = picture([(a * a).t()], {"a": a})

    # A custom Function: the tensor it saved is always drawn.
    c = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    out["custom_function"] = picture([Sq.apply(c * 3)], {"c": c})
    return out
