/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The type solver: unification with union-find and relations to a fixed point.
// Recursion here follows the structure of one type (its nesting), never the
// size of the program.
#include "type_solver.h"

#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/tir/expr.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <optional>
#include <sstream>

namespace tvm {
namespace relay {

namespace {

std::string DimText(const PrimExpr& d) {
  if (const auto* imm = d.as<IntImmNode>()) return std::to_string(imm->value);
  if (d.as<tir::AnyNode>()) return "?";
  return AsRepr(d);
}

void PrintType(const Type& t, std::ostream& os) {
  if (!t.defined()) {
    os << "<none>";
  } else if (const auto* tt = t.as<TensorTypeNode>()) {
    os << "Tensor[(";
    for (size_t i = 0; i < tt->shape.size(); ++i) os << (i ? ", " : "") << DimText(tt->shape[i]);
    if (tt->shape.size() == 1) os << ",";
    os << "), " << runtime::DLDataType2String(tt->dtype) << "]";
  } else if (const auto* tup = t.as<TupleTypeNode>()) {
    os << "(";
    for (size_t i = 0; i < tup->fields.size(); ++i) {
      if (i) os << ", ";
      PrintType(tup->fields[i], os);
    }
    if (tup->fields.size() == 1) os << ",";
    os << ")";
  } else if (const auto* ft = t.as<FuncTypeNode>()) {
    os << "fn";
    if (!ft->type_params.empty()) {
      os << "<";
      for (size_t i = 0; i < ft->type_params.size(); ++i) os << (i ? ", " : "") << ft->type_params[i]->name_hint;
      os << ">";
    }
    os << "(";
    for (size_t i = 0; i < ft->arg_types.size(); ++i) {
      if (i) os << ", ";
      PrintType(ft->arg_types[i], os);
    }
    os << ") -> ";
    PrintType(ft->ret_type, os);
  } else if (t.as<IncompleteTypeNode>()) {
    os << "?";
  } else if (const auto* tv = t.as<TypeVarNode>()) {
    os << tv->name_hint;
  } else if (const auto* gtv = t.as<GlobalTypeVarNode>()) {
    os << gtv->name_hint;
  } else if (const auto* ref = t.as<RelayRefTypeNode>()) {
    os << "Ref[";
    PrintType(ref->value, os);
    os << "]";
  } else if (const auto* pt = t.as<PrimTypeNode>()) {
    os << runtime::DLDataType2String(pt->dtype);
  } else {
    os << AsRepr(t);
  }
}

// Replace unknowns through `resolve`, rebuilding only what changed.
template <typename F>
Type MapType(const Type& t, const F& f) {
  if (const auto* tt = t.as<TupleTypeNode>()) {
    Array<Type> fields;
    bool changed = false;
    for (const Type& x : tt->fields) {
      fields.push_back(f(x));
      changed |= !fields.back().same_as(x);
    }
    return changed ? TupleType(fields) : t;
  }
  if (const auto* ft = t.as<FuncTypeNode>()) {
    Array<Type> args;
    bool changed = false;
    for (const Type& x : ft->arg_types) {
      args.push_back(f(x));
      changed |= !args.back().same_as(x);
    }
    Type ret = f(ft->ret_type);
    changed |= !ret.same_as(ft->ret_type);
    Array<TypeConstraint> cons;
    for (const TypeConstraint& c : ft->type_constraints) {
      Type nc = f(c);
      changed |= !nc.same_as(c);
      cons.push_back(Downcast<TypeConstraint>(nc));
    }
    return changed ? FuncType(args, ret, ft->type_params, cons) : t;
  }
  if (const auto* rel = t.as<TypeRelationNode>()) {
    Array<Type> args;
    bool changed = false;
    for (const Type& x : rel->args) {
      args.push_back(f(x));
      changed |= !args.back().same_as(x);
    }
    return changed ? TypeRelation(rel->func, rel->name, args, rel->num_inputs, rel->attrs) : t;
  }
  if (const auto* ref = t.as<RelayRefTypeNode>()) {
    Type v = f(ref->value);
    return v.same_as(ref->value) ? t : RelayRefType(v);
  }
  if (const auto* tc = t.as<TypeCallNode>()) {
    Type fn = f(tc->func);
    Array<Type> args;
    bool changed = !fn.same_as(tc->func);
    for (const Type& x : tc->args) {
      args.push_back(f(x));
      changed |= !args.back().same_as(x);
    }
    return changed ? TypeCall(fn, args) : t;
  }
  return t;
}

}  // namespace

std::string TypeText(const Type& type) {
  std::ostringstream os;
  PrintType(type, os);
  return os.str();
}

std::string SpanText(const Span& span) { return span.defined() ? span.ToString() : std::string(); }

// The reporter relations talk to: Assign unifies through the solver.
class TypeSolver::Reporter : public TypeReporterNode {
 public:
  explicit Reporter(TypeSolver* solver) : solver_(solver) {}
  void Assign(const Type& dst, const Type& src) final { solver_->UnifyOrThrow(dst, src); }
  bool Assert(const PrimExpr& cond) final {
    PrimExpr c = solver_->analyzer_.Simplify(cond);
    if (const auto* imm = c.as<IntImmNode>()) return imm->value != 0;
    return true;
  }
  bool AssertEQ(const PrimExpr& lhs, const PrimExpr& rhs) final {
    const auto* a = lhs.as<IntImmNode>();
    const auto* b = rhs.as<IntImmNode>();
    if (a != nullptr && b != nullptr) return a->value == b->value;
    if (lhs.as<tir::AnyNode>() || rhs.as<tir::AnyNode>()) return true;
    if (lhs.dtype() != rhs.dtype()) return true;  // symbolic of another width: cannot decide here
    PrimExpr diff = solver_->analyzer_.Simplify(tir::Sub(lhs, rhs));
    if (const auto* d = diff.as<IntImmNode>()) return d->value == 0;
    return true;
  }
  Span GetSpan() final { return span_; }
  void SetSpan(const Span& span) final { span_ = span; }
  static constexpr const char* _type_key = "relay.TypeSolverReporter";
  static constexpr bool _type_final = true;
  using _type_parent = TypeReporterNode;

 private:
  TypeSolver* solver_;
  Span span_;
};

TypeSolver::TypeSolver() { reporter_ = TypeReporter(make_object<Reporter>(this)); }
TypeSolver::~TypeSolver() = default;

Type TypeSolver::Fresh() {
  IncompleteType t(TypeKind::kType);
  UnknownOf(t.get());
  return t;
}

int TypeSolver::UnknownOf(const Object* incomplete) {
  auto it = unknown_index_.find(incomplete);
  if (it != unknown_index_.end()) return it->second;
  int id = static_cast<int>(unknowns_.size());
  Unknown u;
  u.parent = id;
  u.canonical = GetRef<Type>(static_cast<const TypeNode*>(incomplete));
  unknowns_.push_back(std::move(u));
  unknown_index_.emplace(incomplete, id);
  return id;
}

int TypeSolver::Find(int id) {
  int root = id;
  while (unknowns_[root].parent != root) root = unknowns_[root].parent;
  while (unknowns_[id].parent != root) {
    int next = unknowns_[id].parent;
    unknowns_[id].parent = root;
    id = next;
  }
  return root;
}

Type TypeSolver::ShallowResolve(Type t) {
  while (t.defined() && t.as<IncompleteTypeNode>()) {
    int root = Find(UnknownOf(t.get()));
    if (!unknowns_[root].value.defined()) return unknowns_[root].canonical;
    t = unknowns_[root].value;
  }
  return t;
}

Type TypeSolver::Resolve(const Type& t) {
  Type s = ShallowResolve(t);
  if (!s.defined() || s.as<IncompleteTypeNode>()) return s;
  return MapType(s, [this](const Type& x) { return Resolve(x); });
}

void TypeSolver::CollectUnbound(const Type& t, std::vector<int>* out) {
  Type s = ShallowResolve(t);
  if (!s.defined()) return;
  if (s.as<IncompleteTypeNode>()) {
    out->push_back(Find(UnknownOf(s.get())));
    return;
  }
  MapType(s, [&](const Type& x) {
    CollectUnbound(x, out);
    return x;
  });
}

bool TypeSolver::Occurs(int id, const Type& t) {
  std::vector<int> unbound;
  CollectUnbound(t, &unbound);
  for (int u : unbound) {
    if (u == id) return true;
  }
  return false;
}

void TypeSolver::Enqueue(int rel) {
  Relation& r = relations_[rel];
  if (r.done || r.queued) return;
  r.queued = true;
  queue_.push_back(rel);
}

void TypeSolver::Bind(int id, const Type& t) {
  id = Find(id);
  std::vector<int> waiters;
  waiters.swap(unknowns_[id].waiters);
  if (const auto* inc = t.as<IncompleteTypeNode>()) {
    int other = Find(UnknownOf(inc));
    if (other == id) return;
    ++binds_;
    unknowns_[id].parent = other;
    // Nothing new is known: the relations wait on the merged class.
    auto& w = unknowns_[other].waiters;
    w.insert(w.end(), waiters.begin(), waiters.end());
    return;
  }
  if (Occurs(id, t)) {
    unknowns_[id].waiters.swap(waiters);
    throw UnifyError(TypeText(unknowns_[id].canonical), TypeText(Resolve(t)), "the type would contain itself");
  }
  unknowns_[id].value = t;
  ++binds_;
  for (int r : waiters) Enqueue(r);
}

PrimExpr TypeSolver::UnifyDim(const PrimExpr& a, const PrimExpr& b, const Type& ta, const Type& tb) {
  if (a.same_as(b)) return a;
  const auto* ia = a.as<IntImmNode>();
  const auto* ib = b.as<IntImmNode>();
  if (ia != nullptr && ib != nullptr) {
    if (ia->value == ib->value) return a;
  } else if (a.as<tir::AnyNode>() || b.as<tir::AnyNode>()) {
    // A dimension known only at run time agrees with anything; it stays unknown.
    return a.as<tir::AnyNode>() ? a : b;
  } else if (a.dtype() == b.dtype() && analyzer_.CanProveEqual(a, b)) {
    return a;
  } else if (a.dtype() != b.dtype() && ia == nullptr && ib == nullptr && StructuralEqual()(a, b)) {
    return a;
  }
  throw UnifyError(TypeText(Resolve(ta)), TypeText(Resolve(tb)), "dimensions " + DimText(a) + " and " + DimText(b) + " differ");
}

Type TypeSolver::UnifyRec(const Type& a0, const Type& b0) {
  Type a = ShallowResolve(a0);
  Type b = ShallowResolve(b0);
  if (a.same_as(b)) return a;
  if (a.as<IncompleteTypeNode>()) {
    Bind(UnknownOf(a.get()), b);
    return b;
  }
  if (b.as<IncompleteTypeNode>()) {
    Bind(UnknownOf(b.get()), a);
    return a;
  }
  auto mismatch = [&](const std::string& why) { return UnifyError(TypeText(Resolve(a)), TypeText(Resolve(b)), why); };
  if (const auto* ta = a.as<TensorTypeNode>()) {
    const auto* tb = b.as<TensorTypeNode>();
    if (tb == nullptr) throw mismatch("");
    if (ta->dtype != tb->dtype) {
      throw mismatch("dtypes " + runtime::DLDataType2String(ta->dtype) + " and " +
                     runtime::DLDataType2String(tb->dtype) + " differ");
    }
    if (ta->shape.size() != tb->shape.size()) {
      throw mismatch("ranks " + std::to_string(ta->shape.size()) + " and " + std::to_string(tb->shape.size()) +
                     " differ");
    }
    Array<PrimExpr> shape;
    bool changed = false;
    for (size_t i = 0; i < ta->shape.size(); ++i) {
      shape.push_back(UnifyDim(ta->shape[i], tb->shape[i], a, b));
      changed |= !shape.back().same_as(ta->shape[i]);
    }
    return changed ? TensorType(shape, ta->dtype) : a;
  }
  if (const auto* ta = a.as<TupleTypeNode>()) {
    const auto* tb = b.as<TupleTypeNode>();
    if (tb == nullptr) throw mismatch("");
    if (ta->fields.size() != tb->fields.size()) {
      throw mismatch("tuples of " + std::to_string(ta->fields.size()) + " and " + std::to_string(tb->fields.size()) +
                     " fields");
    }
    Array<Type> fields;
    for (size_t i = 0; i < ta->fields.size(); ++i) fields.push_back(UnifyRec(ta->fields[i], tb->fields[i]));
    return TupleType(fields);
  }
  if (const auto* fa = a.as<FuncTypeNode>()) {
    const auto* fb = b.as<FuncTypeNode>();
    if (fb == nullptr) throw mismatch("");
    if (fa->arg_types.size() != fb->arg_types.size()) {
      throw mismatch("functions of " + std::to_string(fa->arg_types.size()) + " and " +
                     std::to_string(fb->arg_types.size()) + " parameters");
    }
    FuncType gb = GetRef<FuncType>(fb);
    if (fa->type_params.size() != fb->type_params.size()) {
      // The more polymorphic function is instantiated afresh and must fit the
      // other, whose type parameters stay rigid: fn<a, b>(a) -> b fits
      // fn<c>(c) -> c, and the result is the less polymorphic one.
      const FuncTypeNode* poly = fa->type_params.size() > fb->type_params.size() ? fa : fb;
      const FuncTypeNode* mono = poly == fa ? fb : fa;
      Map<TypeVar, Type> subst;
      for (const TypeVar& tv : poly->type_params) subst.Set(tv, Fresh());
      std::function<Type(const Type&)> sub = [&](const Type& t) -> Type {
        if (const auto* tv = t.as<TypeVarNode>()) {
          std::optional<Type> v = subst.Get(GetRef<TypeVar>(tv));
          return v ? *v : t;
        }
        return MapType(t, sub);
      };
      Array<Type> args;
      for (const Type& x : poly->arg_types) args.push_back(sub(x));
      FuncType inst(args, sub(poly->ret_type), {}, {});
      FuncType rigid(mono->arg_types, mono->ret_type, {}, {});
      Type unified = UnifyRec(rigid, inst);
      const auto* u = unified.as<FuncTypeNode>();
      return FuncType(u->arg_types, u->ret_type, mono->type_params, mono->type_constraints);
    }
    // Same number of type parameters: rename b's to a's.
    Map<TypeVar, Type> rename;
    for (size_t i = 0; i < fa->type_params.size(); ++i) rename.Set(fb->type_params[i], fa->type_params[i]);
    std::function<Type(const Type&)> sub = [&](const Type& t) -> Type {
      if (const auto* tv = t.as<TypeVarNode>()) {
        std::optional<Type> v = rename.Get(GetRef<TypeVar>(tv));
        return v ? *v : t;
      }
      return MapType(t, sub);
    };
    Array<Type> args;
    for (size_t i = 0; i < fa->arg_types.size(); ++i) args.push_back(UnifyRec(fa->arg_types[i], sub(fb->arg_types[i])));
    Type ret = UnifyRec(fa->ret_type, sub(fb->ret_type));
    return FuncType(args, ret, fa->type_params, fa->type_constraints);
  }
  if (const auto* ra = a.as<RelayRefTypeNode>()) {
    const auto* rb = b.as<RelayRefTypeNode>();
    if (rb == nullptr) throw mismatch("");
    return RelayRefType(UnifyRec(ra->value, rb->value));
  }
  if (const auto* ca = a.as<TypeCallNode>()) {
    const auto* cb = b.as<TypeCallNode>();
    if (cb == nullptr || ca->args.size() != cb->args.size()) throw mismatch("");
    Type fn = UnifyRec(ca->func, cb->func);
    Array<Type> args;
    for (size_t i = 0; i < ca->args.size(); ++i) args.push_back(UnifyRec(ca->args[i], cb->args[i]));
    return TypeCall(fn, args);
  }
  if (const auto* pa = a.as<PrimTypeNode>()) {
    const auto* pb = b.as<PrimTypeNode>();
    if (pb != nullptr && pa->dtype == pb->dtype) return a;
    throw mismatch("");
  }
  if (StructuralEqual()(a, b)) return a;
  throw mismatch("");
}

Type TypeSolver::UnifyOrThrow(const Type& a, const Type& b) { return UnifyRec(a, b); }

Type TypeSolver::Unify(const Type& a, const Type& b, const Span& span, const std::string& context,
                       const char* first, const char* second) {
  try {
    return UnifyRec(a, b);
  } catch (const UnifyError& e) {
    std::string ta = TypeText(Resolve(a)), tb = TypeText(Resolve(b));
    std::string msg = context + ": " + first + " " + ta + ", " + second + " " + tb;
    // Name the inner types too when the disagreement is deeper than the whole.
    if (e.lhs != ta || e.rhs != tb) msg += "; unable to unify " + e.lhs + " and " + e.rhs;
    if (!e.why.empty()) msg += ": " + e.why;
    ReportError(span, msg);
    return a;
  }
}

void TypeSolver::ReportError(const Span& span, const std::string& message) {
  std::string text = message;
  if (span.defined()) text += " (at " + span.ToString() + ")";
  errors_.push_back(std::move(text));
}

void TypeSolver::AddRelation(const TypeRelation& rel, const std::string& op_name, const Span& span) {
  Relation r;
  r.rel = rel;
  r.op_name = op_name;
  r.span = span;
  relations_.push_back(std::move(r));
  Enqueue(static_cast<int>(relations_.size()) - 1);
}

void TypeSolver::Solve() {
  while (!queue_.empty()) {
    int id = queue_.front();
    queue_.pop_front();
    Relation& r = relations_[id];
    r.queued = false;
    if (r.done) continue;
    Array<Type> args;
    for (const Type& t : r.rel->args) args.push_back(Resolve(t));
    reporter_->SetSpan(r.span);
    uint64_t binds_before = binds_;
    bool solved = false;
    try {
      solved = r.rel->func(args, r.rel->num_inputs, r.rel->attrs, reporter_);
    } catch (const UnifyError& e) {
      relations_[id].done = true;
      ReportError(relations_[id].span, relations_[id].op_name + ": " + e.what());
      continue;
    } catch (const runtime::Error& e) {
      // A type error in the program is recorded; anything else (an assertion in a
      // Python relation, an internal error) is a bug of the relation: it propagates.
      static const char* kTypeErrors[] = {"TypeError", "ValueError", "IndexError", "TVMError", "DiagnosticError"};
      if (std::none_of(std::begin(kTypeErrors), std::end(kTypeErrors),
                       [&](const char* k) { return e.kind() == k; })) {
        throw;
      }
      relations_[id].done = true;
      ReportError(relations_[id].span, relations_[id].op_name + ": " + e.what());
      continue;
    }
    // relations_ may have grown (a relation never adds relations, but keep it safe).
    Relation& rr = relations_[id];
    if (solved) {
      rr.done = true;
      continue;
    }
    if (binds_ != binds_before) {
      // It decided something (e.g. an input from its output): run it again with that.
      Enqueue(id);
      continue;
    }
    std::vector<int> unbound;
    for (const Type& t : rr.rel->args) CollectUnbound(t, &unbound);
    for (int u : unbound) {
      auto& w = unknowns_[u].waiters;
      if (w.empty() || w.back() != id) w.push_back(id);
    }
  }
}

bool TypeSolver::AllSolved() const {
  return std::all_of(relations_.begin(), relations_.end(), [](const Relation& r) { return r.done; });
}

void TypeSolver::ReportUnsolved() {
  for (const Relation& r : relations_) {
    if (r.done) continue;
    std::string args;
    for (int i = 0; i < r.rel->num_inputs && i < static_cast<int>(r.rel->args.size()); ++i) {
      args += (i ? ", " : "") + TypeText(Resolve(r.rel->args[i]));
    }
    ReportError(r.span, r.op_name + ": cannot infer the type of the result from the arguments' types (" + args +
                            "); annotate the unknown (?) inputs");
  }
}

namespace {

// Errors found so far, raised as one TypeError (the test API raises where it happens).
void RaiseErrors(const TypeSolver& solver) {
  if (solver.errors().empty()) return;
  std::string msg;
  for (const std::string& e : solver.errors()) msg += (msg.empty() ? "" : "\n") + e;
  throw runtime::Error("TypeError", msg);
}

}  // namespace

// A solver driven from Python (TVM's relay.analysis._test_type_solver):
// solver("Unify" | "Resolve" | "AddConstraint" | "Solve") gives that operation.
TVM_REGISTER_GLOBAL("relay.analysis._test_type_solver").set_body_typed([]() {
  auto solver = std::make_shared<TypeSolver>();
  return runtime::TypedPackedFunc<runtime::PackedFunc(std::string)>([solver](std::string name) -> runtime::PackedFunc {
    if (name == "Unify") {
      return runtime::TypedPackedFunc<Type(Type, Type)>([solver](Type a, Type b) {
        try {
          return solver->UnifyOrThrow(a, b);
        } catch (const UnifyError& e) {
          throw runtime::Error("TypeError", e.what());
        }
      });
    }
    if (name == "Resolve") {
      return runtime::TypedPackedFunc<Type(Type)>([solver](Type t) { return solver->Resolve(t); });
    }
    if (name == "AddConstraint") {
      return runtime::TypedPackedFunc<void(TypeConstraint)>([solver](TypeConstraint c) {
        const auto* rel = c.as<TypeRelationNode>();
        TVM_CHECK(rel != nullptr, "TypeError") << "AddConstraint takes a TypeRelation, got " << c->GetTypeKey();
        solver->AddRelation(GetRef<TypeRelation>(rel), std::string(rel->name), Span());
      });
    }
    if (name == "Solve") {
      return runtime::TypedPackedFunc<bool()>([solver]() {
        solver->Solve();
        RaiseErrors(*solver);
        return solver->AllSolved();
      });
    }
    TVM_CHECK(false, "ValueError") << "the test type solver has no operation '" << name
                                   << "' (Unify, Resolve, AddConstraint, Solve)";
    return runtime::PackedFunc();
  });
});

}  // namespace relay
}  // namespace tvm
