#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""discgeom's native U-Net in its 2D form (unet3d_config.dimensions = 2), built independently
with plain PyTorch 2D layers, with fixed seeds: its weights, an input of two slices and its
logits, for tests/nn/unet_segmenter.cpp (which never runs Python).

    /usr/bin/python3 tests/golden/make_unet2d_golden.py tests/data

The architecture (widths 4-8, one input channel, one output channel): per level two blocks of
Conv2d(3, padding 1) + InstanceNorm2d(affine) + LeakyReLU(0.01); down by MaxPool2d(2), up by
ConvTranspose2d(2, stride 2) and concatenation [skip, up]; a Conv2d(1) head. The input is padded
with zeros at the far end of H and W to a multiple of 2 and the logits cropped back.

Files (float32, 3D arrays):
  unet2d_weights.npy  every parameter flattened in the modules' registration order (encoder0,
                      encoder1, up0, decoder0, head; in each: weight, then bias), as (n, 1, 1)
  unet2d_input.npy    two slices, (2, 12, 9): slice s is the network's input (s, 0, :, :)
  unet2d_logits.npy   the logits, (2, 12, 9)
"""
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def block(inputs, outputs):
    return nn.Sequential(nn.Conv2d(inputs, outputs, 3, padding=1),
                         nn.InstanceNorm2d(outputs, affine=True), nn.LeakyReLU(0.01),
                         nn.Conv2d(outputs, outputs, 3, padding=1),
                         nn.InstanceNorm2d(outputs, affine=True), nn.LeakyReLU(0.01))


class UNet2d(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder0 = block(1, 4)
        self.encoder1 = block(4, 8)
        self.up0 = nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.decoder0 = block(8, 4)
        self.head = nn.Conv2d(4, 1, 1)

    def forward(self, x):
        h, w = x.shape[2], x.shape[3]
        x = F.pad(x, (0, (-w) % 2, 0, (-h) % 2))
        skip = self.encoder0(x)
        x = self.encoder1(F.max_pool2d(skip, 2))
        x = self.decoder0(torch.cat([skip, self.up0(x)], 1))
        return self.head(x)[:, :, :h, :w]


def main():
    folder = sys.argv[1]
    torch.manual_seed(21)
    net = UNet2d().eval()
    with torch.no_grad():  # non-trivial norm affine parameters
        for module in net.modules():
            if isinstance(module, nn.InstanceNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.uniform_(-0.2, 0.2)
    flat = torch.cat([p.detach().flatten() for p in net.parameters()]).numpy().astype(np.float32)
    x = torch.randn(2, 1, 12, 9)
    with torch.no_grad():
        logits = net(x)
    np.save(f"{folder}/unet2d_weights.npy", flat.reshape(-1, 1, 1))
    np.save(f"{folder}/unet2d_input.npy", x[:, 0].numpy().astype(np.float32))
    np.save(f"{folder}/unet2d_logits.npy", logits[:, 0].numpy().astype(np.float32))
    print("parameters:", flat.size)


if __name__ == "__main__":
    main()
