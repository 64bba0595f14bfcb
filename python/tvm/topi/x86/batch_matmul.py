# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""float32 batch_matmul on x86: the register-blocked GEMM of gemm.py per batch.

Both operands are activations here, so the second one is packed into panels
on every run; that costs O(B*N*K) against O(B*M*N*K) multiply-adds, and each
panel is packed by the thread that then uses it. A batch of 1 on either side
broadcasts against the other's.
"""
from ..._ffi.registry import get_global_func
from ...target import Target
from . import gemm as _gemm

BATCH_MATMUL_TAG = "batch_matmul_pack"


def batch_matmul(tensor_a, tensor_b, out_shape=None, out_dtype=None, transpose_a=False, transpose_b=True,
                 config=None):
    """tensor_a (B|1, M, K) [or (B|1, K, M)] x tensor_b (B|1, K, N) [or (B|1, N, K), the default].

    config: a gemm.GemmConfig (the tuner's knobs); default: gemm.default_config for one batch.
    C++: include/tvm/topi/x86/batch_matmul.h."""
    del out_shape  # the output's shape follows from the operands'; symbolic extents stay expressions
    return get_global_func("topi.x86.batch_matmul")(tensor_a, tensor_b, out_dtype, bool(transpose_a),
                                                    bool(transpose_b), _gemm.config_array(config),
                                                    Target.current(allow_none=True), _gemm.l2_bytes())


def schedule_batch_matmul(outs, config=None):
    """Schedule of batch_matmul with the elementwise ops fused after it."""
    return _gemm.schedule_packed_gemm(outs, BATCH_MATMUL_TAG, config)
