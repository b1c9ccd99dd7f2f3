#!/usr/bin/env python3
"""Reads the JSON files bench/compare.sh wrote into OUT and prints one Markdown table:
workload | torch | SharpGrad | ratio | target | met.

ratio is a speed ratio, torch time / SharpGrad time (for GFLOP/s: SharpGrad / torch), so > 1 means
SharpGrad is faster. Every number is a median (7 repeats after warm-up, on both sides). A target is
either a minimum ratio or an absolute bound on SharpGrad's median time (issue 3 sets both kinds).

    python3 bench/make_table.py bench/out
"""
import json
import os
import sys

SGEMM_SIZES = (64, 256, 512, 1024, 2048)

# Targets of issue 3 (the authority: keep these in step with it). A number is a minimum speed ratio
# (torch time / SharpGrad time); ("max_ns", t) is an absolute bound on SharpGrad's median time.
TARGETS = {
    "add_1e6": 1.0, "mul_1e6": 1.0, "add_1e7": 3.0,
    "exp_1e6": 1.0, "sigmoid_1e6": 1.0, "tanh_1e6": 1.0,
    "overhead_add_nograd": ("max_ns", 100), "overhead_add_graph": ("max_ns", 250),
    "chain_1000": ("max_ns", 500),
    "mlp_small_step": ("max_ns", 0.20e6), "mlp_large_step": ("max_ns", 17e6),
    "mlp_large_step_threads1": ("max_ns", 17e6), "mlp_large_step_threads2": ("max_ns", 8.9e6),
    **{f"sgemm_n{n}_threads{t}": 1.0 for n in SGEMM_SIZES for t in (1, 2)},
}
HEAP_GROWTH_TARGET = 1 << 20  # bytes of managed heap growth over the soak, after warm-up ("flat")

ROWS = [
    ("add, 2 x 1e6 float32 (out-of-place)", "add_1e6", "time"),
    ("mul, 2 x 1e6 float32 (out-of-place)", "mul_1e6", "time"),
    ("add, 2 x 1e7 float32 (new output each call)", "add_1e7", "time"),
    ("exp, 1e6 float32", "exp_1e6", "time"),
    ("sigmoid, 1e6 float32", "sigmoid_1e6", "time"),
    ("tanh, 1e6 float32", "tanh_1e6", "time"),
    ("per-op overhead: add of 1-element tensors, no grad", "overhead_add_nograd", "time"),
    ("per-op overhead: add of 1-element tensors, graph recorded", "overhead_add_graph", "time"),
    ("chain of 1000 scalar ops (add/mul/sin), fwd+bwd, per op", "chain_1000", "time"),
    *[(f"sgemm n={n}, {t} thread{'s' if t > 1 else ''} (GFLOP/s)", f"sgemm_n{n}_threads{t}", f"gflops{n}")
      for t in (1, 2) for n in SGEMM_SIZES],
    ("MLP 784-128-10, batch 64: one SGD step", "mlp_small_step", "time"),
    ("MLP 784-1024-1024-10, batch 256: one SGD step", "mlp_large_step", "time"),
    ("same large step, Torch.SetNumThreads(1)", "mlp_large_step_threads1", "time"),
    ("same large step, Torch.SetNumThreads(2)", "mlp_large_step_threads2", "time"),
]

PENDING = "pending: op not merged"


def load(out, name):
    path = os.path.join(out, name)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def fmt_time(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def fmt_bytes(b):
    sign = "-" if b < 0 else ""
    b = abs(b)
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if b >= scale:
            return f"{sign}{b / scale:.3g} {unit}"
    return f"{sign}{b} B"


def lookup(key, *docs):
    """(status, value): value is the result dict when status == 'ok'."""
    built = False
    for doc in docs:
        if not doc:
            continue
        results = doc.get("results", {})
        if key in results:
            r = results[key]
            return ("ok", r) if "median_ns" in r else ("failed", None)
        if key in doc.get("benchmarks_built", []) or any(key.startswith(b) for b in doc.get("benchmarks_built", [])):
            built = True
    return ("failed" if built else "pending", None)


def cell(kind, status, r, missing=PENDING):
    if status == "pending":
        return missing, None
    if status == "failed":
        return "failed", None
    ns = r["median_ns"]
    if kind.startswith("gflops"):
        n = int(kind[len("gflops"):])
        g = 2 * n ** 3 / (ns * 1e-9) / 1e9
        return f"{g:.1f}", g
    return fmt_time(ns), ns


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "bench/out"
    torch_docs = [load(out, n) for n in ("torch_t1.json", "torch_t2.json")]
    sg_docs = [load(out, n) for n in ("sharpgrad_t1.json", "sharpgrad_sgemm.json")]
    lines = ["| workload | torch | SharpGrad | ratio | target | met |", "|---|---:|---:|---:|---:|:---:|"]
    medians = {}
    for label, key, kind in ROWS:
        t_text, t_val = cell(kind, *lookup(key, *torch_docs), missing="not run")
        s_text, s_val = cell(kind, *lookup(key, *sg_docs))
        ratio = None
        if t_val and s_val:
            ratio = s_val / t_val if kind.startswith("gflops") else t_val / s_val
        ratio_text = f"{ratio:.2f}" if ratio is not None else "–"
        target = TARGETS.get(key)
        met = "–"
        if isinstance(target, tuple):
            target_text = f"≤ {fmt_time(target[1])}"
            if s_val:
                met = "yes" if s_val <= target[1] else "no"
        elif target is not None:
            target_text = f"ratio ≥ {target:g}"
            if ratio is not None:
                met = "yes" if ratio >= target else "no"
        else:
            target_text = "–"
        medians[key] = s_val
        lines.append(f"| {label} | {t_text} | {s_text} | {ratio_text} | {target_text} | {met} |")
    one, two = medians.get("mlp_large_step_threads1"), medians.get("mlp_large_step_threads2")
    if one and two:
        lines.append(f"| large step: 2 threads / 1 thread (SharpGrad) | – | {two / one:.2f} | – | ≤ 1 | {'yes' if two <= one else 'no'} |")

    tm = (load(out, "torch_memory.json") or {}).get("results", {}).get("memory")
    sm = load(out, "sharpgrad_memory.json")
    sm = sm if sm and "heap_growth_bytes" in sm else None
    steps = (sm or tm or {}).get("steps", 10_000)
    def mem(doc, field, fmt):
        return fmt(doc[field]) if doc else None

    def ratio(t_field, s_field):
        return f"{tm[t_field] / sm[s_field]:.2f}" if tm and sm else "–"

    def verdict(ok):
        return "–" if ok is None else "yes" if ok else "no"

    memory_rows = [
        (f"{steps:,}-step MLP 784-128-10 loop: growth after warm-up (torch: RSS; SharpGrad: managed heap)",
         mem(tm, "rss_growth_bytes", fmt_bytes), mem(sm, "heap_growth_bytes", fmt_bytes), "–",
         f"< {fmt_bytes(HEAP_GROWTH_TARGET)}", verdict(sm["heap_growth_bytes"] < HEAP_GROWTH_TARGET if sm else None)),
        ("same loop: peak working set of the whole process",
         mem(tm, "peak_rss_bytes", fmt_bytes), mem(sm, "peak_working_set_bytes", fmt_bytes),
         ratio("peak_rss_bytes", "peak_working_set_bytes"), "≤ torch's",
         verdict(sm["peak_working_set_bytes"] <= tm["peak_rss_bytes"] if sm and tm else None)),
        ("same loop: mean time per step",
         mem(tm, "step_mean_ns", fmt_time), mem(sm, "step_mean_ns", fmt_time),
         ratio("step_mean_ns", "step_mean_ns"), "–", "–"),
    ]
    for label, t_text, s_text, ratio_text, target_text, met in memory_rows:
        lines.append(f"| {label} | {t_text or 'not run'} | {s_text or PENDING} | {ratio_text} | {target_text} | {met} |")
    print("\n".join(lines))

    env = (torch_docs[0] or {}).get("environment", {})
    if env:
        print()
        print(f"torch {env.get('torch')}, ATen CPU capability {env.get('cpu_capability')}, "
              f"sgemm 1024 check {env.get('sgemm1024_check_gflops', 0):.1f} GFLOP/s, "
              f"BLAS {', '.join(os.path.basename(p) for p in env.get('blas_libraries', []))}")
    sg = sg_docs[0] or sg_docs[1]
    if sg:
        print(f"SharpGrad on {sg.get('runtime')}, groups not built: {', '.join(sg.get('groups_not_built', [])) or 'none'}")


if __name__ == "__main__":
    main()
