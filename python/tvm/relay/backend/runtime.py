# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Runtime: which runtime a compiled module is meant for, and its options.

    tvm.build(s, args, "llvm", runtime=Runtime("cpp"))
    tvm.build(s, args, "llvm", runtime=Runtime("crt", {"system-lib": True}))

"cpp" is this project's runtime (libtvm_runtime); "crt" names TVM's C runtime
for microcontrollers. The CPU code generator emits the same object code for
both. With "system-lib" the code also registers its functions at start-up
(TVMBackendRegisterSystemLibSymbol), so a program that links the saved object
file finds them through `tvm.runtime.system_lib()` / "runtime.SystemLib".
"""
from ...error import _ERROR_TYPES

# The options each runtime accepts, with their types.
_OPTIONS = {
    "cpp": {"system-lib": bool},
    "crt": {"system-lib": bool},
}


class Runtime:
    """A runtime kind ("cpp" or "crt") and its options ({"system-lib": True})."""

    def __init__(self, name, options=None):
        if name not in _OPTIONS:
            raise _ERROR_TYPES["ValueError"](
                f"Runtime: unknown runtime {name!r}; known runtimes are {sorted(_OPTIONS)}"
            )
        options = dict(options or {})
        for key, value in options.items():
            expected = _OPTIONS[name].get(key)
            if expected is None:
                raise _ERROR_TYPES["ValueError"](
                    f"Runtime {name!r}: unknown option {key!r}; known options are {sorted(_OPTIONS[name])}"
                )
            if not isinstance(value, expected):
                raise _ERROR_TYPES["TypeError"](
                    f"Runtime {name!r}: option {key!r} must be a {expected.__name__}, got {value!r}"
                )
        self.name = name
        self.attrs = options

    def __getitem__(self, key):
        return self.attrs[key]

    def get(self, key, default=None):
        """The option `key`, or `default` when it was not given."""
        return self.attrs.get(key, default)

    def __eq__(self, other):
        return isinstance(other, Runtime) and (self.name, self.attrs) == (other.name, other.attrs)

    def __hash__(self):
        return hash((self.name, tuple(sorted(self.attrs.items()))))

    def __repr__(self):
        return f"Runtime({self.name!r}, {self.attrs!r})" if self.attrs else f"Runtime({self.name!r})"
