# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.tir.Layout: a tensor's axes, ordered and split, as a string ("NCHW16c")."""
from .._ffi.registry import get_global_func, register_object
from ..runtime.object import Object


@register_object("tir.Layout")
class Layout(Object):
    """Upper-case letters are whole axes; a factor and a lower-case letter a sub-axis holding
    that many elements of its axis ("NCHW16c": C counts blocks of 16 channels, c indexes them).
    Build one with tvm.tir.layout."""

    def __len__(self):
        return len(self.axes)

    def __contains__(self, axis):
        return len(axis) == 1 and axis in str(self.axes)

    def __getitem__(self, index):
        axes = str(self.axes)
        if not -len(axes) <= index < len(axes):
            raise IndexError(f"layout {self.name}: axis index {index} out of range for {len(axes)} axes")
        return axes[index]

    def index_of(self, axis):
        """The position of `axis` (one letter), -1 when the layout has no such axis."""
        return int(get_global_func("tir.LayoutIndexOf")(self, axis))

    def factor_of(self, axis):
        """The size of `axis`'s sub-axis (either case of its letter), -1 when it is not split."""
        return int(get_global_func("tir.LayoutFactorOf")(self, axis))


def layout(layout_str, dtype="int32"):  # pylint: disable=unused-argument
    """The Layout of `layout_str`; None for the empty string (the undefined layout). dtype (the
    index type of TVM's axis variables) is accepted for TVM's signature."""
    return get_global_func("tir.Layout")(str(layout_str))
