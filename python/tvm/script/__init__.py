# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""TVMScript: the loop IR written as decorated Python.

    from tvm.script import tir as T, ir as I

    @T.prim_func
    def main(A: T.Buffer((16,), "float32")):
        for i in T.serial(16):
            A[i] = A[i] * T.float32(2)

    tvm.script.from_source(main.script())   # parses the printed text back

Only the loop IR of this project is covered; block-based TensorIR
(T.block, T.axis, ...) raises an error naming the construct.
"""
from .parser import ir, tir, parse, from_source

ir_module = ir.ir_module
