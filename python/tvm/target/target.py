# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.target.Target (TVM v0.14 interface)."""
from .._ffi.registry import get_global_func, register_object
from ..runtime.object import Object


def _api(name):
    return get_global_func("target." + name)


@register_object("TargetKind")
class TargetKind(Object):
    """A kind of target ("llvm", "cuda", ...)."""

    @property
    def options(self):
        return dict(_api("TargetKindGetAttrTypes")(self.name).items())


@register_object("Target")
class Target(Object):
    """A compilation target, e.g. Target("llvm -mcpu=skylake-avx512").

    `-mcpu=native` resolves to this machine's CPU and features as LLVM sees
    them. Use as a context manager to make it Target.current().
    """

    def __init__(self, target, host=None):
        if isinstance(target, Target):
            if host is None:
                self.handle = target.handle
                return
            target = str(target)
        if isinstance(target, dict):
            raise NotImplementedError("dict target configs are not supported yet; use a target string")
        if host is not None and not isinstance(host, Target):
            host = Target(host)
        self.__init_handle_by_constructor__(_api("Target"), str(target), host)

    def __enter__(self):
        _api("TargetEnterScope")(self)
        return self

    def __exit__(self, ptype, value, trace):
        _api("TargetExitScope")(self)

    def __str__(self):
        return _api("TargetStr")(self)

    def __repr__(self):
        return str(self)

    @staticmethod
    def current(allow_none=True):
        """The innermost target in scope (None when there is none and allow_none)."""
        return _api("TargetCurrent")(allow_none)

    def with_host(self, host):
        return _api("WithHost")(self, host if isinstance(host, Target) else Target(host))

    def get_host(self):
        return _api("TargetGetHost")(self)

    def _attr(self, name, default=None):
        attrs = self.attrs
        return attrs[name] if name in attrs else default

    @property
    def mcpu(self):
        return self._attr("mcpu", "")

    @property
    def mattr(self):
        return list(self._attr("mattr", []))

    @property
    def mtriple(self):
        return self._attr("mtriple", "")

    @property
    def model(self):
        return self._attr("model", "unknown")

    @property
    def device_name(self):
        return self._attr("device", "")

    @property
    def libs(self):
        return list(self._attr("libs", []))

    @property
    def arch(self):
        return self._attr("arch", "")

    @property
    def max_num_threads(self):
        value = self._attr("max_num_threads")
        return int(value) if value is not None else None

    @property
    def thread_warp_size(self):
        value = self._attr("thread_warp_size")
        return int(value) if value is not None else None

    @property
    def num_cores(self):
        value = self._attr("num-cores")
        return int(value) if value is not None else None

    @property
    def features(self):
        return list(self.mattr)

    @staticmethod
    def list_kinds():
        return list_kinds()


def list_kinds():
    """Names of the registered target kinds."""
    return list(_api("ListTargetKinds")())


def cuda(model="unknown", arch=None, options=None):
    """A CUDA target ("cuda -model=... -arch=sm_XX")."""
    parts = ["cuda", f"-model={model}"]
    if arch:
        parts.append(f"-arch={arch}")
    parts += list(options or [])
    return Target(" ".join(parts))
