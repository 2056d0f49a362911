#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A small 3D convolutional segmentation network built in Python PyTorch, traced, wrapped with
the discgeom metadata attributes and scripted (the way a MONAI SwinUNETR is exported, see
docs/segmentation.md), with an input volume and its outputs, for tests/nn/segmenter_torchscript.cpp
and tests/cli/segment.cpp (which never run Python).

    /usr/bin/python3 tests/golden/make_segmenter_golden.py tests/data

Files (3D float32 arrays, element [i][j][k] = voxel (i, j, k)):
  segmenter_tiny.pt           the model: 1 input channel, 3 classes, spacing 1 x 1 x 2 mm,
                              normalisation "percentile"
  segmenter_input.npy         a 12 x 10 x 8 input volume (raw intensities)
  segmenter_logits.npy        model(input) in eval mode, the 3 channels stacked along axis 0
                              (36 x 10 x 8)
  segmenter_labels.npy        argmax over the channels of model(percentile-normalised input):
                              clip to the 0.5th and 99.5th percentiles (numpy, linear), scale to
                              [0, 1]
  segmenter_two_channels.pt   the same layout with 2 input channels (discgeom_in_channels = 2)
  segmenter_no_metadata.pt    the traced network alone: no discgeom_ attributes
"""
import sys
from typing import List

import numpy as np
import torch
from torch import nn


def network(in_channels):
    net = nn.Sequential(nn.Conv3d(in_channels, 4, 3, padding=1), nn.ReLU(), nn.Conv3d(4, 3, 1))
    with torch.no_grad():  # larger weights than the default initialisation: varied labels
        net[0].weight.mul_(8.0)
        net[2].weight.mul_(4.0)
    return net


class WithMetadata(nn.Module):
    """A traced network with the attributes discgeom reads."""
    discgeom_spacing: List[float]
    discgeom_in_channels: int
    discgeom_normalisation: str

    def __init__(self, traced, spacing, in_channels, normalisation):
        super().__init__()
        self.net = traced
        self.discgeom_spacing = spacing
        self.discgeom_in_channels = in_channels
        self.discgeom_normalisation = normalisation

    def forward(self, x):
        return self.net(x)


def main():
    folder = sys.argv[1]
    torch.manual_seed(8)
    rng = np.random.default_rng(5)
    model = network(1).eval()
    volume = rng.normal(1.0, 0.3, size=(12, 10, 8)).astype(np.float32)
    volume[3:9, 2:8, 2:6] += 0.8  # a bright block
    example = torch.from_numpy(volume)[None, None]
    traced = torch.jit.trace(model, example)
    scripted = torch.jit.script(WithMetadata(traced, [1.0, 1.0, 2.0], 1, "percentile"))
    scripted.save(f"{folder}/segmenter_tiny.pt")

    low, high = np.percentile(volume.astype(np.float64), [0.5, 99.5])
    normalised = ((np.clip(volume.astype(np.float64), low, high) - low) / (high - low))
    with torch.no_grad():
        logits = scripted(example)[0].numpy()
        normalised_logits = scripted(torch.from_numpy(normalised.astype(np.float32))[None, None])
    labels = normalised_logits[0].argmax(0).numpy().astype(np.float32)
    np.save(f"{folder}/segmenter_input.npy", volume)
    np.save(f"{folder}/segmenter_logits.npy", logits.reshape(36, 10, 8).astype(np.float32))
    np.save(f"{folder}/segmenter_labels.npy", labels)

    two = torch.jit.trace(network(2).eval(), torch.zeros(1, 2, 8, 8, 8))
    torch.jit.script(WithMetadata(two, [1.0, 1.0, 2.0], 2, "percentile")).save(
        f"{folder}/segmenter_two_channels.pt")
    traced.save(f"{folder}/segmenter_no_metadata.pt")


if __name__ == "__main__":
    main()
