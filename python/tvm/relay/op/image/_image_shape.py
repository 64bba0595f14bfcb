# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Shape functions of the image operators (resize, crop_and_resize, affine_grid,
grid_sample), mirroring src/relay/op/image/. None is data dependent."""
from .._shape_util import i64, dims, register, shapes


def _resize(n):
    letters = {1: "W", 2: "HW", 3: "DHW"}[n]

    def resize(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
        out = dims(inputs[0])
        layout = str(attrs.layout)
        for letter, size in zip(letters, attrs.size):
            out[layout.index(letter)] = i64(int(size))
        return [out]

    resize.__name__ = f"resize{n}d"
    return shapes(resize)


@shapes
def crop_and_resize(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, boxes = dims(inputs[0]), dims(inputs[1])
    crop = [i64(int(c)) for c in attrs.crop_size]
    if str(attrs.layout) == "NCHW":
        return [[boxes[0], data[1]] + crop]
    return [[boxes[0]] + crop + [data[3]]]


@shapes
def affine_grid(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    return [[dims(inputs[0])[0], i64(2)] + [i64(int(t)) for t in attrs.target_shape]]


@shapes
def grid_sample(attrs, inputs, out_ndims):  # pylint: disable=unused-argument
    data, grid = dims(inputs[0]), dims(inputs[1])
    return [data[:2] + grid[2:]]


for _n in (1, 2, 3):
    register(f"image.resize{_n}d", False, _resize(_n))
register("image.crop_and_resize", False, crop_and_resize)
register("image.affine_grid", False, affine_grid)
register("image.grid_sample", False, grid_sample)
