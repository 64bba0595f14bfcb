# Licensed under the Apache License, Version 2.0 (see LICENSE).
"""The example C++ inference server (apps/inference_server) under load.

ResNet-18 (torchvision's architecture, seeded random weights, 1x3x224x224)
is compiled with relay.build and exported; the server is built against a
fresh `cmake --install` of the build with find_package(tvm) and started on
127.0.0.1 with --executors (default 2). Then 1, 2 and 4 concurrent clients
(threads, one keep-alive connection each) send raw float32 requests for
--seconds each; the script prints requests per second and the p50 / p99
latency per client count, beside the in-process latency of the same library
run by Python's graph executor (the peer: what the server adds on top of
the model is the HTTP round trip, copying and queueing).

    PYTHONPATH=python TVM_LIBRARY_PATH=build python3 tests/benchmarks/bench_inference_server.py \
        [--seconds 5] [--executors 2]
"""
import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np


def build_server(build_dir, work):
    prefix = os.path.join(work, "prefix")
    server_build = os.path.join(work, "server-build")
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "apps", "inference_server")
    subprocess.run(["cmake", "--install", build_dir, "--prefix", prefix], check=True, capture_output=True)
    subprocess.run(["cmake", "-S", src, "-B", server_build, f"-DCMAKE_PREFIX_PATH={prefix}", "-G", "Ninja",
                    "-DCMAKE_BUILD_TYPE=Release"], check=True, capture_output=True)
    subprocess.run(["cmake", "--build", server_build], check=True, capture_output=True)
    return os.path.join(server_build, "inference_server")


def export_resnet18(path):
    import torch  # pylint: disable=import-outside-toplevel
    import torchvision  # pylint: disable=import-outside-toplevel
    import tvm  # pylint: disable=import-outside-toplevel
    from tvm import relay  # pylint: disable=import-outside-toplevel
    from tvm.contrib import graph_executor  # pylint: disable=import-outside-toplevel

    torch.manual_seed(0)
    shape = (1, 3, 224, 224)
    scripted = torch.jit.trace(torchvision.models.resnet18().eval(), torch.randn(*shape))
    mod, params = relay.frontend.from_pytorch(scripted, [("data", shape)])
    with tvm.transform.PassContext(opt_level=3):
        lib = relay.build(mod, "llvm -mcpu=" + tvm.target.codegen.llvm_get_system_cpu(), params=params)
    lib.export_library(path)
    gmod = graph_executor.GraphModule(tvm.runtime.load_module(path)["default"](tvm.cpu()))
    x = np.random.default_rng(0).standard_normal(shape).astype("float32")
    gmod.set_input("data", x)
    in_process = gmod.benchmark(tvm.cpu(), number=1, repeat=30).median * 1e3
    return x, in_process


def load(port, body, seconds, clients):
    latencies = [[] for _ in range(clients)]
    errors = []
    deadline = time.perf_counter() + seconds

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            conn.request("POST", "/predict", body=body, headers={"Content-Type": "application/octet-stream"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(resp.status)
                return
            latencies[i].append(time.perf_counter() - start)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    begin = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - begin
    if errors:
        raise RuntimeError(f"the server answered {errors[:3]}")
    all_lat = np.array([x for lat in latencies for x in lat]) * 1e3
    return len(all_lat) / elapsed, np.percentile(all_lat, 50), np.percentile(all_lat, 99)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--executors", type=int, default=2)
    args = parser.parse_args()
    build_dir = os.environ.get("TVM_LIBRARY_PATH", "build")
    with tempfile.TemporaryDirectory() as work:
        server = build_server(build_dir, work)
        model = os.path.join(work, "resnet18.so")
        x, in_process = export_resnet18(model)
        proc = subprocess.Popen([server, "--model", model, "--port", "0", "--executors", str(args.executors)],
                                stdout=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline()
            port = int(line.rsplit(":", 1)[1].split()[0])
            body = x.tobytes()
            load(port, body, 1.0, 1)  # warm-up
            print(f"ResNet-18 1x3x224x224, server with {args.executors} executors, {os.cpu_count()} cores")
            print(f"in-process graph executor (Python): {in_process:.2f} ms per inference")
            print(f"{'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p50 / in-process':>17}")
            for clients in (1, 2, 4):
                rps, p50, p99 = load(port, body, args.seconds, clients)
                print(f"{clients:>7} {rps:>8.1f} {p50:>8.2f} {p99:>8.2f} {p50 / in_process:>17.2f}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
