# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The TVMScript parser: `ir` (I) and `tir` (T) namespaces and the entry points."""
from . import tir
from . import ir
from .core import parse, from_source
