/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// tvm_compile: compile a Relay model into a shared library from C++, with no
// Python in the process; the library is the one Python's
//   relay.build(tvm.relay.fromtext(text), target, params=params).export_library(out)
// writes, byte for byte.
//
//   tvm_compile [--opt-level N] [--load lib.so]... <model.relay> <params file | -> <target> <out.so>
//
//   model.relay  the Relay text format (mod.astext()); main is compiled
//   params       a parameter file (tvm.runtime.save_param_dict), or - for none;
//                every name in it must be a parameter of main
//   target       a target string ("llvm", "llvm -mcpu=skylake-avx512", ...)
//   --opt-level  the PassContext opt_level (default 2, as relay.build outside a PassContext)
//   --load       a shared library to load first: one that registers operators (their
//                type relations, computes, schedules) from C++ with TVM_REGISTER_OP
#include <tvm/driver/export_library.h>
#include <tvm/ir/transform.h>
#include <tvm/relay/build.h>
#include <tvm/relay/function.h>
#include <tvm/relay/parser.h>
#include <tvm/runtime/registry.h>
#include <tvm/support/with.h>

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

int Usage(const char* argv0) {
  std::cerr << "usage: " << argv0
            << " [--opt-level N] [--load lib.so]... <model.relay> <params file | -> <target> <out.so>\n";
  return 2;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + path + "'");
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

tvm::Map<tvm::String, tvm::runtime::NDArray> LoadParams(const std::string& path) {
  if (path == "-") return {};
  const tvm::runtime::PackedFunc* load = tvm::runtime::Registry::Get("runtime.LoadParamsFromFile");
  if (load == nullptr) throw std::runtime_error("this libtvm has no runtime.LoadParamsFromFile");
  return (*load)(path).operator tvm::Map<tvm::String, tvm::runtime::NDArray>();
}

/*! \brief A parameter file's name that main does not have is a mistake in a tool (Python ignores it). */
void CheckParamNames(const tvm::IRModule& mod, const tvm::Map<tvm::String, tvm::runtime::NDArray>& params,
                     const std::string& params_path) {
  auto main = tvm::Downcast<tvm::relay::Function>(mod->Lookup("main"));
  for (const auto& kv : params) {
    bool found = false;
    std::string names;
    for (const auto& p : main->params) {
      found = found || p->name_hint == kv.first;
      names += (names.empty() ? "" : ", ") + std::string(p->name_hint);
    }
    if (!found) {
      throw std::runtime_error("the parameter file '" + params_path + "' has '" + std::string(kv.first) +
                               "', which is not a parameter of main (" + names + ")");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args, plugins;
  int opt_level = 2;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--opt-level") {
      if (i + 1 >= argc) return Usage(argv[0]);
      char* end = nullptr;
      long level = std::strtol(argv[++i], &end, 10);  // NOLINT(runtime/int)
      if (*end != '\0' || level < 0 || level > 4) {
        std::cerr << "tvm_compile: --opt-level takes 0 to 4, got '" << argv[i] << "'\n";
        return 2;
      }
      opt_level = static_cast<int>(level);
    } else if (a == "--load") {
      if (i + 1 >= argc) return Usage(argv[0]);
      plugins.push_back(argv[++i]);
    } else if (a == "-h" || a == "--help") {
      Usage(argv[0]);
      return 0;
    } else {
      args.push_back(a);
    }
  }
  if (args.size() != 4) return Usage(argv[0]);
  const std::string &model_path = args[0], &params_path = args[1], &target_str = args[2], &out_path = args[3];
  try {
    // A mistyped output folder is found before the (long) compile, not after.
    std::string out_dir = std::filesystem::absolute(out_path).parent_path().string();
    if (!std::filesystem::is_directory(out_dir)) {
      throw std::runtime_error("cannot write '" + out_path + "': the folder '" + out_dir + "' does not exist");
    }
    for (const std::string& lib : plugins) {
      // RTLD_GLOBAL: the library's registrations go into this process's libtvm.
      if (dlopen(lib.c_str(), RTLD_NOW | RTLD_GLOBAL) == nullptr) {
        throw std::runtime_error("cannot load '" + lib + "': " + dlerror());
      }
    }
    tvm::IRModule mod = tvm::relay::ParseModule(model_path, ReadFile(model_path));
    tvm::Map<tvm::String, tvm::runtime::NDArray> params = LoadParams(params_path);
    CheckParamNames(mod, params, params_path);
    tvm::transform::PassContext ctx = tvm::transform::PassContext::Create();
    ctx->opt_level = opt_level;
    tvm::With<tvm::transform::PassContext> scope(ctx);
    tvm::runtime::Module factory = tvm::relay::Build(mod, tvm::Target(target_str), params, "default");
    tvm::driver::ExportLibrary(factory, out_path);
  } catch (const tvm::runtime::Error& e) {
    std::cerr << "tvm_compile: " << e.FullMessage() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tvm_compile: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
