# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Computes and schedules of the image operators (relay.image.*)."""
from .... import topi
from ..op import register_compute, register_schedule, register_injective_schedule, register_convert_op_layout
from .._tensor import op_exists


def _resize_compute(topi_func):
    def compute(attrs, inputs, out_type):
        layout = str(attrs.layout)
        # The output sizes the relation settled on, in the layout's spatial order.
        size = [out_type.shape[i] for i, c in enumerate(layout) if c in "DHW"]
        roi = [float(r) for r in attrs.roi] if attrs.roi else None
        return [topi_func(inputs[0], roi, size, layout, str(attrs.method), str(attrs.coordinate_transformation_mode),
                          str(attrs.rounding_method), float(attrs.cubic_alpha), int(attrs.cubic_exclude),
                          float(attrs.extrapolation_value), out_type.dtype)]

    return compute


for _n, _func in [(1, topi.image.resize1d), (2, topi.image.resize2d), (3, topi.image.resize3d)]:
    register_compute(f"image.resize{_n}d", _resize_compute(_func))
    register_injective_schedule(f"image.resize{_n}d")


@register_convert_op_layout("image.resize2d")
def _convert_resize2d_layout(attrs, inputs, tinfos, desired_layouts):  # pylint: disable=unused-argument
    """ConvertLayout: image.resize2d in the one layout asked for (NCHW or NHWC)."""
    from .image import resize2d  # pylint: disable=import-outside-toplevel

    layouts = [str(layout) for layout in desired_layouts]
    if len(layouts) != 1 or layouts[0] not in ("NCHW", "NHWC"):
        raise ValueError(f"ConvertLayout: image.resize2d takes [layout] with layout NCHW or NHWC, got {layouts}")
    if str(attrs.layout) == layouts[0]:
        return None
    new_attrs = {key: attrs[key] for key in attrs.keys()}
    new_attrs["layout"] = layouts[0]
    return resize2d(inputs[0], **new_attrs)

if op_exists("image.crop_and_resize"):

    @register_compute("image.crop_and_resize")
    def _crop_and_resize_compute(attrs, inputs, out_type):
        data, boxes, box_indices = inputs
        return [topi.image.crop_and_resize(data, boxes, box_indices, [int(s) for s in attrs.crop_size],
                                           str(attrs.layout), str(attrs.method), float(attrs.extrapolation_value),
                                           out_type.dtype)]

    register_injective_schedule("image.crop_and_resize")


def _dilation2d_schedule(attrs, outs, target):  # pylint: disable=unused-argument
    with target:
        return topi.generic.schedule_dilation2d_nchw(outs)


@register_compute("image.dilation2d")
def _dilation2d_compute(attrs, inputs, out_type):
    layout = str(attrs.data_layout)
    expected = {"NCHW": "IHW", "NHWC": "HWI"}
    if expected.get(layout) != str(attrs.kernel_layout):
        raise ValueError(f"image.dilation2d: layouts {layout}/{attrs.kernel_layout} are not supported "
                         "(NCHW/IHW or NHWC/HWI)")
    topi_func = topi.image.dilation2d_nchw if layout == "NCHW" else topi.image.dilation2d_nhwc
    return [topi_func(inputs[0], inputs[1], [int(s) for s in attrs.strides], [int(p) for p in attrs.padding],
                      [int(d) for d in attrs.dilations], out_type.dtype)]


register_schedule("image.dilation2d", _dilation2d_schedule)


@register_compute("image.grid_sample")
def _grid_sample_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.image.grid_sample(inputs[0], inputs[1], str(attrs.method), str(attrs.layout),
                                   str(attrs.padding_mode), bool(attrs.align_corners))]


@register_compute("image.affine_grid")
def _affine_grid_compute(attrs, inputs, out_type):  # pylint: disable=unused-argument
    return [topi.image.affine_grid(inputs[0], [int(s) for s in attrs.target_shape])]


register_injective_schedule("image.grid_sample")
register_injective_schedule("image.affine_grid")
