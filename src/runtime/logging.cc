/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Errors, warnings and the per-thread last error of the C ABI.
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/logging.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace tvm {
namespace runtime {
namespace {

thread_local std::string last_error;

/*! \brief Source locations are only shown when TVM_ERROR_LOCATION=1 (they are noise to users). */
bool ShowLocation() {
  static const bool show = [] {
    const char* v = std::getenv("TVM_ERROR_LOCATION");
    return v != nullptr && std::strcmp(v, "0") != 0;
  }();
  return show;
}

const char* BaseName(const char* path) {
  const char* slash = std::strrchr(path, '/');
  return slash != nullptr ? slash + 1 : path;
}

}  // namespace

void SetLastErrorFromException(const std::exception& e) {
  if (const auto* err = dynamic_cast<const Error*>(&e)) {
    last_error = err->FullMessage();
  } else {
    last_error = std::string("InternalError: ") + e.what();
  }
}

Error ErrorFromFullMessage(const std::string& msg) {
  // A kind is one identifier ending in "Error" before the first ": ".
  size_t colon = msg.find(": ");
  if (colon != std::string::npos && colon > 0 && colon < 64) {
    std::string kind = msg.substr(0, colon);
    bool identifier = kind.find_first_not_of(
                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.") == std::string::npos;
    if (identifier && kind.size() >= 5 && kind.compare(kind.size() - 5, 5, "Error") == 0) {
      return Error(kind, msg.substr(colon + 2));
    }
  }
  return Error("TVMError", msg);
}

Error LastError() { return ErrorFromFullMessage(last_error); }

namespace detail {

ErrorBuilder::ErrorBuilder(const char* kind, const char* file, int line)
    : kind_(kind), file_(file), line_(line) {}

ErrorBuilder::~ErrorBuilder() noexcept(false) {
  std::string msg = stream_.str();
  if (ShowLocation() || std::strcmp(kind_, "InternalError") == 0) {
    msg += std::string(" [") + BaseName(file_) + ":" + std::to_string(line_) + "]";
  }
  throw Error(kind_, msg);
}

LogMessage::LogMessage(const char* level, const char* file, int line) {
  stream_ << "[tvm " << level << "] ";
  if (ShowLocation()) stream_ << BaseName(file) << ":" << line << ": ";
}

LogMessage::~LogMessage() {
  stream_ << "\n";
  std::fputs(stream_.str().c_str(), stderr);
}

}  // namespace detail
}  // namespace runtime
}  // namespace tvm

extern "C" {

void TVMAPISetLastError(const char* msg) { tvm::runtime::last_error = msg != nullptr ? msg : ""; }

const char* TVMGetLastError(void) { return tvm::runtime::last_error.c_str(); }

}  // extern "C"
