"""Factories: values and dtypes of arange, linspace, eye, full, zeros/ones, tensor(), and their error texts."""
import torch


def err(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return str(e)
    return None


def describe(t):
    return {"shape": list(t.shape), "dtype": str(t.dtype), "values": t.flatten().tolist()}


def generate():
    out = {}
    out["arange"] = {
        "0_5": describe(torch.arange(5)),
        "1_1.8_0.1": describe(torch.arange(1, 1.8, 0.1)),
        "0_1_0.1": describe(torch.arange(0, 1, 0.1)),
        "-3_3_1.5": describe(torch.arange(-3, 3, 1.5)),
        "10_0_-3": describe(torch.arange(10, 0, -3)),
        "0.5_4": describe(torch.arange(0.5, 4)),
        "4_f32": describe(torch.arange(4, dtype=torch.float32)),
        "0_10_3_f64": describe(torch.arange(0, 10, 3, dtype=torch.float64)),
    }
    out["linspace"] = {
        "0_6_10": describe(torch.linspace(0., 6., steps=10)),
        "-2_2_25": describe(torch.linspace(-2, 2, steps=25)),
        "0_2pi_25": describe(torch.linspace(0., 2. * 3.141592653589793, steps=25)),
        "0_1_7_f64": describe(torch.linspace(0, 1, steps=7, dtype=torch.float64)),
        "3_3_1": describe(torch.linspace(3, 3, steps=1)),
        "1_0_0": describe(torch.linspace(1, 0, steps=0)),
        "-1_1_4": describe(torch.linspace(-1, 1, steps=4)),
    }
    out["linspace_sweep"] = [
        {"start": a, "end": b, "steps": n, "dtype": str(dt), "values": torch.linspace(a, b, steps=n, dtype=dt).tolist()}
        for (a, b) in [(0.0, 1.0), (-3.7, 5.1), (1000.0, -2.0), (0.1, 0.2)]
        for n in [2, 3, 5, 10, 16, 17, 25, 31, 32, 33, 50, 100]
        for dt in [torch.float32, torch.float64]
    ]
    out["eye"] = {"4_5": describe(torch.eye(4, 5)), "3": describe(torch.eye(3)), "2_4_i64": describe(torch.eye(2, 4, dtype=torch.int64))}
    out["full"] = {
        "int": describe(torch.full((2, 2), 7)),
        "float": describe(torch.full((3,), 2.5)),
        "f64": describe(torch.full((2,), 1, dtype=torch.float64)),
    }
    out["literal_dtypes"] = {
        "ints": str(torch.tensor([1, 2, 3]).dtype),
        "floats": str(torch.tensor([1.0, 2.0]).dtype),
        "bools": str(torch.tensor([True, False]).dtype),
    }
    out["errors"] = {
        "arange_zero_step": err(lambda: torch.arange(0, 1, 0)),
        "arange_bad_sign": err(lambda: torch.arange(0, 5, -1)),
        "linspace_negative": err(lambda: torch.linspace(0, 1, -1)),
        "eye_negative": err(lambda: torch.eye(-1)),
        "ones_negative": err(lambda: torch.ones(2, -1)),
        "randint_bad": err(lambda: torch.randint(5, 5, (2,))),
        "item_many": err(lambda: torch.ones(3).item()),
        "int_requires_grad": err(lambda: torch.ones(2, dtype=torch.int64, requires_grad=True)),
        "view_bad": err(lambda: torch.ones(6).view(4, -1)),
        "view_two_infer": err(lambda: torch.ones(6).view(-1, -1)),
    }
    return out
