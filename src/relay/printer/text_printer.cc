/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Relay text format, printing side (the parser in src/relay/parser reads it back):
//
//   #[version = "0.0.5"]
//   def @main(%x: Tensor[(1, 3), float32], %w) {
//     %0 = nn.dense(%x, %w, units=3);
//     add(%0, %0)
//   }
//
// A node used more than once, or one that is not the value of a scope (function
// body, if branch, let value), is bound to a temporary `%n = ...;` the first time
// it is printed, so shared subgraphs print once. Variables, globals, operators
// and constants always print in place. Objects the syntax has no literal for
// (tensors, symbolic shape variables, attribute maps) print as
// `meta[type_key][index]` and are saved as JSON in the `#[metadata]` section.
//
// Dataflow is walked with an explicit stack: a chain of 100,000 calls prints
// without recursing per node. Only nested scopes (functions, if branches)
// recurse, as deep as the program nests them.
#include <tvm/ir/module.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/serialization.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/ir/type_relation.h>
#include <tvm/relay/adt.h>
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/expr.h>

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../../ir/field_collector.h"
#include "scalar_text.h"
#include "../parser/text_format.h"

namespace tvm {
namespace relay {

namespace {

constexpr const char* kVersion = "0.0.5";

template <typename T>
const T* As(const Object* n) {
  return n != nullptr && n->IsInstance<T>() ? static_cast<const T*>(n) : nullptr;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out += c;
    }
  }
  return out + "\"";
}

std::string Indent(const std::string& text, int n) {
  std::string pad(n, ' ');
  std::string out = pad;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '/'; }

/*! \brief A name the tokenizer reads back as one identifier starting with a letter. */
std::string Sanitize(const std::string& hint, const char* fallback_prefix) {
  std::string name;
  for (char c : hint) name += IsIdentChar(c) ? c : '_';
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    name = fallback_prefix + name;
  }
  return name;
}

/*! \brief The text of a scalar constant, or "" when it needs the metadata section. */
std::string ScalarText(const runtime::NDArray& arr) {
  if (arr->ndim != 0 || arr->device.device_type != kDLCPU) return "";
  DataType t(arr->dtype);
  if (t.lanes() != 1) return "";
  const void* p = static_cast<const char*>(arr->data) + arr->byte_offset;
  if (t.is_bool()) return *static_cast<const uint8_t*>(p) ? "True" : "False";
  if (t.is_int() || t.is_uint()) {
    int64_t v;
    bool s = t.is_int();
    switch (t.bits()) {
      case 8: v = s ? int64_t{*static_cast<const int8_t*>(p)} : int64_t{*static_cast<const uint8_t*>(p)}; break;
      case 16: v = s ? int64_t{*static_cast<const int16_t*>(p)} : int64_t{*static_cast<const uint16_t*>(p)}; break;
      case 32: v = s ? int64_t{*static_cast<const int32_t*>(p)} : int64_t{*static_cast<const uint32_t*>(p)}; break;
      case 64:
        if (!s) return "";
        v = *static_cast<const int64_t*>(p);
        break;
      default: return "";
    }
    return text::IntLiteral(v, t);
  }
  if (t.is_float()) {
    double v;
    if (t.bits() == 16) {
      v = text::HalfToFloat(*static_cast<const uint16_t*>(p));
    } else if (t.bits() == 32) {
      v = *static_cast<const float*>(p);
    } else if (t.bits() == 64) {
      v = *static_cast<const double*>(p);
    } else {
      return "";
    }
    if (!std::isfinite(v)) return "";
    return text::FloatLiteral(v, t);
  }
  return "";
}

class RelayTextPrinter {
 public:
  RelayTextPrinter(bool show_meta_data, runtime::PackedFunc annotate)
      : show_meta_data_(show_meta_data), annotate_(std::move(annotate)) {}

  /*! \brief The text of a module, function, expression or type (without header). */
  std::string PrintTop(const ObjectRef& node) {
    if (const auto* mod = node.as<IRModuleNode>()) return PrintModule(GetRef<IRModule>(mod));
    if (node->IsInstance<TypeDataNode>()) return PrintTypeDef(Downcast<Type>(node));
    if (const auto* ty = node.as<TypeNode>()) return PrintType(GetRef<Type>(ty));
    if (node->IsInstance<BaseFuncNode>() && !node->IsInstance<FunctionNode>()) return AsRepr(node);
    if (const auto* e = node.as<RelayExprNode>()) {
      CountParents(GetRef<Expr>(e));
      return PrintScope(GetRef<Expr>(e));
    }
    return AsRepr(node);
  }

  /*! \brief "\n#[metadata]\n{json}" when there is metadata to show, else "". */
  std::string MetaSection() const {
    if (!show_meta_data_ || meta_order_.empty()) return "";
    Map<String, Array<ObjectRef>> table;
    for (const auto& key : meta_order_) table.Set(key, meta_.at(key));
    return "\n#[metadata]\n" + SaveJSON(table);
  }

 private:
  // ---------------------------------------------------------------- modules
  std::string PrintModule(const IRModule& mod) {
    std::vector<std::pair<std::string, BaseFunc>> funcs;
    for (const auto& kv : mod->functions) funcs.emplace_back(kv.first->name_hint, kv.second);
    // Alphabetical, so that the text of a module does not depend on insertion order.
    std::sort(funcs.begin(), funcs.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string out;
    std::vector<std::pair<std::string, Type>> types;
    for (const auto& kv : mod->type_definitions) types.emplace_back(kv.first->name_hint, kv.second);
    std::sort(types.begin(), types.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& kv : types) out += PrintTypeDef(kv.second) + "\n";  // a blank line follows each
    for (size_t i = 0; i < funcs.size(); ++i) {
      if (i || !types.empty()) out += "\n";
      ResetNames();
      if (const auto* fn = funcs[i].second.as<FunctionNode>()) {
        CountParents(GetRef<Function>(fn));
        out += PrintFunction("def @" + funcs[i].first, GetRef<Function>(fn));
      } else {
        out += "def @" + funcs[i].first + " = " + MetaRef(funcs[i].second) + ";";
      }
      out += "\n";
    }
    return out;
  }

  std::string PrintTypeDef(const Type& def) {
    const auto* td = def.as<TypeDataNode>();
    if (td == nullptr) return "/* type definition " + AsRepr(def) + " */";
    ResetNames();
    std::string out = std::string(td->constructors.empty() ? "extern type " : "type ") +
                      Sanitize(td->header->name_hint, "t");
    if (!td->type_vars.empty()) {
      std::vector<std::string> vs;
      for (const auto& tv : td->type_vars) vs.push_back(DeclareTypeVar(tv));
      out += "[" + Join(vs) + "]";
    }
    if (td->constructors.empty()) return out;
    out += " {\n";
    for (const auto& c : td->constructors) {
      out += "  " + std::string(c->name_hint);
      if (!c->inputs.empty()) {
        std::vector<std::string> fs;
        for (const auto& t : c->inputs) fs.push_back(PrintType(t));
        out += "(" + Join(fs) + ")";
      }
      out += ",\n";
    }
    return out + "}";
  }

  void ResetNames() {
    names_.clear();
    temp_counter_ = 0;
    memo_.clear();
    parents_.clear();
  }

  // ---------------------------------------------------------------- scopes
  /*! \brief Children of an expression: everything it refers to, scope bodies included. */
  static void Children(const Object* n, std::vector<const Object*>* out) {
    out->clear();
    if (const auto* c = As<CallNode>(n)) {
      for (const auto& a : c->args) out->push_back(a.get());
      out->push_back(c->op.get());
    } else if (const auto* t = As<TupleNode>(n)) {
      for (const auto& f : t->fields) out->push_back(f.get());
    } else if (const auto* g = As<TupleGetItemNode>(n)) {
      out->push_back(g->tuple.get());
    } else if (const auto* r = As<RefCreateNode>(n)) {
      out->push_back(r->value.get());
    } else if (const auto* r = As<RefReadNode>(n)) {
      out->push_back(r->ref.get());
    } else if (const auto* r = As<RefWriteNode>(n)) {
      out->push_back(r->ref.get());
      out->push_back(r->value.get());
    } else if (const auto* i = As<IfNode>(n)) {
      out->push_back(i->cond.get());
      out->push_back(i->true_branch.get());
      out->push_back(i->false_branch.get());
    } else if (const auto* l = As<LetNode>(n)) {
      out->push_back(l->value.get());
      out->push_back(l->body.get());
    } else if (const auto* f = As<FunctionNode>(n)) {
      out->push_back(f->body.get());
    } else if (const auto* m = As<MatchNode>(n)) {
      out->push_back(m->data.get());
      for (const auto& c : m->clauses) out->push_back(c->rhs.get());
    }
  }

  /*! \brief How many times each node is referred to, to decide what prints in place. */
  void CountParents(const Expr& root) {
    std::vector<const Object*> stack{root.get()}, kids;
    std::unordered_set<const Object*> seen{root.get()};
    while (!stack.empty()) {
      const Object* n = stack.back();
      stack.pop_back();
      Children(n, &kids);
      for (const Object* k : kids) {
        if (k == nullptr) continue;
        ++parents_[k];
        if (seen.insert(k).second) stack.push_back(k);
      }
    }
  }

  /*! \brief Print `e` as the value of a new scope: its bindings, then its result. */
  std::string PrintScope(Expr e) {
    // Scopes (function bodies, if branches) recurse as deep as the program nests them.
    constexpr size_t kMaxScopeDepth = 5000;
    TVM_CHECK(scopes_.size() < kMaxScopeDepth, "ValueError")
        << "cannot print Relay functions or if branches nested more than " << kMaxScopeDepth << " deep";
    scopes_.emplace_back();
    scope_memo_.emplace_back();
    while (const auto* let = e.as<LetNode>()) {
      std::string decl = DeclareVar(let->var);
      std::string value = PrintExpr(let->value, /*try_inline=*/true);
      Emit("let " + decl + " = " + value + ";");
      e = let->body;
    }
    std::string result = PrintExpr(e, /*try_inline=*/true);
    std::string out;
    for (const auto& line : scopes_.back()) out += line + "\n";
    out += result;
    // Temporaries of this scope are out of reach after it.
    for (const Object* n : scope_memo_.back()) memo_.erase(n);
    scopes_.pop_back();
    scope_memo_.pop_back();
    return out;
  }

  /*!
   * \brief Bind, in the current scope, the nodes both branches of `i` use, so that each
   * prints once above the if: printed inside each branch, the parser would read back
   * two copies of what was one node. A node is left in the branches when it uses a
   * variable bound inside them, or reads or writes a reference (hoisting would move
   * the effect before the branch's own).
   */
  void HoistSharedByBranches(const IfNode* i) {
    std::unordered_set<const Object*> in_true, in_false, bound_inside;
    std::vector<const Object*> post_order;  // of the false branch: children before parents
    Reach(i->true_branch.get(), &in_true, &bound_inside, nullptr);
    Reach(i->false_branch.get(), &in_false, &bound_inside, &post_order);
    std::vector<const Object*> hoist;
    std::unordered_set<const Object*> covered;
    // Parents first: once a node is hoisted, what it uses comes along with it.
    for (auto it = post_order.rbegin(); it != post_order.rend(); ++it) {
      const Object* n = *it;
      if (!in_true.count(n) || covered.count(n) || AlwaysInline(n) || n->IsInstance<ConstructorNode>()) continue;
      auto pc = parents_.find(n);
      if (pc == parents_.end() || pc->second < 2) continue;
      std::unordered_set<const Object*> inside;
      bool effect = false;
      Reach(n, &inside, nullptr, nullptr, &effect);
      if (effect) continue;
      bool uses_branch_var = false;
      for (const Var& v : FreeVars(GetRef<Expr>(static_cast<const RelayExprNode*>(n)))) {
        if (bound_inside.count(v.get())) uses_branch_var = true;
      }
      if (uses_branch_var) continue;
      hoist.push_back(n);
      covered.insert(inside.begin(), inside.end());
    }
    for (auto it = hoist.rbegin(); it != hoist.rend(); ++it) {
      PrintExpr(GetRef<Expr>(static_cast<const RelayExprNode*>(*it)), /*try_inline=*/false);
    }
  }

  /*!
   * \brief The nodes reachable from `root` that are not printed yet (into `seen`), the
   * variables bound among them (lets, function parameters, match patterns), their
   * post-order, and whether a reference is read, written or made among them.
   */
  void Reach(const Object* root, std::unordered_set<const Object*>* seen, std::unordered_set<const Object*>* bound,
             std::vector<const Object*>* post_order, bool* effect = nullptr) {
    if (memo_.count(root) || !seen->insert(root).second) return;
    std::vector<std::pair<const Object*, bool>> stack{{root, false}};
    std::vector<const Object*> kids;
    while (!stack.empty()) {
      auto [n, expanded] = stack.back();
      if (expanded) {
        stack.pop_back();
        if (post_order) post_order->push_back(n);
        continue;
      }
      stack.back().second = true;
      if (effect && (n->IsInstance<RefReadNode>() || n->IsInstance<RefWriteNode>() || n->IsInstance<RefCreateNode>())) {
        *effect = true;
      }
      if (bound) {
        if (const auto* l = As<LetNode>(n)) bound->insert(l->var.get());
        if (const auto* f = As<FunctionNode>(n)) {
          for (const auto& p : f->params) bound->insert(p.get());
        }
        if (const auto* m = As<MatchNode>(n)) {
          for (const auto& c : m->clauses) PatternVars(c->lhs, bound);
        }
      }
      Children(n, &kids);
      for (const Object* k : kids) {
        if (k != nullptr && !memo_.count(k) && seen->insert(k).second) stack.emplace_back(k, false);
      }
    }
  }

  static void PatternVars(const Pattern& p, std::unordered_set<const Object*>* out) {
    if (const auto* pv = p.as<PatternVarNode>()) out->insert(pv->var.get());
    if (const auto* pc = p.as<PatternConstructorNode>()) {
      for (const auto& q : pc->patterns) PatternVars(q, out);
    }
    if (const auto* pt = p.as<PatternTupleNode>()) {
      for (const auto& q : pt->patterns) PatternVars(q, out);
    }
  }

  std::string Braced(const Expr& body) { return "{\n" + Indent(PrintScope(body), 2) + "\n}"; }

  void Emit(std::string line) { scopes_.back().push_back(std::move(line)); }

  // ---------------------------------------------------------------- expressions
  static bool AlwaysInline(const Object* n) {
    return n->IsInstance<VarNode>() || n->IsInstance<GlobalVarNode>() || n->IsInstance<OpNode>() ||
           n->IsInstance<ConstantNode>();
  }

  /*! \brief The text that refers to `root`, emitting the bindings it needs first. */
  std::string PrintExpr(const Expr& root, bool try_inline) {
    TVM_CHECK(root.defined(), "ValueError") << "cannot print an undefined (None) Relay expression";
    auto it = memo_.find(root.get());
    if (it != memo_.end()) return it->second;
    std::vector<std::pair<const Object*, bool>> stack{{root.get(), false}};
    std::vector<const Object*> kids;
    while (!stack.empty()) {
      const Object* n = stack.back().first;
      if (memo_.count(n)) {
        stack.pop_back();
        continue;
      }
      if (!stack.back().second) {
        stack.back().second = true;
        DataflowChildren(n, &kids);
        for (auto k = kids.rbegin(); k != kids.rend(); ++k) {
          TVM_CHECK(*k != nullptr, "ValueError") << "cannot print a Relay expression with an undefined (None) operand";
          if (!memo_.count(*k)) stack.emplace_back(*k, false);
        }
        continue;
      }
      stack.pop_back();
      Bind(n, n == root.get() && try_inline);
    }
    return memo_.at(root.get());
  }

  /*! \brief The children printed before a node, in print order (scope bodies excluded). */
  static void DataflowChildren(const Object* n, std::vector<const Object*>* out) {
    if (n->IsInstance<IfNode>()) {
      out->assign(1, static_cast<const IfNode*>(n)->cond.get());
    } else if (n->IsInstance<MatchNode>()) {
      out->assign(1, static_cast<const MatchNode*>(n)->data.get());
    } else if (n->IsInstance<LetNode>() || n->IsInstance<FunctionNode>()) {
      out->clear();
    } else {
      Children(n, out);
    }
  }

  void Remember(const Object* n, std::string text) {
    memo_[n] = std::move(text);
    if (!scope_memo_.empty() && !n->IsInstance<VarNode>()) scope_memo_.back().push_back(n);
  }

  void Bind(const Object* n, bool inline_ok) {
    if (const auto* v = As<VarNode>(n)) {
      // First sight of a variable no binder declared: a free variable.
      std::string decl = DeclareVar(GetRef<Var>(v));
      Emit("free_var " + decl + ";");
      return;
    }
    if (const auto* g = As<GlobalVarNode>(n)) return Remember(n, "@" + std::string(g->name_hint));
    if (const auto* op = As<OpNode>(n)) return Remember(n, op->name);
    if (const auto* c = As<ConstructorNode>(n)) return Remember(n, c->name_hint);
    if (const auto* c = As<ConstantNode>(n)) {
      std::string s = ScalarText(c->data);
      return Remember(n, (s.empty() ? MetaRef(GetRef<ObjectRef>(n)) : s) + Info(n));
    }
    std::string text = Render(n) + Info(n);
    auto pc = parents_.find(n);
    bool unique = pc == parents_.end() || pc->second <= 1;
    if (inline_ok && unique) return Remember(n, text);
    std::string temp = "%" + std::to_string(temp_counter_++);
    Emit(temp + " = " + text + ";");
    Remember(n, temp);
  }

  const std::string& Ref(const ObjectRef& e) { return memo_.at(e.get()); }

  std::string Render(const Object* n) {
    if (const auto* c = As<CallNode>(n)) {
      std::vector<std::string> parts;
      for (const auto& a : c->args) parts.push_back(Ref(a));
      AppendCallAttrs(c->attrs, c->op, &parts);
      return Ref(c->op) + "(" + Join(parts) + ")";
    }
    if (const auto* t = As<TupleNode>(n)) {
      std::vector<std::string> parts;
      for (const auto& f : t->fields) parts.push_back(Ref(f));
      return "(" + Join(parts) + (parts.size() == 1 ? ",)" : ")");
    }
    if (const auto* g = As<TupleGetItemNode>(n)) return Ref(g->tuple) + "." + std::to_string(g->index);
    if (const auto* r = As<RefCreateNode>(n)) return "ref(" + Ref(r->value) + ")";
    if (const auto* r = As<RefReadNode>(n)) return "ref_read(" + Ref(r->ref) + ")";
    if (const auto* r = As<RefWriteNode>(n)) return "ref_write(" + Ref(r->ref) + ", " + Ref(r->value) + ")";
    if (const auto* i = As<IfNode>(n)) {
      std::string cond = Ref(i->cond);
      HoistSharedByBranches(i);
      std::string t = Braced(i->true_branch);
      return "if (" + cond + ") " + t + " else " + Braced(i->false_branch);
    }
    if (n->IsInstance<LetNode>()) {
      // A let that is not the value of a scope: parenthesised, as its own scope.
      return "(\n" + Indent(PrintScope(GetRef<Expr>(static_cast<const LetNode*>(n))), 2) + "\n)";
    }
    if (const auto* f = As<FunctionNode>(n)) return PrintFunction("fn ", GetRef<Function>(f));
    if (const auto* m = As<MatchNode>(n)) {
      std::string out = std::string(m->complete ? "match" : "match?") + " (" + Ref(m->data) + ") {\n";
      for (const auto& c : m->clauses) {
        std::string lhs = PrintPattern(c->lhs);
        out += Indent(lhs + " => " + Braced(c->rhs) + ",", 2) + "\n";
      }
      return out + "}";
    }
    TVM_LOG_FATAL << "the Relay text printer cannot print a " << n->GetTypeKey();
    return "";
  }

  static std::string Join(const std::vector<std::string>& parts) {
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
    return out;
  }

  /*! \brief The checked type, as a comment (the parser skips it), or the user's annotation. */
  std::string Info(const Object* n) {
    if (annotate_ != nullptr) {
      std::string s = annotate_(GetRef<ObjectRef>(n)).operator std::string();
      return s.empty() ? "" : " /* " + s + " */";
    }
    if (n->IsInstance<IfNode>() || n->IsInstance<LetNode>() || n->IsInstance<MatchNode>() ||
        n->IsInstance<ConstructorNode>()) {
      return "";
    }
    return TypeAndSpan(static_cast<const RelayExprNode*>(n));
  }

  /*! \brief " /* ty=T span=source:line:column *\/" with what is known, or "" (as TVM prints them). */
  std::string TypeAndSpan(const RelayExprNode* e) {
    std::string info;
    if (e->checked_type_.defined()) info += " ty=" + PrintType(e->checked_type_);
    if (e->span.defined()) {
      const Span& sp = e->span;
      info += " span=" + std::string(sp->source_name.defined() ? sp->source_name->name : String("")) + ":" +
              std::to_string(sp->line) + ":" + std::to_string(sp->column);
    }
    return info.empty() ? info : " /*" + info + " */";
  }

  std::string NewName(const std::string& prefix) {
    std::string name = prefix;
    auto it = names_.find(prefix);
    if (it != names_.end()) {
      do {
        name = prefix + std::to_string(++it->second);
      } while (names_.count(name));
    }
    names_[name] = 0;
    return name;
  }

  /*! \brief Name a variable at its binder: "%x: Tensor[(1), float32]". */
  std::string DeclareVar(const Var& var) {
    std::string name = NewName("%" + Sanitize(var->name_hint, "v"));
    memo_[var.get()] = name;
    std::string decl = name;
    if (var->type_annotation.defined()) decl += ": " + PrintType(var->type_annotation);
    if (annotate_ == nullptr) decl += TypeAndSpan(var.operator->());
    return decl;
  }

  /*! \brief A pattern; its variables are declared (named) here. Nests as deep as written. */
  std::string PrintPattern(const Pattern& p) {
    if (p.as<PatternWildcardNode>()) return "_";
    if (const auto* pv = p.as<PatternVarNode>()) return DeclareVar(pv->var);
    std::vector<std::string> parts;
    if (const auto* pc = p.as<PatternConstructorNode>()) {
      for (const auto& q : pc->patterns) parts.push_back(PrintPattern(q));
      std::string name = pc->constructor->name_hint;
      return parts.empty() ? name : name + "(" + Join(parts) + ")";
    }
    if (const auto* pt = p.as<PatternTupleNode>()) {
      for (const auto& q : pt->patterns) parts.push_back(PrintPattern(q));
      return "(" + Join(parts) + ")";
    }
    return AsRepr(p);
  }

  std::string PrintFunction(const std::string& prefix, const Function& fn) {
    std::string out = prefix;
    if (!fn->type_params.empty()) {
      std::vector<std::string> tps;
      for (const auto& tv : fn->type_params) tps.push_back(DeclareTypeVar(tv));
      out += "[" + Join(tps) + "]";
    }
    std::vector<std::string> params;
    for (const auto& p : fn->params) params.push_back(DeclareVar(p));
    if (fn->attrs.defined()) {
      for (const auto& kv : fn->attrs->dict) params.push_back(std::string(kv.first) + "=" + AttrValue(kv.second));
    }
    out += "(" + Join(params) + ") ";
    if (fn->ret_type.defined()) out += "-> " + PrintType(fn->ret_type) + " ";
    return out + Braced(fn->body);
  }

  // ---------------------------------------------------------------- attributes
  void AppendCallAttrs(const Attrs& attrs, const Expr& op, std::vector<std::string>* parts) {
    if (!attrs.defined()) return;
    if (const auto* dict = attrs.as<DictAttrsNode>()) {
      for (const auto& kv : dict->dict) parts->push_back(std::string(kv.first) + "=" + AttrValue(kv.second));
      if (!dict->dict.empty()) parts->push_back("attrs_type_key=" + Quote(DictAttrsNode::_type_key));
      return;
    }
    const auto* op_node = op.as<OpNode>();
    // Fields equal to a freshly made attrs node's are the defaults; leave them out.
    std::vector<detail::FieldValue> defaults;
    if (ReflectionVTable::Global()->Find(attrs->type_index()) != nullptr) {
      const auto* entry = ReflectionVTable::Global()->Find(attrs->type_index());
      if (entry->create != nullptr) defaults = detail::FieldCollector::Collect(entry->create().get());
    }
    auto fields = detail::FieldCollector::Collect(attrs.get());
    for (size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      if (i < defaults.size() && SameField(f, defaults[i])) continue;
      parts->push_back(std::string(f.key) + "=" + FieldText(f));
    }
    if (op_node == nullptr || std::string(op_node->attrs_type_key) != attrs->GetTypeKey()) {
      parts->push_back("attrs_type_key=" + Quote(attrs->GetTypeKey()));
    }
  }

  static bool SameField(const detail::FieldValue& a, const detail::FieldValue& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
      case detail::FieldValue::kFloat: return a.f == b.f;
      case detail::FieldValue::kInt:
      case detail::FieldValue::kBool: return a.i == b.i;
      case detail::FieldValue::kStr: return a.s == b.s;
      case detail::FieldValue::kHandle: return a.p == b.p;
      case detail::FieldValue::kDType: return a.t == b.t;
      default:
        if (!a.ref.defined() || !b.ref.defined()) return a.ref.defined() == b.ref.defined();
        return StructuralEqual()(a.ref, b.ref);
    }
  }

  std::string FieldText(const detail::FieldValue& f) {
    switch (f.kind) {
      case detail::FieldValue::kFloat:
        // Written as TVM does (0.5f); the digits keep the double exactly, and the
        // parser reads them as a double. Beyond float32's range the suffix says f64.
        if (!std::isfinite(f.f)) return text::NonFiniteLiteral(f.f, DataType::Float(32));
        return text::ShortestFloat(f.f, 64) + (std::fabs(f.f) <= 3.4028234663852886e38 ? "f" : "f64");
      case detail::FieldValue::kInt: return std::to_string(f.i);
      case detail::FieldValue::kBool: return f.i ? "True" : "False";
      case detail::FieldValue::kStr: return Quote(f.s);
      case detail::FieldValue::kDType: return Quote(f.t.is_void() ? "" : runtime::DLDataType2String(f.t));
      case detail::FieldValue::kHandle:
        TVM_LOG_FATAL << "the Relay text printer cannot print the pointer field '" << f.key << "'";
        return "";
      default: return AttrValue(f.ref);
    }
  }

  std::string AttrValue(const ObjectRef& v) {
    if (!v.defined()) return "None";
    if (const auto* s = v.as<runtime::StringObj>()) return Quote(s->data);
    if (const auto* i = v.as<IntImmNode>()) {
      if (i->dtype.is_int() || i->dtype.is_bool() || (i->dtype.is_uint() && i->dtype.bits() < 64)) {
        return text::IntLiteral(i->value, i->dtype);
      }
    }
    if (const auto* f = v.as<FloatImmNode>()) {
      if (f->dtype.bits() == 16 || f->dtype.bits() == 32 || f->dtype.bits() == 64) {
        if (!std::isfinite(f->value)) return text::NonFiniteLiteral(f->value, f->dtype);
        return text::FloatLiteral(f->value, f->dtype);
      }
    }
    if (v->IsInstance<tir::AnyNode>()) return "?";
    if (const auto* a = v.as<runtime::ArrayNode>()) {
      std::vector<std::string> parts;
      for (const auto& x : a->data) parts.push_back(AttrValue(x));
      return "[" + Join(parts) + "]";
    }
    if (const auto* g = v.as<GlobalVarNode>()) return "@" + std::string(g->name_hint);
    return MetaRef(v);
  }

  // ---------------------------------------------------------------- types
  std::string DeclareTypeVar(const TypeVar& tv) {
    std::string name = NewName(Sanitize(tv->name_hint, "t"));
    type_names_[tv.get()] = name;
    return name;
  }

  std::string Shape(const PrimExpr& d) {
    if (const auto* i = d.as<IntImmNode>()) return text::IntLiteral(i->value, i->dtype);
    if (d->IsInstance<tir::AnyNode>()) return "?";
    // A type on its own (repr, error messages) shows symbolic dims as expressions.
    if (inline_dims_) return AsRepr(d);
    return MetaRef(d);
  }

 public:
  /*! \brief Print symbolic dims as their expressions, not meta references (not parseable). */
  void InlineDims() { inline_dims_ = true; }

 private:

  std::string PrintType(const Type& t) {
    if (!t.defined()) return "?";
    if (const auto* tt = t.as<TensorTypeNode>()) {
      std::string dtype = runtime::DLDataType2String(tt->dtype);
      if (tt->shape.empty()) return dtype;
      std::vector<std::string> dims;
      for (const auto& d : tt->shape) dims.push_back(Shape(d));
      return "Tensor[(" + Join(dims) + "), " + dtype + "]";
    }
    if (const auto* tup = t.as<TupleTypeNode>()) {
      std::vector<std::string> parts;
      for (const auto& f : tup->fields) parts.push_back(PrintType(f));
      return "(" + Join(parts) + (parts.size() == 1 ? ",)" : ")");
    }
    if (const auto* ft = t.as<FuncTypeNode>()) {
      std::string out = "fn ";
      // The type parameters bind only inside this type.
      std::vector<std::pair<const Object*, std::optional<std::string>>> saved;
      if (!ft->type_params.empty()) {
        std::vector<std::string> tps;
        for (const auto& tv : ft->type_params) {
          auto it = type_names_.find(tv.get());
          saved.emplace_back(tv.get(), it == type_names_.end() ? std::nullopt : std::optional(it->second));
          tps.push_back(DeclareTypeVar(tv));
        }
        out += "[" + Join(tps) + "]";
      }
      std::vector<std::string> args;
      for (const auto& a : ft->arg_types) args.push_back(PrintType(a));
      out += "(" + Join(args) + ") -> " + PrintType(ft->ret_type);
      for (auto it = saved.rbegin(); it != saved.rend(); ++it) {
        if (it->second) {
          type_names_[it->first] = *it->second;
        } else {
          type_names_.erase(it->first);
        }
      }
      return out;
    }
    if (const auto* tv = t.as<TypeVarNode>()) {
      auto it = type_names_.find(tv);
      return it != type_names_.end() ? it->second : Sanitize(tv->name_hint, "t");
    }
    if (const auto* gv = t.as<GlobalTypeVarNode>()) return Sanitize(gv->name_hint, "t");
    if (t->IsInstance<IncompleteTypeNode>()) return "?";
    if (const auto* r = t.as<RelayRefTypeNode>()) return "ref(" + PrintType(r->value) + ")";
    if (const auto* tc = t.as<TypeCallNode>()) {
      std::vector<std::string> args;
      for (const auto& a : tc->args) args.push_back(PrintType(a));
      return PrintType(tc->func) + "[" + Join(args) + "]";
    }
    return MetaRef(t);
  }

  // ---------------------------------------------------------------- metadata
  std::string MetaRef(const ObjectRef& obj) {
    auto it = meta_index_.find(obj.get());
    std::string key = obj->GetTypeKey();
    if (it == meta_index_.end()) {
      auto& list = meta_[key];
      if (list.empty()) meta_order_.push_back(key);
      it = meta_index_.emplace(obj.get(), static_cast<int>(list.size())).first;
      // The text is span-free: a constant is saved without where it was written.
      if (const auto* c = obj.as<ConstantNode>()) {
        list.push_back(Constant(c->data));
      } else {
        list.push_back(obj);
      }
    }
    return "meta[" + key + "][" + std::to_string(it->second) + "]";
  }

  bool show_meta_data_;
  bool inline_dims_{false};
  runtime::PackedFunc annotate_;
  std::unordered_map<const Object*, std::string> memo_;
  std::unordered_map<const Object*, int> parents_;
  std::unordered_map<const Object*, std::string> type_names_;
  std::unordered_map<std::string, int> names_;
  std::vector<std::vector<std::string>> scopes_;
  std::vector<std::vector<const Object*>> scope_memo_;
  int temp_counter_{0};
  std::unordered_map<std::string, Array<ObjectRef>> meta_;
  std::vector<std::string> meta_order_;
  std::unordered_map<const Object*, int> meta_index_;
};

}  // namespace

/*! \brief The text format of a module, function, expression or type, with the version header. */
std::string AsText(const ObjectRef& node, bool show_meta_data, runtime::PackedFunc annotate) {
  RelayTextPrinter printer(show_meta_data, std::move(annotate));
  std::string body = printer.PrintTop(node);
  return "#[version = \"" + std::string(kVersion) + "\"]\n" + body + printer.MetaSection();
}

/*! \brief The text without header or metadata section, for repr and error messages. */
std::string PrettyPrint(const ObjectRef& node) {
  RelayTextPrinter printer(false, nullptr);
  std::string text = printer.PrintTop(node);
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

TVM_REGISTER_GLOBAL("relay.ir.AsText").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  ObjectRef node = args[0].AsObjectRef();
  bool show_meta = args.size() > 1 ? args[1].operator bool() : true;
  runtime::PackedFunc annotate = args.size() > 2 ? args[2].operator runtime::PackedFunc() : runtime::PackedFunc();
  *rv = AsText(node, show_meta, annotate);
});

TVM_REGISTER_GLOBAL("relay.ir.PrettyPrint").set_body_typed([](ObjectRef node) { return PrettyPrint(node); });

namespace {
void PrintRelay(const ObjectRef& node, ReprPrinter* p) { p->stream << PrettyPrint(node); }

template <typename T>
int RegisterRelayRepr() {
  return ReprPrinter::Register<T>(PrintRelay);
}

void PrintRelayType(const ObjectRef& node, ReprPrinter* p) {
  RelayTextPrinter printer(false, nullptr);
  printer.InlineDims();
  p->stream << printer.PrintTop(node);
}

template <typename T>
int RegisterTypeRepr() {
  return ReprPrinter::Register<T>(PrintRelayType);
}

[[maybe_unused]] const int kTypeReprs[] = {
    RegisterTypeRepr<TensorTypeNode>(),   RegisterTypeRepr<TupleTypeNode>(),    RegisterTypeRepr<FuncTypeNode>(),
    RegisterTypeRepr<TypeVarNode>(),      RegisterTypeRepr<GlobalTypeVarNode>(), RegisterTypeRepr<IncompleteTypeNode>(),
    RegisterTypeRepr<RelayRefTypeNode>(), RegisterTypeRepr<TypeCallNode>(),
};

[[maybe_unused]] const int kRelayReprs[] = {
    RegisterRelayRepr<ConstantNode>(), RegisterRelayRepr<TupleNode>(),        RegisterRelayRepr<VarNode>(),
    RegisterRelayRepr<CallNode>(),     RegisterRelayRepr<LetNode>(),          RegisterRelayRepr<IfNode>(),
    RegisterRelayRepr<TupleGetItemNode>(), RegisterRelayRepr<RefCreateNode>(), RegisterRelayRepr<RefReadNode>(),
    RegisterRelayRepr<RefWriteNode>(), RegisterRelayRepr<FunctionNode>(),     RegisterRelayRepr<MatchNode>(),
    RegisterRelayRepr<ConstructorNode>(), RegisterTypeRepr<TypeDataNode>(),
};
}  // namespace

}  // namespace relay
}  // namespace tvm
