"""Golden fixtures for the autograd profiler's aggregation and table (PyTorch 1.13).

Real profiles have timings that no two runs share, so these cases feed *synthetic* events with
chosen times, threads, input shapes and memory into PyTorch's own profiler_util: each case builds
torch.autograd.profiler_util.FunctionEvent objects, wraps them in an EventList (which nests them by
time range per thread and folds duplicate nodes, _build_tree), and records what key_averages() and
table() print. tests/SharpGrad.Tests/Profiling/ProfilerTableTests.cs builds the same events as
SharpGrad FunctionEvents and compares the text character for character.

An event is [name, thread, start_us, end_us, input_shapes, cpu_memory_usage]; the fixture stores each
as that list's JSON text on one line, which keeps the 2000-event seed case small.
"""
import json

from torch.autograd.profiler_util import EventList, FunctionEvent


def seed_cell_events():
    """The seed tutorial's loop: 1000 x (div then mul), mul 4us each, div 3.502ms in total."""
    events, t = [], 0
    for i in range(1000):
        div = 4 if i < 502 else 3
        events.append(["aten::div", 1, t, t + div, [[2, 3], [2, 3]], 24])
        t += div + 1
        events.append(["aten::mul", 1, t, t + 4, [[2, 3], [2, 3]], 24])
        t += 5
    return events


def backward_events():
    """A forward op, a user range around a reduction, and backward nodes nested as PyTorch 1.13
    records them (evaluate_function > node > ops; the gradient sum inside evaluate_function);
    a second thread runs overlapping ops that must not nest into the first thread's ranges."""
    return [
        ["aten::mul", 1, 10, 20, [[2, 3], [2, 3]], 24],
        ["label", 1, 25, 80, [], 0],
        ["aten::empty", 1, 26, 27, [[], [], [], [], [], []], 288],
        ["aten::sum", 1, 30, 70, [[2, 3], []], 4],
        ["aten::as_strided", 1, 40, 45, [[], [], [], []], 0],
        ["aten::fill_", 1, 50, 51, [[1, 1], []], 0],
        ["autograd::engine::evaluate_function: SumBackward0", 1, 100, 130, [], 0],
        ["SumBackward0", 1, 101, 125, [[]], 0],
        ["aten::expand", 1, 102, 120, [[], [], []], 0],
        ["autograd::engine::evaluate_function: MulBackward0", 1, 140, 200, [], 24],
        ["MulBackward0", 1, 140, 180, [[2, 3]], 48],
        ["aten::mul", 1, 150, 160, [[2, 3], [2, 3]], 24],
        ["aten::mul", 1, 165, 178, [[2, 3], [2, 3]], 24],
        ["aten::add", 1, 185, 199, [[2, 3], [2, 3], []], 24],
        ["autograd::engine::evaluate_function: torch::autograd::AccumulateGrad", 1, 210, 230, [], 0],
        ["torch::autograd::AccumulateGrad", 1, 211, 229, [[2, 3]], 0],
        ["aten::detach", 1, 215, 228, [[2, 3]], 0],
        ["detach", 1, 216, 227, [[2, 3]], 0],
        ["aten::mul", 2, 12, 90, [[4, 4], [4, 4]], 64],
        ["aten::add", 2, 95, 99, [[4, 4], [4, 4], []], 64],
        ["[memory]", 1, 240, 240, [], -24],
        ["[memory]", 1, 241, 241, [], -48],
    ]


def units_events():
    """Every time and memory unit, fractional times, a negative self time (overlapping siblings),
    duplicate-name nesting (folded) and a name and shapes longer than their column limits."""
    long_name = "aten::a_really_long_operator_name_that_does_not_fit_in_the_column"
    many = [[1024, 768]] * 9
    return [
        ["aten::to", 1, 0, 40, [[2, 3], [], [], [], [], []], 48],
        ["aten::to", 1, 1, 39, [[2, 3], [], [], [], [], []], 48],  # only child of the same name: folded
        ["aten::_to_copy", 1, 2, 38, [[2, 3]], 48],
        ["aten::empty_strided", 1, 3, 5, [[]], 48],
        ["aten::copy_", 1, 6, 37.5, [[2, 3], [2, 3], []], 0],
        ["aten::slow", 1, 100, 1_500_100, [[1]], 3 * 1024 ** 3],
        ["aten::medium", 1, 2_000_000, 2_012_345.678, [[1]], 5 * 1024 ** 2 + 123456],
        ["aten::tiny", 1, 2_100_000, 2_100_000.25, [[1]], 1023],
        ["aten::tiny", 1, 2_100_001, 2_100_001.125, [[1]], 1024],
        ["aten::freed", 1, 2_200_000, 2_200_003, [[1]], -(2 * 1024 ** 2)],
        ["aten::overlap", 1, 3_000_000, 3_000_010, [], 0],
        ["aten::child", 1, 3_000_001, 3_000_006, [], 0],
        ["aten::child", 1, 3_000_002, 3_000_010, [], 0],
        [long_name, 1, 3_100_000, 3_100_777, many, 4096],
        ["aten::zero", 1, 3_200_000, 3_200_000, [], 0],
    ]


def tie_events():
    """Equal sort keys keep their order (sorted(..., reverse=True) is stable)."""
    return [
        ["aten::c", 1, 0, 5, [[3]], 8],
        ["aten::a", 1, 10, 15, [[1]], 8],
        ["aten::b", 1, 20, 25, [[2]], 8],
        ["aten::a", 1, 30, 35, [[1, 1]], 16],
    ]


def zero_events():
    return [["aten::view", 1, 5, 5, [[2]], 0], ["aten::view", 1, 6, 6, [[2]], 0]]


TABLES = [
    {"sort_by": None},
    {"sort_by": "self_cpu_time_total"},
    {"sort_by": "cpu_time_total"},
    {"sort_by": "cpu_time"},
    {"sort_by": "count"},
    {"sort_by": "cpu_memory_usage"},
    {"sort_by": "self_cpu_memory_usage"},
    {"sort_by": "self_cpu_time_total", "row_limit": 3},
    {"sort_by": "cpu_time_total", "header": "A header line", "top_level_events_only": True},
    {"sort_by": None, "max_name_column_width": None, "max_shapes_column_width": None},
    {"sort_by": None, "max_name_column_width": 30, "max_shapes_column_width": 20},
]

CASES = {
    "seed_cell": (seed_cell_events, [False]),
    "backward": (backward_events, [False, True]),
    "units": (units_events, [False, True]),
    "ties": (tie_events, [True]),
    "zero": (zero_events, [False]),
}


def build(events, profile_memory):
    fes = [FunctionEvent(id=i, name=n, thread=th, start_us=s, end_us=e, input_shapes=sh, cpu_memory_usage=m, stack=[])
           for i, (n, th, s, e, sh, m) in enumerate(events)]
    lst = EventList(fes, profile_memory=profile_memory)
    lst._build_tree()
    return lst


def tables(event_list, configs=TABLES):
    out = []
    for kw in configs:
        args = {"row_limit": 100, "max_name_column_width": 55, "max_shapes_column_width": 80,
                "header": None, "top_level_events_only": False}
        args.update(kw)
        out.append({"args": args, "text": event_list.table(**args)})
    return out


def generate():
    cases = []
    for name, (make, memory_flags) in CASES.items():
        events = make()
        for profile_memory in memory_flags:
            lst = build(events, profile_memory)
            remaining = [e.id for e in lst]
            parents = {e.id: (e.cpu_parent.id if e.cpu_parent is not None else None) for e in lst}
            total = lst.total_average()
            # The seed case's 2000 single events would make 2000-row tables: its averages suffice.
            # Every table variant on the averages; a few on the single events and on shape groups.
            views = {} if name == "seed_cell" else {"events": tables(lst, TABLES[:2] + TABLES[9:])}
            views["key_averages"] = tables(lst.key_averages())
            views["key_averages_by_shape"] = tables(lst.key_averages(group_by_input_shapes=True), TABLES[:2] + TABLES[8:9])
            cases.append({
                "name": name,
                "profile_memory": profile_memory,
                "events": [json.dumps(e) for e in events],
                "remaining_ids": remaining,
                "parents": [parents[i] for i in remaining],
                "self_cpu_time_total": lst.self_cpu_time_total,
                "total_average": {"key": total.key, "count": total.count, "cpu_time_total": total.cpu_time_total,
                                  "self_cpu_time_total": total.self_cpu_time_total,
                                  "cpu_memory_usage": total.cpu_memory_usage},
                "views": views,
            })
    empty = EventList([], profile_memory=True)
    empty._build_tree()
    return {"cases": cases, "empty_table": empty.key_averages().table(sort_by="self_cpu_time_total")}


def op_cases():
    """One call per op, inputs made beforehand; tests/SharpGrad.Tests/Profiling/ProfilerOpNameTests.cs
    runs the same calls (by case name) and compares the top-level event names."""
    import torch
    import torch.nn.functional as F
    x = (torch.arange(6, dtype=torch.float32).reshape(2, 3) / 10 + 0.5).requires_grad_()
    y = x.detach().clone()
    m = torch.arange(9, dtype=torch.float32).reshape(3, 3)
    v = torch.arange(3, dtype=torch.float32)
    i = torch.tensor([0, 1])
    b = torch.tensor([[True, False, True], [False, True, True]])
    t = torch.tensor([0, 2])
    lo, hi = torch.zeros(2, 3), torch.ones(2, 3)
    src = torch.ones(2, 3)
    one = torch.tensor(1.0)
    target = torch.ones(2, 3)
    m3, x3 = m.unsqueeze(0), x.unsqueeze(0)
    logp = torch.log_softmax(y, 1)
    return {
        "add": lambda: x.add(x), "add_scalar": lambda: x + 2, "radd": lambda: 2 + x, "sub": lambda: x - x,
        "sub_scalar": lambda: x - 2, "rsub": lambda: 2 - x, "sub_alpha": lambda: x.sub(x, alpha=2),
        "mul": lambda: x * x, "mul_scalar": lambda: x * 2, "div": lambda: x / x, "div_scalar": lambda: x / 2,
        "rdiv": lambda: 2 / x, "neg": lambda: -x, "exp": lambda: x.exp(), "reciprocal": lambda: x.reciprocal(),
        "relu": lambda: x.relu(), "sigmoid": lambda: x.sigmoid(), "tanh": lambda: x.tanh(), "sqrt": lambda: x.sqrt(),
        "rsqrt": lambda: x.rsqrt(), "log": lambda: x.log(), "sin": lambda: x.sin(), "cos": lambda: x.cos(),
        "log1p": lambda: x.log1p(), "expm1": lambda: x.expm1(), "abs": lambda: x.abs(), "sign": lambda: x.sign(),
        "square": lambda: x.square(), "floor": lambda: x.floor(), "ceil": lambda: x.ceil(), "round": lambda: x.round(),
        "clamp": lambda: x.clamp(0.6, 0.9), "clamp_tensors": lambda: x.clamp(lo, hi), "clamp_min": lambda: x.clamp_min(0.7),
        "clamp_max": lambda: x.clamp_max(0.7), "maximum": lambda: x.maximum(y), "minimum": lambda: x.minimum(y),
        "eq": lambda: x.eq(y), "eq_scalar": lambda: x.eq(1), "ne": lambda: x.ne(y), "lt": lambda: x < y,
        "le_scalar": lambda: x <= 1, "gt": lambda: x > y, "ge": lambda: x >= y,
        "to_double": lambda: x.to(torch.float64), "double": lambda: x.double(), "clone": lambda: x.clone(),
        "contiguous_transposed": lambda: x.t().contiguous(), "contiguous_noop": lambda: x.contiguous(),
        "index_select": lambda: x.index_select(0, i), "index_add": lambda: y.index_add(0, i, src),
        "index_put": lambda: y.index_put((i,), one), "index_tensor": lambda: x[i],
        "mm": lambda: m.mm(m), "bmm": lambda: m3.bmm(m3), "mv": lambda: m.mv(v), "dot": lambda: v.dot(v),
        "matmul": lambda: m.matmul(m), "matmul_vv": lambda: v.matmul(v), "logsigmoid": lambda: F.logsigmoid(x),
        "logical_and": lambda: b.logical_and(b), "logical_or": lambda: b.logical_or(b),
        "logical_xor": lambda: b.logical_xor(b), "logical_not": lambda: b.logical_not(),
        "bitwise_and": lambda: b.bitwise_and(b), "bitwise_or": lambda: b.bitwise_or(b),
        "bitwise_xor": lambda: b.bitwise_xor(b), "bitwise_not": lambda: ~b,
        "all": lambda: b.all(), "all_dim": lambda: b.all(0), "any": lambda: b.any(), "any_dim": lambda: b.any(1),
        "masked_fill": lambda: x.masked_fill(b, 0.0), "masked_scatter": lambda: x.masked_scatter(b, src),
        "masked_select": lambda: x.masked_select(b), "max": lambda: x.max(), "max_dim": lambda: x.max(0),
        "min": lambda: x.min(), "min_dim": lambda: x.min(1), "argmax": lambda: x.argmax(), "argmin_dim": lambda: x.argmin(0),
        "logsumexp": lambda: x.logsumexp(0), "norm": lambda: x.norm(), "norm_p1": lambda: x.norm(1),
        "norm_dim": lambda: x.norm(2, 0), "vector_norm": lambda: torch.linalg.vector_norm(x),
        "pow_scalar": lambda: x.pow(2), "pow_tensor": lambda: x.pow(y), "pow_scalar_base": lambda: torch.pow(2, x),
        "prod": lambda: x.prod(), "prod_dim": lambda: x.prod(0), "var": lambda: x.var(), "var_dim": lambda: x.var(0),
        "std": lambda: x.std(), "std_dim": lambda: x.std(1), "view": lambda: x.view(6), "reshape": lambda: x.reshape(3, 2),
        "view_as": lambda: x.view_as(y), "reshape_as": lambda: x.reshape_as(y), "select": lambda: x.select(0, 1),
        "narrow": lambda: x.narrow(1, 0, 2), "as_strided": lambda: x.as_strided((2,), (1,)),
        "index_int": lambda: x[0], "index_int_int": lambda: x[0, 1], "index_slices": lambda: x[:, 1:],
        "split": lambda: x.split(1), "split_sizes": lambda: x.split([1, 1]), "chunk": lambda: x.chunk(2),
        "unbind": lambda: x.unbind(), "squeeze": lambda: x3.squeeze(), "squeeze_dim": lambda: x3.squeeze(0),
        "unsqueeze": lambda: x.unsqueeze(0), "flatten": lambda: x.flatten(), "sum": lambda: x.sum(),
        "sum_dim": lambda: x.sum(0), "mean": lambda: x.mean(), "mean_dim": lambda: x.mean(1),
        "sum_to_size": lambda: x.sum_to_size(1, 3), "transpose": lambda: x.transpose(0, 1), "t": lambda: x.t(),
        "T": lambda: x.T, "mT": lambda: x.mT, "permute": lambda: x.permute(1, 0), "expand": lambda: x.expand(2, 2, 3),
        "expand_as": lambda: v.expand_as(x), "where": lambda: torch.where(b, x, y), "where_scalar": lambda: torch.where(b, x, 0.0),
        "cat": lambda: torch.cat([x, y]), "concat": lambda: torch.concat([x, y]), "stack": lambda: torch.stack([x, y]),
        "softmax": lambda: x.softmax(1), "log_softmax": lambda: x.log_softmax(1), "F_softmax": lambda: F.softmax(x, 1),
        "bce_with_logits": lambda: F.binary_cross_entropy_with_logits(x, target),
        "cross_entropy": lambda: F.cross_entropy(x, t), "nll_loss": lambda: F.nll_loss(logp, t),
        "add_": lambda: y.add_(1), "sub_": lambda: y.sub_(src), "mul_": lambda: y.mul_(2), "div_": lambda: y.div_(2),
        "neg_": lambda: y.neg_(), "exp_": lambda: y.exp_(), "zero_": lambda: y.zero_(), "fill_": lambda: y.fill_(1),
        "copy_": lambda: y.copy_(src), "sqrt_": lambda: y.sqrt_(), "clamp_": lambda: y.clamp_(0, 1),
        "clamp_min_": lambda: y.clamp_min_(0), "pow_": lambda: y.pow_(2), "relu_": lambda: y.relu_(),
        "sigmoid_": lambda: y.sigmoid_(), "iadd": lambda: y.__iadd__(src),
    }


def op_names():
    """Top-level event names per case. The profiler's whole-microsecond clock sometimes ends a child
    after its parent, which un-nests it; the fewest top-level events over several runs is the truth."""
    from torch.autograd.profiler import profile
    out = {}
    for name, call in op_cases().items():
        runs = []
        for _ in range(7):
            with profile() as prof:
                call()
            runs.append([e.name for e in prof.function_events if e.cpu_parent is None])
        out[name] = min(runs, key=len)
    return out


_generate_tables = generate


def generate():
    data = _generate_tables()
    data["op_names"] = op_names()
    return data
