"""The example compiler (apps/cpp_compile), built against a fresh install with find_package(tvm):
`tvm_compile model.relay params target out.so` compiles with no Python in its process and writes
the library Python's relay.build(...).export_library(...) writes, byte for byte; the library runs
and matches numpy; bad input is a clear error."""

import os
import pathlib
import shutil
import subprocess

import numpy as np
import pytest

from conftest import cmake_configure_args, run_checked

APP_SRC = pathlib.Path(__file__).resolve().parents[3] / "apps" / "cpp_compile"

# The operator attributes relay.build reads; one that Python has and the C++ process lacks
# means the operator is still registered from Python.
BUILD_ATTRS = ["FTVMCompute", "FTVMStrategy", "FTVMSchedule", "FTVMAlterOpLayout", "TOpPattern"]

PROBE_SRC = r"""
// Prints "<op> <attr>" for each attribute of each operator named on the command line that
// this process (libtvm.so, no Python) has.
#include <tvm/ir/op.h>
#include <iostream>
#include <sstream>
#include <string>
int main(int argc, char** argv) {
  std::stringstream attrs(argv[1]);
  std::vector<std::string> names;
  for (std::string a; std::getline(attrs, a, ',');) names.push_back(a);
  for (int i = 2; i < argc; ++i) {
    tvm::Op op = tvm::Op::Get(argv[i]);
    for (const std::string& a : names) {
      if (tvm::Op::HasAttrMap(a) && tvm::Op::GetAttrMapContainer(a).count(op)) std::cout << argv[i] << " " << a << "\n";
    }
  }
}
"""


@pytest.fixture(scope="module")
def app(request, tmp_path_factory):
    """(path of tvm_compile, path of the attribute probe)."""
    install_prefix = request.getfixturevalue("install_prefix")
    build = tmp_path_factory.mktemp("cpp-compile-build")
    run_checked(cmake_configure_args(APP_SRC, build, install_prefix))
    run_checked(["cmake", "--build", build])
    binary = build / "tvm_compile"
    # No Python anywhere in the compiler's process.
    ldd = run_checked(["ldd", binary]).stdout
    assert "libpython" not in ldd, ldd
    libdir = next(p.parent for p in install_prefix.glob("**/libtvm.so"))
    probe_src = build / "probe.cc"
    probe_src.write_text(PROBE_SRC)
    probe = build / "probe"
    run_checked([os.environ.get("CXX") or shutil.which("g++") or "c++", "-std=c++17", "-O0", probe_src, "-o", probe,
                 f"-I{install_prefix / 'include'}", f"-L{libdir}", "-ltvm", "-ltvm_runtime", f"-Wl,-rpath,{libdir}"])
    return binary, probe


PLUGIN_SRC = r"""
// Two operators registered from C++ only (no Python anywhere): x * 2 + 1 and a + b.
#include <tvm/relay/op.h>
#include <tvm/te/operation.h>
namespace {
using namespace tvm;         // NOLINT(*)
using namespace tvm::relay;  // NOLINT(*)
bool SameType(const Array<Type>& types, int num_inputs, const Attrs&, const TypeReporter& reporter) {
  if (!types[0].as<TensorTypeNode>()) return false;
  for (int i = 1; i <= num_inputs; ++i) reporter->Assign(types[i], types[0]);
  return true;
}
TVM_REGISTER_OP("cpp_compile_test.scale_shift")
    .set_num_inputs(1)
    .add_argument("x", "Tensor", "the input")
    .add_type_rel("CppCompileTestSameType", SameType)
    .set_attr<TOpPattern>("TOpPattern", kElemWise)
    .set_attr<FTVMCompute>("FTVMCompute", [](const Attrs&, const Array<te::Tensor>& in, const Type&) {
      te::Tensor x = in[0];
      return Array<te::Tensor>{te::compute(x->shape, [&](const Array<tir::Var>& i) {
        return x(Array<PrimExpr>(i.begin(), i.end())) * 2.0f + 1.0f; }, "scale_shift")};
    });
TVM_REGISTER_OP("cpp_compile_test.add")
    .set_num_inputs(2)
    .add_argument("a", "Tensor", "the left input")
    .add_argument("b", "Tensor", "the right input, of the left one's type")
    .add_type_rel("CppCompileTestSameType2", SameType)
    .set_attr<TOpPattern>("TOpPattern", kElemWise)
    .set_attr<FTVMCompute>("FTVMCompute", [](const Attrs&, const Array<te::Tensor>& in, const Type&) {
      te::Tensor a = in[0], b = in[1];
      return Array<te::Tensor>{te::compute(a->shape, [&](const Array<tir::Var>& i) {
        Array<PrimExpr> index(i.begin(), i.end());
        return a(index) + b(index); }, "add")};
    });
}  // namespace
"""


@pytest.fixture(scope="module")
def plugin(app, build_dir, install_prefix):
    """A library registering two operators from C++, linked against the libtvm.so that both this
    Python process and the compiler load (by its soname), so its registrations reach either."""
    import tvm  # pylint: disable=import-outside-toplevel  (libtvm first, then the plugin into it)
    import ctypes  # pylint: disable=import-outside-toplevel

    src = app[0].parent / "plugin.cc"
    src.write_text(PLUGIN_SRC)
    lib = app[0].parent / "libcpp_compile_test_ops.so"
    include = install_prefix / "include"
    run_checked([os.environ.get("CXX") or shutil.which("g++") or "c++", "-std=c++17", "-O0", "-shared", "-fPIC",
                 src, "-o", lib, f"-I{include}", f"-L{build_dir / 'lib'}", "-ltvm", "-ltvm_runtime"])
    ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
    assert tvm.ir.Op.get("cpp_compile_test.scale_shift").has_attr("FTVMCompute")
    return lib


def compile_cpp(app, *args):
    return subprocess.run([str(app[0]), *map(str, args)], capture_output=True, text=True, timeout=600)


def python_only_ops(app, mod, params=None, opt_level=2):
    """The operators of mod, and of mod after relay.build's passes (AlterOpLayout brings new
    ones), whose build attributes the C++ process lacks and Python has, as "op (attr, ...)"."""
    import tvm  # pylint: disable=import-outside-toplevel

    ops = set()

    def collect(e):
        if isinstance(e, tvm.relay.Call) and isinstance(e.op, tvm.ir.Op):
            ops.add(e.op.name)

    tvm.relay.analysis.post_order_visit(mod["main"], collect)
    with tvm.target.Target("llvm"), tvm.transform.PassContext(opt_level=opt_level):
        optimized, _ = tvm.relay.optimize(mod, params=params)
    tvm.relay.analysis.post_order_visit(optimized["main"], collect)
    ops = sorted(ops)
    out = run_checked([app[1], ",".join(BUILD_ATTRS), *ops]).stdout.split("\n")
    in_cpp = {tuple(line.split()) for line in out if line}
    missing = []
    for name in ops:
        lacks = [a for a in BUILD_ATTRS if tvm.ir.Op.get(name).has_attr(a) and (name, a) not in in_cpp]
        if lacks == ["FTVMSchedule"] and (name, "FTVMStrategy") in in_cpp:
            continue  # the strategy's implementation schedules the kernel, in either process
        if lacks:
            missing.append(f"{name} ({', '.join(lacks)})")
    return missing


def small_cnn():
    """conv2d (NCHWc at opt_level 3), bias_add, relu, max_pool2d, a residual add, global average
    pool, batch_flatten and dense at batch 1: (text, params)."""
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(0)
    x = relay.var("data", shape=(1, 3, 16, 16))
    w1, b1 = relay.var("w1", shape=(8, 3, 3, 3)), relay.var("b1", shape=(8,))
    w2, b2 = relay.var("w2", shape=(8, 8, 3, 3)), relay.var("b2", shape=(8,))
    wd, bd = relay.var("wd", shape=(10, 8)), relay.var("bd", shape=(10,))
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, w1, padding=(1, 1), channels=8, kernel_size=(3, 3)), b1))
    y = relay.nn.max_pool2d(y, pool_size=(2, 2), strides=(2, 2))
    z = relay.nn.bias_add(relay.nn.conv2d(y, w2, padding=(1, 1), channels=8, kernel_size=(3, 3)), b2)
    y = relay.nn.relu(relay.add(z, y))
    y = relay.nn.batch_flatten(relay.nn.global_avg_pool2d(y))
    y = relay.nn.bias_add(relay.nn.dense(y, wd), bd)
    func = relay.Function([x, w1, b1, w2, b2, wd, bd], y)
    mod = tvm.IRModule.from_expr(func)
    params = {}
    for v in func.params[1:]:
        shape = [int(d) for d in v.type_annotation.shape]
        params[v.name_hint] = rng.uniform(-0.5, 0.5, shape).astype("float32")
    return mod.astext(show_meta_data=False), params


def reference(data, params):
    """small_cnn in numpy (float64)."""
    def conv(x, w, b):
        n, c, h, wd = x.shape
        xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
        out = np.zeros((n, w.shape[0], h, wd))
        for i in range(3):
            for j in range(3):
                out += np.einsum("nchw,oc->nohw", xp[:, :, i:i + h, j:j + wd], w[:, :, i, j])
        return out + b.reshape(1, -1, 1, 1)

    p = {k: v.astype("float64") for k, v in params.items()}
    y = np.maximum(conv(data.astype("float64"), p["w1"], p["b1"]), 0)
    y = y.reshape(1, 8, 8, 2, 8, 2).max(axis=(3, 5))
    y = np.maximum(conv(y, p["w2"], p["b2"]) + y, 0)
    y = y.mean(axis=(2, 3))
    return y @ p["wd"].T + p["bd"]


def write_model(tmp_path, text, params):
    import tvm  # pylint: disable=import-outside-toplevel

    model = tmp_path / "model.relay"
    model.write_text(text)
    params_path = tmp_path / "model.params"
    params_path.write_bytes(tvm.runtime.save_param_dict({k: tvm.nd.array(v) for k, v in params.items()}))
    return model, params_path


def python_export(text, params, target, opt_level, path):
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel

    mod = tvm.parser.parse(text)
    with tvm.transform.PassContext(opt_level=opt_level):
        factory = relay.build(mod, target, params=params)
    factory.export_library(str(path))


def compile_both(app, tmp_path, text, params, opt_level):
    """(C++ library, Python library) of the same text, params and opt_level for llvm. Skips only
    where an operator is still registered from Python alone and that explains a failure or a
    difference; anything else is a failure."""
    import tvm  # pylint: disable=import-outside-toplevel

    model, params_path = write_model(tmp_path, text, params)
    out_cpp, out_py = tmp_path / "cpp.so", tmp_path / "py.so"
    proc = compile_cpp(app, "--opt-level", opt_level, model, params_path, "llvm", out_cpp)
    missing = python_only_ops(app, tvm.parser.parse(text), params, opt_level)
    if proc.returncode != 0:
        if missing and "registered from Python" in proc.stderr:
            pytest.skip("operators still registered from Python only: " + "; ".join(missing))
        pytest.fail(proc.stderr)
    python_export(text, params, "llvm", opt_level, out_py)
    if out_cpp.read_bytes() != out_py.read_bytes():
        if missing:
            pytest.skip("the libraries differ while these operators are still registered from Python only "
                        "(the C++ process lacks their attributes): " + "; ".join(missing))
        pytest.fail("the C++ compiler's library differs from Python's, and every operator is registered from C++")
    return out_cpp, model, params_path


@pytest.mark.parametrize("opt_level", [0, 2, 3])
def test_same_library_as_python_and_runs(app, tmp_path, opt_level):
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    text, params = small_cnn()
    out_cpp, model, params_path = compile_both(app, tmp_path, text, params, opt_level)

    # Built twice by the C++ compiler: the same bytes again.
    again = tmp_path / "again.so"
    assert compile_cpp(app, "--opt-level", opt_level, model, params_path, "llvm", again).returncode == 0
    assert again.read_bytes() == out_cpp.read_bytes()

    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    data = np.random.default_rng(1).uniform(-1, 1, (1, 3, 16, 16)).astype("float32")
    gmod.set_input("data", data)
    gmod.run()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), reference(data, params), rtol=1e-4, atol=1e-4)


def mobilenet_block():
    """A MobileNet-v2 inverted residual at batch 1: 1x1 expansion, strided 3x3 depthwise, 1x1
    projection, with bias and relu6 (clip): (text, params)."""
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(2)
    x = relay.var("data", shape=(1, 8, 15, 15))
    we, be = relay.var("we", shape=(24, 8, 1, 1)), relay.var("be", shape=(24,))
    wdw, bdw = relay.var("wdw", shape=(24, 1, 3, 3)), relay.var("bdw", shape=(24,))
    wp, bp = relay.var("wp", shape=(12, 24, 1, 1)), relay.var("bp", shape=(12,))
    y = relay.clip(relay.nn.bias_add(relay.nn.conv2d(x, we, channels=24, kernel_size=(1, 1)), be), 0.0, 6.0)
    y = relay.nn.conv2d(y, wdw, strides=(2, 2), padding=(1, 1), groups=24, channels=24, kernel_size=(3, 3))
    y = relay.clip(relay.nn.bias_add(y, bdw), 0.0, 6.0)
    y = relay.nn.bias_add(relay.nn.conv2d(y, wp, channels=12, kernel_size=(1, 1)), bp)
    func = relay.Function([x, we, be, wdw, bdw, wp, bp], y)
    params = {}
    for v in func.params[1:]:
        shape = [int(d) for d in v.type_annotation.shape]
        params[v.name_hint] = rng.uniform(-0.5, 0.5, shape).astype("float32")
    return tvm.IRModule.from_expr(func).astext(show_meta_data=False), params


@pytest.mark.parametrize("opt_level", [0, 2])
def test_depthwise_block_same_library_as_python_and_runs(app, tmp_path, opt_level):
    """nn.conv2d stays plain below opt_level 3: the C++ strategy picks conv2d_nchw.x86 and
    depthwise_conv2d_nchw.x86 as Python's does, so the libraries are byte-identical."""
    import torch  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    text, params = mobilenet_block()
    out_cpp, _, _ = compile_both(app, tmp_path, text, params, opt_level)
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    data = np.random.default_rng(3).uniform(-1, 1, (1, 8, 15, 15)).astype("float32")
    gmod.set_input("data", data)
    gmod.run()

    p = {k: torch.from_numpy(v.astype("float64")) for k, v in params.items()}
    f = torch.nn.functional
    y = f.conv2d(torch.from_numpy(data.astype("float64")), p["we"], p["be"]).clamp(0, 6)
    y = f.conv2d(y, p["wdw"], p["bdw"], stride=2, padding=1, groups=24).clamp(0, 6)
    y = f.conv2d(y, p["wp"], p["bp"])
    np.testing.assert_allclose(gmod.get_output(0).numpy(), y.numpy(), rtol=1e-5, atol=1e-5)


def winograd_block():
    """Two 3x3 convolutions AlterOpLayout turns into Winograd ones at opt_level 3 (F(4x4) at
    28x28, F(2x2) at 14x14 after a pool), with bias, relu and a residual add: (text, params)."""
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel

    rng = np.random.default_rng(4)
    x = relay.var("data", shape=(1, 32, 28, 28))
    w1, b1 = relay.var("w1", shape=(32, 32, 3, 3)), relay.var("b1", shape=(32,))
    w2 = relay.var("w2", shape=(32, 32, 3, 3))
    y = relay.nn.relu(relay.nn.bias_add(relay.nn.conv2d(x, w1, padding=(1, 1), channels=32, kernel_size=(3, 3)), b1))
    y = relay.nn.max_pool2d(y, pool_size=(2, 2), strides=(2, 2))
    y = relay.nn.relu(relay.add(relay.nn.conv2d(y, w2, padding=(1, 1), channels=32, kernel_size=(3, 3)), y))
    func = relay.Function([x, w1, b1, w2], y)
    params = {}
    for v in func.params[1:]:
        shape = [int(d) for d in v.type_annotation.shape]
        params[v.name_hint] = rng.uniform(-0.3, 0.3, shape).astype("float32")
    return tvm.IRModule.from_expr(func).astext(show_meta_data=False), params


def test_winograd_block_same_library_as_python_and_runs(app, tmp_path):
    """Winograd's weight transform is folded by the C++ evaluator and its kernels built by the C++
    strategy: the same bytes as Python's build; the library matches torch."""
    import torch  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    text, params = winograd_block()
    with tvm.transform.PassContext(opt_level=3):
        graph = relay.build(tvm.parser.parse(text), "llvm", params=params).get_graph_json()
    assert graph.count("winograd") >= 2, "the block no longer exercises the Winograd convolution"
    out_cpp, _, _ = compile_both(app, tmp_path, text, params, 3)
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    data = np.random.default_rng(5).uniform(-1, 1, (1, 32, 28, 28)).astype("float32")
    gmod.set_input("data", data)
    gmod.run()

    p = {k: torch.from_numpy(v.astype("float64")) for k, v in params.items()}
    f = torch.nn.functional
    y = f.conv2d(torch.from_numpy(data.astype("float64")), p["w1"], p["b1"], padding=1).relu()
    y = f.max_pool2d(y, 2)
    y = (f.conv2d(y, p["w2"], padding=1) + y).relu().numpy()
    # Winograd's transforms round differently from a direct sum: relative to the output's scale.
    assert np.abs(gmod.get_output(0).numpy() - y).max() / np.abs(y).max() < 1e-5

def transformer_encoder():
    """torch.nn.TransformerEncoder (2 layers, d_model 64, 4 heads, FFN 128, sequence 16, batch 1,
    sequence-first) through relay.frontend.from_pytorch: dense, batch_matmul, softmax, layer_norm
    (mean and variance after SimplifyInference), relu, reshape/transpose/split. (model, input, text,
    params)."""
    import re  # pylint: disable=import-outside-toplevel
    import torch  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel

    torch.manual_seed(0)
    layer = torch.nn.TransformerEncoderLayer(d_model=64, nhead=4, dim_feedforward=128, dropout=0.0)
    model = torch.nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False).eval()
    x = torch.randn(16, 1, 64, generator=torch.Generator().manual_seed(1))
    mod, params = relay.frontend.from_pytorch(torch.jit.trace(model, x), [("input", (16, 1, 64))])
    params = {re.sub(r"[^A-Za-z0-9_/]", "_", k): v.numpy() for k, v in params.items()}
    text = mod.astext(show_meta_data=True)
    return model, x, text, params


@pytest.mark.parametrize("opt_level", [0, 2, 3])
def test_transformer_encoder_same_library_as_python_and_runs(app, tmp_path, opt_level):
    """A transformer encoder: the packed GEMM (dense_pack, its weight pre-packed by AlterOpLayout
    at opt_level 3), batch_matmul, softmax and the x86 reduction schedule (layer_norm's mean and
    variance) from C++, byte for byte Python's library; the numbers against torch."""
    import torch  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    model, x, text, params = transformer_encoder()
    out_cpp, _, _ = compile_both(app, tmp_path, text, params, opt_level)
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    gmod.set_input("input", x.numpy())
    gmod.run()
    with torch.no_grad():
        want = model.double()(x.double()).numpy()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), want, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("opt_level", [0, 2, 3])
def test_cpp_registered_operators_same_library_as_python(app, plugin, tmp_path, opt_level):
    """Operators registered from C++ only: the C++ compiler and Python write the same bytes,
    bound params folded (FoldConstant's C++ evaluator) and fused alike; the library computes."""
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    text = """#[version = "0.0.5"]
def @main(%x: Tensor[(2, 8), float32], %w: Tensor[(2, 8), float32], %b: Tensor[(2, 8), float32]) {
  %0 = cpp_compile_test.scale_shift(%x);
  %1 = cpp_compile_test.add(%0, %w);
  %2 = cpp_compile_test.scale_shift(%1);
  %3 = cpp_compile_test.scale_shift(%b);
  cpp_compile_test.add(%2, %3)
}
"""
    rng = np.random.default_rng(2)
    params = {"w": rng.uniform(-1, 1, (2, 8)).astype("float32"), "b": rng.uniform(-1, 1, (2, 8)).astype("float32")}
    model, params_path = write_model(tmp_path, text, params)
    out_cpp = tmp_path / "cpp.so"
    proc = compile_cpp(app, "--load", plugin, "--opt-level", opt_level, model, params_path, "llvm", out_cpp)
    assert proc.returncode == 0, proc.stderr
    out_py = tmp_path / "py.so"
    python_export(text, params, "llvm", opt_level, out_py)
    assert out_cpp.read_bytes() == out_py.read_bytes(), "the C++ compiler's library differs from Python's"

    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    x = rng.uniform(-1, 1, (2, 8)).astype("float32")
    gmod.set_input("x", x)
    gmod.run()
    want = ((x * 2 + 1) + params["w"]) * 2 + 1 + (params["b"] * 2 + 1)
    np.testing.assert_allclose(gmod.get_output(0).numpy(), want, rtol=1e-6, atol=1e-6)


def test_load_of_a_missing_library_is_a_clear_error(app, tmp_path):
    proc = compile_cpp(app, "--load", tmp_path / "nothing.so", "a.relay", "-", "llvm", tmp_path / "out.so")
    assert proc.returncode == 1 and "cannot load '" in proc.stderr, proc.stderr


def test_elementwise_model_matches_python(app, tmp_path):
    """A model of operators relay.build needs no Python for (registered from C++)."""
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    text = """#[version = "0.0.5"]
def @main(%x: Tensor[(4, 8), float32], %w: Tensor[(4, 8), float32]) {
  %0 = add(%x, %w);
  %1 = multiply(%0, %w);
  subtract(%1, %x)
}
"""
    w = np.linspace(-1, 1, 32, dtype="float32").reshape(4, 8)
    out_cpp, _, _ = compile_both(app, tmp_path, text, {"w": w}, 2)
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    x = np.arange(32, dtype="float32").reshape(4, 8)
    gmod.set_input("x", x)
    gmod.run()
    np.testing.assert_allclose(gmod.get_output(0).numpy(), (x + w) * w - x, rtol=1e-6)


def test_python_only_operator_is_a_clear_error(app, tmp_path):
    """nn.lrn's compute is registered from Python: the C++ process says so, naming it."""
    import tvm  # pylint: disable=import-outside-toplevel

    text = """#[version = "0.0.5"]
def @main(%x: Tensor[(1, 4, 5, 5), float32]) {
  nn.lrn(%x, size=3)
}
"""
    missing = python_only_ops(app, tvm.parser.parse(text))
    if not missing:
        pytest.skip("nn.lrn is registered from C++ now; this error needs an operator registered from Python only")
    model, _ = write_model(tmp_path, text, {})
    proc = compile_cpp(app, model, "-", "llvm", tmp_path / "out.so")
    assert proc.returncode == 1
    assert "operator nn.lrn has no compute" in proc.stderr, proc.stderr
    assert "registered from Python" in proc.stderr, proc.stderr
    assert not (tmp_path / "out.so").exists()


@pytest.mark.parametrize(
    "case, message",
    [
        ("unknown_param", "has 'bias', which is not a parameter of main (x, w)"),
        ("bad_text", "model.relay"),
        ("bad_target", "no_such_target"),
        ("missing_model", "cannot read"),
        ("unwritable", "does not exist"),
    ],
)
def test_bad_input_is_a_clear_error(app, tmp_path, case, message):
    text = """#[version = "0.0.5"]
def @main(%x: Tensor[(4,), float32], %w: Tensor[(4,), float32]) {
  add(%x, %w)
}
"""
    params = {"w": np.ones(4, "float32")}
    if case == "unknown_param":
        params["bias"] = np.ones(4, "float32")
    if case == "bad_text":
        text = text.replace("add(%x, %w)", "add(%x, %w")
    model, params_path = write_model(tmp_path, text, params)
    target = "no_such_target" if case == "bad_target" else "llvm"
    if case == "missing_model":
        model = tmp_path / "nothing.relay"
    out = tmp_path / ("no/such/dir/out.so" if case == "unwritable" else "out.so")
    proc = compile_cpp(app, model, params_path, target, out)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("tvm_compile: ") and message in proc.stderr, proc.stderr


def test_usage(app):
    proc = compile_cpp(app, "only-one-argument")
    assert proc.returncode == 2 and "usage:" in proc.stderr
    proc = compile_cpp(app, "--opt-level", "9", "a", "b", "c", "d")
    assert proc.returncode == 2 and "--opt-level takes 0 to 4" in proc.stderr


def test_blocked_layout_conv2d_same_library_as_python(app, tmp_path):
    """nn.conv2d written in NCHW4c / OIHW4i4o is computed in NCHW / OIHW between transforms by the
    C++ compute as by Python's: the same bytes, and the library computes the convolution."""
    import torch  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # noqa: F401 pylint: disable=import-outside-toplevel,unused-import
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    text = """#[version = "0.0.5"]
def @main(%x: Tensor[(1, 2, 8, 8, 4), float32], %w: Tensor[(3, 2, 3, 3, 4, 4), float32]) {
  nn.conv2d(%x, %w, padding=[1, 1, 1, 1], channels=12, kernel_size=[3, 3], data_layout="NCHW4c", kernel_layout="OIHW4i4o")
}
"""
    rng = np.random.default_rng(6)
    params = {"w": rng.uniform(-1, 1, (3, 2, 3, 3, 4, 4)).astype("float32")}
    out_cpp, _, _ = compile_both(app, tmp_path, text, params, 0)
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(str(out_cpp))["default"](tvm.cpu()))
    x = rng.uniform(-1, 1, (1, 2, 8, 8, 4)).astype("float32")
    gmod.set_input("x", x)
    gmod.run()
    got = gmod.get_output(0).numpy().transpose(0, 1, 4, 2, 3).reshape(1, 12, 8, 8)
    ref = torch.nn.functional.conv2d(torch.from_numpy(x.transpose(0, 1, 4, 2, 3).reshape(1, 8, 8, 8)),
                                     torch.from_numpy(params["w"].transpose(0, 5, 1, 4, 2, 3).reshape(12, 8, 3, 3)),
                                     padding=1).numpy()
    np.testing.assert_allclose(got, ref, rtol=1e-5, atol=1e-5)
