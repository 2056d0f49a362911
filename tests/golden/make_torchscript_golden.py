#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A tiny autoencoder of the paper's architecture built and trained a few steps in Python
PyTorch, saved as TorchScript with an input and its reconstruction, for tests/nn/torchscript.cpp
(which never runs Python).

    /usr/bin/python3 tests/golden/make_torchscript_golden.py tests/data

The module layout (encoder / to_latent / from_latent / decoder, with Sequential stages of
Conv3d + BatchNorm3d + ReLU) and the forward pass are those of discgeom::autoencoder3d, written
here independently in PyTorch: input 16^3, channels 4-8, bottleneck 3.
Files: torchscript_tiny.pt, and in eval mode, as 3D float32 arrays (discgeom reads 3D .npy):
torchscript_input.npy (the 2 masks of 16^3 stacked along axis 0: 32 x 16 x 16),
torchscript_codes.npy (1 x 2 x 3) and torchscript_logits.npy (32 x 16 x 16).
"""
import sys

import numpy as np
import torch
from torch import nn


class Autoencoder(nn.Module):
    def __init__(self, input_size=16, channels=(4, 8), bottleneck=3):
        super().__init__()
        encoder, decoder = [], []
        previous = 1
        for width in channels:
            encoder += [nn.Conv3d(previous, width, 3, stride=2, padding=1), nn.BatchNorm3d(width),
                        nn.ReLU()]
            previous = width
        self.size = input_size >> len(channels)
        self.last = channels[-1]
        flat = channels[-1] * self.size ** 3
        self.encoder = nn.Sequential(*encoder)
        self.to_latent = nn.Linear(flat, bottleneck)
        self.from_latent = nn.Linear(bottleneck, flat)
        for i in reversed(range(len(channels))):
            out = 1 if i == 0 else channels[i - 1]
            decoder.append(nn.ConvTranspose3d(channels[i], out, 3, stride=2, padding=1,
                                              output_padding=1))
            if i != 0:
                decoder += [nn.BatchNorm3d(out), nn.ReLU()]
        self.decoder = nn.Sequential(*decoder)

    @torch.jit.export
    def encode(self, masks):
        return self.to_latent(self.encoder(masks).flatten(1))

    @torch.jit.export
    def decode(self, codes):
        features = torch.relu(self.from_latent(codes))
        return self.decoder(features.view(codes.shape[0], self.last, self.size, self.size,
                                          self.size))

    def forward(self, masks):
        return self.decode(self.encode(masks))


def main():
    folder = sys.argv[1]
    torch.manual_seed(3)
    model = Autoencoder()
    grid = torch.stack(torch.meshgrid(*[torch.arange(16.0)] * 3, indexing="ij"))
    masks = []
    for a, b in ((5.0, 6.0), (6.5, 4.5)):
        r = ((grid[0] - 7.5) / a) ** 2 + ((grid[1] - 7.5) / b) ** 2 + ((grid[2] - 7.5) / 3) ** 2
        masks.append((r <= 1).float()[None])
    masks = torch.stack(masks)
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(5):  # a few steps, so that BatchNorm's running statistics are not the defaults
        optimiser.zero_grad()
        loss = nn.functional.binary_cross_entropy_with_logits(model(masks), masks)
        loss.backward()
        optimiser.step()
    model.eval()
    with torch.no_grad():
        codes = model.encode(masks)
        logits = model(masks)
    torch.jit.script(model).save(f"{folder}/torchscript_tiny.pt")
    np.save(f"{folder}/torchscript_input.npy", masks.numpy().reshape(32, 16, 16))
    np.save(f"{folder}/torchscript_codes.npy", codes.numpy().reshape(1, 2, 3))
    np.save(f"{folder}/torchscript_logits.npy", logits.numpy().reshape(32, 16, 16))


if __name__ == "__main__":
    main()
