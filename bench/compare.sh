#!/usr/bin/env bash
# Runs the same workloads in PyTorch 1.13 (Debian's python3-torch on OpenBLAS) and in SharpGrad
# (BenchmarkDotNet), then prints one table: workload | torch | SharpGrad | ratio | target.
# Every number is a median; ratio > 1 means SharpGrad is faster. See docs/performance.md.
#
#   bash bench/compare.sh            # everything, about 5 to 10 minutes on 2 cores
#
# Environment knobs: COMPARE_OUT (results folder, default bench/out), COMPARE_NICE (niceness of
# the measured processes when run as root, default -10; 0 turns it off), SOAK_STEPS (default 10000).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=$(mkdir -p "${COMPARE_OUT:-bench/out}" && cd "${COMPARE_OUT:-bench/out}" && pwd)
SOAK_STEPS=${SOAK_STEPS:-10000}
PY=/usr/bin/python3   # Debian's python, where python3-torch installs

log() { printf '\n== %s\n' "$*" >&2; }

# ---- 1. what PyTorch needs -------------------------------------------------------------------
missing=()
for pkg in python3-torch libopenblas0-pthread; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=()
  elif command -v sudo >/dev/null 2>&1; then SUDO=(sudo)
  else echo "error: need root or sudo to install ${missing[*]}" >&2; exit 1; fi
  "${SUDO[@]}" apt-get update
  DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y "${missing[@]}"
fi
command -v dotnet >/dev/null 2>&1 || { echo "error: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }

# Measured processes get a higher priority when we may give it: the machine is shared and noisy.
NICE=()
if [ "$(id -u)" -eq 0 ] && [ "${COMPARE_NICE:--10}" != 0 ]; then NICE=(nice -n "${COMPARE_NICE:--10}"); fi

# ---- 2. PyTorch -------------------------------------------------------------------------------
# ATEN_CPU_CAPABILITY=avx512 on a CPU without AVX-512 does not fall back: ATen 1.13 trusts the
# variable and dies with SIGILL in the first vectorised kernel. So ask for the best level the CPU has.
if grep -qw avx512f /proc/cpuinfo; then CAP=avx512
elif grep -qw avx2 /proc/cpuinfo; then CAP=avx2
else CAP=default; fi
BLASDIR=/usr/lib/x86_64-linux-gnu/openblas-pthread
torch_run() {   # torch_run THREADS OUTFILE ARGS...
  local threads=$1 out=$2; shift 2
  local extra=()
  [ "$threads" -gt 1 ] && extra=(OMP_WAIT_POLICY=PASSIVE)
  "${NICE[@]}" env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE \
    LD_LIBRARY_PATH="$BLASDIR" ATEN_CPU_CAPABILITY="$CAP" \
    OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "${extra[@]}" \
    "$PY" "$ROOT/bench/torch_workloads.py" --threads "$threads" --out "$OUT/$out" "$@"
}
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
log "PyTorch, 1 thread (ATEN_CPU_CAPABILITY=$CAP)"
torch_run 1 torch_t1.json --groups elementwise,overhead,chain,sgemm,mlp,mlpthreads
log "PyTorch, 2 threads: sgemm, large MLP"
torch_run 2 torch_t2.json --groups sgemm,mlpthreads
log "PyTorch, memory soak ($SOAK_STEPS steps)"
torch_run 1 torch_memory.json --groups memory --steps "$SOAK_STEPS"

# ---- 3. SharpGrad -----------------------------------------------------------------------------
log "building bench/SharpGrad.Benchmarks (Release)"
dotnet build "$ROOT/bench/SharpGrad.Benchmarks" -c Release -nologo -v quiet >&2
DLL="$ROOT/bench/SharpGrad.Benchmarks/bin/Release/net10.0/SharpGrad.Benchmarks.dll"
sg_run() {   # sg_run [VAR=VALUE...] -- ARGS...; a failed benchmark still leaves its summary
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done; shift
  (cd "$OUT" && "${NICE[@]}" env "${envs[@]}" dotnet "$DLL" "$@" >&2) || echo "(exit $?)" >&2
}
# Single-threaded like the torch side: DOTNET_PROCESSOR_COUNT=1 caps the runtime's view of the CPU.
log "SharpGrad, 1 thread"
sg_run DOTNET_PROCESSOR_COUNT=1 -- --groups elementwise,overhead,chain,mlp --summary "$OUT/sharpgrad_t1.json"
log "SharpGrad, sgemm and large MLP (the benchmarks set 1 and 2 threads themselves)"
sg_run -- --groups sgemm,mlpthreads --summary "$OUT/sharpgrad_sgemm.json"
log "SharpGrad, memory soak ($SOAK_STEPS steps)"
sg_run DOTNET_PROCESSOR_COUNT=1 -- --memory --steps "$SOAK_STEPS" --summary "$OUT/sharpgrad_memory.json"
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- 4. the table -----------------------------------------------------------------------------
{
  echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores;" \
       "AVX-512: $(grep -qw avx512f /proc/cpuinfo && echo yes || echo no);" \
       "load average $LOAD_START at start, $LOAD_END at end"
  echo
  "$PY" "$ROOT/bench/make_table.py" "$OUT"
} | tee "$OUT/table.md"
