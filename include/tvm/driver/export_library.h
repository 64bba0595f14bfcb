/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/driver/export_library.h
 * \brief Module.export_library's default path from C++: a module and what it
 *  imports -> one shared library that tvm.runtime.load_module (or
 *  runtime::Module::LoadFromFile) loads in any process.
 *
 *   runtime::Module factory = relay::Build(mod, target, params);
 *   driver::ExportLibrary(factory, "model.so");
 *
 * The steps (src/driver/export_library.cc): an object file per llvm module
 * (one per part of a module built in parts), the other modules packed into
 * the symbol __tvm_dev_mblob (an assembly file), then the system compiler
 * links them: $CXX, else g++, c++ or cc on PATH, as
 * `<cc> -shared -fPIC -o <out> <objects...>`, run inside the temporary
 * folder with relative paths so the folder's name never reaches the library.
 */
#ifndef TVM_DRIVER_EXPORT_LIBRARY_H_
#define TVM_DRIVER_EXPORT_LIBRARY_H_

#include <tvm/runtime/module.h>

#include <string>

namespace tvm {
namespace driver {

/*!
 * \brief Write `mod` and its imports as the shared library `file_name`.
 * \param workspace_dir where the temporary folder goes (empty: $TMPDIR or /tmp).
 * \throws runtime::Error naming the problem: no compiler, a link failure (with
 *  the command and its output), an unwritable path, a module loaded from a
 *  shared library, a module compiled for another architecture.
 */
TVM_DLL void ExportLibrary(const runtime::Module& mod, const std::string& file_name,
                           const std::string& workspace_dir = "");

}  // namespace driver
}  // namespace tvm
#endif  // TVM_DRIVER_EXPORT_LIBRARY_H_
