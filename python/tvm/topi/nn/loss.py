# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Loss functions (computed in src/topi/nn_loss.cc)."""
from . import _ffi_api


def nll_loss(predictions, targets, weights, reduction="mean", ignore_index=-100):
    """Negative log likelihood of targets under predictions (N, C, d...), weighted per class."""
    return _ffi_api.nll_loss(predictions, targets, weights, reduction, int(ignore_index))
