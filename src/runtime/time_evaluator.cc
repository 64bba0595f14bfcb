/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Timing of a module function, with TVM's time_evaluator semantics: one
// warm-up call, then `repeat` measurements of `number` calls each; when
// min_repeat_ms is set, `number` grows until one measurement lasts that long.
#include <tvm/runtime/device_api.h>
#include <tvm/runtime/module.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

namespace tvm {
namespace runtime {

PackedFunc WrapTimeEvaluator(PackedFunc pf, DLDevice dev, int number, int repeat, int min_repeat_ms,
                             int limit_zero_time_iterations, int cooldown_interval_ms, int repeats_to_cooldown) {
  TVM_CHECK(number > 0 && repeat > 0, "ValueError")
      << "time_evaluator needs number > 0 and repeat > 0 (got number=" << number << ", repeat=" << repeat << ")";
  return PackedFunc([=](TVMArgs args, TVMRetValue* rv) {
    using Clock = std::chrono::steady_clock;
    DeviceAPI* api = DeviceAPI::Get(dev);
    TVMRetValue scratch;
    pf.CallPacked(args, &scratch);  // warm up (and fail early on bad arguments)
    api->StreamSync(dev, nullptr);
    std::vector<double> results;
    int run_number = number;
    for (int i = 0; i < repeat; ++i) {
      if (i > 0 && cooldown_interval_ms > 0 && i % repeats_to_cooldown == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(cooldown_interval_ms));
      }
      double seconds = 0;
      int zero_time_iterations = 0;
      while (true) {
        auto start = Clock::now();
        for (int k = 0; k < run_number; ++k) pf.CallPacked(args, &scratch);
        api->StreamSync(dev, nullptr);
        seconds = std::chrono::duration<double>(Clock::now() - start).count();
        double ms = seconds * 1e3;
        if (ms >= min_repeat_ms) break;
        if (ms == 0 && ++zero_time_iterations >= limit_zero_time_iterations) break;
        // Grow geometrically, or straight to the estimate of what fills min_repeat_ms.
        double per_call = std::max(ms / run_number, 1e-9);
        run_number = std::max(static_cast<int>(min_repeat_ms / per_call) + 1, static_cast<int>(run_number * 1.618));
      }
      results.push_back(seconds / run_number);
    }
    std::string bytes(results.size() * sizeof(double), '\0');
    std::memcpy(bytes.data(), results.data(), bytes.size());
    *rv = TVMByteArray{bytes.data(), bytes.size()};
  });
}

TVM_REGISTER_GLOBAL("runtime.TimeEvaluator")
    .set_body_typed([](Module mod, std::string name, int device_type, int device_id, int number, int repeat,
                       int min_repeat_ms, int limit_zero_time_iterations, int cooldown_interval_ms,
                       int repeats_to_cooldown) {
      PackedFunc pf = mod.GetFunction(name, true);
      TVM_CHECK(pf.defined(), "AttributeError") << "time_evaluator: the module has no function '" << name << "'";
      return WrapTimeEvaluator(pf, DLDevice{static_cast<DLDeviceType>(device_type), device_id}, number, repeat,
                               min_repeat_ms, limit_zero_time_iterations, cooldown_interval_ms, repeats_to_cooldown);
    });

}  // namespace runtime
}  // namespace tvm
