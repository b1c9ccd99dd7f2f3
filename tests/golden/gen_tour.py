"""The deterministic cells of the Tour (samples/Tour), run in PyTorch 1.13: their exact stdout.

Cell ids match samples/Tour/Seed*.cs. Cells run in order in one namespace per seed, as in the
notebooks; cells whose output depends on random numbers are run (for state) but not recorded.
"""
import contextlib
import io
import math

import torch
import numpy as np  # noqa: F401  (seed 003 imports it)

SEEDS = {
    "000": [
        ("000-1", True, "x = torch.ones(2, 2, requires_grad=True)\nprint(x)"),
        ("000-2", True, "y = x + 2\nprint(y)"),
        ("000-3", True, "print(y.grad_fn)"),
        ("000-4", True, "z = y * y * 3\nout = z.mean()\nprint(z, out)"),
        ("000-5", True, "a = torch.randn(2, 2)\na = ((a * 3) / (a - 1))\nprint(a.requires_grad)\na.requires_grad_(True)\nprint(a.requires_grad)\nb = (a * a).sum()\nprint(b.grad_fn)"),
        ("000-6", True, "out.backward()\nprint(x.grad)"),
        ("000-7", False, "x = torch.randn(3, requires_grad=True)\ny = x * 2\nwhile y.data.norm() < 1000:\n    y = y * 2\nprint(y)"),
        ("000-8", False, "v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)\ny.backward(v)\nprint(x.grad)"),
        ("000-9", True, "print(x.requires_grad)\nprint((x ** 2).requires_grad)\nwith torch.no_grad():\n\tprint((x ** 2).requires_grad)"),
    ],
    "002": [
        ("002-1", True, "x = torch.ones(5)\ny = torch.zeros(3)\nw = torch.randn(5, 3, requires_grad=True)\nb = torch.randn(3, requires_grad=True)\nz = torch.matmul(x, w)+b\nloss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)"),
        ("002-2", True, 'print(f"Gradient function for z = {z.grad_fn}")\nprint(f"Gradient function for loss = {loss.grad_fn}")'),
        ("002-3", False, "loss.backward()\nprint(w.grad)\nprint(b.grad)"),
        ("002-4", True, "z = torch.matmul(x, w)+b\nprint(z.requires_grad)\nwith torch.no_grad():\n    z = torch.matmul(x, w)+b\nprint(z.requires_grad)"),
        ("002-5", True, "z = torch.matmul(x, w)+b\nz_det = z.detach()\nprint(z_det.requires_grad)"),
        ("002-6", True, 'inp = torch.eye(4, 5, requires_grad=True)\nout = (inp+1).pow(2).t()\nout.backward(torch.ones_like(out), retain_graph=True)\nprint(f"First call\\n{inp.grad}")\nout.backward(torch.ones_like(out), retain_graph=True)\nprint(f"\\nSecond call\\n{inp.grad}")\ninp.grad.zero_()\nout.backward(torch.ones_like(out), retain_graph=True)\nprint(f"\\nCall after zeroing gradients\\n{inp.grad}")'),
    ],
    "003": [
        ("003-1", True, "x = torch.linspace(0., 6., steps=10, requires_grad=True)\ny = x + 2\nx = torch.randn(4, requires_grad=True)\ny = x+2"),
        ("003-2", False, "print('x:',x)"),
        ("003-3", True, "print(x.grad_fn)"),
        ("003-4", False, "print('y:',y)"),
        ("003-5", True, "print(y.grad_fn)"),
        ("003-6", False, "z = y * y * 3\nprint('z:',z)\nprint(z.grad_fn)"),
        ("003-7", False, "t = z.sum()\nprint('t:',t)\nprint(t.grad_fn)"),
        ("003-8", True, "t.backward()"),
        ("003-9", False, "print('x.grad:\\n',x.grad)"),
        ("003-10", True, "print(' t:')\nprint(t.grad_fn)\nprint(t.grad_fn.next_functions)\nprint(t.grad_fn.next_functions[0][0].next_functions)\nprint(t.grad_fn.next_functions[0][0].next_functions[0][0].next_functions)\nprint(t.grad_fn.next_functions[0][0].next_functions[0][0].next_functions[0][0].next_functions)\nprint('\\n z:')\nprint(z.grad_fn)\nprint('\\n y:')\nprint(y.grad_fn)\nprint('\\n x:')\nprint(x.grad_fn)"),
        ("003-11", True, "xs = torch.linspace(-2, 2, steps=25, requires_grad=True)\nprint(xs)\nsquare = xs.pow(2)\nsine = xs.sin()\nproduct = square * sine\ndoubled = 2 * product\nf = doubled.exp()\nf.backward(torch.ones_like(f))\nprint('x.grad:\\n', xs.grad)"),
        ("003-12", True, "a = torch.ones(2, 3, requires_grad=True)\nprint(a)\nb1 = 2 * a\nprint(b1)\na.requires_grad = False\nb2 = 2 * a\nprint(b2)"),
        ("003-13", True, "a = torch.ones(2, 3, requires_grad=True) * 2\nb = torch.ones(2, 3, requires_grad=True) * 3\nc1 = a + b\nprint('c1:\\n', c1)\nwith torch.no_grad():\n    c2 = a + b\n    print('c2:\\n', c2)\nc3 = a * b\nprint('c3:\\n', c3)"),
        ("003-14", True, "def add_tensors1(x, y):\n    return x + y\n\n@torch.no_grad()\ndef add_tensors2(x, y):\n    return x + y\n\na = torch.ones(2, 3, requires_grad=True) * 2\nb = torch.ones(2, 3, requires_grad=True) * 3\nc1 = add_tensors1(a, b)\nprint('c1:\\n', c1)\nc2 = add_tensors2(a, b)\nprint('c2:\\n', c2)"),
        ("003-15", False, "x = torch.rand(5, requires_grad=True)\ny = x.detach()\nprint(x)\nprint(y)"),
        ("003-16", True, "a = torch.linspace(0., 2. * math.pi, steps=25, requires_grad=True)\ntry:\n    torch.sin_(a)\nexcept RuntimeError as e:\n    print('RuntimeError:', e)"),
        ("003-16b", False, "x = torch.randn(2, 3, requires_grad=True)\ny = torch.rand(2, 3, requires_grad=True)\nz = torch.ones(2, 3, requires_grad=True)\nwith torch.autograd.profiler.profile() as prf:\n    for _ in range(1000):\n        z = (z / x) * y\nprint(prf.key_averages().table(sort_by='self_cpu_time_total'))"),
        ("003-17", False, "x = torch.randn(3, requires_grad=True)\ny = x * 2\nwhile y.data.norm() < 1000:\n    y = y * 2\nprint(y)\nv = torch.tensor([1.0, 1.0, 0.0001], dtype=torch.float)\ny.backward(v)\nprint(x.grad)"),
        ("003-18", True, "dx = 0.1\nx = torch.arange(1, 1.8, dx, requires_grad=True)\nf = x**2 + torch.sqrt(x)\nf.backward(torch.ones(f.shape))\nprint(x.grad)"),
    ],
    "004": [
        ("004-1", True, "from torch.autograd import Variable\nx = Variable(torch.arange(4, dtype=torch.float32).reshape((4, 1)), requires_grad=True)\nprint(x)"),
        ("004-2", True, "with torch.enable_grad():\n    y = 2 * torch.matmul(x.T, x)\nprint(y)"),
        ("004-3", True, "y.backward()"),
        ("004-4", True, "print((x.grad - 4 * x).norm().item() == 0)\nprint(x.grad)"),
        ("004-5", True, "def f(a):\n    b = a * 2\n    while b.norm().item() < 1000:\n        b = b * 2\n    if b.sum().item() > 0:\n        c = b\n    else:\n        c = 100 * b\n    return c\na = torch.randn((1,))\na.requires_grad=True\nwith torch.enable_grad():\n  d = f(a)\nd.backward()"),
        ("004-6", False, "print(a.grad == (d / a))"),
    ],
}


def generate():
    result = {}
    for seed, cells in SEEDS.items():
        namespace = {"torch": torch, "math": math}
        for cell_id, deterministic, code in cells:
            buffer = io.StringIO()
            with contextlib.redirect_stdout(buffer):
                exec(code, namespace)
            if deterministic:
                result[cell_id] = buffer.getvalue()
    return result
