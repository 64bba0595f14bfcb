/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// AnnotateSpans: gives every node of a module a span in its own text. The module
// is printed in the Relay text format and parsed back (source "GeneratedSource"),
// so error messages can point at a line of `mod.astext()` even for IR built in
// Python, which carries no spans.
#include <tvm/ir/module.h>
#include <tvm/ir/transform.h>
#include <tvm/runtime/registry.h>

#include <string>

#include "text_format.h"

namespace tvm {
namespace relay {

namespace transform {

tvm::transform::Pass AnnotateSpans() {
  auto pass_func = [](IRModule mod, tvm::transform::PassContext) {
    std::string text = AsText(mod, /*show_meta_data=*/true, runtime::PackedFunc());
    return ParseModule("GeneratedSource", text, IRModule(), {});
  };
  return tvm::transform::CreateModulePass(pass_func, 0, "AnnotateSpans", {});
}

TVM_REGISTER_GLOBAL("relay._transform.AnnotateSpans").set_body_typed([]() { return AnnotateSpans(); });

}  // namespace transform
}  // namespace relay
}  // namespace tvm
