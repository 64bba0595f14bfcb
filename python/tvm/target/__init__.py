# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Targets: what code is generated for."""
from .target import Target, TargetKind, cuda, list_kinds
from .virtual_device import VirtualDevice
from . import codegen
from . import x86
from .generic_func import generic_func, override_native_generic_func, get_native_generic_func
