/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// BasicBlockNormalFormCheck. Scopes: a function body, each branch of an if,
// and what a let binds (its variable, value and body) open a scope inside
// the current one. An expression shared by several scopes is evaluated where
// it is first used, in evaluation order; that place must enclose all its other
// uses, else it has to be lifted (let-bound) into a common scope first:
//
//   if (%c) { %s } else { add(%s, %s) }     %s first used in the then-branch,
//                                            then in the else-branch: lift it
//   let %s = ...; if (%c) { %s } else { %s } fine: first use is the let's
//
// Operators are exempt (they are not values computed anywhere). The walk is
// depth first in evaluation order with an explicit stack.
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/analysis.h>
#include <tvm/runtime/registry.h>

#include <unordered_map>
#include <utility>
#include <vector>

namespace tvm {
namespace relay {

namespace {

class BasicBlockChecker {
 public:
  void Check(const Expr& root) {
    NewScope(-1);
    first_scope_[root.get()] = 0;
    Enter(root, 0);
    while (!stack_.empty()) {
      Frame& top = stack_.back();
      if (top.next == top.children.size()) {
        stack_.pop_back();
        continue;
      }
      std::pair<Expr, int> child = top.children[top.next++];
      const Expr& c = child.first;
      int scope = child.second;
      auto it = first_scope_.find(c.get());
      if (it == first_scope_.end()) {
        first_scope_[c.get()] = scope;
        Enter(c, scope);  // may reallocate stack_: `top` is not used after this
      } else if (!c.as<OpNode>() && !Encloses(it->second, scope)) {
        TVM_CHECK(false, "TVMError") << "relay.analysis.check_basic_block_normal_form: this " << c->GetTypeKey()
                                     << " is used in scopes that do not enclose each other (e.g. two branches "
                                        "of an if, or two functions); let-bind it in a scope enclosing all its "
                                        "uses:\n"
                                     << c;
      }
    }
  }

 private:
  struct Frame {
    std::vector<std::pair<Expr, int>> children;
    size_t next;
  };

  int NewScope(int parent) {
    parent_.push_back(parent);
    depth_.push_back(parent < 0 ? 0 : depth_[parent] + 1);
    return static_cast<int>(parent_.size()) - 1;
  }

  // Whether scope `outer` is `inner` or one of its ancestors.
  bool Encloses(int outer, int inner) const {
    while (depth_[inner] > depth_[outer]) inner = parent_[inner];
    return inner == outer;
  }

  void Enter(const Expr& e, int scope) {
    Frame frame{{}, 0};
    auto add = [&frame](const Expr& c, int s) { frame.children.emplace_back(c, s); };
    if (const auto* call = e.as<CallNode>()) {
      add(call->op, scope);
      for (const Expr& a : call->args) add(a, scope);
    } else if (const auto* tuple = e.as<TupleNode>()) {
      for (const Expr& f : tuple->fields) add(f, scope);
    } else if (const auto* get = e.as<TupleGetItemNode>()) {
      add(get->tuple, scope);
    } else if (const auto* node = e.as<IfNode>()) {
      add(node->cond, scope);
      add(node->true_branch, NewScope(scope));
      add(node->false_branch, NewScope(scope));
    } else if (const auto* let = e.as<LetNode>()) {
      int inner = NewScope(scope);
      add(let->var, inner);
      add(let->value, inner);
      add(let->body, inner);
    } else if (const auto* fn = e.as<FunctionNode>()) {
      int inner = NewScope(scope);
      for (const Var& p : fn->params) add(p, inner);
      add(fn->body, inner);
    } else if (const auto* ref = e.as<RefCreateNode>()) {
      add(ref->value, scope);
    } else if (const auto* read = e.as<RefReadNode>()) {
      add(read->ref, scope);
    } else if (const auto* write = e.as<RefWriteNode>()) {
      add(write->ref, scope);
      add(write->value, scope);
    }
    if (!frame.children.empty()) stack_.push_back(std::move(frame));
  }

  std::vector<int> parent_;
  std::vector<int> depth_;
  std::unordered_map<const Object*, int> first_scope_;
  std::vector<Frame> stack_;
};

}  // namespace

bool BasicBlockNormalFormCheck(const Expr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "relay.analysis.check_basic_block_normal_form: the expression is None";
  BasicBlockChecker().Check(expr);
  return true;
}

TVM_REGISTER_GLOBAL("relay.analysis.check_basic_block_normal_form").set_body_typed([](Expr e) {
  return BasicBlockNormalFormCheck(e);
});

}  // namespace relay
}  // namespace tvm
