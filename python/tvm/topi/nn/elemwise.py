# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Activations and padding (computed in src/topi/nn_elemwise.cc)."""
from . import _ffi_api


def relu(x):
    """max(x, 0)."""
    return _ffi_api.relu(x)


def leaky_relu(x, alpha):
    """x where x > 0, else alpha * x."""
    return _ffi_api.leaky_relu(x, float(alpha))


def prelu(x, slope, axis=1):
    """x where x > 0, else slope[c] * x with c the index along axis."""
    return _ffi_api.prelu(x, slope, int(axis))


def pad(data, pad_before, pad_after=None, pad_value=0.0, name="PadInput", attrs=None):
    """Constant padding: pad_before/pad_after one value per leading dimension (pad_after defaults to pad_before)."""
    del attrs
    after = list(pad_before) if pad_after is None else list(pad_after)
    return _ffi_api.pad(data, list(pad_before), after, pad_value, name, "constant")


def mirror_pad(data, pad_before, pad_after=None, mode="SYMMETRIC", name="MirrorPadInput"):
    """Mirror padding: "SYMMETRIC" repeats the border element, "REFLECT" does not."""
    if mode not in ("SYMMETRIC", "REFLECT"):
        raise ValueError(f"mirror_pad: mode must be SYMMETRIC or REFLECT, got {mode}")
    after = list(pad_before) if pad_after is None else list(pad_after)
    return _ffi_api.pad(data, list(pad_before), after, 0.0, name, mode.lower())


def pad_mode(data, pad_before, pad_after=None, pad_value=0.0, mode="constant", name="PadInput"):
    """Padding with any mode: "constant", "edge", "reflect" (Relay's nn.pad modes)."""
    after = list(pad_before) if pad_after is None else list(pad_after)
    return _ffi_api.pad(data, list(pad_before), after, pad_value, name, mode)


def dilate(data, strides, dilation_value=0.0, name="DilatedInput"):
    """Insert strides[i] - 1 copies of dilation_value between neighbours along axis i."""
    return _ffi_api.dilate(data, list(strides), float(dilation_value), name)
