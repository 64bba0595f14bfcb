# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Generic schedules of the nn operators: those of tvm.topi.nn.schedules, under TVM's generic names."""
from ..nn import schedules as _nn_schedules

# The injective, reduction and extern schedules stay those of generic.injective.
_OWN = {"schedule_injective", "schedule_elemwise", "schedule_broadcast", "schedule_reduce", "schedule_extern"}
__all__ = [n for n in dir(_nn_schedules) if n.startswith("schedule_") and n not in _OWN]
globals().update({n: getattr(_nn_schedules, n) for n in __all__})
