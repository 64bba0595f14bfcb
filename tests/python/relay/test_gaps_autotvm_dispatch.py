# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""tvm.autotvm dispatch contexts and tuning records, tvm.contrib.cudnn.exists,
topi.cuda.conv3d_winograd._infer_tile_size."""
import json

import numpy as np
import pytest

import tvm
from tvm import autotvm
from tvm.autotvm.task.space import FallbackConfigEntity, OtherOptionEntity, SplitEntity

TARGET = "llvm -device=arm_cpu"
WORKLOAD_ARGS = [["TENSOR", [1, 8, 4, 4], "float32"], ["TENSOR", [8, 1, 3, 3], "float32"], [1, 1], "float32"]


def _record(cost, tile, error_no=0, target=TARGET, task="depthwise_conv2d_nchw.arm_cpu"):
    return json.dumps(
        {
            "input": [target, task, WORKLOAD_ARGS, {}],
            "config": {"index": 7, "code_hash": None, "entity": [["tile_co", "sp", [-1, tile]], ["unroll", "ot", 1]]},
            "result": [[cost, cost], error_no, 1.5, 1700000000.0],
            "version": 0.2,
            "tvm_version": "0.14.0",
        }
    )


WORKLOAD = ("depthwise_conv2d_nchw.arm_cpu", ("TENSOR", (1, 8, 4, 4), "float32"),
            ("TENSOR", (8, 1, 3, 3), "float32"), (1, 1), "float32")


def test_fallback_context_is_the_outermost_and_remembers():
    ctx = autotvm.DispatchContext.current
    assert isinstance(ctx, autotvm.FallbackContext)
    cfg = ctx.query(tvm.target.Target("llvm"), ("op", 1))
    assert cfg.is_fallback and ctx.query(tvm.target.Target("llvm"), ("op", 1)) is cfg


def test_a_subclassed_fallback_context_nests():
    class Fixed(autotvm.FallbackContext):
        def _query_inside(self, target, workload):
            if workload in self.memory:
                return self.memory[workload]
            cfg = FallbackConfigEntity()
            cfg.is_fallback = False
            cfg["tile_x"] = SplitEntity([-1, 4])
            cfg["unroll"] = OtherOptionEntity(1500)
            self.memory[workload] = cfg
            return cfg

    outer = autotvm.DispatchContext.current
    with Fixed() as ctx:
        assert autotvm.DispatchContext.current is ctx
        cfg = ctx.query("llvm", ("conv", 3))
        assert cfg["tile_x"].size == [-1, 4] and cfg["unroll"].val == 1500 and not cfg.is_fallback
    assert autotvm.DispatchContext.current is outer
    with pytest.raises(KeyError, match="no knob 'missing'"):
        FallbackConfigEntity()["missing"]
    with pytest.raises(TypeError, match="SplitEntity"):
        FallbackConfigEntity()["x"] = 4


def test_apply_history_best_keeps_the_fastest(tmp_path):
    log = tmp_path / "tuning.log"
    rows = [
        _record(3e-4, 4),
        _record(1e-4, 8),  # the fastest
        _record(1e-5, 16, error_no=4),  # failed: ignored
        # a record of log version 0.1 is skipped
        json.dumps({"i": [TARGET, "x", [], {}, ["x"], {"i": 1, "t": "", "c": None, "e": []}], "r": [[1.0], 0, 1, 1], "v": 0.1}),
        "# a comment",
    ]
    log.write_text("\n".join(rows) + "\n")
    with autotvm.apply_history_best(str(log)) as ctx:
        cfg = autotvm.DispatchContext.current.query(tvm.target.Target(TARGET), WORKLOAD)
        assert cfg["tile_co"].size == [-1, 8] and cfg.cost == pytest.approx(1e-4)
        # Looked up by target key: any "cpu" target finds the arm_cpu record's "cpu" key.
        assert ctx.query(tvm.target.Target("llvm"), WORKLOAD) is cfg
        # An unknown workload falls through to the fallback context.
        assert ctx.query(tvm.target.Target(TARGET), ("other",)).is_fallback


def test_records_round_trip():
    inp, res = autotvm.record.decode(_record(2e-4, 4))
    assert inp.task.workload == WORKLOAD and str(inp.target).startswith("llvm")
    assert res.costs == (2e-4, 2e-4) and res.error_no == 0
    again = json.loads(autotvm.record.encode(inp, res))
    assert again["config"]["entity"] == [["tile_co", "sp", [-1, 4]], ["unroll", "ot", 1]]
    assert again["input"][1] == "depthwise_conv2d_nchw.arm_cpu" and again["version"] == 0.2
    with pytest.raises(ValueError, match="not a JSON line"):
        autotvm.record.decode("{oops")
    with pytest.raises(ValueError, match="unknown configuration entity code 'zz'"):
        autotvm.task.ConfigEntity.from_json_dict({"index": 0, "entity": [["k", "zz", 1]]})


def test_apply_history_best_needs_a_target():
    with autotvm.apply_history_best([]) as ctx:
        with pytest.raises(RuntimeError, match="target"):
            ctx.query(None, WORKLOAD)


def test_cudnn_is_not_available():
    from tvm.contrib import cudnn

    assert cudnn.exists() is False


def test_winograd_tile_size():
    from tvm.topi.cuda.conv3d_winograd import _infer_tile_size

    assert _infer_tile_size(np.zeros((1, 4, 8, 16, 16)), np.zeros((8, 4, 3, 3, 3))) == 4
    assert _infer_tile_size(np.zeros((1, 4, 8, 12, 16)), np.zeros((8, 4, 3, 3, 3))) == 2
    x = tvm.te.placeholder((1, 4, 8, 24, 24))
    assert _infer_tile_size(x, None) == 4
    with pytest.raises(ValueError, match="NCDHW"):
        _infer_tile_size(np.zeros((1, 4, 16, 16)), None)
