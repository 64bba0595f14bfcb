# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The features (node kinds and shapes) a Relay program may contain."""
from enum import IntEnum


class Feature(IntEnum):
    """What detect_feature reports (TVM's numbering)."""

    fVar = 0
    fGlobalVar = 1
    fConstant = 2
    fTuple = 3
    fTupleGetItem = 4
    fFunction = 5
    fOp = 6
    fCall = 7
    fLet = 8
    fIf = 9
    fRefCreate = 10
    fRefRead = 11
    fRefWrite = 12
    fConstructor = 13
    fMatch = 14
    # A non-atomic node is shared: the program is a graph, not a tree.
    fGraph = 15
    # A let-bound variable is used in its own value.
    fLetRec = 16
