/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Relay text format's entry points inside the library (Python reaches them as
// relay.ir.AsText, relay.ir.PrettyPrint, parser.ParseModuleInContext, parser.ParseExpr).
#ifndef TVM_SRC_RELAY_PARSER_TEXT_FORMAT_H_
#define TVM_SRC_RELAY_PARSER_TEXT_FORMAT_H_

#include <tvm/ir/module.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/parser.h>

#include <string>

namespace tvm {
namespace relay {

/*! \brief `#[version = "0.0.5"]` then the text of a module, function, expression or type. */
std::string AsText(const ObjectRef& node, bool show_meta_data, runtime::PackedFunc annotate);
/*! \brief The text without header or metadata section (repr). */
std::string PrettyPrint(const ObjectRef& node);
/*! \brief Parse one expression (bindings may precede it). */
Expr ParseExpr(const std::string& source_name, const std::string& text);

}  // namespace relay
}  // namespace tvm
#endif  // TVM_SRC_RELAY_PARSER_TEXT_FORMAT_H_
