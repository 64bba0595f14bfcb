/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include "known_buffer_values.h"

#include <tvm/tir/builtin.h>
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include "../../arith/constraint_extract.h"
#include "../../arith/expr_equal.h"

namespace tvm {
namespace tir {

namespace {

using arith::ExprDeepEqual;

std::vector<const BufferLoadNode*> LoadsOf(const PrimExpr& e) {
  std::vector<const BufferLoadNode*> out;
  PostOrderVisit(e, [&](const ObjectRef& n) {
    if (const auto* load = n.as<BufferLoadNode>()) out.push_back(load);
  });
  return out;
}

bool HasLoad(const PrimExpr& e) { return !LoadsOf(e).empty(); }

bool Mentions(const ObjectRef& node, const VarNode* var) {
  bool found = false;
  PostOrderVisit(node, [&](const ObjectRef& n) { found = found || n.get() == var; });
  return found;
}

bool ScalarIndices(const Array<PrimExpr>& indices) {
  for (const PrimExpr& i : indices) {
    if (i.dtype().lanes() != 1 || HasLoad(i)) return false;
  }
  return true;
}

/*! \brief e with every load equal to `load` replaced by `by`. */
PrimExpr ReplaceLoad(const PrimExpr& e, const PrimExpr& load, const PrimExpr& by) {
  class Replacer : public ExprMutator {
   public:
    Replacer(const PrimExpr& load, const PrimExpr& by) : load_(load), by_(by) {}
    PrimExpr VisitExpr_(const BufferLoadNode* op) final {
      if (ExprDeepEqual(GetRef<PrimExpr>(op), load_)) return by_;
      return ExprMutator::VisitExpr_(op);
    }

   private:
    const PrimExpr& load_;
    const PrimExpr& by_;
  };
  return Replacer(load, by)(e);
}

PrimExpr AllEqual(const Array<Var>& params, const Array<PrimExpr>& indices) {
  PrimExpr out;
  for (size_t k = 0; k < params.size(); ++k) {
    PrimExpr eq = EQ(params[k], indices[k]);
    out = out.defined() ? And(out, eq) : eq;
  }
  return out.defined() ? out : make_const(DataType::Bool(), 1);
}

bool IsFalse(const PrimExpr& e) {
  const auto* imm = e.as<IntImmNode>();
  return imm != nullptr && imm->value == 0;
}

bool SameFact(const KnownBufferValues::Fact& a, const KnownBufferValues::Fact& b) {
  return a.buffer.same_as(b.buffer) && ExprDeepEqual(a.predicate, b.predicate) && ExprDeepEqual(a.property, b.property);
}

/*! \brief Data variables `stmt` may write: stores, pointers handed on, addresses taken. */
std::unordered_set<const VarNode*> MayWrite(const ObjectRef& stmt) {
  std::unordered_set<const VarNode*> out;
  PostOrderVisit(stmt, [&](const ObjectRef& n) {
    if (const auto* store = n.as<BufferStoreNode>()) out.insert(store->buffer->data.get());
    if (const auto* var = n.as<VarNode>(); var != nullptr && var->dtype.is_handle()) out.insert(var);
    if (const auto* call = n.as<CallNode>(); call != nullptr && call->op.same_as(builtin::address_of())) {
      for (const PrimExpr& arg : call->args) {
        if (const auto* load = arg.as<BufferLoadNode>()) out.insert(load->buffer->data.get());
      }
    }
  });
  return out;
}

}  // namespace

KnownBufferValues::KnownBufferValues(const Stmt& body, arith::Analyzer* analyzer) : analyzer_(analyzer) {
  // A pointer handed to a call, bound by a let or whose element address is taken
  // may be written behind our back: such buffers are never tracked.
  PostOrderVisit(body, [&](const ObjectRef& n) {
    if (const auto* var = n.as<VarNode>(); var != nullptr && var->dtype.is_handle()) escaped_.insert(var);
    // A pointer bound by a let aliases another.
    if (const auto* let = n.as<LetStmtNode>(); let != nullptr && let->var->dtype.is_handle()) {
      escaped_.insert(let->var.get());
    }
    if (const auto* call = n.as<CallNode>(); call != nullptr && call->op.same_as(builtin::address_of())) {
      for (const PrimExpr& arg : call->args) {
        if (const auto* load = arg.as<BufferLoadNode>()) escaped_.insert(load->buffer->data.get());
      }
    }
  });
}

bool KnownBufferValues::Tracked(const Buffer& buffer) const {
  return buffer->dtype.lanes() == 1 && !escaped_.count(buffer->data.get());
}

const Array<Var>& KnownBufferValues::Params(const Buffer& buffer) {
  auto it = params_.find(buffer.get());
  if (it != params_.end()) return it->second;
  Array<Var> params;
  for (size_t k = 0; k < buffer->shape.size(); ++k) {
    DataType t = buffer->shape[k].dtype().is_int() ? buffer->shape[k].dtype() : DataType::Int(32);
    params.push_back(Var(buffer->name + "_p" + std::to_string(k), t));
  }
  params_.emplace(buffer.get(), params);
  // Keep the buffer alive while its parameters are keyed by its address.
  kept_buffers_.push_back(buffer);
  return params_.at(buffer.get());
}

Var KnownBufferValues::ValueOf(const Buffer& buffer) {
  std::string key = runtime::DLDataType2String(buffer->dtype);
  auto it = value_by_dtype_.find(key);
  if (it != value_by_dtype_.end()) return it->second;
  Var v("known_value", buffer->dtype);
  value_by_dtype_.emplace(key, v);
  return v;
}

void KnownBufferValues::Assume(const PrimExpr& cond) {
  for (const PrimExpr& atom : arith::ExtractConstraints(cond)) {
    if (!atom.dtype().is_bool() || atom.dtype().lanes() != 1) continue;
    std::vector<const BufferLoadNode*> loads = LoadsOf(atom);
    if (loads.empty()) {
      facts_.push_back({Buffer(), make_const(DataType::Bool(), 1), atom});
      continue;
    }
    // One element, read in one or more places.
    const BufferLoadNode* first = loads[0];
    bool one_element = Tracked(first->buffer) && ScalarIndices(first->indices);
    for (const BufferLoadNode* load : loads) {
      one_element = one_element && load->buffer.same_as(first->buffer) &&
                    ExprDeepEqual(GetRef<PrimExpr>(load), GetRef<PrimExpr>(first));
    }
    if (!one_element) continue;
    const Array<Var>& params = Params(first->buffer);
    facts_.push_back({first->buffer, AllEqual(params, first->indices),
                      ReplaceLoad(atom, GetRef<PrimExpr>(first), ValueOf(first->buffer))});
  }
}

void KnownBufferValues::Store(const BufferStoreNode* store) {
  // The stored value reads memory before the store.
  PrimExpr value = SubstituteKnownValues(store->value);
  const Buffer& buffer = store->buffer;
  const Array<Var>& params = Params(buffer);
  // Which elements are written (over the parameters); undefined when not known.
  PrimExpr written, stored;
  if (ScalarIndices(store->indices) && value.dtype().lanes() == 1) {
    written = AllEqual(params, store->indices);
    if (!HasLoad(value)) stored = EQ(ValueOf(buffer), value);
  } else if (store->indices.size() == 1 && params.size() == 1) {
    const auto* ramp = store->indices[0].as<RampNode>();
    if (ramp != nullptr && is_one(ramp->stride) && !HasLoad(ramp->base)) {
      PrimExpr p = params[0];
      written = And(LE(ramp->base, p), LT(p, ramp->base + make_const(ramp->base.dtype(), ramp->lanes)));
      if (const auto* b = value.as<BroadcastNode>(); b != nullptr && !HasLoad(b->value)) {
        stored = EQ(ValueOf(buffer), b->value);
      } else if (const auto* r = value.as<RampNode>(); r != nullptr && !HasLoad(r->base) && !HasLoad(r->stride)) {
        PrimExpr offset = cast(r->base.dtype(), p - ramp->base);
        stored = EQ(ValueOf(buffer), r->base + r->stride * offset);
      }
    }
  }
  State kept;
  for (Fact& f : facts_) {
    if (!f.buffer.defined() || !f.buffer->data.same_as(buffer->data)) {
      kept.push_back(std::move(f));
      continue;
    }
    // Same memory: the other elements keep their facts.
    if (!written.defined() || !f.buffer.same_as(buffer)) continue;
    PrimExpr narrowed = And(f.predicate, arith::NegateCondition(written));
    if (IsFalse(analyzer_->Simplify(narrowed))) continue;
    kept.push_back({f.buffer, narrowed, f.property});
  }
  facts_ = std::move(kept);
  if (stored.defined() && Tracked(buffer)) facts_.push_back({buffer, written, stored});
}

void KnownBufferValues::Forget(const Stmt& stmt) {
  std::unordered_set<const VarNode*> written = MayWrite(stmt);
  if (written.empty()) return;
  State kept;
  for (Fact& f : facts_) {
    if (f.buffer.defined() && written.count(f.buffer->data.get())) continue;
    kept.push_back(std::move(f));
  }
  facts_ = std::move(kept);
}

void KnownBufferValues::ForgetVar(const Var& var) {
  State kept;
  for (Fact& f : facts_) {
    if (Mentions(f.predicate, var.get()) || Mentions(f.property, var.get())) continue;
    kept.push_back(std::move(f));
  }
  facts_ = std::move(kept);
}

void KnownBufferValues::Merge(const State& then_state, const State& else_state, const PrimExpr& cond) {
  State merged;
  bool scalar_cond = !HasLoad(cond) && cond.dtype().is_bool() && cond.dtype().lanes() == 1;
  auto add_one_sided = [&](const Fact& f, const PrimExpr& holds) {
    if (!scalar_cond) return;
    if (!f.buffer.defined()) {
      merged.push_back({f.buffer, f.predicate, Or(arith::NegateCondition(holds), f.property)});
    } else {
      PrimExpr pred = And(f.predicate, holds);
      if (!IsFalse(analyzer_->Simplify(pred))) merged.push_back({f.buffer, pred, f.property});
    }
  };
  for (const Fact& f : then_state) {
    bool both = false;
    for (const Fact& g : else_state) both = both || SameFact(f, g);
    if (both) {
      merged.push_back(f);
    } else {
      add_one_sided(f, cond);
    }
  }
  for (const Fact& g : else_state) {
    bool both = false;
    for (const Fact& f : then_state) both = both || SameFact(f, g);
    if (!both) add_one_sided(g, arith::NegateCondition(cond));
  }
  facts_ = std::move(merged);
}

std::unordered_map<const VarNode*, int> KnownBufferValues::WritePattern(const Var& loop_var, const Stmt& body) {
  std::unordered_map<const VarNode*, int> pattern;
  std::unordered_map<const VarNode*, const Object*> buffer_of;
  PostOrderVisit(body, [&](const ObjectRef& n) {
    if (const auto* store = n.as<BufferStoreNode>()) {
      const VarNode* data = store->buffer->data.get();
      int k = -2;
      for (size_t d = 0; d < store->indices.size(); ++d) {
        if (store->indices[d].same_as(loop_var)) {
          k = static_cast<int>(d);
          break;
        }
      }
      auto it = pattern.find(data);
      if (it == pattern.end()) {
        pattern[data] = k;
        buffer_of[data] = store->buffer.get();
      } else if (it->second != k || buffer_of[data] != store->buffer.get()) {
        it->second = -2;
      }
    }
  });
  // Pointers handed on inside the loop (calls, lets, addresses): written in unknown ways.
  for (const VarNode* data : MayWrite(body)) {
    bool mentioned = false;
    PostOrderVisit(body, [&](const ObjectRef& n) {
      if (const auto* call = n.as<CallNode>(); call != nullptr && call->op.same_as(builtin::address_of())) {
        for (const PrimExpr& arg : call->args) {
          if (const auto* load = arg.as<BufferLoadNode>()) mentioned = mentioned || load->buffer->data.get() == data;
        }
      }
      mentioned = mentioned || n.get() == data;
    });
    if (mentioned) pattern[data] = -2;
  }
  return pattern;
}

KnownBufferValues::State KnownBufferValues::EnterLoop(const Var& loop_var, const Stmt& body) {
  State before = facts_;
  std::unordered_map<const VarNode*, int> pattern = WritePattern(loop_var, body);
  State entry;
  for (const Fact& f : facts_) {
    if (!f.buffer.defined()) {
      entry.push_back(f);
      continue;
    }
    auto it = pattern.find(f.buffer->data.get());
    if (it == pattern.end()) {
      entry.push_back(f);
    } else if (it->second >= 0 && f.buffer.get() != nullptr) {
      // Earlier iterations wrote only their own elements: this iteration's is untouched.
      const Array<Var>& params = Params(f.buffer);
      if (static_cast<size_t>(it->second) < params.size()) {
        entry.push_back({f.buffer, And(f.predicate, EQ(params[it->second], loop_var)), f.property});
      }
    }
  }
  facts_ = std::move(entry);
  return before;
}

void KnownBufferValues::ExitLoop(const Var& loop_var, const Range& range, const Stmt& body, const State& before) {
  std::unordered_map<const VarNode*, int> pattern = WritePattern(loop_var, body);
  State after;
  PrimExpr lo = range->min, hi = range->min + range->extent;
  // What the loop cannot have changed.
  for (const Fact& f : before) {
    if (!f.buffer.defined()) {
      after.push_back(f);
      continue;
    }
    auto it = pattern.find(f.buffer->data.get());
    if (it == pattern.end()) {
      after.push_back(f);
    } else if (it->second >= 0) {
      const Array<Var>& params = Params(f.buffer);
      if (static_cast<size_t>(it->second) >= params.size()) continue;
      PrimExpr p = params[it->second];
      PrimExpr outside = Or(LT(p, cast(p.dtype(), lo)), LE(cast(p.dtype(), hi), p));
      after.push_back({f.buffer, And(f.predicate, outside), f.property});
    }
  }
  // What each iteration left about its own element holds for every iteration's.
  for (const Fact& f : facts_) {
    if (!f.buffer.defined() || !(Mentions(f.predicate, loop_var.get()) || Mentions(f.property, loop_var.get()))) {
      continue;
    }
    auto it = pattern.find(f.buffer->data.get());
    int pat = it == pattern.end() ? -1 : it->second;
    if (pat == -2) continue;
    const Array<Var>& params = Params(f.buffer);
    int k = -1;
    for (const PrimExpr& atom : arith::ExtractConstraints(f.predicate)) {
      const auto* eq = atom.as<EQNode>();
      if (eq == nullptr) continue;
      for (size_t d = 0; d < params.size(); ++d) {
        if ((eq->a.same_as(params[d]) && eq->b.same_as(loop_var)) ||
            (eq->b.same_as(params[d]) && eq->a.same_as(loop_var))) {
          k = static_cast<int>(d);
        }
      }
    }
    if (k < 0 || (pat >= 0 && k != pat)) continue;
    Var p = params[k];
    if (p.dtype() != loop_var.dtype()) continue;
    std::unordered_map<const VarNode*, PrimExpr> vmap{{loop_var.get(), p}};
    PrimExpr pred = And(Substitute(f.predicate, vmap), And(LE(lo, p), LT(p, hi)));
    after.push_back({f.buffer, pred, Substitute(f.property, vmap)});
  }
  facts_ = std::move(after);
}

void KnownBufferValues::Instantiate(const PrimExpr& e, std::vector<std::pair<PrimExpr, PrimExpr>>* values,
                                    std::vector<PrimExpr>* properties) const {
  for (const Fact& f : facts_) {
    if (!f.buffer.defined()) properties->push_back(f.property);
  }
  std::vector<PrimExpr> seen;
  for (const BufferLoadNode* load : LoadsOf(e)) {
    PrimExpr load_expr = GetRef<PrimExpr>(load);
    bool done = false;
    for (const PrimExpr& s : seen) done = done || ExprDeepEqual(s, load_expr);
    if (done || !ScalarIndices(load->indices) || load->dtype.lanes() != 1) continue;
    seen.push_back(load_expr);
    auto params_it = params_.find(load->buffer.get());
    if (params_it == params_.end()) continue;
    const Array<Var>& params = params_it->second;
    if (params.size() != load->indices.size()) continue;
    std::unordered_map<const VarNode*, PrimExpr> vmap;
    for (size_t k = 0; k < params.size(); ++k) {
      vmap[params[k].get()] = cast(params[k].dtype(), load->indices[k]);
    }
    for (const Fact& f : facts_) {
      if (!f.buffer.same_as(load->buffer)) continue;
      if (!analyzer_->CanProve(Substitute(f.predicate, vmap))) continue;
      auto vit = value_by_dtype_.find(runtime::DLDataType2String(load->buffer->dtype));
      if (vit == value_by_dtype_.end()) continue;
      vmap[vit->second.get()] = load_expr;
      PrimExpr property = analyzer_->Simplify(Substitute(f.property, vmap));
      vmap.erase(vit->second.get());
      if (const auto* eq = property.as<EQNode>()) {
        if (ExprDeepEqual(eq->a, load_expr) && !HasLoad(eq->b)) {
          values->emplace_back(load_expr, eq->b);
          continue;
        }
        if (ExprDeepEqual(eq->b, load_expr) && !HasLoad(eq->a)) {
          values->emplace_back(load_expr, eq->a);
          continue;
        }
      }
      properties->push_back(property);
    }
  }
}

PrimExpr KnownBufferValues::SubstituteKnownValues(const PrimExpr& e) const {
  if (!HasLoad(e)) return e;
  std::vector<std::pair<PrimExpr, PrimExpr>> values;
  std::vector<PrimExpr> properties;
  Instantiate(e, &values, &properties);
  PrimExpr out = e;
  for (const auto& kv : values) out = ReplaceLoad(out, kv.first, kv.second);
  return out;
}

PrimExpr KnownBufferValues::SimplifyCondition(const PrimExpr& cond) const {
  std::vector<std::pair<PrimExpr, PrimExpr>> values;
  std::vector<PrimExpr> properties;
  Instantiate(cond, &values, &properties);
  PrimExpr out = cond;
  for (const auto& kv : values) out = ReplaceLoad(out, kv.first, kv.second);
  PrimExpr known;
  for (const PrimExpr& p : properties) known = known.defined() ? And(known, p) : p;
  if (!known.defined()) return analyzer_->Simplify(out);
  With<arith::ConstraintContext> ctx(analyzer_, known);
  return analyzer_->Simplify(out);
}

}  // namespace tir
}  // namespace tvm
