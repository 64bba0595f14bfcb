/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// DetectFeature: which kinds of node a program uses (relay.analysis.
// detect_feature), plus two properties: fGraph (a non-atomic node is reached
// twice: the program is a graph, not a tree) and fLetRec (a let-bound
// variable is used inside its own value). The bodies of primitive (fused)
// functions are not looked into. Feature numbers are TVM's.
//
// fLetRec in one pass: the walk visits a let's value before its body, and in
// a well-formed program every use of the variable is inside the let, so a use
// met while the value is being walked is a use in the value.
#include <tvm/relay/analysis.h>
#include <tvm/runtime/registry.h>

#include <unordered_set>
#include <vector>

#include "../ir/walk.h"

namespace tvm {
namespace relay {

namespace {

enum Feature : int {
  fVar = 0,
  fGlobalVar = 1,
  fConstant = 2,
  fTuple = 3,
  fTupleGetItem = 4,
  fFunction = 5,
  fOp = 6,
  fCall = 7,
  fLet = 8,
  fIf = 9,
  fRefCreate = 10,
  fRefRead = 11,
  fRefWrite = 12,
  fGraph = 15,
  fLetRec = 16,
};

bool IsAtomic(const Expr& e) {
  return e.as<VarNode>() || e.as<OpNode>() || e.as<ConstantNode>() || e.as<GlobalVarNode>();
}

int KindFeature(const Expr& e) {
  if (e.as<VarNode>()) return fVar;
  if (e.as<GlobalVarNode>()) return fGlobalVar;
  if (e.as<ConstantNode>()) return fConstant;
  if (e.as<TupleNode>()) return fTuple;
  if (e.as<TupleGetItemNode>()) return fTupleGetItem;
  if (e.as<FunctionNode>()) return fFunction;
  if (e.as<OpNode>()) return fOp;
  if (e.as<CallNode>()) return fCall;
  if (e.as<LetNode>()) return fLet;
  if (e.as<IfNode>()) return fIf;
  if (e.as<RefCreateNode>()) return fRefCreate;
  if (e.as<RefReadNode>()) return fRefRead;
  if (e.as<RefWriteNode>()) return fRefWrite;
  return -1;
}

class FeatureDetector {
 public:
  void Detect(const Expr& root) {
    std::vector<Item> stack{{kVisit, root, nullptr}};
    std::vector<Expr> children;
    while (!stack.empty()) {
      Item item = std::move(stack.back());
      stack.pop_back();
      if (item.kind == kBeginValue) {
        in_value_of_.insert(item.var);
        continue;
      }
      if (item.kind == kEndValue) {
        in_value_of_.erase(item.var);
        continue;
      }
      const Expr& e = item.expr;
      // Every reference of a variable counts (the binder and the uses are one node).
      if (const auto* var = e.as<VarNode>()) {
        if (in_value_of_.count(var)) Add(fLetRec);
      }
      if (!visited_.insert(e.get()).second) {
        if (!IsAtomic(e)) Add(fGraph);
        continue;
      }
      int kind = KindFeature(e);
      if (kind >= 0) Add(kind);
      if (e.as<VarNode>()) continue;
      if (const auto* let = e.as<LetNode>()) {
        // The variable, then its value (uses in there are recursive), then the body.
        const auto* var = static_cast<const VarNode*>(let->var.get());
        stack.push_back({kVisit, let->body, nullptr});
        stack.push_back({kEndValue, Expr(), var});
        stack.push_back({kVisit, let->value, nullptr});
        stack.push_back({kBeginValue, Expr(), var});
        stack.push_back({kVisit, let->var, nullptr});
        continue;
      }
      const auto* fn = e.as<FunctionNode>();
      if (fn != nullptr && fn->attrs.HasNonzeroAttr(attr::kPrimitive)) continue;
      children.clear();
      detail::AllChildren(e, &children, /*enter_functions=*/true);
      for (auto c = children.rbegin(); c != children.rend(); ++c) stack.push_back({kVisit, *c, nullptr});
    }
  }

  uint64_t features = 0;

 private:
  enum ItemKind { kVisit, kBeginValue, kEndValue };
  struct Item {
    ItemKind kind;
    Expr expr;
    const VarNode* var;
  };

  void Add(int f) { features |= uint64_t(1) << f; }

  std::unordered_set<const Object*> visited_;
  std::unordered_set<const VarNode*> in_value_of_;
};

Array<Integer> FeatureList(uint64_t features) {
  Array<Integer> out;
  for (int f = 0; f < 64; ++f) {
    if (features & (uint64_t(1) << f)) out.push_back(Integer(f));
  }
  return out;
}

uint64_t DetectIn(const ObjectRef& node) {
  if (!node.defined()) return 0;
  uint64_t features = 0;
  // Each function on its own: nodes shared between functions do not make a graph.
  auto detect = [&features](const Expr& e) {
    FeatureDetector detector;
    detector.Detect(e);
    features |= detector.features;
  };
  if (const auto* e = node.as<RelayExprNode>()) {
    detect(GetRef<Expr>(e));
  } else if (const auto* mod = node.as<IRModuleNode>()) {
    for (const auto& kv : mod->functions) {
      if (const auto* fn = kv.second.as<FunctionNode>()) detect(GetRef<Expr>(fn));
    }
  } else {
    TVM_CHECK(false, "TypeError") << "relay.analysis.detect_feature expects a Relay expression or an IRModule, got "
                                  << node->GetTypeKey();
  }
  return features;
}

}  // namespace

TVM_REGISTER_GLOBAL("relay.analysis.detect_feature").set_body_typed([](ObjectRef a, ObjectRef b) {
  return FeatureList(DetectIn(a) | DetectIn(b));
});

}  // namespace relay
}  // namespace tvm
