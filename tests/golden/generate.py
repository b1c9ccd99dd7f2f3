#!/usr/bin/env python3
"""Regenerates every golden fixture from real PyTorch (Debian python3-torch, 1.13).

Run with /usr/bin/python3 tests/golden/generate.py. Each gen_<area>.py module in this folder has a
function generate() returning a JSON-serialisable object, written to <area>.json beside it. The
fixtures are committed; CI never needs PyTorch.
"""
import importlib.util
import json
import pathlib
import sys

import torch

HERE = pathlib.Path(__file__).resolve().parent


def main():
    assert torch.__version__.startswith("1.13"), f"fixtures come from PyTorch 1.13, not {torch.__version__}"
    only = set(sys.argv[1:])
    for path in sorted(HERE.glob("gen_*.py")):
        area = path.stem[len("gen_"):]
        if only and area not in only:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        torch.manual_seed(0)
        data = module.generate()
        out = HERE / f"{area}.json"
        out.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
        print(f"wrote {out.name}")


if __name__ == "__main__":
    main()
