/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/c_backend_api.h
 * \brief The C functions that generated code calls.
 *
 * A compiled library never links against the runtime. Instead it exports a
 * pointer variable per runtime function it uses (named with two leading
 * underscores, e.g. `__TVMBackendAllocWorkspace`) plus `__tvm_module_ctx`;
 * the runtime's library loader fills them in after dlopen. A library linked
 * directly against libtvm_runtime.so may call these functions by name too.
 */
#ifndef TVM_RUNTIME_C_BACKEND_API_H_
#define TVM_RUNTIME_C_BACKEND_API_H_

#include <tvm/runtime/c_runtime_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*! \brief The environment of a parallel group, passed to every task. */
typedef struct {
  /*! \brief Opaque synchronisation state owned by the runtime. */
  void* sync_handle;
  /*! \brief Number of tasks in the group. */
  int32_t num_task;
} TVMParallelGroupEnv;

/*!
 * \brief The body of a parallel loop: task `task_id` of `penv->num_task`.
 * \return 0 on success, non-zero on failure (message via TVMAPISetLastError).
 */
typedef int (*FTVMParallelLambda)(int task_id, TVMParallelGroupEnv* penv, void* cdata);

/*!
 * \brief Run `flambda` on `num_task` tasks of the thread pool and wait for all.
 * \param num_task Number of tasks; 0 means one per pool thread.
 * \return 0 if every task returned 0, otherwise -1 with the first error set.
 */
TVM_DLL int TVMBackendParallelLaunch(FTVMParallelLambda flambda, void* cdata, int num_task);

/*! \brief Wait until every task of the group has reached this barrier. */
TVM_DLL int TVMBackendParallelBarrier(int task_id, TVMParallelGroupEnv* penv);

/*!
 * \brief Allocate temporary memory for a kernel (aligned to 64 bytes).
 * \return The memory, or NULL on failure with the error set.
 */
TVM_DLL void* TVMBackendAllocWorkspace(int device_type, int device_id, uint64_t nbytes,
                                       int dtype_code_hint, int dtype_bits_hint);

/*! \brief Release memory from TVMBackendAllocWorkspace. \return 0 on success. */
TVM_DLL int TVMBackendFreeWorkspace(int device_type, int device_id, void* ptr);

/*!
 * \brief Look up a function that a compiled kernel needs, first in the module
 *  `mod_node` (its imports) and then in the global registry.
 */
TVM_DLL int TVMBackendGetFuncFromEnv(void* mod_node, const char* func_name,
                                     TVMFunctionHandle* out);

/*! \brief Run `flambda(cdata)` once; used for one-time kernel initialisation. */
/*!
 * \brief Register `ptr` under `name` in the system library ("runtime.SystemLib"). Code compiled
 *  for a system library calls it from a static constructor for each of its functions and hooks.
 * \return 0, or -1 when name is NULL.
 */
TVM_DLL int TVMBackendRegisterSystemLibSymbol(const char* name, void* ptr);

TVM_DLL int TVMBackendRunOnce(void** handle, int (*flambda)(void*), void* cdata, int nbytes);

#ifdef __cplusplus
}  // extern "C"
#endif
#endif  // TVM_RUNTIME_C_BACKEND_API_H_
