# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Backend configuration: the runtime a compiled module is linked for."""
from .runtime import Runtime
from .executor import Executor
from . import _backend
from . import te_compiler
