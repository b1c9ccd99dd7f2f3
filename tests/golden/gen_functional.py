"""Golden fixtures for Torch.NN.Functional: softmax, log_softmax, nll_loss, cross_entropy,
binary_cross_entropy_with_logits, mse_loss.

Every case names an op, its tensors (literal, deterministic values stored in full) and its keyword
arguments, and records what PyTorch 1.13 gives: the output (values, shape, dtype, grad_fn name), the
gradients of every leaf that requires grad after backward with a fixed grad_output, optionally the
second-order gradients, the warnings, or the error (Python type and exact message).
Non-finite numbers are written as the strings "inf", "-inf", "nan".
"""
import math
import warnings

import torch
import torch.nn.functional as F

DTYPES = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "int32": torch.int32, "bool": torch.bool}
NAMES = {v: k for k, v in DTYPES.items()}


def num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def enc(t):
    return {"data": [num(v) for v in t.detach().reshape(-1).tolist()], "shape": list(t.shape), "dtype": NAMES[t.dtype]}


def vals(shape, scale=0.37, mod=11, shift=5, dtype=torch.float32):
    n = 1
    for s in shape:
        n *= s
    data = [((i * 7) % mod - shift) * scale for i in range(n)]
    return torch.tensor(data, dtype=torch.float64).reshape(shape).to(dtype)


def grad_output(out):
    n = out.numel()
    return torch.tensor([0.5 + 0.25 * (i % 5) for i in range(n)], dtype=torch.float64).reshape(out.shape).to(out.dtype)


def call(op, T, a):
    red = a.get("reduction", "mean")
    dt = DTYPES[a["dtype"]] if "dtype" in a else None
    if op == "softmax":
        return F.softmax(T["input"], a["dim"], dtype=dt)
    if op == "log_softmax":
        return F.log_softmax(T["input"], a["dim"], dtype=dt)
    if op == "tensor_softmax":
        return T["input"].softmax(a["dim"])
    if op == "tensor_log_softmax":
        return T["input"].log_softmax(a["dim"])
    if op == "nll_loss":
        return F.nll_loss(T["input"], T["target"], weight=T.get("weight"), ignore_index=a.get("ignore_index", -100), reduction=red)
    if op == "cross_entropy":
        return F.cross_entropy(T["input"], T["target"], weight=T.get("weight"), ignore_index=a.get("ignore_index", -100),
                               reduction=red, label_smoothing=a.get("label_smoothing", 0.0))
    if op == "bce_with_logits":
        return F.binary_cross_entropy_with_logits(T["input"], T["target"], weight=T.get("weight"), reduction=red,
                                                  pos_weight=T.get("pos_weight"))
    if op == "mse_loss":
        return F.mse_loss(T["input"], T["target"], reduction=red)
    if op in ("logsigmoid", "relu", "sigmoid", "tanh"):
        return getattr(F, op)(T["input"])
    raise KeyError(op)


CASES = []


def case(name, op, tensors, grad=(), double=False, **args):
    """tensors: name -> tensor; grad: names of tensors that require grad."""
    CASES.append(record(call, name, op, tensors, grad, double, args))


def record(call_op, name, op, tensors, grad, double, args):
    """Runs call_op(op, tensors, args) as case() describes and returns the fixture record."""
    T = {}
    for k, t in tensors.items():
        t = t.detach().clone()
        if k in grad:
            t.requires_grad_(True)
        T[k] = t
    rec = {"name": name, "op": op, "args": args,
           "tensors": {k: dict(enc(t), requires_grad=t.requires_grad) for k, t in T.items()}}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = call_op(op, T, args)
        except Exception as e:  # noqa: BLE001 - the error is the fixture
            rec["error"] = {"type": type(e).__name__, "message": str(e)}
            return rec
    if caught:
        rec["warnings"] = [f"{w.category.__name__}: {w.message}" for w in caught]
    rec["out"] = enc(out)
    rec["grad_fn"] = type(out.grad_fn).__name__ if out.grad_fn is not None else None
    leaves = [k for k in T if T[k].requires_grad]
    finite = bool(torch.isfinite(out.detach()).all())
    if leaves and finite and out.requires_grad:
        g = grad_output(out)
        rec["grad_output"] = enc(g)
        if double:
            firsts = torch.autograd.grad(out, [T[k] for k in leaves], g, create_graph=True, allow_unused=True)
            rec["grads"] = {k: enc(f) for k, f in zip(leaves, firsts) if f is not None}
            total = sum((f * vals(f.shape, 0.3, 7, 3, f.dtype)).sum() for f in firsts if f is not None and f.requires_grad)
            if isinstance(total, torch.Tensor):
                seconds = torch.autograd.grad(total, [T[k] for k in leaves], allow_unused=True)
                rec["double_grads"] = {k: enc(s) for k, s in zip(leaves, seconds) if s is not None}
        else:
            try:
                out.backward(g)
            except RuntimeError as e:
                # PyTorch 1.13 cannot run some mixed-dtype backwards; recorded, not reproduced.
                rec["backward_error"] = str(e)
                del rec["grad_output"]
            else:
                rec["grads"] = {k: enc(T[k].grad) for k in leaves if T[k].grad is not None}
    return rec


def long(*v):
    return torch.tensor(v, dtype=torch.int64)


def softmax_cases():
    x23 = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    x234 = vals([2, 3, 4])
    for op in ["softmax", "log_softmax"]:
        case(f"{op}_2x3_dim1", op, {"input": x23}, grad=["input"], dim=1)
        case(f"{op}_2x3_dim0", op, {"input": x23}, grad=["input"], dim=0)
        case(f"{op}_2x3_dim-1", op, {"input": x23}, grad=["input"], dim=-1, double=True)
        case(f"{op}_1d", op, {"input": torch.tensor([0.1, -0.2, 0.3, 1.5])}, grad=["input"], dim=0)
        case(f"{op}_0d", op, {"input": torch.tensor(0.7)}, grad=["input"], dim=0)
        for d in [0, 1, 2]:
            case(f"{op}_2x3x4_dim{d}", op, {"input": x234}, grad=["input"], dim=d, double=(d == 1))
        case(f"{op}_extreme", op, {"input": torch.tensor([[100.0, -100.0, 0.0], [1000.0, 999.0, -1000.0]])}, grad=["input"], dim=1)
        case(f"{op}_float64", op, {"input": x23.double()}, grad=["input"], dim=1)
        case(f"{op}_dtype_float64", op, {"input": x23}, grad=["input"], dim=1, dtype="float64")
        case(f"{op}_int_with_dtype", op, {"input": long(1, 2, 3)}, dim=0, dtype="float32")
        case(f"{op}_int_error", op, {"input": long(1, 2, 3)}, dim=0)
        case(f"{op}_int_error_dim0", op, {"input": torch.ones(2, 3, dtype=torch.int64)}, dim=0)
        case(f"{op}_int32_error", op, {"input": torch.ones(2, 3, dtype=torch.int32)}, dim=1)
        case(f"{op}_bool_error", op, {"input": torch.ones(2, 3, dtype=torch.bool)}, dim=1)
        case(f"{op}_dim_error", op, {"input": x23}, dim=2)
        case(f"{op}_nonfinite", op, {"input": torch.tensor([[math.inf, 1.0], [-math.inf, -math.inf], [math.nan, 1.0], [-math.inf, 0.0]])}, dim=1)
        case(f"{op}_empty", op, {"input": torch.zeros(0, 3)}, dim=1)
    case("tensor_softmax_2x3", "tensor_softmax", {"input": x23}, grad=["input"], dim=1)
    case("tensor_log_softmax_2x3x4", "tensor_log_softmax", {"input": x234}, grad=["input"], dim=1)


def nll_cases():
    x35 = vals([3, 5], 0.41)
    t3 = long(1, 0, 4)
    w5 = torch.tensor([1.0, 2.0, 0.5, 1.5, 3.0])
    for red in ["mean", "sum", "none"]:
        case(f"nll_2d_{red}", "nll_loss", {"input": x35, "target": t3}, grad=["input"], reduction=red)
        case(f"nll_2d_weight_{red}", "nll_loss", {"input": x35, "target": t3, "weight": w5}, grad=["input"], reduction=red)
        case(f"nll_2d_ignore_{red}", "nll_loss", {"input": x35, "target": long(1, -100, 4)}, grad=["input"], reduction=red)
        case(f"nll_2d_weight_ignore_{red}", "nll_loss", {"input": x35, "target": long(2, 3, 2), "weight": w5}, grad=["input"],
             reduction=red, ignore_index=3)
        case(f"nll_1d_{red}", "nll_loss", {"input": torch.tensor([0.2, -1.0, 0.7]), "target": torch.tensor(2)}, grad=["input"], reduction=red)
        case(f"nll_1d_weight_{red}", "nll_loss", {"input": torch.tensor([0.2, -1.0, 0.7]), "target": torch.tensor(1),
                                                 "weight": torch.tensor([2.0, 3.0, 4.0])}, grad=["input"], reduction=red)
        x234 = vals([2, 3, 4], 0.29)
        t24 = long(0, 1, 2, -100, 2, 2, 1, 0).reshape(2, 4)
        case(f"nll_3d_{red}", "nll_loss", {"input": x234, "target": t24}, grad=["input"], reduction=red)
        case(f"nll_3d_weight_{red}", "nll_loss", {"input": x234, "target": t24, "weight": torch.tensor([0.5, 2.0, 1.0])}, grad=["input"], reduction=red)
        x4 = vals([2, 3, 2, 2], 0.23)
        t4 = long(0, 1, 2, 1, -100, 0, 2, 2).reshape(2, 2, 2)
        case(f"nll_4d_{red}", "nll_loss", {"input": x4, "target": t4}, grad=["input"], reduction=red)
        case(f"nll_4d_weight_{red}", "nll_loss", {"input": x4, "target": t4, "weight": torch.tensor([0.5, 2.0, 1.0])}, grad=["input"], reduction=red)
        x5 = vals([2, 3, 2, 1, 2], 0.19)
        t5 = long(0, 1, 2, 1, 1, 0, 2, 2).reshape(2, 2, 1, 2)
        case(f"nll_5d_{red}", "nll_loss", {"input": x5, "target": t5}, grad=["input"], reduction=red)
    case("nll_all_ignored_mean", "nll_loss", {"input": x35, "target": long(-100, -100, -100)}, grad=["input"])
    case("nll_all_ignored_sum", "nll_loss", {"input": x35, "target": long(-100, -100, -100)}, grad=["input"], reduction="sum")
    case("nll_empty_mean", "nll_loss", {"input": torch.zeros(0, 5), "target": torch.zeros(0, dtype=torch.int64)})
    case("nll_empty_none", "nll_loss", {"input": torch.zeros(0, 5), "target": torch.zeros(0, dtype=torch.int64)}, reduction="none")
    case("nll_float64", "nll_loss", {"input": x35.double(), "target": t3, "weight": w5.double()}, grad=["input"])
    case("nll_1d_input_1d_target_quirk", "nll_loss", {"input": torch.tensor([0.2, -1.0, 0.7]), "target": long(2, 0, 1)}, grad=["input"])
    case("nll_ignore_out_of_range_ok", "nll_loss", {"input": x35, "target": long(1, 9, 4)}, grad=["input"], ignore_index=9)
    # errors
    case("nll_target_oob", "nll_loss", {"input": x35, "target": long(1, 0, 5)})
    case("nll_target_negative", "nll_loss", {"input": x35, "target": long(1, -1, 4)})
    case("nll_target_oob_none", "nll_loss", {"input": x35, "target": long(0, 9, -100)}, reduction="none")
    case("nll_target_int32", "nll_loss", {"input": x35, "target": t3.int()})
    case("nll_target_float", "nll_loss", {"input": x35, "target": t3.float()})
    case("nll_batch_mismatch", "nll_loss", {"input": x35, "target": long(1, 0)})
    case("nll_multi_target", "nll_loss", {"input": x35, "target": torch.zeros(3, 1, dtype=torch.int64)})
    case("nll_weight_size", "nll_loss", {"input": x35, "target": t3, "weight": torch.ones(4)})
    case("nll_weight_2d", "nll_loss", {"input": x35, "target": t3, "weight": torch.ones(5, 1)})
    case("nll_weight_dtype", "nll_loss", {"input": x35, "target": t3, "weight": torch.ones(5, dtype=torch.float64)})
    case("nll_weight_dtype_before_target", "nll_loss", {"input": x35, "target": t3.int(), "weight": torch.ones(5, dtype=torch.float64)})
    case("nll_weight_requires_grad", "nll_loss", {"input": x35, "target": t3, "weight": w5}, grad=["weight"])
    case("nll_0d_input", "nll_loss", {"input": torch.tensor(1.0), "target": torch.tensor(0)})
    case("nll_1d_size_mismatch", "nll_loss", {"input": torch.tensor([0.2, -1.0, 0.7]), "target": long(1)})
    case("nll_1d_target_oob", "nll_loss", {"input": torch.tensor([0.2, -1.0, 0.7]), "target": torch.tensor(7)})
    case("nll_int_input", "nll_loss", {"input": torch.ones(3, 5, dtype=torch.int64), "target": t3})
    case("nll_int_input_4d", "nll_loss", {"input": torch.ones(3, 5, 2, 2, dtype=torch.int64), "target": torch.zeros(3, 2, 2, dtype=torch.int64)})
    case("nll_bad_reduction", "nll_loss", {"input": x35, "target": t3}, reduction="foo")
    case("nll_3d_target_size", "nll_loss", {"input": vals([2, 3, 4]), "target": torch.zeros(2, 5, dtype=torch.int64)})
    case("nll_3d_target_rank", "nll_loss", {"input": vals([2, 3, 4]), "target": torch.zeros(2, dtype=torch.int64)})
    case("nll_3d_target_oob", "nll_loss", {"input": vals([2, 3, 4]), "target": torch.zeros(2, 4, dtype=torch.int64) + 3})
    case("nll_4d_target_rank", "nll_loss", {"input": vals([2, 3, 4, 4]), "target": torch.zeros(2, 4, dtype=torch.int64)})
    case("nll_4d_size_mismatch", "nll_loss", {"input": vals([2, 3, 4, 4]), "target": torch.zeros(2, 4, 5, dtype=torch.int64)})
    case("nll_4d_weight_size", "nll_loss", {"input": vals([2, 3, 2, 2]), "target": torch.zeros(2, 2, 2, dtype=torch.int64), "weight": torch.ones(2)})
    case("nll_4d_target_int32", "nll_loss", {"input": vals([2, 3, 2, 2]), "target": torch.zeros(2, 2, 2, dtype=torch.int32)})
    case("nll_4d_weight_requires_grad", "nll_loss", {"input": vals([2, 3, 2, 2]), "target": torch.zeros(2, 2, 2, dtype=torch.int64),
                                                    "weight": torch.ones(3)}, grad=["weight"])


def cross_entropy_cases():
    x35 = vals([3, 5], 0.53)
    t3 = long(1, 0, 4)
    w5 = torch.tensor([1.0, 2.0, 0.5, 1.5, 3.0])
    p35 = torch.softmax(vals([3, 5], 0.31, 7, 2), 1)
    for red in ["mean", "sum", "none"]:
        case(f"ce_{red}", "cross_entropy", {"input": x35, "target": t3}, grad=["input"], reduction=red)
        case(f"ce_weight_ignore_{red}", "cross_entropy", {"input": x35, "target": long(1, -100, 4), "weight": w5}, grad=["input"], reduction=red)
        case(f"ce_ls_{red}", "cross_entropy", {"input": x35, "target": t3}, grad=["input"], reduction=red, label_smoothing=0.1)
        case(f"ce_ls_ignore_{red}", "cross_entropy", {"input": x35, "target": long(1, -100, 4)}, grad=["input"], reduction=red,
             label_smoothing=0.2)
        case(f"ce_ls_weight_ignore_{red}", "cross_entropy", {"input": x35, "target": long(1, 2, 4), "weight": w5}, grad=["input"],
             reduction=red, label_smoothing=0.25, ignore_index=2)
        case(f"ce_prob_{red}", "cross_entropy", {"input": x35, "target": p35}, grad=["input", "target"], reduction=red)
        case(f"ce_prob_weight_{red}", "cross_entropy", {"input": x35, "target": p35, "weight": w5}, grad=["input", "target"], reduction=red)
        case(f"ce_prob_ls_{red}", "cross_entropy", {"input": x35, "target": p35}, grad=["input", "target"], reduction=red, label_smoothing=0.3)
        case(f"ce_spatial_{red}", "cross_entropy", {"input": vals([2, 3, 4], 0.61), "target": long(0, 1, 2, -100, 2, 2, 1, 0).reshape(2, 4)},
             grad=["input"], reduction=red)
        case(f"ce_spatial_ls_{red}", "cross_entropy", {"input": vals([2, 3, 2, 2], 0.61), "target": long(0, 1, 2, -100, 2, 2, 1, 0).reshape(2, 2, 2)},
             grad=["input"], reduction=red, label_smoothing=0.15)
        case(f"ce_spatial_prob_{red}", "cross_entropy", {"input": vals([2, 3, 4], 0.61), "target": torch.softmax(vals([2, 3, 4], 0.2), 1)},
             grad=["input", "target"], reduction=red)
    case("ce_1d", "cross_entropy", {"input": torch.tensor([0.2, -1.0, 0.7, 2.0]), "target": torch.tensor(3)}, grad=["input"])
    case("ce_1d_ls", "cross_entropy", {"input": torch.tensor([0.2, -1.0, 0.7, 2.0]), "target": torch.tensor(3)}, grad=["input"], label_smoothing=0.1)
    case("ce_1d_prob", "cross_entropy", {"input": torch.tensor([0.2, -1.0, 0.7, 2.0]), "target": torch.tensor([0.1, 0.2, 0.3, 0.4])},
         grad=["input", "target"])
    case("ce_extreme", "cross_entropy", {"input": torch.tensor([[100.0, -100.0, 0.0], [-100.0, 100.0, 50.0]]), "target": long(1, 0)}, grad=["input"])
    case("ce_extreme_ls", "cross_entropy", {"input": torch.tensor([[100.0, -100.0, 0.0], [-100.0, 100.0, 50.0]]), "target": long(1, 0)},
         grad=["input"], label_smoothing=0.1)
    case("ce_float64", "cross_entropy", {"input": x35.double(), "target": t3}, grad=["input"], label_smoothing=0.1)
    case("ce_double_backward", "cross_entropy", {"input": x35, "target": t3}, grad=["input"], double=True)
    case("ce_ls_double_backward", "cross_entropy", {"input": x35, "target": long(1, -100, 4)}, grad=["input"], double=True, label_smoothing=0.2)
    case("ce_prob_double_backward", "cross_entropy", {"input": x35, "target": p35}, grad=["input", "target"], double=True)
    case("ce_ls_negative_is_plain", "cross_entropy", {"input": x35, "target": t3}, grad=["input"], label_smoothing=-0.5)
    case("ce_all_ignored_ls", "cross_entropy", {"input": x35, "target": long(-100, -100, -100)}, grad=["input"], label_smoothing=0.1)
    case("ce_prob_empty", "cross_entropy", {"input": torch.zeros(0, 4), "target": torch.zeros(0, 4)})
    # errors
    case("ce_ls_too_big", "cross_entropy", {"input": x35, "target": t3}, label_smoothing=1.5)
    case("ce_prob_ls_too_big", "cross_entropy", {"input": x35, "target": p35}, label_smoothing=1.25)
    case("ce_prob_long_target", "cross_entropy", {"input": x35, "target": torch.ones(3, 5, dtype=torch.int64)})
    case("ce_prob_ignore_index", "cross_entropy", {"input": x35, "target": p35}, ignore_index=0)
    case("ce_prob_weight_size", "cross_entropy", {"input": x35, "target": p35, "weight": torch.ones(3)})
    case("ce_int_input", "cross_entropy", {"input": torch.ones(3, 5, dtype=torch.int64), "target": t3})
    case("ce_target_oob", "cross_entropy", {"input": x35, "target": long(1, 7, 4)})
    case("ce_target_int32", "cross_entropy", {"input": x35, "target": t3.int()}, label_smoothing=0.1)
    case("ce_bad_reduction", "cross_entropy", {"input": x35, "target": t3}, reduction="avg")
    case("ce_0d", "cross_entropy", {"input": torch.tensor(1.0), "target": torch.tensor(0)})


def bce_cases():
    x = torch.tensor([[1.0, -2.0, 3.0], [0.5, 100.0, -100.0]])
    t = torch.tensor([[1.0, 0.0, 0.5], [0.0, 1.0, 0.0]])
    w = torch.tensor([1.0, 2.0, 3.0])
    pw = torch.tensor([0.5, 2.0, 4.0])
    for red in ["mean", "sum", "none"]:
        case(f"bce_{red}", "bce_with_logits", {"input": x, "target": t}, grad=["input", "target"], reduction=red)
        case(f"bce_weight_{red}", "bce_with_logits", {"input": x, "target": t, "weight": w}, grad=["input", "target"], reduction=red)
        case(f"bce_pos_weight_{red}", "bce_with_logits", {"input": x, "target": t, "pos_weight": pw}, grad=["input", "target"], reduction=red)
        case(f"bce_both_{red}", "bce_with_logits", {"input": x, "target": t, "weight": torch.tensor([[2.0], [0.5]]), "pos_weight": pw},
             grad=["input", "target"], reduction=red)
    case("bce_1d", "bce_with_logits", {"input": torch.tensor([0.3, -0.7, 2.5, -4.0]), "target": torch.tensor([0.0, 1.0, 1.0, 0.25])},
         grad=["input", "target"])
    case("bce_0d", "bce_with_logits", {"input": torch.tensor(0.5), "target": torch.tensor(1.0)}, grad=["input", "target"])
    case("bce_float64", "bce_with_logits", {"input": x.double(), "target": t.double(), "pos_weight": pw.double()}, grad=["input", "target"])
    case("bce_mixed_f32_f64", "bce_with_logits", {"input": x, "target": t.double()}, grad=["input", "target"])
    case("bce_mixed_f64_f32", "bce_with_logits", {"input": x.double(), "target": t}, grad=["input", "target"])
    case("bce_weight_other_dtypes", "bce_with_logits", {"input": x, "target": t, "weight": torch.tensor([1, 2, 3]),
                                                       "pos_weight": pw.double()}, grad=["input", "target"])
    case("bce_double_backward", "bce_with_logits", {"input": vals([2, 3], 0.4), "target": torch.sigmoid(vals([2, 3], 0.3, 7, 3))},
         grad=["input", "target"], double=True)
    case("bce_pos_weight_double_backward", "bce_with_logits", {"input": vals([2, 3], 0.4), "target": torch.sigmoid(vals([2, 3], 0.3, 7, 3)),
                                                              "pos_weight": pw}, grad=["input", "target"], double=True)
    case("bce_empty", "bce_with_logits", {"input": torch.zeros(0), "target": torch.zeros(0)})
    # errors
    case("bce_size_mismatch", "bce_with_logits", {"input": x, "target": t[0]})
    case("bce_size_mismatch_0d", "bce_with_logits", {"input": x, "target": torch.tensor(1.0)})
    case("bce_long_target", "bce_with_logits", {"input": x, "target": t.long()})
    case("bce_int_target_double_input", "bce_with_logits", {"input": x.double(), "target": t.int()})
    case("bce_long_input", "bce_with_logits", {"input": x.long(), "target": t})
    case("bce_long_both", "bce_with_logits", {"input": x.long(), "target": t.long()})
    case("bce_bool_input", "bce_with_logits", {"input": x.bool(), "target": t})
    case("bce_bool_target", "bce_with_logits", {"input": x, "target": t.bool()})
    case("bce_weight_size", "bce_with_logits", {"input": x, "target": t, "weight": torch.ones(4)})
    case("bce_pos_weight_size", "bce_with_logits", {"input": x, "target": t, "pos_weight": torch.ones(4)})
    case("bce_weight_grows", "bce_with_logits", {"input": x, "target": t, "weight": torch.ones(2, 2, 3)})
    case("bce_pos_weight_grows", "bce_with_logits", {"input": x, "target": t, "pos_weight": torch.ones(2, 2, 3)})
    case("bce_weight_requires_grad", "bce_with_logits", {"input": x, "target": t, "weight": w}, grad=["input", "weight"])
    case("bce_pos_weight_requires_grad", "bce_with_logits", {"input": x, "target": t, "pos_weight": pw}, grad=["pos_weight"])
    case("bce_bad_reduction", "bce_with_logits", {"input": x, "target": t}, reduction="bad")


def mse_cases():
    x = torch.tensor([[1.0, -2.0, 3.0], [0.5, 100.0, -100.0]])
    t = torch.tensor([[1.0, 0.0, 0.5], [0.0, 1.0, 0.0]])
    for red in ["mean", "sum", "none"]:
        case(f"mse_{red}", "mse_loss", {"input": x, "target": t}, grad=["input", "target"], reduction=red)
        case(f"mse_broadcast_{red}", "mse_loss", {"input": x, "target": torch.tensor([0.5, -1.0, 2.0])}, grad=["input", "target"], reduction=red)
    case("mse_0d", "mse_loss", {"input": torch.tensor(2.0), "target": torch.tensor(3.0)}, grad=["input"])
    case("mse_float64", "mse_loss", {"input": x.double(), "target": t.double()}, grad=["input", "target"])
    case("mse_mixed", "mse_loss", {"input": x, "target": t.double()}, grad=["input", "target"])
    case("mse_long_target", "mse_loss", {"input": x, "target": t.long()}, grad=["input"])
    case("mse_int_input", "mse_loss", {"input": x.int(), "target": t}, grad=["target"])
    case("mse_double_backward", "mse_loss", {"input": vals([2, 3]), "target": vals([2, 3], 0.2)}, grad=["input", "target"], double=True)
    case("mse_empty", "mse_loss", {"input": torch.zeros(0), "target": torch.zeros(0)})
    case("mse_long_both", "mse_loss", {"input": x.long(), "target": t.long()})
    case("mse_bool_both", "mse_loss", {"input": x.bool(), "target": t.bool()})
    case("mse_broadcast_error", "mse_loss", {"input": x, "target": torch.ones(3, 3)})
    case("mse_bad_reduction", "mse_loss", {"input": x, "target": t}, reduction="avg")


def activation_cases():
    x = torch.tensor([[-100.0, -20.0, -1.5, -0.25], [0.0, 0.75, 30.0, 100.0]])
    for op in ["logsigmoid", "relu", "sigmoid", "tanh"]:
        case(f"{op}_float32", op, {"input": x}, grad=["input"])
        case(f"{op}_float64", op, {"input": x.double()}, grad=["input"], double=True)
        case(f"{op}_nonfinite", op, {"input": torch.tensor([math.inf, -math.inf, math.nan, -0.0])})
        case(f"{op}_int", op, {"input": long(-2, 0, 3)})
        case(f"{op}_bool", op, {"input": torch.tensor([True, False])})
    case("logsigmoid_0d", "logsigmoid", {"input": torch.tensor(0.5)}, grad=["input"])
    case("logsigmoid_empty", "logsigmoid", {"input": torch.zeros(0, 3)})


def walk(fn):
    """The grad_fn graph depth-first, as node type names (AccumulateGrad for leaves)."""
    if fn is None:
        return []
    names = [type(fn).__name__]
    for nxt, _ in fn.next_functions:
        names += walk(nxt)
    return names


def graphs():
    """Whole grad_fn graphs of the composite losses (and of their gradients), which name every inner node."""
    x35 = vals([3, 5], 0.53)
    p35 = torch.softmax(vals([3, 5], 0.31, 7, 2), 1)
    w5 = torch.tensor([1.0, 2.0, 0.5, 1.5, 3.0])
    t = long(1, -100, 4)
    out = {}

    def add(name, fn, leaves):
        xs = [v.clone().requires_grad_(True) for v in leaves]
        loss = fn(*xs)
        entry = {"inputs": [enc(v) for v in leaves], "loss": walk(loss.grad_fn)}
        firsts = torch.autograd.grad(loss, xs, torch.ones_like(loss), create_graph=True)
        entry["grads"] = [walk(f.grad_fn) for f in firsts]
        out[name] = entry

    for red in ["mean", "sum", "none"]:
        add(f"ce_ls_ignore_{red}", lambda x: F.cross_entropy(x, t, label_smoothing=0.2, reduction=red), [x35])
        add(f"ce_prob_ls_{red}", lambda x, p: F.cross_entropy(x, p, label_smoothing=0.3, reduction=red), [x35, p35])
        add(f"bce_pos_weight_{red}", lambda x, p: F.binary_cross_entropy_with_logits(x, p, pos_weight=w5, reduction=red), [x35, p35])
    add("ce_ls_weight_mean", lambda x: F.cross_entropy(x, long(1, 2, 4), w5, label_smoothing=0.25, ignore_index=2), [x35])
    add("bce_mean", lambda x, p: F.binary_cross_entropy_with_logits(x, p), [x35, p35])
    return out


def generate():
    CASES.clear()
    softmax_cases()
    nll_cases()
    cross_entropy_cases()
    bce_cases()
    mse_cases()
    activation_cases()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    return {"cases": CASES, "graphs": graphs()}
