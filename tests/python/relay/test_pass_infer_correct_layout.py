"""FInferCorrectLayout hooks (relay.op.register_infer_correct_layout) in ConvertLayout: the
layouts a hook asks for, the exact graphs, the numbers, and the errors naming the operator."""
import numpy as np
import pytest

import tvm
from tvm import relay
from tvm.relay.testing.temp_op_attr import TempOpAttr
from tvm.relay.transform.infer_layout_utils import InferCorrectLayoutOutput


def convert(func):
    seq = tvm.transform.Sequential([relay.transform.InferType(),
                                    relay.transform.ConvertLayout({"nn.conv2d": ["NCHW", "default"]}),
                                    relay.transform.InferType()])
    with tvm.transform.PassContext(opt_level=3):
        return seq(tvm.IRModule.from_expr(func))


def typed(func):
    return relay.transform.InferType()(tvm.IRModule.from_expr(func))["main"]


def nhwc_conv():
    x = relay.var("x", shape=(1, 5, 5, 4))
    w = relay.var("w", shape=(3, 3, 4, 6))
    y = relay.nn.conv2d(x, w, padding=(1, 1), channels=6, kernel_size=(3, 3), data_layout="NHWC",
                        kernel_layout="HWIO")
    return x, w, y


def nchw_conv(x, w):
    return relay.nn.conv2d(relay.layout_transform(x, "NHWC", "NCHW"), relay.layout_transform(w, "HWIO", "OIHW"),
                           padding=(1, 1), channels=6, kernel_size=(3, 3))


def follow_first(attrs, new_in_layouts, old_in_layouts, old_in_types):
    """Every argument and the result in the first argument's layout."""
    layout = new_in_layouts[0]
    return InferCorrectLayoutOutput([layout] * len(new_in_layouts), [layout], attrs)


def test_hook_asked_with_the_original_and_the_current_layouts():
    seen = []

    def hook(attrs, new_in_layouts, old_in_layouts, old_in_types):
        seen.append(([l.name for l in new_in_layouts], [l.name for l in old_in_layouts],
                     [tuple(int(d) for d in t.shape) for t in old_in_types]))
        return follow_first(attrs, new_in_layouts, old_in_layouts, old_in_types)

    x, w, y = nhwc_conv()
    with TempOpAttr("sigmoid", "FInferCorrectLayout", hook):
        got = convert(relay.Function([x, w], relay.sigmoid(y)))
    assert seen == [(["NHWC"], ["NHWC"], [(1, 5, 5, 6)]), (["NCHW"], ["NHWC"], [(1, 5, 5, 6)])]
    want = relay.Function([x, w], relay.layout_transform(relay.sigmoid(nchw_conv(x, w)), "NCHW", "NHWC"))
    tvm.ir.assert_structural_equal(got["main"], typed(want))


def test_hook_naming_no_layout_gets_the_original():
    def keep_original(attrs, new_in_layouts, old_in_layouts, old_in_types):
        return InferCorrectLayoutOutput([None] * len(new_in_layouts), [None], attrs)

    x, w, y = nhwc_conv()
    with TempOpAttr("sigmoid", "FInferCorrectLayout", keep_original):
        got = convert(relay.Function([x, w], relay.sigmoid(y)))
    want = relay.Function([x, w], relay.sigmoid(relay.layout_transform(nchw_conv(x, w), "NCHW", "NHWC")))
    tvm.ir.assert_structural_equal(got["main"], typed(want))


def test_plain_argument_transformed_from_the_layout_the_hook_named():
    """add(conv, b) with b in the original NHWC: the hook reads both in the first argument's
    layout, so b goes NHWC -> NCHW; the numbers are the unconverted graph's."""
    x, w, y = nhwc_conv()
    b = relay.var("b", shape=(1, 5, 5, 6))
    func = relay.Function([x, w, b], relay.add(y, b))
    with TempOpAttr("add", "FInferCorrectLayout", follow_first):
        got = convert(func)
    want = relay.Function([x, w, b], relay.layout_transform(
        relay.add(nchw_conv(x, w), relay.layout_transform(b, "NHWC", "NCHW")), "NCHW", "NHWC"))
    tvm.ir.assert_structural_equal(got["main"], typed(want))
    rng = np.random.default_rng(0)
    args = [rng.standard_normal(s).astype("float32") for s in [(1, 5, 5, 4), (3, 3, 4, 6), (1, 5, 5, 6)]]
    run = lambda mod: relay.create_executor("graph", mod=mod, target="llvm").evaluate()(*args).numpy()
    np.testing.assert_allclose(run(got), run(tvm.IRModule.from_expr(func)), rtol=1e-5, atol=1e-5)


def test_hook_errors_name_the_operator():
    x, w, y = nhwc_conv()
    func = relay.Function([x, w], relay.sigmoid(y))
    with TempOpAttr("sigmoid", "FInferCorrectLayout", lambda *args: None):
        with pytest.raises(ValueError, match="hook of sigmoid must return an InferCorrectLayoutOutput"):
            convert(func)

    def wrong_result(attrs, new_in_layouts, old_in_layouts, old_in_types):
        return InferCorrectLayoutOutput(list(new_in_layouts), [tvm.tir.layout("NHWC")], attrs)

    with TempOpAttr("sigmoid", "FInferCorrectLayout", wrong_result):
        with pytest.raises(ValueError, match="hook of sigmoid gave a call of type"):
            convert(func)

    def no_such_axes(attrs, new_in_layouts, old_in_layouts, old_in_types):
        return InferCorrectLayoutOutput([tvm.tir.layout("NCD")], [None], attrs)

    with TempOpAttr("sigmoid", "FInferCorrectLayout", no_such_axes):
        with pytest.raises(ValueError, match="asks for argument 0 in layout NCD"):
            convert(func)


def test_tir_layout():
    layout = tvm.tir.layout("NCHW16c")
    assert (layout.name, len(layout), layout[4], layout.index_of("C"), layout.index_of("D")) == ("NCHW16c", 5, "c",
                                                                                                 1, -1)
    assert (layout.factor_of("c"), layout.factor_of("C"), layout.factor_of("H")) == (16, 16, -1)
    assert "c" in layout and "D" not in layout
    assert tvm.tir.layout("") is None
    for bad in ["NCHW16", "NCHc", "NCHWC", "nchw"]:
        with pytest.raises(ValueError, match=f'layout "{bad}" is malformed'):
            tvm.tir.layout(bad)
