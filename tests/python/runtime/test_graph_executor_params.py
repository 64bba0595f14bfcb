# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""Parameter dicts (tvm.runtime.save_param_dict / load_param_dict) and the executor's
load_params / share_params, including executors sharing weights across threads."""
import json
import struct
import threading

import numpy as np
import pytest

import tvm
from tvm import relay, te
from tvm.contrib import graph_executor

MAGIC = 0xF7E58D4F05049CB7


def test_round_trip_dtypes_and_shapes():
    rng = np.random.default_rng(0)
    params = {
        "w": rng.standard_normal((3, 4)).astype("float32"),
        "b": np.arange(5, dtype="int64"),
        "s": np.array(7, dtype="int8"),
        "h": rng.standard_normal((2, 2, 2)).astype("float16"),
        "d": rng.standard_normal((1,)).astype("float64"),
        "e": np.zeros((0, 3), "float32"),
        "u": np.array([1, 255], "uint8"),
    }
    blob = tvm.runtime.save_param_dict(params)
    assert isinstance(blob, bytearray)
    loaded = tvm.runtime.load_param_dict(blob)
    assert list(loaded.keys()) == list(params.keys())
    for name, value in params.items():
        got = loaded[name].numpy()
        assert got.dtype == value.dtype and got.shape == value.shape, name
        np.testing.assert_array_equal(got, value)
    # bytes and bytearray both load; NDArray values save as well as numpy ones.
    again = tvm.runtime.load_param_dict(bytes(tvm.runtime.save_param_dict({k: tvm.nd.array(v) for k, v in
                                                                          params.items()})))
    np.testing.assert_array_equal(again["w"].numpy(), params["w"])


def test_binary_layout_matches_tvm():
    # The header and array layout of TVM's format, checked byte by byte for one small array.
    blob = bytes(tvm.runtime.save_param_dict({"ab": np.array([1.5, -2.0], "float32")}))
    magic, reserved, nnames, nlen = struct.unpack_from("<QQQQ", blob, 0)
    assert (magic, reserved, nnames, nlen) == (MAGIC, 0, 1, 2)
    assert blob[32:34] == b"ab"
    (narrays,) = struct.unpack_from("<Q", blob, 34)
    assert narrays == 1
    arr_magic, arr_reserved, dev_type, dev_id, ndim = struct.unpack_from("<QQiii", blob, 42)
    assert (arr_magic, arr_reserved, dev_type, dev_id, ndim) == (0xDD5E40F096B4A13F, 0, 1, 0, 1)
    code, bits, lanes = struct.unpack_from("<BBH", blob, 70)
    assert (code, bits, lanes) == (2, 32, 1)
    shape0, nbytes = struct.unpack_from("<qq", blob, 74)
    assert (shape0, nbytes) == (2, 8)
    assert struct.unpack_from("<2f", blob, 90) == (1.5, -2.0)
    assert len(blob) == 98


def test_corrupted_blobs_are_refused():
    blob = bytes(tvm.runtime.save_param_dict({"w": np.ones((4, 4), "float32"), "b": np.ones(4, "float32")}))
    with pytest.raises(ValueError, match="shorter than its 16-byte header"):
        tvm.runtime.load_param_dict(blob[:10])
    with pytest.raises(ValueError, match=r"bad magic number 0x0000000000000000 \(expected 0xf7e58d4f05049cb7\)"):
        tvm.runtime.load_param_dict(bytes(16) + blob[16:])
    # Cut anywhere: always a clear error, never a crash.
    for cut in range(16, len(blob), 7):
        with pytest.raises(ValueError, match="load_param_dict"):
            tvm.runtime.load_param_dict(blob[:cut])
    with pytest.raises(ValueError, match="unexpected bytes after the last array"):
        tvm.runtime.load_param_dict(blob + b"xx")
    # A name count that the data cannot hold.
    bad = bytearray(blob)
    struct.pack_into("<Q", bad, 16, 1 << 40)
    with pytest.raises(ValueError, match="corrupted data: the parameter names is 1099511627776"):
        tvm.runtime.load_param_dict(bytes(bad))
    # A huge shape must be refused before anything is allocated.
    bad = bytearray(blob)
    first_array = 16 + 8 + (8 + 1) + (8 + 1) + 8
    struct.pack_into("<q", bad, first_array + 8 + 8 + 8 + 4 + 4, 1 << 50)
    with pytest.raises(ValueError, match=r"parameter 'w' \(array 0\).*(too large|need)"):
        tvm.runtime.load_param_dict(bytes(bad))
    with pytest.raises(TypeError, match="expects bytes"):
        tvm.runtime.load_param_dict(123)
    with pytest.raises(TypeError, match="dict of name -> array"):
        tvm.runtime.save_param_dict([1, 2])


def test_random_byte_flips_never_crash():
    blob = bytes(tvm.runtime.save_param_dict({"w": np.ones((3, 5), "float32"), "idx": np.arange(4, dtype="int64")}))
    rng = np.random.default_rng(7)
    refused = 0
    for _ in range(500):
        bad = bytearray(blob)
        for _ in range(rng.integers(1, 4)):
            bad[rng.integers(0, len(bad))] = int(rng.integers(0, 256))
        try:
            tvm.runtime.load_param_dict(bytes(bad))
        except ValueError:
            refused += 1
    # Flips inside the array data are undetectable; flips in the structure are refused.
    assert refused > 50


def test_file_round_trip(tmp_path):
    path = tmp_path / "params.bin"
    tvm.runtime.save_param_dict_to_file({"a": np.arange(6, dtype="int32").reshape(2, 3)}, path)
    loaded = tvm.runtime.load_param_dict_from_file(path)
    np.testing.assert_array_equal(loaded["a"].numpy(), np.arange(6).reshape(2, 3))
    assert path.read_bytes() == bytes(tvm.runtime.save_param_dict({"a": np.arange(6, dtype="int32").reshape(2, 3)}))


def test_relay_aliases():
    with pytest.warns(DeprecationWarning):
        blob = relay.save_param_dict({"x": np.ones(2, "float32")})
    with pytest.warns(DeprecationWarning):
        np.testing.assert_array_equal(relay.load_param_dict(blob)["x"].numpy(), np.ones(2))


# ---------------------------------------------------------------------------
# Executors with parameters

N = 64


@pytest.fixture(scope="module")
def lib():
    x = te.placeholder((1, N), name="x")
    w = te.placeholder((N, N), name="w")
    k = te.reduce_axis((0, N), name="k")
    y = te.compute((1, N), lambda i, j: te.sum(x[i, k] * w[k, j], axis=k), name="y")
    yin = te.placeholder((1, N), name="yin")
    b = te.placeholder((1, N), name="b")
    z = te.compute((1, N), lambda i, j: te.max(yin[i, j] + b[i, j], tvm.tir.const(0, "float32")), name="z")
    mod = tvm.IRModule()
    # Parallel, with a cached output: concurrent executors then also share the thread pool and
    # allocate workspaces at the same time.
    s = te.create_schedule(y.op)
    yl = s.cache_write(y, "global")
    jo, ji = s[y].split(y.op.axis[1], factor=16)
    s[y].parallel(jo)
    s[yl].compute_at(s[y], jo)
    mod.update(tvm.lower(s, [x, w, y], name="dense"))
    mod.update(tvm.lower(te.create_schedule(z.op), [yin, b, z], name="bias_relu"))
    return tvm.build(mod, target="llvm")


def _graph():
    return json.dumps({
        "nodes": [
            {"op": "null", "name": "data", "inputs": []},
            {"op": "null", "name": "p0", "inputs": []},
            {"op": "tvm_op", "name": "dense0", "inputs": [[0, 0, 0], [1, 0, 0]],
             "attrs": {"func_name": "dense", "num_inputs": "2", "num_outputs": "1", "flatten_data": "0"}},
            {"op": "null", "name": "p1", "inputs": []},
            {"op": "tvm_op", "name": "bias_relu0", "inputs": [[2, 0, 0], [3, 0, 0]],
             "attrs": {"func_name": "bias_relu", "num_inputs": "2", "num_outputs": "1", "flatten_data": "0"}},
        ],
        "arg_nodes": [0, 1, 3],
        "heads": [[4, 0, 0]],
        "attrs": {"dltype": ["list_str", ["float32"] * 5], "storage_id": ["list_int", [0, 1, 2, 3, 4]],
                  "shape": ["list_shape", [[1, N], [N, N], [1, N], [1, N], [1, N]]]},
        "node_row_ptr": [0, 1, 2, 3, 4, 5],
    })


def _params(seed=0):
    rng = np.random.default_rng(seed)
    return {"p0": rng.standard_normal((N, N)).astype("float32"), "p1": rng.standard_normal((1, N)).astype("float32")}


def _reference(data, params):
    return np.maximum(data @ params["p0"] + params["p1"], 0)


def test_load_params(lib):
    params = _params()
    m = graph_executor.create(_graph(), lib, tvm.cpu())
    # Unknown names in the dict are ignored, as in TVM.
    m.load_params(tvm.runtime.save_param_dict(dict(params, unknown=np.ones(3, "float32"))))
    data = np.random.default_rng(5).standard_normal((1, N)).astype("float32")
    m.run(data=data)
    np.testing.assert_allclose(m.get_output(0).numpy(), _reference(data, params), rtol=1e-5, atol=1e-5)
    with pytest.raises(ValueError, match=r"load_params: parameter 'p1' expects shape \[1, 64\] float32, got shape "
                                         r"\[64\] float32"):
        m.load_params(tvm.runtime.save_param_dict({"p1": np.ones(N, "float32")}))
    with pytest.raises(ValueError, match="load_params: not a parameter dict"):
        m.load_params(b"0123456789abcdef0123")


def test_share_params_survives_owner(lib):
    params = _params(1)
    owner = graph_executor.create(_graph(), lib, tvm.cpu())
    blob = tvm.runtime.save_param_dict(params)
    owner.load_params(blob)
    mods = [graph_executor.create(_graph(), lib, tvm.cpu()) for _ in range(4)]
    for m in mods:
        m.share_params(owner, blob)
    # Shared, not copied: an update through the owner is seen by every sharer.
    assert mods[0].get_input("p0").numpy().tobytes() == params["p0"].tobytes()
    data = np.ones((1, N), "float32")
    del owner
    for m in mods:
        m.run(data=data)
        np.testing.assert_allclose(m.get_output(0).numpy(), _reference(data, params), rtol=1e-5, atol=1e-5)


def test_share_params_is_zero_copy(lib):
    params = _params(2)
    owner = graph_executor.create(_graph(), lib, tvm.cpu())
    blob = tvm.runtime.save_param_dict(params)
    owner.load_params(blob)
    m = graph_executor.create(_graph(), lib, tvm.cpu())
    m.share_params(owner, blob)
    new_p1 = np.full((1, N), 3.0, "float32")
    owner.set_input("p1", new_p1)
    data = np.ones((1, N), "float32")
    m.run(data=data)
    np.testing.assert_allclose(m.get_output(0).numpy(), _reference(data, dict(params, p1=new_p1)), rtol=1e-5,
                               atol=1e-5)


def test_eight_threads_share_weights(lib):
    params = _params(3)
    blob = tvm.runtime.save_param_dict(params)
    owner = graph_executor.create(_graph(), lib, tvm.cpu())
    owner.load_params(blob)
    mods = []
    for _ in range(8):
        m = graph_executor.create(_graph(), lib, tvm.cpu())
        m.share_params(owner, blob)
        mods.append(m)
    errors = []
    start = threading.Barrier(8)

    def work(t):
        try:
            rng = np.random.default_rng(100 + t)
            start.wait()
            for _ in range(200):
                data = rng.standard_normal((1, N)).astype("float32")
                mods[t].run(data=data)
                np.testing.assert_allclose(mods[t].get_output(0).numpy(), _reference(data, params), rtol=1e-4,
                                           atol=1e-4)
        except Exception as e:  # noqa: BLE001 - reported on the main thread
            errors.append((t, e))

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
