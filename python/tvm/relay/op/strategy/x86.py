# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Strategies for x86 CPUs (target key "cpu"): the generic implementations, plus the
x86 ones where the call's shapes, dtypes and the target's features allow them."""
from .generic import conv2d_strategy, dense_strategy, batch_matmul_strategy, matmul_strategy, dense_pack_strategy
from . import generic as _generic
from . import x86_int8 as _int8
from . import x86_gemm as _x86_gemm


@conv2d_strategy.register("cpu")
def conv2d_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.conv2d_strategy.fdefault(attrs, inputs, out_type, target)
    _int8.add_conv2d_int8(strategy, attrs, inputs, out_type, target)
    return strategy


@dense_strategy.register("cpu")
def dense_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.dense_strategy.fdefault(attrs, inputs, out_type, target)
    _int8.add_dense_int8(strategy, attrs, inputs, out_type, target)
    _x86_gemm.add_dense_float32(strategy, attrs, inputs, out_type, target)
    return strategy


@batch_matmul_strategy.register("cpu")
def batch_matmul_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.batch_matmul_strategy.fdefault(attrs, inputs, out_type, target)
    _int8.add_batch_matmul_int8(strategy, attrs, inputs, out_type, target)
    _x86_gemm.add_batch_matmul_float32(strategy, attrs, inputs, out_type, target)
    return strategy


@matmul_strategy.register("cpu")
def matmul_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.matmul_strategy.fdefault(attrs, inputs, out_type, target)
    _x86_gemm.add_matmul_float32(strategy, attrs, inputs, out_type, target)
    return strategy


@dense_pack_strategy.register("cpu")
def dense_pack_strategy_cpu(attrs, inputs, out_type, target):
    strategy = _generic.dense_pack_strategy.fdefault(attrs, inputs, out_type, target)
    _x86_gemm.add_dense_pack_float32(strategy, attrs, inputs, out_type, target)
    return strategy
