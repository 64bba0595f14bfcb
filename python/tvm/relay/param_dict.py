# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.save_param_dict / load_param_dict: TVM's older names for the tvm.runtime functions."""
import warnings

from .. import runtime as _runtime


def save_param_dict(params):
    """Serialise a dict of str -> array to bytes (deprecated: use tvm.runtime.save_param_dict)."""
    warnings.warn("relay.save_param_dict is deprecated; use tvm.runtime.save_param_dict", DeprecationWarning,
                  stacklevel=2)
    return _runtime.save_param_dict(params)


def load_param_dict(param_bytes):
    """Read save_param_dict's bytes (deprecated: use tvm.runtime.load_param_dict)."""
    warnings.warn("relay.load_param_dict is deprecated; use tvm.runtime.load_param_dict", DeprecationWarning,
                  stacklevel=2)
    return _runtime.load_param_dict(param_bytes)
