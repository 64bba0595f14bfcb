/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Parameter dicts (see param_dict.h) and their globals:
// runtime.SaveParams / LoadParams (bytes) and SaveParamsToFile / LoadParamsFromFile.
#include "param_dict.h"

#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>
#include <tvm/runtime/packed_func.h>
#include <tvm/runtime/registry.h>

#include <fstream>
#include <iomanip>
#include <iterator>
#include <sstream>

#include "byte_stream.h"

namespace tvm {
namespace runtime {

void SaveParamDict(const ParamList& params, std::string* out) {
  ByteWriter w(out);
  w.Write<uint64_t>(kTVMNDArrayListMagic);
  w.Write<uint64_t>(0);
  std::vector<std::string> names;
  for (const auto& kv : params) names.push_back(kv.first);
  w.WriteStrings(names);
  w.Write<uint64_t>(params.size());
  for (const auto& kv : params) {
    TVM_CHECK(kv.second.defined(), "ValueError") << "save_param_dict: parameter '" << kv.first << "' is None";
    SaveDLTensor(out, kv.second.operator->());
  }
}

ParamList LoadParamDict(const std::string& blob, const std::string& what) {
  ByteReader r(blob, what);
  TVM_CHECK(blob.size() >= 16, "ValueError")
      << what << ": not a parameter dict: " << blob.size() << " bytes, shorter than its 16-byte header";
  uint64_t magic = r.Read<uint64_t>("the magic number");
  if (magic != kTVMNDArrayListMagic) {
    std::ostringstream os;
    os << what << ": not a parameter dict: bad magic number 0x" << std::hex << std::setw(16) << std::setfill('0')
       << magic << " (expected 0x" << kTVMNDArrayListMagic << ")";
    throw Error("ValueError", os.str());
  }
  r.Read<uint64_t>("the reserved field");
  std::vector<std::string> names = r.ReadStrings("the parameter names");
  uint64_t count = r.Read<uint64_t>("the array count");
  TVM_CHECK(count == names.size(), "ValueError")
      << what << ": corrupted parameter dict: " << names.size() << " names but " << count << " arrays";
  ParamList params;
  params.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    try {
      params.emplace_back(names[i], LoadDLTensor(blob, r.mutable_offset()));
    } catch (const Error& e) {
      throw Error(e.kind(), what + ": parameter '" + names[i] + "' (array " + std::to_string(i) + "): " + e.what());
    }
  }
  TVM_CHECK(r.remaining() == 0, "ValueError")
      << what << ": corrupted parameter dict: " << r.remaining() << " unexpected bytes after the last array";
  return params;
}

namespace {

ParamList FromMap(const Map<String, NDArray>& params) {
  ParamList list;
  for (const auto& kv : params) list.emplace_back(kv.first, kv.second);
  return list;
}

Map<String, NDArray> ToMap(const ParamList& params) {
  Map<String, NDArray> map;
  for (const auto& kv : params) map.Set(kv.first, kv.second);
  return map;
}

std::string ReadFile(const std::string& path, const char* who) {
  std::ifstream in(path, std::ios::binary);
  TVM_CHECK(in.good(), "FileNotFoundError") << who << ": cannot open '" << path << "'";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

TVM_REGISTER_GLOBAL("runtime.SaveParams").set_body([](TVMArgs args, TVMRetValue* rv) {
  std::string out;
  SaveParamDict(FromMap(args[0].operator Map<String, NDArray>()), &out);
  *rv = TVMByteArray{out.data(), out.size()};
});

TVM_REGISTER_GLOBAL("runtime.LoadParams").set_body([](TVMArgs args, TVMRetValue* rv) {
  *rv = ToMap(LoadParamDict(args[0].operator std::string(), "load_param_dict"));
});

TVM_REGISTER_GLOBAL("runtime.SaveParamsToFile").set_body_typed([](Map<String, NDArray> params, std::string path) {
  std::string out;
  SaveParamDict(FromMap(params), &out);
  std::ofstream f(path, std::ios::binary);
  TVM_CHECK(f.good(), "OSError") << "save_param_dict_to_file: cannot write '" << path << "'";
  f.write(out.data(), static_cast<std::streamsize>(out.size()));
});

TVM_REGISTER_GLOBAL("runtime.LoadParamsFromFile").set_body_typed([](std::string path) {
  return ToMap(LoadParamDict(ReadFile(path, "load_param_dict_from_file"), "load_param_dict_from_file '" + path + "'"));
});

}  // namespace runtime
}  // namespace tvm
