# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TOPI: the operator library. Compute definitions of tensor operators (in C++,
include/tvm/topi) and their schedules, under TVM v0.14's names.

    A = te.placeholder((4, 3)); B = te.placeholder((3,))
    C = topi.add(A, B)                                  # broadcast, tag "broadcast"
    with tvm.target.Target("llvm"):
        s = topi.generic.schedule_injective(C)
"""
from . import _ffi_api
from . import tag
from . import utils
from .math import *
from .broadcast import *
from .reduction import *
from .transform import *
from .sort import *
from .scatter import *
from .searchsorted import *
from . import generic
from . import generic_op_impl
from . import x86
from . import arm_cpu
from .utils import InvalidShapeError

# Neural-network and image operators live in their own subpackages.
try:
    from . import nn
except ImportError:  # pragma: no cover - absent in a partial build
    pass
try:
    from . import image
except ImportError:  # pragma: no cover
    pass
from . import vision
