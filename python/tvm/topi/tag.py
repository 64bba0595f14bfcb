# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The tags TOPI puts on operations (include/tvm/topi/tags.h): schedules and fusion read them."""
ELEMWISE = "elemwise"
BROADCAST = "broadcast"
INJECTIVE = "injective"
COMM_REDUCE = "comm_reduce"
COMM_REDUCE_IDX = "comm_reduce_idx"


def is_broadcast(tag):
    """Whether an operation with this tag is elementwise or broadcast."""
    if isinstance(tag, str):
        return tag.startswith(ELEMWISE) or tag.startswith(BROADCAST)
    return False


def is_injective(tag):
    """Whether an operation with this tag is injective (broadcast and elementwise included)."""
    if isinstance(tag, str):
        return is_broadcast(tag) or tag.startswith(INJECTIVE)
    return False
