# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.transform: passes and PassContext (see tvm.ir.transform)."""
from .ir.transform import *  # noqa: F401,F403
from .ir.transform import PassContext, PassInfo, Pass, ModulePass, Sequential, module_pass, PrintIR  # noqa: F401
