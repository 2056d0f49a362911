#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""The peer of benchmarks/autoencoder.cpp: the same autoencoder (the module of
tests/golden/make_torchscript_golden.py, built at the paper's size) in Python PyTorch, same
threads: encode and decode throughput (batches of 16, eval mode, no_grad) and one training step
(batch 4: forward, BCE-with-logits, backward, Adam).

    /usr/bin/python3 benchmarks/peers/autoencoder.py THREADS [REPEATS] [SIZE]
"""
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tests", "golden"))
from make_torchscript_golden import Autoencoder  # noqa: E402


def median_seconds(repeats, f):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    size = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = Autoencoder(size, (32, 64, 128, 256, 512), 4)
    masks = (torch.rand(16, 1, size, size, size) > 0.7).float()
    codes = torch.randn(16, 4)
    model.eval()
    with torch.no_grad():
        model.encode(masks)
        encode = median_seconds(repeats, lambda: model.encode(masks))
        model.decode(codes)
        decode = median_seconds(repeats, lambda: model.decode(codes))
    model.train()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch = masks[:4]

    def step():
        optimiser.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(model(batch), batch)
        loss.backward()
        optimiser.step()

    step()
    train = median_seconds(repeats, step)
    print(f"Python PyTorch {size}^3 threads {threads}: encode {16 / encode:.1f} discs/s, "
          f"decode {16 / decode:.1f} discs/s, training step (batch 4) {train:.3f} s -> "
          f"epoch of 50 discs {13 * train:.1f} s")


if __name__ == "__main__":
    main()
