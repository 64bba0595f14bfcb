# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Executor: how relay.build's result is run, and its options.

    relay.build(mod, "llvm", executor=Executor("graph"))

"graph" is the graph executor (graph JSON + kernels + params); "aot" names
TVM's ahead-of-time executor, which this project does not build yet.
"""
from ...error import _ERROR_TYPES

_OPTIONS = {
    "graph": {"link-params": bool},
    "aot": {"link-params": bool, "unpacked-api": bool, "interface-api": str, "workspace-byte-alignment": int,
            "constant-byte-alignment": int},
}


class Executor:
    """An executor kind ("graph" or "aot") and its options."""

    def __init__(self, name, options=None):
        if name not in _OPTIONS:
            raise _ERROR_TYPES["ValueError"](
                f"Executor: unknown executor {name!r}; known executors are {sorted(_OPTIONS)}"
            )
        options = dict(options or {})
        for key, value in options.items():
            expected = _OPTIONS[name].get(key)
            if expected is None:
                raise _ERROR_TYPES["ValueError"](
                    f"Executor {name!r}: unknown option {key!r}; known options are {sorted(_OPTIONS[name])}"
                )
            if not isinstance(value, expected):
                raise _ERROR_TYPES["TypeError"](
                    f"Executor {name!r}: option {key!r} must be a {expected.__name__}, got {value!r}"
                )
        self.name = name
        self.attrs = options

    def __getitem__(self, key):
        return self.attrs[key]

    def get(self, key, default=None):
        """The option `key`, or `default` when it was not given."""
        return self.attrs.get(key, default)

    def __eq__(self, other):
        return isinstance(other, Executor) and (self.name, self.attrs) == (other.name, other.attrs)

    def __hash__(self):
        return hash((self.name, tuple(sorted(self.attrs.items()))))

    def __repr__(self):
        return f"Executor({self.name!r}, {self.attrs!r})" if self.attrs else f"Executor({self.name!r})"
