#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A small 2D convolutional segmentation network built in Python PyTorch, traced, wrapped with
the discgeom metadata attributes (a 2D model: two in-plane spacings and the plane of its slices)
and scripted, run slice by slice on an anisotropic volume, for tests/nn/segmenter.cpp (which
never runs Python). Hess et al. segmented slice by slice with 2D networks; discgeom's `segment`
applies such a model to every slice along the array axis its plane names.

    /usr/bin/python3 tests/golden/make_segmenter2d_golden.py tests/data

The volume has identity direction cosines ("LPS") and spacing 4 x 0.5 x 0.5 mm, so the sagittal
slices (normal left-right) are those of array axis 0; each slice is the (axis 1, axis 2) plane,
given to the network as (N, C, H, W) = (1, 1, 12, 10).

Files (float32 arrays, element [i][j][k] = voxel (i, j, k)):
  segmenter2d_tiny.pt        the model: 1 input channel, 3 classes, discgeom_spacing [0.5, 0.5]
                             (H, W), discgeom_slice_plane "sagittal", normalisation "percentile"
  segmenter2d_no_plane.pt    the same network without discgeom_slice_plane
  segmenter2d_input.npy      the 6 x 12 x 10 input volume (raw intensities)
  segmenter2d_logits.npy     the network on each raw slice i, stacked: (3 x 6) x 12 x 10, element
                             [c * 6 + i][j][k] = channel c of slice i at (j, k)
  segmenter2d_labels.npy     argmax over the channels of the network on each slice of the
                             percentile-normalised volume (clip to the 0.5th and 99.5th
                             percentiles of the whole volume, numpy linear, scaled to [0, 1])
"""
import sys
from typing import List

import numpy as np
import torch
from torch import nn


def network():
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1),
                        nn.ReLU(), nn.Conv2d(4, 3, 1))
    with torch.no_grad():  # larger weights than the default initialisation: varied labels
        net[0].weight.mul_(6.0)
        net[2].weight.mul_(3.0)
        net[4].weight.mul_(3.0)
    return net


class WithMetadata(nn.Module):
    """A traced 2D network with the attributes discgeom reads."""
    discgeom_spacing: List[float]
    discgeom_in_channels: int
    discgeom_normalisation: str
    discgeom_slice_plane: str

    def __init__(self, traced, plane):
        super().__init__()
        self.net = traced
        self.discgeom_spacing = [0.5, 0.5]
        self.discgeom_in_channels = 1
        self.discgeom_normalisation = "percentile"
        self.discgeom_slice_plane = plane

    def forward(self, x):
        return self.net(x)


class WithoutPlane(nn.Module):
    discgeom_spacing: List[float]
    discgeom_in_channels: int
    discgeom_normalisation: str

    def __init__(self, traced):
        super().__init__()
        self.net = traced
        self.discgeom_spacing = [0.5, 0.5]
        self.discgeom_in_channels = 1
        self.discgeom_normalisation = "percentile"

    def forward(self, x):
        return self.net(x)


def slicewise(model, volume):
    """The network on each slice volume[i] (axis 0), channels first: (K, N0, N1, N2)."""
    with torch.no_grad():
        out = [model(torch.from_numpy(np.ascontiguousarray(volume[i]))[None, None])[0]
               for i in range(volume.shape[0])]
    return torch.stack(out, dim=1).numpy()


def main():
    folder = sys.argv[1]
    torch.manual_seed(11)
    rng = np.random.default_rng(7)
    model = network().eval()
    volume = rng.normal(1.0, 0.3, size=(6, 12, 10)).astype(np.float32)
    volume[1:5, 3:9, 2:7] += 0.9  # a bright block
    traced = torch.jit.trace(model, torch.zeros(1, 1, 12, 10))
    scripted = torch.jit.script(WithMetadata(traced, "sagittal"))
    scripted.save(f"{folder}/segmenter2d_tiny.pt")
    torch.jit.script(WithoutPlane(traced)).save(f"{folder}/segmenter2d_no_plane.pt")

    logits = slicewise(scripted, volume)  # (3, 6, 12, 10)
    low, high = np.percentile(volume.astype(np.float64), [0.5, 99.5])
    normalised = ((np.clip(volume.astype(np.float64), low, high) - low) / (high - low))
    labels = slicewise(scripted, normalised.astype(np.float32)).argmax(0).astype(np.float32)
    np.save(f"{folder}/segmenter2d_input.npy", volume)
    np.save(f"{folder}/segmenter2d_logits.npy", logits.reshape(18, 12, 10).astype(np.float32))
    np.save(f"{folder}/segmenter2d_labels.npy", labels)
    counts = np.bincount(labels.astype(np.int64).ravel(), minlength=3)
    print("labels per class:", counts.tolist())


if __name__ == "__main__":
    main()
