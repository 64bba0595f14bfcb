# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""relay.vm: the VM compiler (an alias of relay.backend.vm)."""
from .backend.vm import *  # noqa: F401,F403
from .backend.vm import compile, VMCompiler, VMExecutor, Executable, VirtualMachine  # noqa: F401
