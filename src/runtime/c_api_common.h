/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Every C entry point converts exceptions into a -1 return plus the
// thread's last error ("Kind: message"), so nothing unwinds through C.
#ifndef TVM_SRC_RUNTIME_C_API_COMMON_H_
#define TVM_SRC_RUNTIME_C_API_COMMON_H_

#include <tvm/runtime/logging.h>

#define API_BEGIN() try {
#define API_END()                               \
  }                                             \
  catch (const std::exception& e) {             \
    ::tvm::runtime::SetLastErrorFromException(e); \
    return -1;                                  \
  }                                             \
  return 0;

#endif  // TVM_SRC_RUNTIME_C_API_COMMON_H_
