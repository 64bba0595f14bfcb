/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Globals that tests call from compiled code through the packed-call path.
#include <tvm/runtime/registry.h>

namespace tvm {

// Returns its first argument unchanged, whatever its type: checks that a
// tvm_call_packed returning a non-int32 value comes back intact.
TVM_REGISTER_GLOBAL("testing.echo").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  TVM_CHECK(args.size() >= 1, "TypeError") << "testing.echo expects one argument, got " << args.size();
  *rv = args[0];
});

}  // namespace tvm
