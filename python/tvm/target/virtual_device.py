# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.target.VirtualDevice: where a value lives at run time and what code computes it."""
from .._ffi.registry import get_global_func, register_object
from ..runtime.object import Object
from .target import Target


@register_object("VirtualDevice")
class VirtualDevice(Object):
    """A device (type and index), a target and a memory scope; each may be left unconstrained
    (device None: type and index -1; target None; memory_scope "").

        VirtualDevice(tvm.cpu(), Target("llvm"))
    """

    def __init__(self, device=None, target=None, memory_scope=""):
        device_type, device_id = (-1, -1) if device is None else (int(device.device_type), int(device.device_id))
        if target is not None and not isinstance(target, Target):
            target = Target(target)
        self.__init_handle_by_constructor__(get_global_func("target.VirtualDevice"), device_type, device_id, target,
                                            str(memory_scope))

    @property
    def device_type(self):
        """The DLDeviceType code, -1 when not constrained."""
        return self.device_type_int
