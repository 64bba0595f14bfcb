# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The bridge to the C++ core: global functions and object classes."""
from .base import _core
from .registry import (
    register_object,
    register_func,
    get_global_func,
    list_global_func_names,
    remove_global_func,
    _init_api,
)
