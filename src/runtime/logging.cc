/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Errors, warnings and the per-thread last error of the C ABI.
#include <tvm/runtime/c_runtime_api.h>
#include <tvm/runtime/logging.h>

#include <cctype>
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

bool HasErrorKind(const std::string& msg) {
  size_t colon = msg.find(": ");
  if (colon == std::string::npos || colon < 5 || colon >= 64) return false;
  for (size_t i = 0; i < colon; ++i) {
    unsigned char ch = static_cast<unsigned char>(msg[i]);
    if (!std::isalnum(ch) && ch != '_' && ch != '.') return false;
  }
  return msg.compare(colon - 5, 5, "Error") == 0;
}

Error ErrorFromFullMessage(const std::string& msg) {
  if (!HasErrorKind(msg)) return Error("TVMError", msg);
  size_t colon = msg.find(": ");
  return Error(msg.substr(0, colon), msg.substr(colon + 2));
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
