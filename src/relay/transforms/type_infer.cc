/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file type_infer.cc
 * \brief InferType: the type of every Relay expression, from the annotations,
 *  the constants and the operators' type relations.
 *
 * Each expression gets a type, possibly an unknown (IncompleteType) at first;
 * the structure of the program adds equalities (a call's arguments and the
 * callee's parameters, a let's variable and its value, the branches of an if),
 * and each operator call adds its relation, instantiated with fresh unknowns
 * (add: fn<in0, in1, out>(in0, in1) -> out where Broadcast(in0, in1, out)). The
 * solver (type_solver.h) then runs the relations to a fixed point. At the end
 * every expression's checked_type() is set to its solved type, or all the errors
 * found are raised together, each naming the operator, the types and the span.
 *
 * The walk over the program uses an explicit stack: a chain of 100,000 calls or
 * nested lets is typed without deep recursion. Types are written onto the
 * expressions in place (checked_type_ is a cache, not part of their identity).
 */
#include <tvm/ir/module.h>
#include <tvm/relay/adt.h>
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/function.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <unordered_map>
#include <vector>

#include "type_solver.h"

namespace tvm {
namespace relay {

namespace {

// Type parameters and what replaces them; few per function, so a linear search.
using TypeSubst = std::vector<std::pair<const Object*, Type>>;

Type Substitute(const Type& t, const TypeSubst& subst) {
  if (!t.defined()) return t;
  if (t.as<TypeVarNode>()) {
    for (const auto& [var, value] : subst) {
      if (var == t.get()) return value;
    }
    return t;
  }
  if (t.as<TensorTypeNode>()) return t;
  if (const auto* tt = t.as<TupleTypeNode>()) {
    Array<Type> fields;
    for (const Type& f : tt->fields) fields.push_back(Substitute(f, subst));
    return TupleType(fields);
  }
  if (const auto* ft = t.as<FuncTypeNode>()) {
    Array<Type> args;
    for (const Type& a : ft->arg_types) args.push_back(Substitute(a, subst));
    Array<TypeConstraint> cons;
    for (const TypeConstraint& c : ft->type_constraints) cons.push_back(Downcast<TypeConstraint>(Substitute(c, subst)));
    return FuncType(args, Substitute(ft->ret_type, subst), ft->type_params, cons);
  }
  if (const auto* rel = t.as<TypeRelationNode>()) {
    Array<Type> args;
    for (const Type& a : rel->args) args.push_back(Substitute(a, subst));
    return TypeRelation(rel->func, rel->name, args, rel->num_inputs, rel->attrs);
  }
  if (const auto* ref = t.as<RelayRefTypeNode>()) return RelayRefType(Substitute(ref->value, subst));
  if (const auto* tc = t.as<TypeCallNode>()) {
    Array<Type> args;
    for (const Type& a : tc->args) args.push_back(Substitute(a, subst));
    return TypeCall(Substitute(tc->func, subst), args);
  }
  return t;
}

// How a callee is named in messages.
std::string CalleeText(const Expr& callee) {
  if (const auto* op = callee.as<OpNode>()) return std::string(op->name);
  if (const auto* gv = callee.as<GlobalVarNode>()) return "@" + std::string(gv->name_hint);
  if (const auto* v = callee.as<VarNode>()) return "%" + std::string(v->name_hint);
  if (const auto* c = callee.as<ConstructorNode>()) return "constructor " + std::string(c->name_hint);
  return "the function";
}

// " (%x)" when the argument is a variable, for messages.
std::string ArgName(const Expr& arg) {
  if (const auto* v = arg.as<VarNode>()) return " (%" + std::string(v->name_hint) + ")";
  return "";
}

// TupleGetItem on a tuple whose type is not known yet: decided by the solver.
TypeRelationFn TupleGetItemRel(int index) {
  return TypeRelationFn([index](const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
    if (types[0].as<IncompleteTypeNode>()) return false;
    const auto* tuple = types[0].as<TupleTypeNode>();
    TVM_CHECK(tuple != nullptr, "TypeError") << "expected a tuple, got " << TypeText(types[0]);
    TVM_CHECK(index >= 0 && index < static_cast<int>(tuple->fields.size()), "TypeError")
        << "index " << index << " is out of range for a tuple of " << tuple->fields.size() << " fields";
    reporter->Assign(types[1], tuple->fields[index]);
    return true;
  });
}

class TypeInferencer {
 public:
  explicit TypeInferencer(IRModule mod) : mod_(std::move(mod)) {}

  /*! \brief Type every Relay function of the module together. */
  void InferModule() {
    std::vector<std::pair<GlobalVar, Function>> funcs;
    for (const auto& kv : mod_->functions) {
      if (const auto* fn = kv.second.as<FunctionNode>()) funcs.emplace_back(kv.first, GetRef<Function>(fn));
    }
    std::sort(funcs.begin(), funcs.end(),
              [](const auto& a, const auto& b) { return a.first->name_hint < b.first->name_hint; });
    // Global functions may call each other in any order (and themselves): each
    // global variable starts with its declared type, holes where none is given.
    for (const auto& [gv, fn] : funcs) global_types_[gv.get()] = fn->func_type_annotation();
    for (const auto& [gv, fn] : funcs) {
      Visit(fn);
      solver_.Unify(global_types_[gv.get()], TypeOf(fn), fn->span,
                    "the type of global function @" + std::string(gv->name_hint));
    }
    Finish();
    for (const auto& [gv, fn] : funcs) gv->checked_type_ = solver_.Resolve(global_types_[gv.get()]);
  }

  Type InferLocal(const Expr& expr) {
    Visit(expr);
    Finish();
    return expr->checked_type_;
  }

 private:
  // Solve, report, and write the types onto the expressions.
  void Finish() {
    solver_.Solve();
    if (solver_.errors().empty()) solver_.ReportUnsolved();
    const auto& errors = solver_.errors();
    if (!errors.empty()) {
      std::string msg;
      if (errors.size() == 1) {
        msg = "type inference failed: " + errors[0];
      } else {
        msg = "type inference found " + std::to_string(errors.size()) + " errors:";
        for (const std::string& e : errors) msg += "\n  " + e;
      }
      throw runtime::Error("DiagnosticError", msg);
    }
    for (const auto& [node, type] : types_) {
      const auto* e = static_cast<const RelayExprNode*>(node);
      e->checked_type_ = solver_.Resolve(type);
    }
    for (const auto& [node, args] : call_type_args_) {
      auto* call = const_cast<CallNode*>(static_cast<const CallNode*>(node));
      Array<Type> resolved;
      for (const Type& t : args) resolved.push_back(solver_.Resolve(t));
      call->type_args = resolved;
    }
  }

  Type TypeOf(const Expr& e) {
    auto it = types_.find(e.get());
    ICHECK(it != types_.end()) << "expression typed before its use";
    return it->second;
  }

  Type VarType(const Var& v) {
    auto it = types_.find(v.get());
    if (it != types_.end()) return it->second;
    Type t = v->type_annotation.defined() ? v->type_annotation : solver_.Fresh();
    types_.emplace(v.get(), t);
    return t;
  }

  // Post-order walk with an explicit stack. Phase 0 pushes the children; the later
  // phases combine them (Let binds its variable before its body is walked, so a
  // polymorphic function bound by let is known as such where it is called).
  void Visit(const Expr& root) {
    struct Frame {
      Expr expr;
      int phase;
    };
    std::vector<Frame> stack;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      Frame f = std::move(stack.back());
      stack.pop_back();
      const Object* node = f.expr.get();
      if (f.phase == 0 && types_.count(node)) continue;
      if (const auto* var = f.expr.as<VarNode>()) {
        VarType(GetRef<Var>(var));
      } else if (const auto* c = f.expr.as<ConstantNode>()) {
        types_.emplace(node, c->tensor_type());
      } else if (const auto* op = f.expr.as<OpNode>()) {
        if (!op->op_type.defined()) {
          solver_.ReportError(Span(), "operator " + std::string(op->name) + " has no type relation (add_type_rel)");
          types_.emplace(node, solver_.Fresh());
        } else {
          types_.emplace(node, op->op_type);
        }
      } else if (const auto* gv = f.expr.as<GlobalVarNode>()) {
        auto it = global_types_.find(gv);
        if (it != global_types_.end()) {
          types_.emplace(node, it->second);
        } else if (mod_.defined() && mod_->functions.count(GetRef<GlobalVar>(gv))) {
          // Another kind of function (a PrimFunc): its type is whatever it declares.
          if (gv->checked_type_.defined()) {
            types_.emplace(node, gv->checked_type_);
          } else {
            solver_.ReportError(gv->span, "global function @" + std::string(gv->name_hint) +
                                              " is not a Relay function and has no declared type");
            types_.emplace(node, solver_.Fresh());
          }
        } else {
          solver_.ReportError(gv->span, "global function @" + std::string(gv->name_hint) +
                                            " is not defined in the module");
          types_.emplace(node, solver_.Fresh());
        }
      } else if (const auto* tup = f.expr.as<TupleNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          for (size_t i = tup->fields.size(); i-- > 0;) stack.push_back({tup->fields[i], 0});
        } else {
          Array<Type> fields;
          for (const Expr& e : tup->fields) fields.push_back(TypeOf(e));
          types_.emplace(node, TupleType(fields));
        }
      } else if (const auto* get = f.expr.as<TupleGetItemNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          stack.push_back({get->tuple, 0});
        } else {
          VisitTupleGetItem(get);
        }
      } else if (const auto* call = f.expr.as<CallNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          for (size_t i = call->args.size(); i-- > 0;) stack.push_back({call->args[i], 0});
          stack.push_back({call->op, 0});
        } else {
          VisitCall(call);
        }
      } else if (const auto* let = f.expr.as<LetNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 2});
          stack.push_back({let->body, 0});
          stack.push_back({f.expr, 1});
          stack.push_back({let->value, 0});
        } else if (f.phase == 1) {
          std::string ctx = "let %" + std::string(let->var->name_hint) +
                            (let->var->type_annotation.defined() ? ": the value does not match the annotation"
                                                                   : "");
          solver_.Unify(VarType(let->var), TypeOf(let->value), let->span.defined() ? let->span : let->value->span,
                        ctx);
        } else {
          types_.emplace(node, TypeOf(let->body));
        }
      } else if (const auto* ife = f.expr.as<IfNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          stack.push_back({ife->false_branch, 0});
          stack.push_back({ife->true_branch, 0});
          stack.push_back({ife->cond, 0});
        } else {
          solver_.Unify(TensorType::Scalar(DataType::Bool()), TypeOf(ife->cond),
                        ife->cond->span.defined() ? ife->cond->span : ife->span,
                        "the condition of if must be a bool scalar");
          types_.emplace(node, solver_.Unify(TypeOf(ife->true_branch), TypeOf(ife->false_branch), ife->span,
                                             "the branches of if have different types", "then", "else"));
        }
      } else if (const auto* fn = f.expr.as<FunctionNode>()) {
        if (f.phase == 0) {
          for (const Var& p : fn->params) VarType(p);
          stack.push_back({f.expr, 1});
          stack.push_back({fn->body, 0});
        } else {
          Array<Type> params;
          for (const Var& p : fn->params) params.push_back(VarType(p));
          Type ret = TypeOf(fn->body);
          if (fn->ret_type.defined()) {
            ret = solver_.Unify(fn->ret_type, ret, fn->body->span.defined() ? fn->body->span : fn->span,
                                "the function's body does not have its declared return type");
          }
          types_.emplace(node, FuncType(params, ret, fn->type_params, {}));
        }
      } else if (const auto* rc = f.expr.as<RefCreateNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          stack.push_back({rc->value, 0});
        } else {
          types_.emplace(node, RelayRefType(TypeOf(rc->value)));
        }
      } else if (const auto* rr = f.expr.as<RefReadNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          stack.push_back({rr->ref, 0});
        } else {
          Type value = solver_.Fresh();
          solver_.Unify(RelayRefType(value), TypeOf(rr->ref), rr->span, "RefRead needs a reference");
          types_.emplace(node, value);
        }
      } else if (const auto* rw = f.expr.as<RefWriteNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          stack.push_back({rw->value, 0});
          stack.push_back({rw->ref, 0});
        } else {
          solver_.Unify(TypeOf(rw->ref), RelayRefType(TypeOf(rw->value)), rw->span,
                        "RefWrite: the value does not match the reference's type");
          types_.emplace(node, TupleType::Empty());
        }
      } else if (const auto* ctor = f.expr.as<ConstructorNode>()) {
        types_.emplace(node, ConstructorType(ctor));
      } else if (const auto* match = f.expr.as<MatchNode>()) {
        if (f.phase == 0) {
          stack.push_back({f.expr, 1});
          stack.push_back({match->data, 0});
        } else if (f.phase == 1) {
          // The patterns bind their variables before the bodies are walked.
          Type data = TypeOf(match->data);
          for (const Clause& c : match->clauses) BindPattern(c->lhs, data, match);
          stack.push_back({f.expr, 2});
          for (size_t i = match->clauses.size(); i-- > 0;) stack.push_back({match->clauses[i]->rhs, 0});
        } else {
          Type out = solver_.Fresh();
          for (size_t i = 0; i < match->clauses.size(); ++i) {
            const Expr& rhs = match->clauses[i]->rhs;
            out = solver_.Unify(out, TypeOf(rhs), rhs->span.defined() ? rhs->span : match->span,
                                "clause " + std::to_string(i) + " of match has a body of a different type",
                                "the other clauses give", "this one");
          }
          types_.emplace(node, out);
          if (match->complete) CheckExhaustive(GetRef<Match>(match));
        }
      } else {
        TVM_CHECK(false, "TypeError") << "type inference does not handle " << node->GetTypeKey() << " expressions";
      }
    }
  }

  // A complete match (`match`, not `match?`) must handle every value of its data's type.
  void CheckExhaustive(const Match& match) {
    bool types_known = true;
    Array<Pattern> left = UnmatchedCases(match, mod_, &types_known);
    if (!types_known || left.empty()) return;  // a type the module lacks is reported where it is used
    std::string cases;
    for (size_t i = 0; i < left.size() && i < 8; ++i) cases += (i ? ", " : "") + PatternText(left[i]);
    if (left.size() > 8) cases += ", ... (" + std::to_string(left.size()) + " in all)";
    solver_.ReportError(match->span, "match is not exhaustive: no clause handles " + cases +
                                         " (add clauses, or write match? for a partial match)");
  }

  static std::string PatternText(const Pattern& p) {
    if (p.as<PatternWildcardNode>()) return "_";
    if (const auto* pv = p.as<PatternVarNode>()) return "%" + std::string(pv->var->name_hint);
    std::string fields;
    const Array<Pattern>& ps =
        p.as<PatternConstructorNode>() ? p.as<PatternConstructorNode>()->patterns : p.as<PatternTupleNode>()->patterns;
    for (size_t i = 0; i < ps.size(); ++i) fields += (i ? ", " : "") + PatternText(ps[i]);
    if (const auto* pc = p.as<PatternConstructorNode>()) {
      return std::string(pc->constructor->name_hint) + (ps.empty() ? "" : "(" + fields + ")");
    }
    return "(" + fields + ")";
  }

  // The TypeData a constructor belongs to, from the module (null, with an error, when absent).
  const TypeDataNode* LookupTypeData(const ConstructorNode* ctor, const Span& span) {
    if (mod_.defined() && ctor->belong_to.defined()) {
      auto def = mod_->type_definitions.Get(ctor->belong_to);
      if (def.has_value()) {
        if (const auto* td = def->as<TypeDataNode>()) return td;
      }
    }
    solver_.ReportError(span, "constructor " + std::string(ctor->name_hint) + ": its type " +
                                  (ctor->belong_to.defined() ? std::string(ctor->belong_to->name_hint) : "(none)") +
                                  " is not defined in the module");
    return nullptr;
  }

  // fn<vars..>(inputs..) -> header[vars..]: polymorphic over the TypeData's type variables.
  Type ConstructorType(const ConstructorNode* ctor) {
    const TypeDataNode* td = LookupTypeData(ctor, ctor->span);
    if (td == nullptr) return solver_.Fresh();
    Array<Type> vars(td->type_vars.begin(), td->type_vars.end());
    Type ret = vars.empty() ? Type(td->header) : Type(TypeCall(td->header, vars));
    return FuncType(ctor->inputs, ret, td->type_vars, {});
  }

  // Give the variables `pattern` binds their types, the matched value having type `t`.
  void BindPattern(const Pattern& pattern, const Type& t, const MatchNode* match) {
    std::vector<std::pair<Pattern, Type>> stack{{pattern, t}};
    while (!stack.empty()) {
      auto [p, type] = stack.back();
      stack.pop_back();
      if (const auto* pv = p.as<PatternVarNode>()) {
        solver_.Unify(VarType(pv->var), type, match->span,
                      "match: pattern variable %" + std::string(pv->var->name_hint) + " has the wrong type");
      } else if (const auto* pc = p.as<PatternConstructorNode>()) {
        const ConstructorNode* ctor = pc->constructor.operator->();
        const TypeDataNode* td = LookupTypeData(ctor, match->span);
        if (td == nullptr) continue;
        if (pc->patterns.size() != ctor->inputs.size()) {
          solver_.ReportError(match->span, "match: constructor " + std::string(ctor->name_hint) + " has " +
                                               std::to_string(ctor->inputs.size()) + " fields, the pattern gives " +
                                               std::to_string(pc->patterns.size()));
          continue;
        }
        TypeSubst subst;
        Array<Type> args;
        for (const TypeVar& tv : td->type_vars) {
          Type fresh = solver_.Fresh();
          subst.emplace_back(tv.get(), fresh);
          args.push_back(fresh);
        }
        Type built = args.empty() ? Type(td->header) : Type(TypeCall(td->header, args));
        solver_.Unify(built, type, match->span,
                      "match: pattern " + std::string(ctor->name_hint) + " does not fit the matched value",
                      "the pattern builds", "the value has");
        for (size_t i = pc->patterns.size(); i-- > 0;) {
          stack.emplace_back(pc->patterns[i], Substitute(ctor->inputs[i], subst));
        }
      } else if (const auto* pt = p.as<PatternTupleNode>()) {
        Array<Type> fields;
        for (size_t i = 0; i < pt->patterns.size(); ++i) fields.push_back(solver_.Fresh());
        solver_.Unify(TupleType(fields), type, match->span, "match: tuple pattern does not fit the matched value",
                      "the pattern", "the value has");
        for (size_t i = pt->patterns.size(); i-- > 0;) stack.emplace_back(pt->patterns[i], fields[i]);
      }
    }
  }

  void VisitTupleGetItem(const TupleGetItemNode* get) {
    Type tuple = solver_.Resolve(TypeOf(get->tuple));
    if (const auto* tt = tuple.as<TupleTypeNode>()) {
      if (get->index < 0 || get->index >= static_cast<int>(tt->fields.size())) {
        solver_.ReportError(get->span, "TupleGetItem: index " + std::to_string(get->index) +
                                           " is out of range for a tuple of " + std::to_string(tt->fields.size()) +
                                           " fields, " + TypeText(tuple));
        types_.emplace(get, solver_.Fresh());
      } else {
        types_.emplace(get, tt->fields[get->index]);
      }
      return;
    }
    Type out = solver_.Fresh();
    solver_.AddRelation(TypeRelation(TupleGetItemRel(get->index), "TupleGetItem", {TypeOf(get->tuple), out}, 1, Attrs()),
                        "TupleGetItem", get->span);
    types_.emplace(get, out);
  }

  void VisitCall(const CallNode* call) {
    std::string callee = CalleeText(call->op);
    Type callee_type = solver_.Resolve(TypeOf(call->op));
    Array<Type> arg_types;
    for (const Expr& a : call->args) arg_types.push_back(TypeOf(a));

    if (callee_type.as<IncompleteTypeNode>()) {
      // A function known only by how it is called.
      Type ret = solver_.Fresh();
      solver_.Unify(callee_type, FuncType(arg_types, ret, {}, {}), call->span, "call of " + callee);
      types_.emplace(call, ret);
      return;
    }
    const auto* ft = callee_type.as<FuncTypeNode>();
    if (ft == nullptr) {
      solver_.ReportError(call->span, "cannot call " + callee + ": its type " + TypeText(callee_type) +
                                          " is not a function type");
      types_.emplace(call, solver_.Fresh());
      return;
    }
    if (const auto* op = call->op.as<OpNode>()) {
      VisitOpCall(call, op, ft, arg_types);
      return;
    }
    // Instantiate the type parameters with fresh unknowns (explicit type
    // arguments, when given, fix the first ones).
    TypeSubst subst;
    Array<Type> instantiated;
    for (size_t i = 0; i < ft->type_params.size(); ++i) {
      Type fresh = solver_.Fresh();
      subst.emplace_back(ft->type_params[i].get(), fresh);
      instantiated.push_back(fresh);
    }
    if (!call->type_args.empty()) {
      if (call->type_args.size() > ft->type_params.size()) {
        solver_.ReportError(call->span, "call of " + callee + ": " + std::to_string(call->type_args.size()) +
                                            " type arguments given to a function of " +
                                            std::to_string(ft->type_params.size()) + " type parameters");
      }
      for (size_t i = 0; i < call->type_args.size() && i < instantiated.size(); ++i) {
        solver_.Unify(instantiated[i], call->type_args[i], call->span, "type argument " + std::to_string(i));
      }
    }
    FuncType inst = ft->type_params.empty() ? GetRef<FuncType>(ft) : Downcast<FuncType>(Substitute(GetRef<FuncType>(ft), subst));
    if (inst->arg_types.size() != arg_types.size()) {
      solver_.ReportError(call->span, callee + " takes " + std::to_string(inst->arg_types.size()) +
                                          " argument" + (inst->arg_types.size() == 1 ? "" : "s") + ", got " +
                                          std::to_string(arg_types.size()));
      types_.emplace(call, solver_.Fresh());
      return;
    }
    for (size_t i = 0; i < arg_types.size(); ++i) {
      const Span& span = call->args[i]->span.defined() ? call->args[i]->span : call->span;
      solver_.Unify(inst->arg_types[i], arg_types[i], span,
                    "argument " + std::to_string(i) + ArgName(call->args[i]) + " of " + callee +
                        " has the wrong type");
    }
    for (const TypeConstraint& c : inst->type_constraints) {
      if (const auto* rel = c.as<TypeRelationNode>()) solver_.AddRelation(GetRef<TypeRelation>(rel), callee, call->span);
    }
    if (!instantiated.empty()) call_type_args_[call] = instantiated;
    types_.emplace(call, inst->ret_type);
  }

  // An operator call: fn<in0.., out>(in0..) -> out where Rel(in0.., out). A type
  // parameter that stands alone for an argument takes that argument's type (no
  // unknown to create and unify: this is the common path, once per operator).
  void VisitOpCall(const CallNode* call, const OpNode* op, const FuncTypeNode* ft, const Array<Type>& arg_types) {
    if (ft->arg_types.size() != arg_types.size()) {
      solver_.ReportError(call->span, std::string(op->name) + " takes " + std::to_string(ft->arg_types.size()) +
                                          " argument" + (ft->arg_types.size() == 1 ? "" : "s") + ", got " +
                                          std::to_string(arg_types.size()));
      types_.emplace(call, solver_.Fresh());
      return;
    }
    TypeSubst subst;
    auto bound = [&subst](const Object* var) {
      return std::any_of(subst.begin(), subst.end(), [var](const auto& kv) { return kv.first == var; });
    };
    for (size_t i = 0; i < arg_types.size(); ++i) {
      const Type& param = ft->arg_types[i];
      if (param.as<TypeVarNode>() && !bound(param.get())) subst.emplace_back(param.get(), arg_types[i]);
    }
    for (const TypeVar& tv : ft->type_params) {
      if (!bound(tv.get())) subst.emplace_back(tv.get(), solver_.Fresh());
    }
    Array<Type> inputs;
    for (size_t i = 0; i < arg_types.size(); ++i) {
      Type expected = Substitute(ft->arg_types[i], subst);
      if (!expected.same_as(arg_types[i])) {
        const Span& span = call->args[i]->span.defined() ? call->args[i]->span : call->span;
        solver_.Unify(expected, arg_types[i], span,
                      "argument " + std::to_string(i) + " of " + std::string(op->name) + " has the wrong type");
      }
      inputs.push_back(expected);
    }
    for (const TypeConstraint& c : ft->type_constraints) {
      if (const auto* rel = c.as<TypeRelationNode>()) {
        Array<Type> rel_args;
        for (const Type& t : rel->args) rel_args.push_back(Substitute(t, subst));
        // The relation reads the attributes of this call.
        solver_.AddRelation(TypeRelation(rel->func, rel->name, rel_args, rel->num_inputs, call->attrs), op->name,
                            call->span);
      }
    }
    // TVM keeps the operator's input types as the call's type arguments.
    call_type_args_[call] = inputs;
    types_.emplace(call, Substitute(ft->ret_type, subst));
  }

  IRModule mod_;
  TypeSolver solver_;
  std::unordered_map<const Object*, Type> types_;
  std::unordered_map<const Object*, Array<Type>> call_type_args_;
  std::unordered_map<const Object*, Type> global_types_;
};

/*!
 * \brief Writes what inference found into the program, as TVM's InferType
 *  does: a variable declared without a type becomes a copy of itself (same
 *  vid) annotated with its type, a function without a declared result type
 *  gets its inferred one. Only the nodes above such a variable or function
 *  are rebuilt; every rebuilt node keeps its checked type.
 */
class AnnotationFiller : public ExprMutator {
 public:
  Expr VisitExpr(const Expr& expr) override {
    Expr result = ExprMutator::VisitExpr(expr);
    if (!result.same_as(expr) && !result->checked_type_.defined()) result->checked_type_ = expr->checked_type_;
    return result;
  }

  Expr VisitExpr_(const VarNode* op) override {
    if (op->type_annotation.defined() || !op->checked_type_.defined()) return GetRef<Expr>(op);
    return Var(op->vid, op->checked_type_, op->span);
  }

  Expr VisitExpr_(const FunctionNode* op) override {
    Expr result = ExprMutator::VisitExpr_(op);
    const auto* ft = op->checked_type_.as<FuncTypeNode>();
    if (op->ret_type.defined() || ft == nullptr) return result;
    const auto* fn = result.as<FunctionNode>();
    return Function(fn->params, fn->body, ft->ret_type, fn->type_params, fn->attrs, fn->span);
  }
};

/*! \brief Whether some variable or function in fn lacks its annotation (most programs from frontends do not). */
bool NeedsAnnotations(const Function& fn) {
  bool missing = false;
  PostOrderVisit(fn, [&missing](const Expr& e) {
    if (const auto* v = e.as<VarNode>()) missing = missing || !v->type_annotation.defined();
    if (const auto* f = e.as<FunctionNode>()) {
      missing = missing || !f->ret_type.defined();
      for (const Var& p : f->params) missing = missing || !p->type_annotation.defined();
    }
  });
  return missing;
}

}  // namespace

Type InferTypeLocal(const Expr& expr) {
  TVM_CHECK(expr.defined(), "ValueError") << "InferTypeLocal: the expression is None";
  TypeInferencer inferencer{IRModule()};
  return inferencer.InferLocal(expr);
}

namespace transform {

Pass InferType() {
  auto pass_func = [](IRModule mod, PassContext) {
    TypeInferencer inferencer(mod);
    inferencer.InferModule();
    // Annotated copies go into the module (copied first if the caller holds it too).
    std::vector<std::pair<GlobalVar, Function>> filled;
    for (const auto& kv : mod->functions) {
      const auto* fn = kv.second.as<FunctionNode>();
      if (fn == nullptr || !NeedsAnnotations(GetRef<Function>(fn))) continue;
      Expr result = AnnotationFiller().VisitExpr(GetRef<Function>(fn));
      if (!result.same_as(kv.second)) filled.emplace_back(kv.first, Downcast<Function>(result));
    }
    for (const auto& [gv, fn] : filled) mod.CopyOnWrite()->Add(gv, fn, /*update=*/true);
    return mod;
  };
  return tvm::transform::CreateModulePass(pass_func, 0, "InferType", {});
}

TVM_REGISTER_GLOBAL("relay._transform.InferType").set_body_typed([]() { return InferType(); });

}  // namespace transform

TVM_REGISTER_GLOBAL("relay._transform.InferTypeLocal").set_body_typed([](Expr expr) { return InferTypeLocal(expr); });

}  // namespace relay
}  // namespace tvm
