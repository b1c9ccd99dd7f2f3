#!/usr/bin/env python3
"""PyTorch side of bench/compare.sh: the same workloads as bench/SharpGrad.Benchmarks, timed the same way.

Each workload is timed with torch.utils.benchmark.Timer: the statement is calibrated so that one
repeat takes about 150 ms (at least one call), run 3 times as warm-up, then 7 times; the result is
the median time per call over those 7 repeats (BenchmarkDotNet's short job does the same on the
C# side). Results are printed (or written with --out) as JSON keyed by the names the C# benchmarks
use as their Description.

Run it through bench/compare.sh, which sets the environment the comparison needs: OpenBLAS
(pthread) as BLAS, OPENBLAS_CORETYPE unset, ATEN_CPU_CAPABILITY, and OMP_NUM_THREADS /
OPENBLAS_NUM_THREADS equal to --threads (thread pools are sized when the libraries load, so one
process per thread count).

    python3 bench/torch_workloads.py --threads 1 --groups elementwise,overhead,chain,sgemm,mlp
    python3 bench/torch_workloads.py --threads 1 --groups memory
"""
import argparse
import gc
import json
import math
import os
import platform
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch.utils.benchmark import Timer

REPEAT_SECONDS = 0.15
WARMUP_REPEATS = 3
REPEATS = 7
SGEMM_SIZES = (64, 256, 512, 1024, 2048)
LEARNING_RATE = 0.01


def measure(stmt, env, threads):
    """Median seconds per call of `stmt` over REPEATS repeats (after calibration and warm-up)."""
    timer = Timer(stmt=stmt, globals=env, num_threads=threads)
    once = min(timer.timeit(1).mean for _ in range(3))
    number = max(1, int(REPEAT_SECONDS / max(once, 1e-9)))
    for _ in range(WARMUP_REPEATS):
        timer.timeit(number)
    times = [timer.timeit(number).mean for _ in range(REPEATS)]
    return {
        "median_ns": statistics.median(times) * 1e9,
        "min_ns": min(times) * 1e9,
        "max_ns": max(times) * 1e9,
        "n": len(times),
        "calls_per_repeat": number,
    }


# ---- elementwise: out-of-place, as SharpGrad has no out= API --------------------------------
def elementwise(threads):
    torch.manual_seed(0)
    env = {
        "a": torch.randn(1_000_000),
        "b": torch.randn(1_000_000),
        "big1": torch.randn(10_000_000),
        "big2": torch.randn(10_000_000),
    }
    return {
        "add_1e6": measure("a + b", env, threads),
        "mul_1e6": measure("a * b", env, threads),
        "add_1e7": measure("big1 + big2", env, threads),
        "exp_1e6": measure("a.exp()", env, threads),
        "sigmoid_1e6": measure("a.sigmoid()", env, threads),
        "tanh_1e6": measure("a.tanh()", env, threads),
    }


# ---- per-op overhead: one add of 1-element tensors ---------------------------------------------
def overhead(threads):
    env = {"a": torch.ones(1), "b": torch.ones(1), "leaf": torch.ones(1, requires_grad=True)}
    return {
        "overhead_add_nograd": measure("a + b", env, threads),
        "overhead_add_graph": measure("leaf + b", env, threads),
    }


# ---- chain of 1000 scalar ops, forward + backward, per op --------------------------------------
CHAIN_LENGTH = 1000


def chain_step(x):
    y = x
    for i in range(CHAIN_LENGTH):
        r = i % 3
        if r == 0:
            y = y + 0.5
        elif r == 1:
            y = y * 0.9
        else:
            y = y.sin()
    y.backward()
    x.grad = None


def chain(threads):
    env = {"step": chain_step, "x": torch.tensor(0.5, requires_grad=True)}
    r = measure("step(x)", env, threads)
    for k in ("median_ns", "min_ns", "max_ns"):
        r[k] /= CHAIN_LENGTH
    return {"chain_1000": r}


# ---- sgemm: n x n float32 matmul ----------------------------------------------------------------
def sgemm(threads):
    out = {}
    for n in SGEMM_SIZES:
        torch.manual_seed(0)
        env = {"a": torch.randn(n, n), "b": torch.randn(n, n)}
        r = measure("torch.matmul(a, b)", env, threads)
        r["gflops"] = 2 * n ** 3 / (r["median_ns"] * 1e-9) / 1e9
        out[f"sgemm_n{n}_threads{threads}"] = r
    return out


# ---- MLP training step, written as bench/SharpGrad.Benchmarks/Mlp.cs ----------------------------
class MLP:
    def __init__(self, *widths):
        self.weights, self.biases = [], []
        for i in range(len(widths) - 1):
            w = (torch.randn(widths[i], widths[i + 1]) * (1.0 / math.sqrt(widths[i]))).requires_grad_()
            b = torch.zeros(widths[i + 1], requires_grad=True)
            self.weights.append(w)
            self.biases.append(b)
        self.parameters = [p for pair in zip(self.weights, self.biases) for p in pair]

    def forward(self, x):
        h = x
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            h = h.matmul(w) + b
            if i < len(self.weights) - 1:
                h = h.relu()
        return h

    def step(self, x, targets, lr):
        loss = F.cross_entropy(self.forward(x), targets)
        loss.backward()
        with torch.no_grad():
            for p in self.parameters:
                p -= lr * p.grad
                p.grad = None
        return loss


def mlp(threads):
    torch.manual_seed(0)
    small = MLP(784, 128, 10)
    x_small, y_small = torch.randn(64, 784), torch.randint(0, 10, (64,))
    large = MLP(784, 1024, 1024, 10)
    x_large, y_large = torch.randn(256, 784), torch.randint(0, 10, (256,))
    env = {"small": small, "xs": x_small, "ys": y_small, "large": large, "xl": x_large, "yl": y_large,
           "lr": LEARNING_RATE}
    return {
        "mlp_small_step": measure("small.step(xs, ys, lr)", env, threads),
        "mlp_large_step": measure("large.step(xl, yl, lr)", env, threads),
    }


def mlpthreads(threads):
    """The large MLP step alone, keyed by the thread count (run once per thread count)."""
    torch.manual_seed(0)
    large = MLP(784, 1024, 1024, 10)
    x_large, y_large = torch.randn(256, 784), torch.randint(0, 10, (256,))
    env = {"large": large, "xl": x_large, "yl": y_large, "lr": LEARNING_RATE}
    return {f"mlp_large_step_threads{threads}": measure("large.step(xl, yl, lr)", env, threads)}


# ---- memory soak: 10,000 steps of the small MLP ------------------------------------------------
def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory(threads, steps, warmup):
    torch.manual_seed(0)
    net = MLP(784, 128, 10)
    x, y = torch.randn(64, 784), torch.randint(0, 10, (64,))
    for _ in range(warmup):
        net.step(x, y, LEARNING_RATE)
    gc.collect()
    before = rss_bytes()
    start = time.perf_counter()
    loss = None
    for _ in range(steps):
        loss = net.step(x, y, LEARNING_RATE)
    elapsed = time.perf_counter() - start
    gc.collect()
    after = rss_bytes()
    return {"memory": {
        "steps": steps,
        "warmup_steps": warmup,
        "final_loss": loss.item(),
        "step_mean_ns": elapsed / steps * 1e9,
        "rss_before_bytes": before,
        "rss_after_bytes": after,
        "rss_growth_bytes": after - before,
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }}


GROUPS = {"elementwise": elementwise, "overhead": overhead, "chain": chain, "sgemm": sgemm, "mlp": mlp,
          "mlpthreads": mlpthreads}


def cpu_capability():
    """ATen's CPU capability in use (1.13 has no torch.backends.cpu.get_cpu_capability)."""
    get = getattr(getattr(torch.backends, "cpu", None), "get_cpu_capability", None)
    if get is not None:
        return get()
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def blas_info():
    """Which BLAS the process mapped (from /proc/self/maps) and the sgemm speed check."""
    libs = set()
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            if any(k in path for k in ("blas", "lapack", "mkl")):
                libs.add(path)
    return sorted(libs)


def environment(threads):
    return {
        "torch": torch.__version__,
        "python": platform.python_version(),
        "threads": torch.get_num_threads(),
        "requested_threads": threads,
        "cpu_capability": cpu_capability(),
        "blas_libraries": blas_info(),
        "env": {k: os.environ.get(k) for k in (
            "ATEN_CPU_CAPABILITY", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OMP_WAIT_POLICY",
            "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "LD_LIBRARY_PATH")},
    }


def check_openblas(threads):
    """A 1024 sgemm on the reference BLAS runs at a few GFLOP/s; OpenBLAS on AVX2 far above."""
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    r = measure("torch.matmul(a, b)", {"a": a, "b": b}, threads)
    return 2 * 1024 ** 3 / (r["median_ns"] * 1e-9) / 1e9


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--groups", default="elementwise,overhead,chain,sgemm,mlp",
                   help="comma-separated: elementwise, overhead, chain, sgemm, mlp, mlpthreads, memory")
    p.add_argument("--steps", type=int, default=10_000, help="memory soak steps")
    p.add_argument("--warmup", type=int, default=500, help="memory soak warm-up steps")
    p.add_argument("--min-sgemm-gflops", type=float, default=7.0,
                   help="fail when a 1024 sgemm is slower than this (not OpenBLAS)")
    p.add_argument("--out", help="write the JSON here instead of stdout")
    args = p.parse_args()

    torch.set_num_threads(args.threads)
    result = {"environment": environment(args.threads), "results": {}}
    groups = [g.strip() for g in args.groups.split(",") if g.strip()]
    for g in groups:
        if g != "memory" and g not in GROUPS:
            p.error(f"unknown group {g}")
    if any(g != "memory" for g in groups):
        gflops = check_openblas(args.threads)
        result["environment"]["sgemm1024_check_gflops"] = gflops
        result["environment"]["blas_libraries"] = blas_info()
        if gflops < args.min_sgemm_gflops:
            sys.exit(f"torch sgemm 1024 runs at {gflops:.1f} GFLOP/s: not OpenBLAS? "
                     f"(BLAS libraries mapped: {blas_info()})")
    for g in groups:
        print(f"torch: {g} ({args.threads} thread(s))", file=sys.stderr, flush=True)
        if g == "memory":
            result["results"].update(memory(args.threads, args.steps, args.warmup))
        else:
            result["results"].update(GROUPS[g](args.threads))
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
