/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/graph_model_c_api.h
 * \brief C functions over tvm/runtime/graph_model.h, for callers that are not C++.
 *
 * Every function returns 0 on success and -1 on failure; then
 * TVMGetLastError() (tvm/runtime/c_runtime_api.h) gives the message, which
 * names the input or output and, for a tensor that does not fit, the expected
 * and the received shape. Thread safety is that of graph_model.h: a model
 * handle may be used from any number of threads at once, an executor handle
 * from one thread at a time. Strings and shapes returned by the *Info
 * functions live as long as the model handle.
 */
#ifndef TVM_RUNTIME_GRAPH_MODEL_C_API_H_
#define TVM_RUNTIME_GRAPH_MODEL_C_API_H_

#include <dlpack/dlpack.h>
#include <stdint.h>
#include <tvm/runtime/c_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void* TVMGraphModelHandle;
typedef void* TVMGraphModelExecutorHandle;

/*! \brief Load a library written by export_library (module name "default") for one device. */
TVM_DLL int TVMGraphModelLoad(const char* path, int device_type, int device_id, TVMGraphModelHandle* out);
TVM_DLL int TVMGraphModelFree(TVMGraphModelHandle model);
TVM_DLL int TVMGraphModelNumInputs(TVMGraphModelHandle model, int* out);
TVM_DLL int TVMGraphModelNumOutputs(TVMGraphModelHandle model, int* out);
/*! \brief Name, rank, shape and type of input `index` (parameters excluded); any out pointer may be NULL. */
TVM_DLL int TVMGraphModelInputInfo(TVMGraphModelHandle model, int index, const char** name, int* ndim,
                                   const int64_t** shape, DLDataType* dtype);
TVM_DLL int TVMGraphModelOutputInfo(TVMGraphModelHandle model, int index, const char** name, int* ndim,
                                    const int64_t** shape, DLDataType* dtype);

/*! \brief A new executor sharing the model's code and parameters. */
TVM_DLL int TVMGraphModelExecutorCreate(TVMGraphModelHandle model, TVMGraphModelExecutorHandle* out);
TVM_DLL int TVMGraphModelExecutorFree(TVMGraphModelExecutorHandle exec);
/*! \brief Copy `data` into input `name`. */
TVM_DLL int TVMGraphModelExecutorSetInput(TVMGraphModelExecutorHandle exec, const char* name, const DLTensor* data);
/*! \brief Read input `name` from `data` in place (kept alive by the caller; compact, 64-byte aligned). */
TVM_DLL int TVMGraphModelExecutorSetInputZeroCopy(TVMGraphModelExecutorHandle exec, const char* name,
                                                  const DLTensor* data);
TVM_DLL int TVMGraphModelExecutorRun(TVMGraphModelExecutorHandle exec);
/*! \brief Copy output `index` into the caller's `out`. */
TVM_DLL int TVMGraphModelExecutorGetOutput(TVMGraphModelExecutorHandle exec, int index, DLTensor* out);

#ifdef __cplusplus
}  // extern "C"
#endif
#endif  // TVM_RUNTIME_GRAPH_MODEL_C_API_H_
