/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/runtime/logging.h
 * \brief Errors and checks.
 *
 * Nothing here aborts. A failed check throws tvm::runtime::Error, whose kind
 * ("ValueError", "TypeError", "InternalError", ...) travels across the C ABI
 * as a "Kind: message" prefix and becomes the matching Python exception.
 *
 *   TVM_CHECK(ndim >= 0, "ValueError") << "negative ndim " << ndim;
 *   ICHECK(ptr != nullptr) << "what should have held";   // a bug of ours
 *   throw Error("TypeError", "expected int, got str");
 */
#ifndef TVM_RUNTIME_LOGGING_H_
#define TVM_RUNTIME_LOGGING_H_

#include <tvm/runtime/c_runtime_api.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace tvm {
namespace runtime {

/*! \brief The exception every layer throws. */
class TVM_DLL Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : Error("TVMError", message) {}
  Error(std::string kind, const std::string& message)
      : std::runtime_error(message), kind_(std::move(kind)) {}
  /*! \brief The error class name, e.g. "ValueError". */
  const std::string& kind() const { return kind_; }
  /*! \brief "Kind: message", the form that crosses the C ABI. */
  std::string FullMessage() const { return kind_ + ": " + what(); }

 private:
  std::string kind_;
};

/*! \brief Set the thread's last error from an exception (used by every C entry point). */
TVM_DLL void SetLastErrorFromException(const std::exception& e);
/*!
 * \brief Whether a message starts with an error kind: one identifier ending in
 *  "Error" before the first ": " (as in "TypeError: bad argument").
 */
TVM_DLL bool HasErrorKind(const std::string& message);
/*! \brief Rebuild an Error from "Kind: message" (the inverse of Error::FullMessage). */
TVM_DLL Error ErrorFromFullMessage(const std::string& full_message);
/*! \brief The thread's last C API error as an Error, ready to throw. */
TVM_DLL Error LastError();

namespace detail {

/*! \brief Collects a message with operator<< and throws from its destructor. */
class TVM_DLL ErrorBuilder {
 public:
  ErrorBuilder(const char* kind, const char* file, int line);
  ~ErrorBuilder() noexcept(false);
  std::ostringstream& stream() { return stream_; }

 private:
  const char* kind_;
  const char* file_;
  int line_;
  std::ostringstream stream_;
};

/*! \brief Writes a warning or info line to stderr when destroyed. */
class TVM_DLL LogMessage {
 public:
  LogMessage(const char* level, const char* file, int line);
  ~LogMessage();
  std::ostringstream& stream() { return stream_; }

 private:
  std::ostringstream stream_;
};

}  // namespace detail
}  // namespace runtime
}  // namespace tvm

/*! \brief Throw an Error of `kind` unless `cond` holds; stream the message after it. */
#define TVM_CHECK(cond, kind) \
  if (cond) {                 \
  } else                      \
    ::tvm::runtime::detail::ErrorBuilder(kind, __FILE__, __LINE__).stream()

/*! \brief A user-facing check: throws TVMError. */
#define CHECK(cond) TVM_CHECK(cond, "TVMError") << "Check failed: (" #cond ") "
/*! \brief An internal invariant: throws InternalError (a bug in this project, not in user code). */
#define ICHECK(cond) TVM_CHECK(cond, "InternalError") << "Check failed: (" #cond ") "

#define ICHECK_EQ(a, b) ICHECK((a) == (b)) << (a) << " vs " << (b) << ": "
#define ICHECK_NE(a, b) ICHECK((a) != (b))
#define ICHECK_LT(a, b) ICHECK((a) < (b)) << (a) << " vs " << (b) << ": "
#define ICHECK_LE(a, b) ICHECK((a) <= (b)) << (a) << " vs " << (b) << ": "
#define ICHECK_GT(a, b) ICHECK((a) > (b)) << (a) << " vs " << (b) << ": "
#define ICHECK_GE(a, b) ICHECK((a) >= (b)) << (a) << " vs " << (b) << ": "
#define ICHECK_NOTNULL(x) ICHECK((x) != nullptr)

#define TVM_LOG_FATAL ::tvm::runtime::detail::ErrorBuilder("TVMError", __FILE__, __LINE__).stream()
#define TVM_LOG_WARNING ::tvm::runtime::detail::LogMessage("Warning", __FILE__, __LINE__).stream()
#define TVM_LOG_INFO ::tvm::runtime::detail::LogMessage("Info", __FILE__, __LINE__).stream()
#define LOG(level) TVM_LOG_##level

#endif  // TVM_RUNTIME_LOGGING_H_
