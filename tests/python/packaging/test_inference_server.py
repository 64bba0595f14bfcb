"""The example inference server (apps/inference_server), built against a fresh install with
find_package(tvm), serving ResNet-18 (torchvision's architecture, seeded random weights):
concurrent clients get the answers Python's graph executor gives, bad requests get a 4xx with a
message, and the server survives all of them."""

import concurrent.futures
import http.client
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

from conftest import cmake_configure_args, run_checked

SERVER_SRC = pathlib.Path(__file__).resolve().parents[3] / "apps" / "inference_server"
SHAPE = (1, 3, 112, 112)


@pytest.fixture(scope="module")
def server_binary(request, tmp_path_factory):
    given = os.environ.get("TVM_SERVER_BINARY")  # scripts/sanitize.sh: a sanitized build
    if given:
        return pathlib.Path(given)
    install_prefix = request.getfixturevalue("install_prefix")
    build = tmp_path_factory.mktemp("server-build")
    run_checked(cmake_configure_args(SERVER_SRC, build, install_prefix))
    run_checked(["cmake", "--build", build])
    return build / "inference_server"


@pytest.fixture(scope="module")
def resnet18(tmp_path_factory):
    """(path of the exported library, a function computing the reference output)."""
    torch = pytest.importorskip("torch")
    torchvision = pytest.importorskip("torchvision")
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    scripted = torch.jit.trace(model, torch.randn(*SHAPE))
    mod, params = relay.frontend.from_pytorch(scripted, [("data", SHAPE)])
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(mod, "llvm", params=params)
    path = tmp_path_factory.mktemp("model") / "resnet18.so"
    lib.export_library(str(path))
    reference = graph_executor.GraphModule(lib["default"](tvm.cpu()))

    def predict(x):
        reference.set_input("data", x)
        reference.run()
        return reference.get_output(0).numpy()

    return path, predict


@pytest.fixture(scope="module")
def server(server_binary, resnet18, tmp_path_factory):
    log = tmp_path_factory.mktemp("server-log") / "stderr.txt"
    with open(log, "w") as err:
        proc = subprocess.Popen([str(server_binary), "--model", str(resnet18[0]), "--port", "0", "--executors", "2"],
                                stdout=subprocess.PIPE, stderr=err, text=True)
    line = proc.stdout.readline()
    if "http://" not in line:
        proc.kill()
        pytest.fail(f"the server did not start: {line}{log.read_text()}")
    port = int(line.rsplit(":", 1)[1].split()[0])
    yield port, proc
    proc.terminate()
    try:
        code = proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail("the server did not stop on SIGTERM")
    # A clean stop; under scripts/sanitize.sh, also no sanitizer report (leaks are reported at exit).
    stderr = log.read_text()
    assert code == 0 and "Sanitizer" not in stderr and "runtime error" not in stderr, stderr


def request(port, method, path, body=None, content_type=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Content-Type": content_type} if content_type else {}
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    result = resp.status, dict(resp.getheaders()), data
    conn.close()
    return result


def test_metadata_and_health(server):
    port, _ = server
    status, _, body = request(port, "GET", "/healthz")
    assert (status, body) == (200, b"ok\n")
    status, _, body = request(port, "GET", "/metadata")
    assert status == 200
    meta = json.loads(body)
    assert meta["inputs"] == [{"name": "data", "shape": list(SHAPE), "dtype": "float32"}]
    assert len(meta["outputs"]) == 1
    assert meta["outputs"][0]["shape"] == [1, 1000]
    assert meta["outputs"][0]["dtype"] == "float32"


def test_concurrent_clients_match_python(server, resnet18):
    port, _ = server
    _, predict = resnet18
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(SHAPE).astype("float32") for _ in range(12)]
    expected = [predict(x) for x in inputs]

    def raw(i):
        status, headers, body = request(port, "POST", "/predict", inputs[i].tobytes(), "application/octet-stream")
        assert status == 200, body
        assert headers["X-Output-Shape"] == "[1, 1000]"
        return np.frombuffer(body, dtype="float32").reshape(1, 1000)

    def as_json(i):
        payload = json.dumps({"inputs": {"data": inputs[i].tolist()}})
        status, _, body = request(port, "POST", "/predict", payload, "application/json")
        assert status == 200, body
        out = json.loads(body)["outputs"][0]
        assert out["shape"] == [1, 1000]
        return np.array(out["data"], dtype="float32").reshape(1, 1000)

    # Four clients at once, each with its own requests, raw and JSON mixed.
    jobs = [(raw if i % 3 else as_json, i) for i in range(len(inputs))] * 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda job: (job[1], job[0](job[1])), jobs))
    for i, got in results:
        np.testing.assert_allclose(got, expected[i], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "body, content_type, status, message",
    [
        (b"\0" * 100, "application/octet-stream", 400, "input 'data' is float32[1, 3, 112, 112], 150528 bytes; "
         "the request body has 100 bytes"),
        (b"hello", "text/plain", 415, "Content-Type 'text/plain' is not served"),
        (b"{\"inputs\": ", "application/json", 400, "malformed JSON"),
        (b"[1, 2, 3]", "application/json", 400, "must be an object"),
        (b"{\"inputs\": {\"image\": [1]}}", "application/json", 400, "no input named 'image'; the inputs are 'data'"),
        (b"{\"inputs\": {}}", "application/json", 400, "input 'data' (float32[1, 3, 112, 112]) is missing"),
        (b"{\"inputs\": {\"data\": [1, 2, 3]}}", "application/json", 400, "37632 numbers; got 3"),
        (b"{\"inputs\": {\"data\": [\"a\"]}}", "application/json", 400, "holds a string"),
    ],
)
def test_bad_requests_get_4xx(server, body, content_type, status, message):
    port, proc = server
    got_status, _, got = request(port, "POST", "/predict", body, content_type)
    assert got_status == status, got
    assert message in json.loads(got)["error"]
    assert proc.poll() is None


def test_unknown_routes(server):
    port, proc = server
    status, _, body = request(port, "GET", "/predict/now")
    assert status == 404 and "no route GET /predict/now" in json.loads(body)["error"]
    assert request(port, "GET", "/healthz")[0] == 200
    assert proc.poll() is None
