# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Parameter dicts: named arrays saved in TVM's binary format (what graph executors load)."""
import os

from .._ffi.registry import get_global_func


def _to_arrays(params):
    from . import ndarray as _nd

    if not hasattr(params, "items"):
        raise TypeError(f"save_param_dict expects a dict of name -> array, got {type(params).__name__}")
    out = {}
    for name, value in params.items():
        if not isinstance(name, str):
            raise TypeError(f"save_param_dict: parameter names must be str, got {name!r}")
        out[name] = value if isinstance(value, _nd.NDArray) else _nd.array(value)
    return out


def save_param_dict(params):
    """Serialise a dict of str -> NDArray (or numpy array) to bytes.

    The bytes are what `GraphModule.load_params` and `load_param_dict` read.
    """
    return bytearray(get_global_func("runtime.SaveParams")(_to_arrays(params)))


def save_param_dict_to_file(params, path):
    """Write save_param_dict's bytes to a file."""
    get_global_func("runtime.SaveParamsToFile")(_to_arrays(params), os.fspath(path))


def load_param_dict(param_bytes):
    """Read the bytes of save_param_dict back into a Map of str -> NDArray.

    Raises ValueError on bytes that are not a parameter dict, or are truncated or corrupted.
    """
    if isinstance(param_bytes, str):
        param_bytes = param_bytes.encode("latin-1")
    if not isinstance(param_bytes, (bytes, bytearray, memoryview)):
        raise TypeError(f"load_param_dict expects bytes, got {type(param_bytes).__name__}")
    return get_global_func("runtime.LoadParams")(bytes(param_bytes))


def load_param_dict_from_file(path):
    """Read a parameter dict file written by save_param_dict_to_file."""
    return get_global_func("runtime.LoadParamsFromFile")(os.fspath(path))
