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

    def _int_attr(self, name, default=None):
        value = self._attr(name)
        if value is None:
            if default is None:
                raise AttributeError(f"target {self} has no attribute {name!r}")
            return default
        return int(value)

    @property
    def max_block_size_x(self):
        return self._int_attr("max_block_size_x")

    @property
    def max_block_size_y(self):
        return self._int_attr("max_block_size_y")

    @property
    def max_shared_memory_per_block(self):
        return self._int_attr("max_shared_memory_per_block")

    @property
    def max_function_args(self):
        return self._int_attr("max_function_args", 0)

    @property
    def vtcm_capacity(self):
        return self._int_attr("vtcm-capacity", 0)

    @property
    def l2_cache_size_bytes(self):
        return self._int_attr("l2_cache_size_bytes", 0)

    @property
    def supports_integer_dot_product(self):
        """Whether the target has integer dot-product instructions (CUDA: sm_61 and later)."""
        if self._attr("supports_integer_dot_product"):
            return True
        if self.kind.name == "cuda" and self.arch.startswith("sm_"):
            return int(self.arch.split("_")[1]) >= 61
        return False

    @property
    def supports_cooperative_matrix(self):
        return bool(self._attr("supports_cooperative_matrix", False))

    def export(self):
        """The target as a dict: kind, keys, host (as a dict) and every attribute set."""
        out = {"kind": self.kind.name, "keys": [str(k) for k in self.keys]}
        for key, value in self.attrs.items():
            out[str(key)] = value
        if self.host is not None:
            out["host"] = self.host.export()
        return out

    @staticmethod
    def canon_target(target):
        """A Target from a Target, a target string, or None (None)."""
        if target is None or isinstance(target, Target):
            return target
        return Target(target)

    @staticmethod
    def canon_target_and_host(target, target_host=None):
        """(target with target_host as its host, that host) in canonical form."""
        target = Target.canon_target(target)
        if target is None:
            if target_host is not None:
                raise ValueError("canon_target_and_host: a target host is given without a target")
            return None, None
        if target.host is None and target_host is not None:
            target = target.with_host(Target.canon_target(target_host))
        return target, target.host

    @staticmethod
    def canon_multi_target(multi_targets):
        """An Array of Targets from one target-like value, a list of them, or a
        legacy {device type: target} dict (whose keys are ignored); None stays None."""
        from ..runtime.container import Array, Map, convert

        if multi_targets is None:
            return None
        if isinstance(multi_targets, (dict, Map)):
            return Target.canon_multi_target(list(multi_targets.values()))
        if isinstance(multi_targets, (list, tuple, Array)):
            return convert([Target.canon_target(t) for t in multi_targets])
        return convert([Target.canon_target(multi_targets)])

    @staticmethod
    def canon_multi_target_and_host(target, target_host=None):
        """canon_multi_target(target), each with target_host as its host when it has none."""
        from ..runtime.container import convert

        targets = Target.canon_multi_target(target)
        if targets is None or len(targets) == 0:
            raise ValueError(f"canon_multi_target_and_host: no target given ({target!r})")
        if targets[0].host is None and target_host is not None:
            host = Target.canon_target(target_host)
            targets = convert([t.with_host(host) for t in targets])
        return targets

    @staticmethod
    def canon_target_map_and_host(target_map, target_host=None):
        """({Target with host: value}, the host) from {target-like: value}."""
        host = None
        out = {}
        for target, value in target_map.items():
            target = Target.canon_target(target)
            if target is None:
                raise ValueError("canon_target_map_and_host: a key of the target map is None")
            if host is None:
                host = target.host if target.host is not None else Target.canon_target(target_host)
            if target.host is None and host is not None:
                target = target.with_host(host)
            out[target] = value
        return out, host

    @staticmethod
    def target_or_current(target):
        """`target`, or the target in scope when it is None (ValueError if there is none)."""
        if target is None:
            target = Target.current()
        if target is None:
            raise ValueError("Target is not set in env or passed as argument.")
        return target


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
