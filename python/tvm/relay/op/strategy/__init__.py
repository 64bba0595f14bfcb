# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Operator strategies (TVM's relay.op.strategy): per target, the implementations an
operator offers. `generic` has the target-independent ones; `x86` overrides them for
"cpu" targets. The TE compiler takes the highest-plevel implementation."""
from .generic import *  # noqa: F401,F403
from . import x86  # noqa: F401 (registers the "cpu" overrides)
from ..op import register_strategy as _register_strategy

_register_strategy("nn.conv2d", conv2d_strategy)  # noqa: F405
_register_strategy("nn.dense", dense_strategy)  # noqa: F405
_register_strategy("nn.batch_matmul", batch_matmul_strategy)  # noqa: F405
_register_strategy("nn.matmul", matmul_strategy)  # noqa: F405
_register_strategy("nn.contrib_dense_pack", dense_pack_strategy)  # noqa: F405
# nn.contrib_conv2d_NCHWc and nn.contrib_depthwise_conv2d_NCHWc: FTVMStrategy in C++
# (src/relay/op/strategy/x86_conv2d_nchwc.cc).
_register_strategy("nn.softmax", softmax_strategy)  # noqa: F405
