# SPDX-License-Identifier: MIT
"""A small stand-in for the parts of SimpleITK that golden-value scripts call, for machines
without SimpleITK (Debian ships none). numpy and zlib only.

It reads and writes MetaImage files (.mha with the data after the header, ElementDataFile =
LOCAL, or .mhd naming one raw data file), uncompressed or zlib/gzip-compressed, and follows
SimpleITK's conventions where they matter:

- ``GetArrayFromImage`` returns the voxels as a numpy array indexed [z, y, x] (the fastest file
  axis last), a copy, in the element type of the file;
- ``GetSpacing``, ``GetOrigin`` and ``GetSize`` are in (x, y, z) order, the order of the header's
  ElementSpacing, Offset and DimSize;
- ``GetDirection`` is the direction matrix flattened row by row; MetaIO's TransformMatrix lists it
  column by column (one image axis after the other), as ITK's MetaImageIO reads and writes it;
- ``GetImageFromArray`` makes an image of spacing 1, origin 0 and identity direction.

Only what the callers need is here: ReadImage, WriteImage, GetArrayFromImage,
GetArrayViewFromImage, GetImageFromArray and the Image accessors below. Anything else raises
AttributeError, so a caller that needs more fails loudly instead of receiving a guess.
"""
import os
import zlib

import numpy as np

__all__ = [
    "Image",
    "ReadImage",
    "WriteImage",
    "GetArrayFromImage",
    "GetArrayViewFromImage",
    "GetImageFromArray",
]

# MetaIO element types and their numpy types (little-endian; MSB files are byte-swapped).
_ELEMENT_TYPES = {
    "MET_CHAR": np.int8,
    "MET_UCHAR": np.uint8,
    "MET_SHORT": np.int16,
    "MET_USHORT": np.uint16,
    "MET_INT": np.int32,
    "MET_UINT": np.uint32,
    "MET_LONG": np.int32,
    "MET_ULONG": np.uint32,
    "MET_LONG_LONG": np.int64,
    "MET_ULONG_LONG": np.uint64,
    "MET_FLOAT": np.float32,
    "MET_DOUBLE": np.float64,
}
_TYPE_NAMES = {np.dtype(t).newbyteorder("<"): name for name, t in _ELEMENT_TYPES.items()
               if name not in ("MET_LONG", "MET_ULONG")}


class Image:
    """A scalar (or multi-channel) image: voxels [z, y, x(, c)] plus (x, y, z) geometry."""

    def __init__(self, array, spacing=None, origin=None, direction=None, channels=1):
        self._array = np.ascontiguousarray(array)
        self._channels = int(channels)
        dim = self._array.ndim - (1 if self._channels > 1 else 0)
        self._dim = dim
        self._spacing = tuple(float(s) for s in (spacing if spacing is not None else [1.0] * dim))
        self._origin = tuple(float(o) for o in (origin if origin is not None else [0.0] * dim))
        if direction is None:
            direction = np.eye(dim).ravel()
        self._direction = tuple(float(d) for d in direction)
        if len(self._spacing) != dim or len(self._origin) != dim or len(self._direction) != dim * dim:
            raise ValueError("Image: geometry does not match the dimension %d" % dim)

    def GetDimension(self):
        return self._dim

    def GetSize(self):
        shape = self._array.shape[: self._dim]
        return tuple(int(n) for n in reversed(shape))

    def GetNumberOfComponentsPerPixel(self):
        return self._channels

    def GetSpacing(self):
        return self._spacing

    def SetSpacing(self, spacing):
        spacing = tuple(float(s) for s in spacing)
        if len(spacing) != self._dim or any(s <= 0 for s in spacing):
            raise ValueError("SetSpacing: %r" % (spacing,))
        self._spacing = spacing

    def GetOrigin(self):
        return self._origin

    def SetOrigin(self, origin):
        origin = tuple(float(o) for o in origin)
        if len(origin) != self._dim:
            raise ValueError("SetOrigin: %r" % (origin,))
        self._origin = origin

    def GetDirection(self):
        return self._direction

    def SetDirection(self, direction):
        direction = tuple(float(d) for d in direction)
        if len(direction) != self._dim * self._dim:
            raise ValueError("SetDirection: %r" % (direction,))
        self._direction = direction

    def CopyInformation(self, other):
        if self.GetSize() != other.GetSize():
            raise ValueError("CopyInformation: sizes differ")
        self._spacing, self._origin, self._direction = (
            other.GetSpacing(), other.GetOrigin(), other.GetDirection())

    def TransformIndexToPhysicalPoint(self, index):
        d = np.asarray(self._direction).reshape(self._dim, self._dim)
        return tuple(float(v) for v in
                     np.asarray(self._origin) + d @ (np.asarray(index, float) * self._spacing))


def GetArrayFromImage(image):
    """The voxels as a new numpy array indexed [z, y, x] (SimpleITK's order)."""
    if not isinstance(image, Image):
        raise TypeError("GetArrayFromImage: expected an Image, got %s" % type(image).__name__)
    return image._array.copy()


def GetArrayViewFromImage(image):
    """A read-only view of the voxels, indexed [z, y, x]."""
    if not isinstance(image, Image):
        raise TypeError("GetArrayViewFromImage: expected an Image, got %s" % type(image).__name__)
    view = image._array.view()
    view.flags.writeable = False
    return view


def GetImageFromArray(array, isVector=False):
    """An image whose voxels are `array` indexed [z, y, x(, c)]; spacing 1, origin 0."""
    array = np.asarray(array)
    channels = array.shape[-1] if isVector else 1
    return Image(array, channels=channels)


def _header(path):
    """The header's keys (in order) and the byte offset just after the ElementDataFile line."""
    keys = {}
    with open(path, "rb") as f:
        data = f.read()
    at = 0
    while at < len(data):
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        line = data[at:end].decode("latin-1").strip()
        at = end + 1
        if not line or "=" not in line:
            continue
        key, value = (part.strip() for part in line.split("=", 1))
        keys[key] = value
        if key == "ElementDataFile":
            return keys, data, at
    raise ValueError("ReadImage: %s: the MetaImage header has no ElementDataFile" % path)


def _true(value):
    return value is not None and value.strip().lower() in ("true", "1")


def ReadImage(fileName, outputPixelType=None, imageIO=""):
    """Reads a MetaImage (.mha / .mhd) file."""
    path = os.fspath(fileName)
    if outputPixelType is not None:
        raise NotImplementedError("ReadImage: outputPixelType is not supported by the stand-in")
    keys, data, offset = _header(path)
    dim = int(keys["NDims"])
    size = [int(v) for v in keys["DimSize"].split()][:dim]
    element = keys["ElementType"]
    if element.endswith("_ARRAY"):
        element = element[: -len("_ARRAY")]
    if element not in _ELEMENT_TYPES:
        raise ValueError("ReadImage: %s: ElementType %s is not supported" % (path, element))
    dtype = np.dtype(_ELEMENT_TYPES[element])
    msb = _true(keys.get("BinaryDataByteOrderMSB", keys.get("ElementByteOrderMSB")))
    dtype = dtype.newbyteorder(">" if msb else "<")
    if keys.get("BinaryData", "True").strip().lower() not in ("true", "1"):
        raise ValueError("ReadImage: %s: text (BinaryData = False) data are not supported" % path)
    channels = int(keys.get("ElementNumberOfChannels", "1"))
    count = int(np.prod(size)) * channels
    nbytes = count * dtype.itemsize

    name = keys["ElementDataFile"]
    compressed = _true(keys.get("CompressedData"))
    if name == "LOCAL":
        payload = data[offset:]
        header_size = int(keys.get("HeaderSize", "0"))
        if header_size > 0:
            payload = data[header_size:]
    else:
        if name in ("LIST",) or "%" in name:
            raise ValueError("ReadImage: %s: ElementDataFile %s is not supported" % (path, name))
        with open(os.path.join(os.path.dirname(path), name), "rb") as f:
            payload = f.read()
        header_size = int(keys.get("HeaderSize", "0"))
        if header_size == -1:
            payload = payload[len(payload) - nbytes:]
        elif header_size > 0:
            payload = payload[header_size:]
    if compressed:
        if "CompressedDataSize" in keys:
            payload = payload[: int(keys["CompressedDataSize"])]
        payload = zlib.decompressobj(32 + zlib.MAX_WBITS).decompress(payload)  # zlib or gzip
    if len(payload) < nbytes:
        raise ValueError("ReadImage: %s: %d bytes of voxel data, %d expected"
                         % (path, len(payload), nbytes))
    values = np.frombuffer(payload[:nbytes], dtype=dtype).astype(dtype.newbyteorder("="))
    shape = list(reversed(size)) + ([channels] if channels > 1 else [])
    array = values.reshape(shape)

    spacing = keys.get("ElementSpacing", keys.get("ElementSize"))
    spacing = [float(v) for v in spacing.split()][:dim] if spacing else [1.0] * dim
    origin = next((keys[k] for k in ("Offset", "Origin", "Position") if k in keys), None)
    origin = [float(v) for v in origin.split()][:dim] if origin else [0.0] * dim
    matrix = next((keys[k] for k in ("TransformMatrix", "Rotation", "Orientation") if k in keys),
                  None)
    if matrix:
        columns = np.array([float(v) for v in matrix.split()][: dim * dim]).reshape(dim, dim)
        direction = columns.T.ravel()  # MetaIO lists axis after axis: the matrix's columns
    else:
        direction = np.eye(dim).ravel()
    return Image(array, spacing, origin, direction, channels)


def _orientation(direction, dim):
    """MetaIO's AnatomicalOrientation letters for a direction (ITK writes RAI for identity)."""
    letters = {0: "RL", 1: "AP", 2: "IS"}
    d = np.asarray(direction).reshape(dim, dim)
    out = ""
    for axis in range(dim):
        column = d[:, axis]
        k = int(np.argmax(np.abs(column)))
        if k > 2:
            return None
        out += letters[k][0] if column[k] > 0 else letters[k][1]
    return out


def _number(value):
    return repr(float(value)) if float(value) != int(value) else str(int(value))


def WriteImage(image, fileName, useCompression=False, compressionLevel=-1):
    """Writes `image` as a MetaImage .mha (data after the header), zlib-compressed on request."""
    path = os.fspath(fileName)
    if not path.endswith(".mha"):
        raise ValueError("WriteImage: the stand-in writes .mha only: %s" % path)
    array = np.ascontiguousarray(image._array)
    dtype = array.dtype.newbyteorder("<")
    if dtype not in _TYPE_NAMES:
        raise ValueError("WriteImage: numpy type %s has no MetaIO element type" % array.dtype)
    raw = array.astype(dtype).tobytes()
    dim = image.GetDimension()
    lines = ["ObjectType = Image", "NDims = %d" % dim, "BinaryData = True",
             "BinaryDataByteOrderMSB = False"]
    if useCompression:
        level = 6 if compressionLevel is None or compressionLevel < 0 else int(compressionLevel)
        raw = zlib.compress(raw, level)
        lines += ["CompressedData = True", "CompressedDataSize = %d" % len(raw)]
    else:
        lines += ["CompressedData = False"]
    columns = np.asarray(image.GetDirection()).reshape(dim, dim).T.ravel()
    lines += ["TransformMatrix = " + " ".join(_number(v) for v in columns),
              "Offset = " + " ".join(_number(v) for v in image.GetOrigin()),
              "CenterOfRotation = " + " ".join("0" for _ in range(dim))]
    orientation = _orientation(image.GetDirection(), dim) if dim == 3 else None
    if orientation:
        lines.append("AnatomicalOrientation = " + orientation)
    lines += ["ElementSpacing = " + " ".join(_number(v) for v in image.GetSpacing()),
              "DimSize = " + " ".join(str(n) for n in image.GetSize())]
    if image.GetNumberOfComponentsPerPixel() > 1:
        lines.append("ElementNumberOfChannels = %d" % image.GetNumberOfComponentsPerPixel())
    lines += ["ElementType = " + _TYPE_NAMES[dtype], "ElementDataFile = LOCAL"]
    with open(path, "wb") as f:
        f.write(("\n".join(lines) + "\n").encode("ascii"))
        f.write(raw)
