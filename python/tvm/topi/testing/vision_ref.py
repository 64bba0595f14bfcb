# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""numpy references of the detection, deformable convolution and space/batch operators,
written as plainly as possible (loops over every output element) to check TOPI against."""
import math

import numpy as np


def _bilinear_zero_outside(plane, y, x):
    """Bilinear sample of a 2-D plane; neighbours outside the plane weigh nothing."""
    height, width = plane.shape
    y0, x0 = math.floor(y), math.floor(x)
    total = 0.0
    for yy, wy in ((y0, 1 - (y - y0)), (y0 + 1, y - y0)):
        for xx, wx in ((x0, 1 - (x - x0)), (x0 + 1, x - x0)):
            if 0 <= yy < height and 0 <= xx < width:
                total += wy * wx * plane[yy, xx]
    return total


def _roi_align_plane_sample(plane, y, x):
    height, width = plane.shape
    if y < -1 or y > height or x < -1 or x > width:
        return 0.0
    return _bilinear_zero_outside(plane, min(max(y, 0.0), height - 1), min(max(x, 0.0), width - 1))


def roi_align_nchw_python(a_np, rois_np, pooled_size, spatial_scale, sample_ratio, mode="avg"):
    """roi_align of NCHW data: every output cell averages (or maxes) a grid of samples."""
    mode = mode.decode() if isinstance(mode, bytes) else {0: "avg", 1: "max"}.get(mode, mode)
    ph_n, pw_n = (pooled_size, pooled_size) if isinstance(pooled_size, int) else pooled_size
    channels = a_np.shape[1]
    out = np.zeros((rois_np.shape[0], channels, ph_n, pw_n), dtype=a_np.dtype)
    for r, roi in enumerate(rois_np):
        n = int(roi[0])
        x1, y1, x2, y2 = (float(v) * spatial_scale for v in roi[1:])
        roi_h, roi_w = max(y2 - y1, 1.0), max(x2 - x1, 1.0)
        bin_h, bin_w = roi_h / ph_n, roi_w / pw_n
        grid_h = sample_ratio if sample_ratio > 0 else int(math.ceil(bin_h))
        grid_w = sample_ratio if sample_ratio > 0 else int(math.ceil(bin_w))
        for c in range(channels):
            for ph in range(ph_n):
                for pw in range(pw_n):
                    samples = [_roi_align_plane_sample(a_np[n, c], y1 + ph * bin_h + (iy + 0.5) * bin_h / grid_h,
                                                       x1 + pw * bin_w + (ix + 0.5) * bin_w / grid_w)
                               for iy in range(grid_h) for ix in range(grid_w)]
                    out[r, c, ph, pw] = sum(samples) / len(samples) if mode == "avg" else max(samples)
    return out


def roi_align_nhwc_python(a_np, rois_np, pooled_size, spatial_scale, sample_ratio, mode="avg"):
    """roi_align of NHWC data."""
    nchw = roi_align_nchw_python(a_np.transpose(0, 3, 1, 2), rois_np, pooled_size, spatial_scale, sample_ratio, mode)
    return nchw.transpose(0, 2, 3, 1)


def roi_pool_nchw_python(a_np, rois_np, pooled_size, spatial_scale):
    """roi_pool of NCHW data: the largest value of each cell of the rounded region, 0 if empty."""
    ph_n, pw_n = (pooled_size, pooled_size) if isinstance(pooled_size, int) else pooled_size
    _, channels, height, width = a_np.shape
    out = np.zeros((rois_np.shape[0], channels, ph_n, pw_n), dtype=a_np.dtype)
    for r, roi in enumerate(rois_np):
        n = int(roi[0])
        x1, y1, x2, y2 = (int(np.round(float(v) * spatial_scale)) for v in roi[1:])
        bin_h, bin_w = max(y2 - y1 + 1, 1) / ph_n, max(x2 - x1 + 1, 1) / pw_n
        for ph in range(ph_n):
            for pw in range(pw_n):
                h0 = min(max(int(math.floor(ph * bin_h)) + y1, 0), height)
                h1 = min(max(int(math.ceil((ph + 1) * bin_h)) + y1, 0), height)
                w0 = min(max(int(math.floor(pw * bin_w)) + x1, 0), width)
                w1 = min(max(int(math.ceil((pw + 1) * bin_w)) + x1, 0), width)
                if h1 > h0 and w1 > w0:
                    out[r, :, ph, pw] = a_np[n, :, h0:h1, w0:w1].max(axis=(1, 2))
    return out


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def deformable_conv2d_nchw_python(a_np, offset_np, w_np, stride, padding, dilation, deformable_groups, groups):
    """Deformable convolution: each tap samples at its position + (dy, dx) from offset."""
    batch, in_channel, height, width = a_np.shape
    out_channel, per_group, kernel_h, kernel_w = w_np.shape
    _, _, out_h, out_w = offset_np.shape
    stride_h, stride_w = _pair(stride)
    dil_h, dil_w = _pair(dilation)
    pad_h, pad_w = _pair(padding)[:2]
    per_dgroup = in_channel // deformable_groups
    out_per_group = out_channel // groups
    samples = np.zeros((batch, in_channel, kernel_h, kernel_w, out_h, out_w), dtype="float64")
    for n in range(batch):
        for c in range(in_channel):
            dg = c // per_dgroup
            for i in range(kernel_h):
                for j in range(kernel_w):
                    tap = (dg * kernel_h * kernel_w + i * kernel_w + j) * 2
                    for y in range(out_h):
                        for x in range(out_w):
                            py = y * stride_h - pad_h + i * dil_h + offset_np[n, tap, y, x]
                            px = x * stride_w - pad_w + j * dil_w + offset_np[n, tap + 1, y, x]
                            if -1 < py < height and -1 < px < width:  # torchvision's valid region
                                samples[n, c, i, j, y, x] = _bilinear_zero_outside(a_np[n, c], py, px)
    out = np.zeros((batch, out_channel, out_h, out_w), dtype="float64")
    for f in range(out_channel):
        g = f // out_per_group
        part = samples[:, g * per_group:(g + 1) * per_group]
        out[:, f] = np.einsum("ncijyx,cij->nyx", part, w_np[f].astype("float64"))
    return out.astype(a_np.dtype)


def deformable_conv2d_nhwc_python(a_np, offset_np, w_np, stride, padding, dilation, deformable_groups, groups):
    """Deformable convolution of NHWC data, offset (N, OH, OW, taps * 2) and an HWIO kernel."""
    out = deformable_conv2d_nchw_python(a_np.transpose(0, 3, 1, 2), offset_np.transpose(0, 3, 1, 2),
                                        w_np.transpose(3, 2, 0, 1), stride, padding, dilation, deformable_groups,
                                        groups)
    return out.transpose(0, 2, 3, 1)


def reorg_python(a_np, stride):
    """Darknet's reorg of NCHW data: (N, C, H, W) -> (N, C * stride^2, H / stride, W / stride)."""
    batch, channels, height, width = a_np.shape
    out_c = channels // (stride * stride)
    flat = a_np.reshape(-1)
    out = np.empty(a_np.size, dtype=a_np.dtype)
    for b in range(batch):
        for k in range(channels):
            for j in range(height):
                for i in range(width):
                    offset = k // out_c
                    w2, h2 = i * stride + offset % stride, j * stride + offset // stride
                    src = w2 + width * stride * (h2 + height * stride * (k % out_c + out_c * b))
                    out[i + width * (j + height * (k + channels * b))] = flat[src]
    return out.reshape(batch, channels * stride * stride, height // stride, width // stride)


def space_to_batch_nd_python(data, block_shape, pad_before, pad_after, pad_value=0):
    """Pad the spatial axes 1..M, then move each block_shape tile's offsets into the batch."""
    m = len(block_shape)
    pads = [(0, 0)] + list(zip(pad_before, pad_after)) + [(0, 0)] * (data.ndim - 1 - m)
    padded = np.pad(data, pads, constant_values=pad_value)
    batch = data.shape[0]
    shape = [batch]
    for i, b in enumerate(block_shape):
        shape += [padded.shape[1 + i] // b, b]
    shape += list(padded.shape[1 + m:])
    tiles = padded.reshape(shape)
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)] + list(range(1 + 2 * m, len(shape)))
    moved = tiles.transpose(order)
    return moved.reshape([batch * int(np.prod(block_shape))] + [shape[1 + 2 * i] for i in range(m)]
                         + list(padded.shape[1 + m:]))


def batch_to_space_nd_python(data, block_shape, crop_begin_list, crop_end_list):
    """The inverse of space_to_batch_nd: batch blocks back into the spatial axes, then cropped."""
    m = len(block_shape)
    blocks = int(np.prod(block_shape))
    batch = data.shape[0] // blocks
    tiles = data.reshape(list(block_shape) + [batch] + list(data.shape[1:]))
    order = [m]
    for i in range(m):
        order += [m + 1 + i, i]
    order += list(range(2 * m + 1, tiles.ndim))
    moved = tiles.transpose(order)
    spatial = [data.shape[1 + i] * block_shape[i] for i in range(m)]
    joined = moved.reshape([batch] + spatial + list(data.shape[1 + m:]))
    index = [slice(None)] + [slice(crop_begin_list[i], spatial[i] - crop_end_list[i]) for i in range(m)]
    return joined[tuple(index)]


def correlation_nchw_python(data1, data2, kernel_size, max_displacement, stride1, stride2, padding, is_multiply):
    """FlowNet correlation, one output element at a time."""
    if isinstance(padding, int):
        padding = (padding, padding)
    top, left = padding[0], padding[1]
    bottom, right = (padding[2], padding[3]) if len(padding) == 4 else (top, left)
    pad = [(0, 0), (0, 0), (top, bottom), (left, right)]
    a, b = np.pad(data1, pad), np.pad(data2, pad)
    batch, channels, height, width = a.shape
    border = max_displacement + (kernel_size - 1) // 2
    radius = max_displacement // stride2
    size = 2 * radius + 1
    out_h = (height - 2 * border + stride1 - 1) // stride1
    out_w = (width - 2 * border + stride1 - 1) // stride1
    out = np.zeros((batch, size * size, out_h, out_w), data1.dtype)
    for q in range(size * size):
        dy, dx = (q // size - radius) * stride2, (q % size - radius) * stride2
        for i in range(out_h):
            for j in range(out_w):
                y, x = i * stride1 + max_displacement, j * stride1 + max_displacement
                p1 = a[:, :, y:y + kernel_size, x:x + kernel_size]
                p2 = b[:, :, y + dy:y + dy + kernel_size, x + dx:x + dx + kernel_size]
                value = p1 * p2 if is_multiply else np.abs(p1 - p2)
                out[:, q, i, j] = value.sum(axis=(1, 2, 3)) / (kernel_size * kernel_size * channels)
    return out
