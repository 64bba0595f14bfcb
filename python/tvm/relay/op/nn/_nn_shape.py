# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape functions of the nn operators (convolutions, pools, dense/matmul, padding,
normalisations, sub-pixel and batch/space moves), mirroring the type relations in
src/relay/op/nn/ for extents known only at run time. None is data dependent."""
from .... import tir
from .._shape_util import i64, dims, norm_axis, safe_div, product, ints, register, shapes


def _identity(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [dims(inputs[0]) for _ in out_ndims]


_identity.__name__ = "nn_identity"
_IDENTITY = shapes(_identity)
for _name in [
    "nn.relu", "nn.leaky_relu", "nn.prelu", "nn.bias_add", "nn.softmax", "nn.log_softmax", "nn.fast_softmax",
    "nn.lrn", "nn.l2_normalize", "nn.dropout", "nn.layer_norm", "nn.group_norm", "nn.instance_norm",
]:
    register(_name, False, _IDENTITY)


@shapes
def batch_norm(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    channels = data[norm_axis(attrs.axis, len(data))]
    return [data, [channels], [channels]]


register("nn.batch_norm", False, batch_norm)


# ---------------------------------------------------------------- layouts

class _Layout:
    """A layout string such as NCHW16c: primal axes (upper case) and sub-axes (lower case,
    with their static block)."""

    def __init__(self, text):
        self.letters, self.factors = [], []
        factor = 0
        for c in str(text):
            if c.isdigit():
                factor = factor * 10 + int(c)
                continue
            self.letters.append(c)
            self.factors.append(0 if c.isupper() else factor)
            factor = 0

    def to_canonical(self, shape, canon):
        """The primal extents in canon order (a blocked axis times its block)."""
        out = []
        for c in canon:
            d = shape[self.letters.index(c)]
            for letter, factor in zip(self.letters, self.factors):
                if letter == c.lower():
                    d = d * factor
            out.append(d)
        return out

    def from_canonical(self, canon_shape, canon):
        out = []
        for letter, factor in zip(self.letters, self.factors):
            if factor > 0:
                out.append(i64(factor))
                continue
            d = canon_shape[canon.index(letter)]
            for sub, sub_factor in zip(self.letters, self.factors):
                if sub == letter.lower():
                    d = safe_div(d, sub_factor)
            out.append(d)
        return out

    def positions(self, letters):
        return [self.letters.index(c) for c in letters]


def _spatial(n):
    return {1: "W", 2: "HW", 3: "DHW"}[n]


def _pad_pair(padding, n, i):
    padding = ints(padding)
    if not padding:
        return 0, 0
    if len(padding) == 1:
        return padding[0], padding[0]
    if len(padding) == n:
        return padding[i], padding[i]
    return padding[i], padding[i + n]


def window_out(size, pad_total, kernel, dilation, stride, ceil_mode=False):
    """Output extent of a sliding window: floor((in + pad - dilated kernel) / stride) + 1."""
    span = i64(size) + pad_total - ((i64(kernel) - 1) * dilation + 1)
    if ceil_mode:
        span = span + (stride - 1)
    return safe_div(span, stride) + 1


# ---------------------------------------------------------------- convolutions

def _conv(n, transpose):
    sp = _spatial(n)
    dcanon, kcanon = "NC" + sp, "OI" + sp

    def conv(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        dlayout, klayout = _Layout(attrs.data_layout), _Layout(attrs.kernel_layout)
        olayout = _Layout(attrs.out_layout or attrs.data_layout)
        data = dlayout.to_canonical(dims(inputs[0]), dcanon)
        weight = klayout.to_canonical(dims(inputs[1]), kcanon)
        groups = int(attrs.groups)
        strides, dilation = ints(attrs.strides), ints(attrs.dilation)
        if transpose:
            channels = weight[0] * groups
        else:
            # a depthwise weight given as (C, multiplier, ...) with groups == C: C * multiplier
            # output channels, as the relation reads it
            c, ci, co = data[1], weight[1], weight[0]
            swapped = tir.all(ci * groups != c, co == c, c == groups)
            channels = tir.Select(swapped, c * ci, co)
        out = [data[0], channels]
        out_padding = ints(getattr(attrs, "output_padding", None))
        for i in range(n):
            before, after = _pad_pair(attrs.padding, n, i)
            size, kernel = data[2 + i], weight[2 + i]
            if transpose:
                extra = out_padding[i] if i < len(out_padding) else 0
                out.append((size - 1) * strides[i] - before - after + (kernel - 1) * dilation[i] + 1 + extra)
            else:
                out.append(window_out(size, before + after, kernel, dilation[i], strides[i]))
        return [olayout.from_canonical(out, dcanon)]

    conv.__name__ = f"conv{n}d" + ("_transpose" if transpose else "")
    return shapes(conv)


for _n in (1, 2, 3):
    register(f"nn.conv{_n}d", False, _conv(_n, False))
    register(f"nn.conv{_n}d_transpose", False, _conv(_n, True))
# The blocked-layout convolutions share conv2d's attributes and relation (registered where
# the operators exist).
register("nn.contrib_conv2d_NCHWc", False, _conv(2, False))
register("nn.contrib_depthwise_conv2d_NCHWc", False, _conv(2, False))


@shapes
def deformable_conv2d(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    dlayout, klayout = _Layout(attrs.data_layout), _Layout(attrs.kernel_layout)
    olayout = _Layout(attrs.out_layout or attrs.data_layout)
    data = dlayout.to_canonical(dims(inputs[0]), "NCHW")
    weight = klayout.to_canonical(dims(inputs[2]), "OIHW")
    out = [data[0], weight[0]]
    for i in range(2):
        before, after = _pad_pair(attrs.padding, 2, i)
        out.append(window_out(data[2 + i], before + after, weight[2 + i], ints(attrs.dilation)[i],
                              ints(attrs.strides)[i]))
    return [olayout.from_canonical(out, "NCHW")]


register("nn.deformable_conv2d", False, deformable_conv2d)


@shapes
def dilation2d(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, weight = dims(inputs[0]), dims(inputs[1])
    nchw = str(attrs.data_layout) == "NCHW"

    def spatial(values):
        values = ints(values)
        return values[1:3] if len(values) == 4 and values[0] == 1 and values[3] == 1 else values

    strides, dilations, padding = spatial(attrs.strides), spatial(attrs.dilations), ints(attrs.padding)
    out = list(data)
    for i in range(2):
        pad = padding[i] * 2 if len(padding) == 2 else padding[i] + padding[i + 2]
        kernel = weight[1 + i if nchw else i]
        axis = 2 + i if nchw else 1 + i
        out[axis] = window_out(data[axis], pad, kernel, dilations[i], strides[i])
    return [out]


register("image.dilation2d", False, dilation2d)


@shapes
def bitserial_conv2d(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    nchw = str(attrs.data_layout) == "NCHW"
    padding = ints(attrs.padding)
    pads = [2 * padding[0], 2 * padding[1]] if len(padding) == 2 else [padding[0] + padding[2],
                                                                        padding[1] + padding[3]]
    h, w = (data[2], data[3]) if nchw else (data[1], data[2])
    kernel, strides = ints(attrs.kernel_size), ints(attrs.strides)
    oh = window_out(h, pads[0], kernel[0], 1, strides[0])
    ow = window_out(w, pads[1], kernel[1], 1, strides[1])
    channels = i64(int(attrs.channels))
    return [[data[0], channels, oh, ow] if nchw else [data[0], oh, ow, channels]]


register("nn.bitserial_conv2d", False, bitserial_conv2d)


@shapes
def correlation(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    pad = ints(attrs.padding)
    if len(pad) == 1:
        pad_h = pad_w = pad[0] * 2
    elif len(pad) == 2:
        pad_h, pad_w = pad[0] * 2, pad[1] * 2
    else:
        pad_h, pad_w = pad[0] + pad[2], pad[1] + pad[3]
    kernel, displacement = int(attrs.kernel_size), int(attrs.max_displacement)
    stride1, stride2 = int(attrs.stride1), int(attrs.stride2)
    border = displacement + (kernel - 1) // 2
    size = 2 * (displacement // stride2) + 1

    def extent(d, padding):
        return safe_div(d + (padding - 2 * border + stride1 - 1), stride1)

    return [[data[0], i64(size * size), extent(data[2], pad_h), extent(data[3], pad_w)]]


register("nn.correlation", False, correlation)


# ---------------------------------------------------------------- pools

def _pool(n):
    def pool(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        data = dims(inputs[0])
        pos = _Layout(attrs.layout).positions(_spatial(n))
        pool_size, strides, dilation = ints(attrs.pool_size), ints(attrs.strides), ints(attrs.dilation)
        out = list(data)
        for i in range(n):
            before, after = _pad_pair(attrs.padding, n, i)
            out[pos[i]] = window_out(data[pos[i]], before + after, pool_size[i], dilation[i], strides[i],
                                     bool(attrs.ceil_mode))
        return [out]

    pool.__name__ = f"pool{n}d"
    return shapes(pool)


def _adaptive_pool(n):
    def adaptive_pool(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        data = dims(inputs[0])
        pos = _Layout(attrs.layout).positions(_spatial(n))
        size = list(attrs.output_size) if attrs.output_size is not None else []
        out = list(data)
        for i in range(n):
            value = size[0 if len(size) == 1 else i] if size else None
            out[pos[i]] = data[pos[i]] if value is None else i64(int(value))
        return [out]

    adaptive_pool.__name__ = f"adaptive_pool{n}d"
    return shapes(adaptive_pool)


@shapes
def global_pool2d(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    out = dims(inputs[0])
    for p in _Layout(attrs.layout).positions("HW"):
        out[p] = i64(1)
    return [out]


for _n in (1, 2, 3):
    register(f"nn.max_pool{_n}d", False, _pool(_n))
    register(f"nn.avg_pool{_n}d", False, _pool(_n))
    register(f"nn.adaptive_max_pool{_n}d", False, _adaptive_pool(_n))
    register(f"nn.adaptive_avg_pool{_n}d", False, _adaptive_pool(_n))
register("nn.global_max_pool2d", False, global_pool2d)
register("nn.global_avg_pool2d", False, global_pool2d)


def _scale(d, scale):
    """round(d * scale) as the relation computes it (in double precision)."""
    return tir.round(i64(d).astype("float64") * tir.const(float(scale), "float64")).astype("int64")


@shapes
def upsampling(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    out = dims(inputs[0])
    for p, s in zip(_Layout(attrs.layout).positions("HW"), (attrs.scale_h, attrs.scale_w)):
        out[p] = _scale(out[p], s)
    return [out]


@shapes
def upsampling3d(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    out = dims(inputs[0])
    for p, s in zip(_Layout(attrs.layout).positions("DHW"), (attrs.scale_d, attrs.scale_h, attrs.scale_w)):
        out[p] = _scale(out[p], s)
    return [out]


register("nn.upsampling", False, upsampling)
register("nn.upsampling3d", False, upsampling3d)


# ---------------------------------------------------------------- dense, matmul, batch_matmul

def _matmul_like(data, weight, transpose_a, transpose_b):
    out = list(data)
    if transpose_a:
        out[-2] = data[-1]
    out[-1] = weight[0] if transpose_b else weight[1]
    return [out]


@shapes
def dense(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _matmul_like(dims(inputs[0]), dims(inputs[1]), False, True)


@shapes
def matmul(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return _matmul_like(dims(inputs[0]), dims(inputs[1]), bool(attrs.transpose_a), bool(attrs.transpose_b))


@shapes
def dense_pack(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, weight = dims(inputs[0]), dims(inputs[1])
    return [data[:-1] + [weight[0] * weight[2]]]


@shapes
def bitserial_dense(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, weight = dims(inputs[0]), dims(inputs[1])
    units = weight[0] if attrs.units is None else i64(int(attrs.units))
    return [data[:-1] + [units]]


@shapes
def batch_matmul(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    x, y = dims(inputs[0]), dims(inputs[1])
    m = x[2] if bool(attrs.transpose_a) else x[1]
    n = y[1] if bool(attrs.transpose_b) else y[2]
    return [[tir.Select(x[0] == 1, y[0], x[0]), m, n]]


register("nn.dense", False, dense)
register("nn.matmul", False, matmul)
register("nn.contrib_dense_pack", False, dense_pack)
register("nn.bitserial_dense", False, bitserial_dense)
register("nn.batch_matmul", False, batch_matmul)


# ---------------------------------------------------------------- padding, flattening, moves

@shapes
def pad(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    return [[d + (int(p[0]) + int(p[1])) for d, p in zip(data, attrs.pad_width)]]


@shapes
def dilate(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[(d - 1) * s + 1 for d, s in zip(dims(inputs[0]), ints(attrs.strides))]]


@shapes
def batch_flatten(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    return [[data[0], product(data[1:])]]


def _sub_pixel(to_depth):
    def sub_pixel(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        data = dims(inputs[0])
        c, h, w = (1, 2, 3) if str(attrs.layout) == "NCHW" else (3, 1, 2)
        b = int(attrs.block_size)
        out = list(data)
        if to_depth:
            out[c], out[h], out[w] = data[c] * (b * b), safe_div(data[h], b), safe_div(data[w], b)
        else:
            out[c], out[h], out[w] = safe_div(data[c], b * b), data[h] * b, data[w] * b
        return [out]

    sub_pixel.__name__ = "space_to_depth" if to_depth else "depth_to_space"
    return shapes(sub_pixel)


@shapes
def space_to_batch_nd(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    blocks = ints(attrs.block_shape)
    out = list(data)
    for i, b in enumerate(blocks):
        before, after = (int(v) for v in attrs.paddings[i])
        out[i + 1] = safe_div(data[i + 1] + (before + after), b)
    out[0] = data[0] * product(blocks)
    return [out]


@shapes
def batch_to_space_nd(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    blocks = ints(attrs.block_shape)
    out = list(data)
    for i, b in enumerate(blocks):
        before, after = (int(v) for v in attrs.crops[i])
        out[i + 1] = data[i + 1] * b - (before + after)
    out[0] = safe_div(data[0], product(blocks))
    return [out]


@shapes
def bitpack(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data = dims(inputs[0])
    ndim = len(data)
    pack_axis = norm_axis(attrs.pack_axis, ndim)
    bit_axis = int(attrs.bit_axis)
    bit_axis = bit_axis + ndim + 1 if bit_axis < 0 else bit_axis
    word = _bits(attrs.pack_type)  # bits of one packed word
    out = []
    for i, d in enumerate(data):
        if i == bit_axis:
            out.append(i64(int(attrs.bits)))
        out.append(safe_div(d, word) if i == pack_axis else d)
    if bit_axis == ndim:
        out.append(i64(int(attrs.bits)))
    return [out]


def _bits(dtype):
    return int("".join(ch for ch in str(dtype) if ch.isdigit()))


register("nn.pad", False, pad)
register("nn.mirror_pad", False, pad)
register("nn.dilate", False, dilate)
register("nn.batch_flatten", False, batch_flatten)
register("nn.depth_to_space", False, _sub_pixel(False))
register("nn.space_to_depth", False, _sub_pixel(True))
register("nn.space_to_batch_nd", False, space_to_batch_nd)
register("nn.batch_to_space_nd", False, batch_to_space_nd)
register("nn.bitpack", False, bitpack)


# ---------------------------------------------------------------- losses

@shapes
def nll_loss(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [dims(inputs[1]) if str(attrs.reduction) == "none" else []]


@shapes
def cross_entropy(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[]]


register("nn.nll_loss", False, nll_loss)
register("nn.cross_entropy", False, cross_entropy)
register("nn.cross_entropy_with_logits", False, cross_entropy)
