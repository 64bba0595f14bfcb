/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/relay/parser.h
 * \brief Reading the Relay text format (what `mod.astext()` / tvm.relay.fromtext
 *  write and read) from C++. The module is type-checked as it is read.
 *
 *   IRModule mod = relay::ParseModule("model.relay", text);
 */
#ifndef TVM_RELAY_PARSER_H_
#define TVM_RELAY_PARSER_H_

#include <tvm/ir/module.h>
#include <tvm/runtime/container/array.h>
#include <tvm/runtime/container/map.h>
#include <tvm/runtime/container/string.h>

#include <string>

namespace tvm {
namespace relay {

/*!
 * \brief Parse a module.
 * \param source_name names the text in errors ("model.relay:3:7: ...").
 * \param init functions the text may call.
 * \param meta the metadata section's values, for `meta[relay.Constant][0]` references
 *  when the text has no metadata section of its own.
 */
TVM_DLL IRModule ParseModule(const std::string& source_name, const std::string& text,
                             const IRModule& init = IRModule(),
                             const Map<String, Array<ObjectRef>>& meta = {});

}  // namespace relay
}  // namespace tvm
#endif  // TVM_RELAY_PARSER_H_
