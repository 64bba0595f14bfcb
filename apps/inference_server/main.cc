/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// An HTTP inference server for a model exported by relay.build, on the typed
// C++ API (tvm/runtime/graph_model.h) and cpp-httplib. No Python anywhere.
//
//   inference_server --model model.so [--host 127.0.0.1] [--port 8080] [--executors 2]
//   (--port 0 takes any free port; the first line printed names it)
//
// The model is loaded once; a pool of executors shares its code and
// parameters, one request per executor at a time, so --executors requests run
// concurrently and the rest wait for a free executor.
//
//   GET  /healthz   200 "ok"
//   GET  /metadata  {"inputs": [{"name", "shape", "dtype"}], "outputs": [...]}
//   POST /predict   Content-Type application/octet-stream: the raw bytes of the
//                   only input (C order, the input's dtype); answers the raw
//                   bytes of output 0, with its shape in X-Output-Shape.
//                   Content-Type application/json: {"inputs": {name: numbers,
//                   nested or flat}}; answers {"outputs": [{"name", "shape",
//                   "dtype", "data"}]} with every output flattened.
//
// A bad request (wrong size or shape, wrong content type, malformed JSON, an
// unknown input) gets a 4xx with a message naming what was wrong; a failure
// inside the model a 500; nothing a client sends can crash the server.
#include <httplib.h>
#include <tvm/runtime/graph_model.h>
#include <tvm/runtime/logging.h>

#include <nlohmann/json.hpp>

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using tvm::runtime::GraphModel;
using tvm::runtime::GraphModelExecutor;
using tvm::runtime::NDArray;
using tvm::runtime::TensorInfo;

// A bad request: answered with `status` and the message.
struct RequestError {
  int status;
  std::string message;
};

// Executors handed out one request at a time.
class ExecutorPool {
 public:
  ExecutorPool(const GraphModel& model, int n) {
    for (int i = 0; i < n; ++i) free_.push_back(std::make_unique<GraphModelExecutor>(model.CreateExecutor()));
  }
  // Borrow an executor for the lifetime of the returned lease.
  class Lease {
   public:
    Lease(ExecutorPool* pool, std::unique_ptr<GraphModelExecutor> exec) : pool_(pool), exec_(std::move(exec)) {}
    ~Lease() { pool_->Return(std::move(exec_)); }
    GraphModelExecutor& operator*() { return *exec_; }

   private:
    ExecutorPool* pool_;
    std::unique_ptr<GraphModelExecutor> exec_;
  };
  Lease Acquire() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !free_.empty(); });
    auto exec = std::move(free_.back());
    free_.pop_back();
    return Lease(this, std::move(exec));
  }

 private:
  void Return(std::unique_ptr<GraphModelExecutor> exec) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      free_.push_back(std::move(exec));
    }
    cv_.notify_one();
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<GraphModelExecutor>> free_;
};

std::string ShapeText(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string DTypeText(DLDataType t) { return tvm::runtime::DLDataType2String(t); }

json Describe(const std::vector<TensorInfo>& infos) {
  json list = json::array();
  for (const TensorInfo& t : infos) list.push_back({{"name", t.name}, {"shape", t.shape}, {"dtype", DTypeText(t.dtype)}});
  return list;
}

DLTensor View(const TensorInfo& info, void* data) {
  return DLTensor{data, DLDevice{kDLCPU, 0}, static_cast<int32_t>(info.shape.size()), info.dtype,
                  const_cast<int64_t*>(info.shape.data()), nullptr, 0};
}

// Append the numbers of `value` (a number or nested arrays of them) to `out`, row-major.
void Flatten(const json& value, const std::string& name, std::vector<double>* out) {
  if (value.is_number()) {
    out->push_back(value.get<double>());
  } else if (value.is_array()) {
    for (const json& v : value) Flatten(v, name, out);
  } else {
    throw RequestError{400, "input '" + name + "' holds a " + std::string(value.type_name()) +
                                "; expected numbers (nested or flat arrays)"};
  }
}

// The bytes of `numbers` as `info.dtype`.
std::vector<char> Encode(const std::vector<double>& numbers, const TensorInfo& info) {
  std::vector<char> bytes(info.NumBytes());
  size_t n = numbers.size();
  DLDataType t = info.dtype;
  auto store = [&](auto tag) {
    using T = decltype(tag);
    T* p = reinterpret_cast<T*>(bytes.data());
    for (size_t i = 0; i < n; ++i) p[i] = static_cast<T>(numbers[i]);
  };
  if (t.lanes != 1) throw RequestError{400, "input '" + info.name + "' has a vector dtype; send raw bytes"};
  if (t.code == kDLFloat && t.bits == 32) store(float());
  else if (t.code == kDLFloat && t.bits == 64) store(double());
  else if (t.code == kDLInt && t.bits == 32) store(int32_t());
  else if (t.code == kDLInt && t.bits == 64) store(int64_t());
  else if (t.code == kDLInt && t.bits == 8) store(int8_t());
  else if (t.code == kDLUInt && t.bits == 8) store(uint8_t());
  else throw RequestError{400, "input '" + info.name + "' is " + DTypeText(t) + "; JSON takes float32/64, int8/32/64 "
                                   "and uint8 inputs, send raw bytes for others"};
  return bytes;
}

json Decode(const NDArray& arr) {
  const DLTensor* t = arr.operator->();
  int64_t n = 1;
  for (int i = 0; i < t->ndim; ++i) n *= t->shape[i];
  const char* base = static_cast<const char*>(t->data) + t->byte_offset;
  json data = json::array();
  auto load = [&](auto tag) {
    using T = decltype(tag);
    const T* p = reinterpret_cast<const T*>(base);
    for (int64_t i = 0; i < n; ++i) data.push_back(p[i]);
  };
  DLDataType d = t->dtype;
  if (d.code == kDLFloat && d.bits == 32) load(float());
  else if (d.code == kDLFloat && d.bits == 64) load(double());
  else if (d.code == kDLInt && d.bits == 32) load(int32_t());
  else if (d.code == kDLInt && d.bits == 64) load(int64_t());
  else if (d.code == kDLInt && d.bits == 8) load(int8_t());
  else if (d.code == kDLUInt && d.bits == 8) load(uint8_t());
  else if (d.code == kDLUInt && d.bits == 1) load(bool());
  else throw RequestError{500, "output dtype " + DTypeText(d) + " cannot be written as JSON"};
  return data;
}

std::string ContentType(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  size_t semi = type.find(';');
  if (semi != std::string::npos) type = type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

class Server {
 public:
  Server(GraphModel model, int executors) : model_(std::move(model)), pool_(model_, executors) {}

  void Predict(const httplib::Request& req, httplib::Response* res) {
    std::string type = ContentType(req);
    if (type == "application/octet-stream") {
      PredictRaw(req, res);
    } else if (type == "application/json") {
      PredictJson(req, res);
    } else {
      throw RequestError{415, "Content-Type '" + type + "' is not served; send application/octet-stream (raw "
                                  "tensor bytes) or application/json"};
    }
  }

  json Metadata() const { return {{"inputs", Describe(model_.inputs())}, {"outputs", Describe(model_.outputs())}}; }

 private:
  void PredictRaw(const httplib::Request& req, httplib::Response* res) {
    const auto& inputs = model_.inputs();
    if (inputs.size() != 1) {
      throw RequestError{400, "the model has " + std::to_string(inputs.size()) +
                                  " inputs; raw bytes feed a model with one, send JSON naming each input"};
    }
    const TensorInfo& in = inputs[0];
    if (req.body.size() != in.NumBytes()) {
      throw RequestError{400, "input '" + in.name + "' is " + in.ToString() + ", " + std::to_string(in.NumBytes()) +
                                  " bytes; the request body has " + std::to_string(req.body.size()) + " bytes"};
    }
    // SetInput only reads the tensor (it copies it into the executor), so the body is used in place.
    DLTensor t = View(in, const_cast<char*>(req.body.data()));
    const TensorInfo& out = model_.outputs()[0];
    std::string body(out.NumBytes(), '\0');
    {
      auto exec = pool_.Acquire();
      (*exec).SetInput(0, t);
      (*exec).Run();
      DLTensor o = View(out, body.data());
      (*exec).GetOutput(0, &o);
    }
    res->set_header("X-Output-Shape", ShapeText(out.shape));
    res->set_header("X-Output-Dtype", DTypeText(out.dtype));
    res->set_content(std::move(body), "application/octet-stream");
  }

  void PredictJson(const httplib::Request& req, httplib::Response* res) {
    json request;
    try {
      request = json::parse(req.body);
    } catch (const json::parse_error& e) {
      throw RequestError{400, std::string("malformed JSON: ") + e.what()};
    }
    if (!request.is_object() || !request.contains("inputs") || !request["inputs"].is_object()) {
      throw RequestError{400, "the JSON body must be an object {\"inputs\": {name: numbers, ...}}"};
    }
    const json& given = request["inputs"];
    for (auto it = given.begin(); it != given.end(); ++it) {
      bool known = false;
      for (const TensorInfo& in : model_.inputs()) known = known || in.name == it.key();
      if (!known) {
        std::string names;
        for (const TensorInfo& in : model_.inputs()) names += (names.empty() ? "'" : ", '") + in.name + "'";
        throw RequestError{400, "no input named '" + it.key() + "'; the inputs are " + names};
      }
    }
    std::vector<std::vector<char>> buffers;
    for (const TensorInfo& in : model_.inputs()) {
      if (!given.contains(in.name)) throw RequestError{400, "input '" + in.name + "' (" + in.ToString() + ") is missing"};
      std::vector<double> numbers;
      Flatten(given[in.name], in.name, &numbers);
      size_t want = in.NumBytes() / ((in.dtype.bits * in.dtype.lanes + 7) / 8);
      if (numbers.size() != want) {
        throw RequestError{400, "input '" + in.name + "' is " + in.ToString() + ", " + std::to_string(want) +
                                    " numbers; got " + std::to_string(numbers.size())};
      }
      buffers.push_back(Encode(numbers, in));
    }
    json outputs = json::array();
    {
      auto exec = pool_.Acquire();
      for (size_t i = 0; i < buffers.size(); ++i) (*exec).SetInput(static_cast<int>(i), View(model_.inputs()[i], buffers[i].data()));
      (*exec).Run();
      for (size_t i = 0; i < model_.outputs().size(); ++i) {
        const TensorInfo& out = model_.outputs()[i];
        outputs.push_back({{"name", out.name},
                           {"shape", out.shape},
                           {"dtype", DTypeText(out.dtype)},
                           {"data", Decode((*exec).GetOutput(static_cast<int>(i)))}});
      }
    }
    res->set_content(json{{"outputs", outputs}}.dump(), "application/json");
  }

  GraphModel model_;
  ExecutorPool pool_;
};

httplib::Server* running = nullptr;

void Stop(int) {
  if (running != nullptr) running->stop();
}

void ErrorBody(httplib::Response* res, int status, const std::string& message) {
  res->status = status;
  res->set_content(json{{"error", message}}.dump() + "\n", "application/json");
}

int Usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s --model model.so [--host 127.0.0.1] [--port 8080] [--executors 2]\n", argv0);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_path, host = "127.0.0.1";
  int port = 8080, executors = 2;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (i + 1 >= argc) return Usage(argv[0]);
    std::string value = argv[++i];
    if (arg == "--model") {
      model_path = value;
    } else if (arg == "--host") {
      host = value;
    } else if (arg == "--port") {
      port = std::atoi(value.c_str());
    } else if (arg == "--executors") {
      executors = std::atoi(value.c_str());
    } else {
      return Usage(argv[0]);
    }
  }
  if (model_path.empty() || port < 0 || port > 65535 || executors <= 0) return Usage(argv[0]);

  std::unique_ptr<Server> server;
  try {
    server = std::make_unique<Server>(GraphModel::Load(model_path), executors);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "inference_server: cannot load %s: %s\n", model_path.c_str(), e.what());
    return 1;
  }

  httplib::Server http;
  http.new_task_queue = [executors] { return new httplib::ThreadPool(std::max(4, 2 * executors)); };
  http.set_payload_max_length(256u << 20);
  // Headers and body go out as separate writes: without TCP_NODELAY, Nagle's algorithm holds
  // the body until the client's delayed ACK (about 40 ms per request).
  http.set_tcp_nodelay(true);
  http.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { res.set_content("ok\n", "text/plain"); });
  http.Get("/metadata", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(server->Metadata().dump() + "\n", "application/json");
  });
  http.Post("/predict", [&](const httplib::Request& req, httplib::Response& res) {
    try {
      server->Predict(req, &res);
    } catch (const RequestError& e) {
      ErrorBody(&res, e.status, e.message);
    } catch (const tvm::runtime::Error& e) {
      // The checks in front of the model passed, so this is the model's failure.
      ErrorBody(&res, e.kind() == "ValueError" ? 400 : 500, e.what());
    } catch (const std::exception& e) {
      ErrorBody(&res, 500, e.what());
    }
  });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (res.status == 404) ErrorBody(&res, 404, "no route " + req.method + " " + req.path);
    if (res.status == 405) ErrorBody(&res, 405, "method " + req.method + " not allowed on " + req.path);
  });

  running = &http;
  std::signal(SIGINT, Stop);
  std::signal(SIGTERM, Stop);
  // Port 0: any free port (the line below tells which).
  if (port == 0) {
    port = http.bind_to_any_port(host);
  } else if (!http.bind_to_port(host, port)) {
    port = -1;
  }
  if (port <= 0) {
    std::fprintf(stderr, "inference_server: cannot listen on %s\n", host.c_str());
    return 1;
  }
  std::printf("inference_server: serving %s on http://%s:%d with %d executors\n", model_path.c_str(), host.c_str(),
              port, executors);
  std::fflush(stdout);
  http.listen_after_bind();
  running = nullptr;
  return 0;
}
