# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The generator of DCGAN (Radford et al., "Unsupervised Representation Learning with
Deep Convolutional Generative Adversarial Networks", 2015): a dense layer from the
random code to a 4x4 map of ngf*8 channels, then transposed convolutions doubling the
resolution (8, 16, 32, 64) with batch norm and ReLU, and tanh on the 64x64 image."""
from tvm import relay
from . import layers
from .init import create_workload

# Kernel layouts of conv2d_transpose by data layout.
_DECONV_KERNEL_LAYOUT = {"NCHW": "IOHW", "NHWC": "HWOI"}


def deconv2d(data, ishape, oshape, kshape, layout, name, stride=(2, 2)):  # pylint: disable=unused-argument
    """A transposed convolution `name` to oshape (C, H, W) whatever the layout: the
    padding keeps a kernel's centre on the input pixel, the output padding adds the
    rows and columns a stride leaves out. ishape is unused (kept for the signature)."""
    if layout not in _DECONV_KERNEL_LAYOUT:
        raise ValueError(f"dcgan: invalid layout {layout!r}; expected 'NCHW' or 'NHWC'")
    pad = tuple((k - 1) // 2 for k in kshape)
    adj = tuple((t + 2 * p - k) % s for t, p, k, s in zip(oshape[-2:], pad, kshape, stride))
    return layers.conv2d_transpose(
        data,
        kernel_size=kshape,
        strides=stride,
        channels=oshape[0],
        padding=pad,
        output_padding=adj,
        data_layout=layout,
        kernel_layout=_DECONV_KERNEL_LAYOUT[layout],
        name=name,
    )


def deconv2d_bn_relu(data, prefix, **kwargs):
    """deconv2d `<prefix>_deconv`, batch norm `<prefix>_batch_norm` (no scale), ReLU."""
    body = deconv2d(data, name=f"{prefix}_deconv", **kwargs)
    bn_axis = kwargs.get("layout", "NCHW").index("C")
    body = layers.batch_norm_infer(
        body, epsilon=1e-5 + 1e-12, scale=False, axis=bn_axis, name=f"{prefix}_batch_norm"
    )
    return relay.nn.relu(body)


def get_net(batch_size, random_len=100, oshape=(3, 64, 64), ngf=128, code=None, layout="NCHW",
            dtype="float32"):
    """The generator function of `code` (a variable `data` of (batch_size, random_len)
    unless given) producing images of oshape (C, 64, 64)."""
    if tuple(oshape[-2:]) != (64, 64):
        raise ValueError(f"dcgan: only 64x64 images are supported, got oshape={tuple(oshape)}")
    if layout not in _DECONV_KERNEL_LAYOUT:
        raise ValueError(f"dcgan: invalid layout {layout!r}; expected 'NCHW' or 'NHWC'")
    if code is None:
        code = relay.var("data", dtype=dtype, shape=(batch_size, random_len))
    body = relay.nn.dense(code, weight=relay.var("dense_weight"), units=4 * 4 * ngf * 8)
    body = relay.nn.relu(body)
    newshape = (-1, ngf * 8, 4, 4) if layout == "NCHW" else (-1, 4, 4, ngf * 8)
    body = relay.reshape(body, newshape=newshape)
    # g2..g4 each double the resolution and halve the channels: 4x4 -> 32x32, ngf*8 -> ngf.
    size, channels = 4, ngf * 8
    for prefix in ("g2", "g3", "g4"):
        body = deconv2d_bn_relu(
            body,
            ishape=(channels, size, size),
            oshape=(channels // 2, size * 2, size * 2),
            kshape=(4, 4),
            layout=layout,
            prefix=prefix,
        )
        size, channels = size * 2, channels // 2
    body = deconv2d(body, ishape=(ngf, 32, 32), oshape=tuple(oshape[-3:]), kshape=(4, 4),
                    layout=layout, name="g5_deconv")
    body = relay.tanh(body)
    return relay.Function(relay.analysis.free_vars(body), body)


def get_workload(batch_size, oshape=(3, 64, 64), ngf=128, random_len=100, layout="NCHW",
                 dtype="float32"):
    """(mod, params) of the DCGAN generator (ngf feature maps in its last hidden layer)."""
    net = get_net(batch_size, random_len, oshape=oshape, ngf=ngf, layout=layout, dtype=dtype)
    return create_workload(net)
