/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Parameter dicts: named arrays in TVM's binary format, the bytes of
// tvm.runtime.save_param_dict and of a graph executor's load_params:
//
//   uint64 magic (0xF7E58D4F05049CB7), uint64 reserved (0),
//   uint64 name count, each name as uint64 length + bytes,
//   uint64 array count (= name count), each array in the NDArray format
//   (ndarray.cc: SaveDLTensor).
#ifndef TVM_SRC_RUNTIME_PARAM_DICT_H_
#define TVM_SRC_RUNTIME_PARAM_DICT_H_

#include <tvm/runtime/ndarray.h>

#include <string>
#include <utility>
#include <vector>

namespace tvm {
namespace runtime {

constexpr uint64_t kTVMNDArrayListMagic = 0xF7E58D4F05049CB7;

using ParamList = std::vector<std::pair<std::string, NDArray>>;

/*! \brief Append the dict's bytes to `out`. */
void SaveParamDict(const ParamList& params, std::string* out);
/*!
 * \brief Read a whole dict (trailing bytes are an error).
 * \param what Names the caller in errors ("load_params", ...).
 * \throws Error (ValueError) on a bad header, truncated or corrupted data.
 */
ParamList LoadParamDict(const std::string& blob, const std::string& what);

}  // namespace runtime
}  // namespace tvm
#endif  // TVM_SRC_RUNTIME_PARAM_DICT_H_
