/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file iter_affine_map.cc
 * \brief Detection of iterator maps (fuses and splits of loop iterators).
 *
 * The rewriter walks an index bottom-up. An input iterator becomes a split
 * of its own mark; `+`, `-` and `* c` combine splits into sums; floordiv and
 * floormod by a non-iterator first fuse their dividend into one split (a sum
 * `i*4 + j` with j in [0, 4) becomes a split of a new mark of extent 16) and
 * then split it again. Every fused sum is remembered by its flattened form
 * (the splits of input marks it covers), so the same fusion met twice is the
 * same mark, and predicates such as `j*2 + k < 9` narrow the mark of their
 * sum before the indices are rewritten.
 *
 * A division whose dividend is not a multiple of the divisor pads the
 * iterator (surjective mode only): a first pass collects the divisors of
 * every mark, a second pass rewrites the indices against one padded mark
 * per iterator, and padding_predicate is true on the added iterations.
 *
 * Finally the splits of each mark are checked not to overlap and, for
 * bijective maps, to cover the mark exactly.
 */
#include <tvm/arith/iter_affine_map.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/expr_functor.h>
#include <tvm/tir/op.h>

#include <algorithm>
#include <functional>
#include <numeric>
#include <optional>
#include <sstream>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "expr_equal.h"

namespace tvm {
namespace arith {

using namespace tir;

// ---------------------------------------------------------------------------
// Nodes
// ---------------------------------------------------------------------------

IterMark::IterMark(PrimExpr source, PrimExpr extent) {
  auto n = make_object<IterMarkNode>();
  n->source = std::move(source);
  n->extent = std::move(extent);
  data_ = std::move(n);
}

IterSplitExpr::IterSplitExpr(IterMark source) {
  PrimExpr extent = source->extent;
  DataType t = source->source.dtype();
  *this = IterSplitExpr(std::move(source), make_const(t, 1), extent, make_const(t, 1));
}

IterSplitExpr::IterSplitExpr(IterMark source, PrimExpr scale) {
  PrimExpr extent = source->extent;
  DataType t = source->source.dtype();
  *this = IterSplitExpr(std::move(source), make_const(t, 1), extent, std::move(scale));
}

IterSplitExpr::IterSplitExpr(IterMark source, PrimExpr lower_factor, PrimExpr extent, PrimExpr scale) {
  auto n = make_object<IterSplitExprNode>();
  n->dtype = source->source.dtype();
  n->source = std::move(source);
  n->lower_factor = std::move(lower_factor);
  n->extent = std::move(extent);
  n->scale = std::move(scale);
  data_ = std::move(n);
}

IterSumExpr::IterSumExpr(Array<IterSplitExpr> args, PrimExpr base) {
  auto n = make_object<IterSumExprNode>();
  n->dtype = base.dtype();
  n->args = std::move(args);
  n->base = std::move(base);
  data_ = std::move(n);
}

IterMapResult::IterMapResult() {
  auto n = make_object<IterMapResultNode>();
  n->padding_predicate = const_false();
  data_ = std::move(n);
}

TVM_REGISTER_NODE_TYPE(IterMarkNode);
TVM_REGISTER_NODE_TYPE(IterSplitExprNode);
TVM_REGISTER_NODE_TYPE(IterSumExprNode);
TVM_REGISTER_NODE_TYPE(IterMapResultNode);

namespace {

const int kIterMarkPrinter = ReprPrinter::Register<IterMarkNode>([](const ObjectRef& node, ReprPrinter* p) {
  auto* op = static_cast<const IterMarkNode*>(node.get());
  p->stream << "IterMark(" << op->source << ", extent=" << op->extent << ")";
});
const int kIterSplitPrinter =
    ReprPrinter::Register<IterSplitExprNode>([](const ObjectRef& node, ReprPrinter* p) {
      auto* op = static_cast<const IterSplitExprNode*>(node.get());
      p->stream << "IterSplit(" << op->source << ", lower_factor=" << op->lower_factor
                << ", extent=" << op->extent << ", scale=" << op->scale << ")";
    });
const int kIterSumPrinter = ReprPrinter::Register<IterSumExprNode>([](const ObjectRef& node, ReprPrinter* p) {
  auto* op = static_cast<const IterSumExprNode*>(node.get());
  p->stream << "IterSum(" << op->args << ", " << op->base << ")";
});

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

bool IsIterMapExpr(const PrimExpr& e) { return e.defined() && e->IsInstance<IterMapExprNode>(); }

bool IsIndexType(DataType t) { return (t.is_int() || t.is_uint()) && t.lanes() == 1; }

/*! \brief Call f on every factor of a product tree. */
void ForEachFactor(const PrimExpr& e, const std::function<void(const PrimExpr&)>& f) {
  if (const auto* mul = e.as<MulNode>()) {
    ForEachFactor(mul->a, f);
    ForEachFactor(mul->b, f);
  } else {
    f(e);
  }
}

/*! \brief lhs * rhs as (product of symbols) * (constant), so that equal scales meet in one form. */
PrimExpr MulAndNormalize(const PrimExpr& lhs, const PrimExpr& rhs) {
  int64_t constant = 1;
  PrimExpr symbols = make_const(lhs.dtype(), 1);
  auto collect = [&](const PrimExpr& factor) {
    if (const auto* imm = factor.as<IntImmNode>()) {
      constant *= imm->value;
    } else {
      symbols = symbols * factor;
    }
  };
  ForEachFactor(lhs, collect);
  ForEachFactor(rhs, collect);
  if (constant != 1) symbols = symbols * make_const(symbols.dtype(), constant);
  return symbols;
}

IterSplitExpr WithScale(const IterSplitExpr& s, PrimExpr scale) {
  return IterSplitExpr(s->source, s->lower_factor, s->extent, std::move(scale));
}
IterSplitExpr WithExtent(const IterSplitExpr& s, PrimExpr extent) {
  return IterSplitExpr(s->source, s->lower_factor, std::move(extent), s->scale);
}
IterSplitExpr WithSource(const IterSplitExpr& s, IterMark source) {
  return IterSplitExpr(std::move(source), s->lower_factor, s->extent, s->scale);
}

IterSumExpr ToIterSum(const PrimExpr& e) {
  if (const auto* sum = e.as<IterSumExprNode>()) return GetRef<IterSumExpr>(sum);
  if (const auto* split = e.as<IterSplitExprNode>()) {
    return IterSumExpr({GetRef<IterSplitExpr>(split)}, make_zero(e.dtype()));
  }
  return IterSumExpr({}, e);
}

bool IterSplitEqual(const IterSplitExpr& a, const IterSplitExpr& b, bool check_scale = true) {
  return a->source.same_as(b->source) && ExprDeepEqual(a->lower_factor, b->lower_factor) &&
         ExprDeepEqual(a->extent, b->extent) && (!check_scale || ExprDeepEqual(a->scale, b->scale));
}

bool IterSumEqual(const IterSumExpr& a, const IterSumExpr& b) {
  if (a->args.size() != b->args.size() || !ExprDeepEqual(a->base, b->base)) return false;
  for (size_t i = 0; i < a->args.size(); ++i) {
    if (!IterSplitEqual(a->args[i], b->args[i])) return false;
  }
  return true;
}

/*! \brief Whether e mentions a variable of `vars`. */
bool UsesAnyVar(const PrimExpr& e, const std::function<bool(const VarNode*)>& is_target) {
  struct Finder : public ExprVisitor {
    const std::function<bool(const VarNode*)>* is_target;
    bool found{false};
    void VisitExpr(const PrimExpr& e) final {
      if (found) return;
      if (e->IsInstance<IterMapExprNode>()) return;
      ExprVisitor::VisitExpr(e);
    }
    void VisitExpr_(const VarNode* op) final {
      if ((*is_target)(op)) found = true;
    }
  } finder;
  finder.is_target = &is_target;
  finder.VisitExpr(e);
  return finder.found;
}

/*! \brief The number of nodes of an expression (how nested a constraint is). */
size_t ExprSize(const PrimExpr& e) {
  struct Counter : public ExprVisitor {
    size_t count{0};
    void VisitExpr(const PrimExpr& e) final {
      ++count;
      ExprVisitor::VisitExpr(e);
    }
  } counter;
  counter.VisitExpr(e);
  return counter.count;
}

// The folds that the arithmetic operators would do, applied where one side
// may be an iterator expression (which the operators do not accept).
std::optional<PrimExpr> FoldAdd(const PrimExpr& a, const PrimExpr& b) {
  if (a.as<IntImmNode>() && b.as<IntImmNode>()) return a + b;
  if (is_zero(a)) return b;
  if (is_zero(b)) return a;
  return std::nullopt;
}
std::optional<PrimExpr> FoldSub(const PrimExpr& a, const PrimExpr& b) {
  if (a.as<IntImmNode>() && b.as<IntImmNode>()) return a - b;
  if (is_zero(b)) return a;
  return std::nullopt;
}
std::optional<PrimExpr> FoldMul(const PrimExpr& a, const PrimExpr& b) {
  if (a.as<IntImmNode>() && b.as<IntImmNode>()) return a * b;
  if (is_one(a)) return b;
  if (is_one(b)) return a;
  if (is_zero(a)) return a;
  if (is_zero(b)) return b;
  return std::nullopt;
}
std::optional<PrimExpr> FoldFloorDiv(const PrimExpr& a, const PrimExpr& b) {
  if (a.as<IntImmNode>() && b.as<IntImmNode>() && !is_zero(b)) return floordiv(a, b);
  if (is_one(b)) return a;
  if (is_zero(a) && !is_zero(b)) return a;
  return std::nullopt;
}
std::optional<PrimExpr> FoldFloorMod(const PrimExpr& a, const PrimExpr& b) {
  if (a.as<IntImmNode>() && b.as<IntImmNode>() && !is_zero(b)) return floormod(a, b);
  if (is_one(b)) return make_zero(a.dtype());
  if (is_zero(a) && !is_zero(b)) return a;
  return std::nullopt;
}

// floordiv/floormod that also fold a zero dividend: the divisors here are
// split extents and factors, never zero, so 0 // c = 0 % c = 0.
PrimExpr FloorDivZ(const PrimExpr& a, const PrimExpr& b) { return is_zero(a) ? a : floordiv(a, b); }
PrimExpr FloorModZ(const PrimExpr& a, const PrimExpr& b) { return is_zero(a) ? a : floormod(a, b); }

}  // namespace

// ---------------------------------------------------------------------------
// Iterator map -> ordinary expression
// ---------------------------------------------------------------------------

class IterMapToExprNormalizer {
 public:
  explicit IterMapToExprNormalizer(Analyzer* analyzer) : analyzer_(analyzer) {}

  PrimExpr Convert(const PrimExpr& e) {
    if (const auto* split = e.as<IterSplitExprNode>()) return ConvertSplit(GetRef<IterSplitExpr>(split));
    if (const auto* sum = e.as<IterSumExprNode>()) return ConvertSum(GetRef<IterSumExpr>(sum));
    return e;
  }

  PrimExpr ConvertSum(const IterSumExpr& sum) {
    PrimExpr result = make_zero(sum.dtype());
    for (const IterSplitExpr& arg : sum->args) result = result + ConvertSplit(arg);
    return result + sum->base;
  }

  PrimExpr ConvertSplit(const IterSplitExpr& split) {
    PrimExpr source = Convert(split->source->source);
    const PrimExpr& mark_extent = split->source->extent;
    if (is_one(split->lower_factor) && analyzer_->CanProve(split->extent == mark_extent)) {
      return source * split->scale;
    }
    if (analyzer_->CanProve(mark_extent == split->lower_factor * split->extent)) {
      // The split is always 0; but keep a whole mark of extent 1 (`v in [0, 1)`)
      // as itself, later passes (tensorization) look for it.
      if (is_one(split->extent) && !is_one(mark_extent)) return make_zero(split->extent.dtype());
      return FloorDivZ(source, split->lower_factor) * split->scale;
    }
    return FloorDivZ(FloorModZ(source, split->lower_factor * split->extent), split->lower_factor) *
           split->scale;
  }

 private:
  Analyzer* analyzer_;
};

PrimExpr NormalizeIterMapToExpr(const PrimExpr& expr) {
  Analyzer analyzer;
  return IterMapToExprNormalizer(&analyzer).Convert(expr);
}

// ---------------------------------------------------------------------------
// The splits that reach each mark
// ---------------------------------------------------------------------------

struct IterMarkSplitCollector {
  std::unordered_set<IterMark, ObjectPtrHash, ObjectPtrEqual> visited;
  std::vector<IterMark> visit_order;
  std::unordered_map<IterMark, std::vector<IterSplitExpr>, ObjectPtrHash, ObjectPtrEqual> mark2splits;

  void Collect(const Array<IterSumExpr>& indices) {
    for (const IterSumExpr& sum : indices) {
      for (const IterSplitExpr& split : sum->args) {
        CollectMark(split->source);
        mark2splits[split->source].push_back(split);
      }
    }
  }

  void CollectMark(const IterMark& mark) {
    if (!visited.insert(mark).second) return;
    visit_order.push_back(mark);
    if (const auto* sum = mark->source.as<IterSumExprNode>()) {
      for (const IterSplitExpr& split : sum->args) {
        CollectMark(split->source);
        mark2splits[split->source].push_back(split);
      }
    }
  }
};

// ---------------------------------------------------------------------------
// The rewriter
// ---------------------------------------------------------------------------

class IterMapRewriter {
 public:
  IterMapRewriter(Analyzer* analyzer, const Map<Var, Range>& input_iters, IterMapLevel check_level,
                  bool simplify_trivial_iterators, std::vector<std::string>* errors)
      : analyzer_(analyzer), check_level_(check_level), errors_(errors), padding_predicate_(const_false()) {
    for (const auto& kv : input_iters) {
      const Var& var = kv.first;
      const Range& range = kv.second;
      if (simplify_trivial_iterators && is_one(range->extent)) {
        var_map_[var.get()] = IterSumExpr({}, range->min);
      } else if (is_zero(range->min)) {
        IterMark mark(var, range->extent);
        var_map_[var.get()] = IterSplitExpr(mark);
        input_marks_.push_back(mark);
      } else {
        IterMark mark(var - range->min, range->extent);
        var_map_[var.get()] = IterSumExpr({IterSplitExpr(mark)}, range->min);
        input_marks_.push_back(mark);
      }
    }
  }

  PrimExpr padding_predicate() const { return padding_predicate_; }

  /*! \brief The most left-padding candidates of any padded mark (after the first pass). */
  size_t MaxPaddingCandidates() const {
    size_t n = 0;
    for (const auto& kv : padded_iter_map_) n = std::max(n, kv.second.left_pad_candidates.size());
    return n;
  }

  /*!
   * \brief Pad every mark on the left by its k-th candidate instead of the
   *  largest left padding; splits with different offsets may agree on one
   *  ((x + 1) % 3 and (x + 10) // 3 % 4 both hold for x + 10).
   */
  void ChoosePaddingCandidate(size_t k) {
    for (auto& kv : padded_iter_map_) {
      PaddingInfo& info = kv.second;
      if (k < info.left_pad_candidates.size()) {
        info.left_pad = analyzer_->Simplify(FloorModZ(info.left_pad_candidates[k], info.padding_factor));
      }
    }
  }
  bool requires_padding() const { return requires_padding_; }

  IterSumExpr Rewrite(const PrimExpr& expr) { return NormalizeToIterWithOffset(ToIterSum(Mutate(expr))); }

  IterSumExpr RewriteAndUpdatePadding(const PrimExpr& expr) {
    update_iterator_padding_ = true;
    IterSumExpr result = Rewrite(expr);
    update_iterator_padding_ = false;
    return result;
  }

  IterSumExpr RewriteIterConstraint(const PrimExpr& expr, const std::optional<PrimExpr>& lower,
                                    const std::optional<PrimExpr>& upper) {
    return NormalizeToIterOnBoundExpr(ToIterSum(Mutate(expr)), lower, upper);
  }

  IterSumExpr RewriteToNormalizedIterSum(const PrimExpr& expr) {
    return NormalizeToIterSumSorted(ToIterSum(Mutate(expr)));
  }

  /*!
   * \brief Whether the splits of every mark are compatible: they do not
   *  overlap, and (bijective) cover every mark and every input iterator.
   */
  bool CheckMapping(const Array<IterSumExpr>& bindings, IterMapLevel check_level) {
    IterMarkSplitCollector collector;
    collector.Collect(bindings);
    for (const IterMark& mark : collector.visit_order) {
      if (TryNormalizeSplits(mark, collector.mark2splits[mark], check_level).empty()) return false;
    }
    if (check_level != IterMapLevel::NoCheck) {
      // A predicate narrows the values only through the mark of its sum: if the
      // indices never use that mark, their claimed extents ignore it.
      for (const IterSumExpr& constrained : constrained_iters_flattened_) {
        const MarkWithOffset* entry = FindFused(constrained);
        if (entry && !collector.visited.count(entry->mark)) {
          Fail() << "The predicate on " << NormalizeIterMapToExpr(constrained)
                 << " constrains an iterator that the indices do not use as a whole";
          return false;
        }
      }
    }
    if (check_level == IterMapLevel::Bijective) {
      for (const IterMark& mark : input_marks_) {
        if (!collector.visited.count(mark) && !is_one(mark->extent)) {
          Fail() << "The input iterator " << mark->source << " is not used by the indices";
          return false;
        }
      }
    }
    return true;
  }

  /*!
   * \brief Two constrained sums must either nest (one's splits contain the
   *  other's) or be disjoint: `i*2 + j < 3` and `j*5 + k < 5` cannot both hold.
   */
  bool CheckConstraints() const {
    for (size_t i = 0; i < constrained_iters_flattened_.size(); ++i) {
      for (size_t j = i + 1; j < constrained_iters_flattened_.size(); ++j) {
        int state = 0;  // 1: every split found so far is shared, -1: none is
        for (const IterSplitExpr& a : constrained_iters_flattened_[i]->args) {
          bool found = false;
          for (const IterSplitExpr& b : constrained_iters_flattened_[j]->args) {
            if (IterSplitEqual(a, b)) {
              found = true;
              break;
            }
          }
          if (state == 0) {
            state = found ? 1 : -1;
          } else if ((state == -1 && found) || (state == 1 && !found)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /*! \brief Rewrite without normalising the result (a PrimExpr, an IterSplitExpr or an IterSumExpr). */
  PrimExpr Mutate(const PrimExpr& e) {
    if (const auto* var = e.as<VarNode>()) {
      auto it = var_map_.find(var);
      return it != var_map_.end() ? it->second : e;
    }
    if (IsIndexType(e.dtype())) {
      if (const auto* op = e.as<AddNode>()) return VisitAdd(op);
      if (const auto* op = e.as<SubNode>()) return VisitSub(op);
      if (const auto* op = e.as<MulNode>()) return VisitMul(op);
      if (const auto* op = e.as<FloorDivNode>()) return VisitFloorDiv(op);
      if (const auto* op = e.as<FloorModNode>()) return VisitFloorMod(op);
    }
    if (e->IsInstance<IterMapExprNode>() || e.as<IntImmNode>()) return e;
    // Any other node must not depend on the iterators.
    if (UsesAnyVar(e, [this](const VarNode* v) { return var_map_.count(v) != 0; })) {
      Fail() << "The iterators cannot be represented as an IterMap inside " << e;
    }
    return e;
  }

 private:
  /*! \brief Collects one error message; appended when destroyed. */
  class ErrorStream {
   public:
    explicit ErrorStream(std::vector<std::string>* errors) : errors_(errors) {}
    ErrorStream(ErrorStream&& other) : errors_(other.errors_), os_(std::move(other.os_)) { other.errors_ = nullptr; }
    ~ErrorStream() {
      if (errors_) errors_->push_back(os_.str());
    }
    template <typename T>
    ErrorStream& operator<<(const T& value) {
      os_ << value;
      return *this;
    }

   private:
    std::vector<std::string>* errors_;
    std::ostringstream os_;
  };
  ErrorStream Fail() { return ErrorStream(errors_); }

  struct MarkWithOffset {
    IterMark mark;
    PrimExpr offset;
  };

  struct PaddingInfo {
    PrimExpr padding_factor;  // the approximate LCM of what the mark is divided by
    PrimExpr left_pad;
    PrimExpr right_pad;
    IterMark padded;  // the padded mark, once made
    // Offsets (base * lower factor) of the padded splits: each one, modulo the
    // padding factor, is a left padding that keeps that split exact.
    std::vector<PrimExpr> left_pad_candidates;
  };

  // ---- arithmetic nodes ----

  PrimExpr VisitAdd(const AddNode* op) { return VisitAddSub(op, op->a, op->b, 1); }
  PrimExpr VisitSub(const SubNode* op) { return VisitAddSub(op, op->a, op->b, -1); }

  PrimExpr VisitAddSub(const PrimExprNode* op, const PrimExpr& op_a, const PrimExpr& op_b, int sign) {
    PrimExpr a = Mutate(op_a);
    PrimExpr b = Mutate(op_b);
    if (auto folded = sign > 0 ? FoldAdd(a, b) : FoldSub(a, b)) return folded.value();
    if (!IsIterMapExpr(a) && !IsIterMapExpr(b)) {
      if (a.same_as(op_a) && b.same_as(op_b)) return GetRef<PrimExpr>(op);
      return sign > 0 ? a + b : a - b;
    }
    IterSumExpr sum = ToIterSum(a);
    if (!IsIterMapExpr(b)) {
      return IterSumExpr(sum->args, sign > 0 ? sum->base + b : sum->base - b);
    }
    return AddSums(sum, ToIterSum(b), sign);
  }

  PrimExpr VisitMul(const MulNode* op) {
    PrimExpr a = Mutate(op->a);
    PrimExpr b = Mutate(op->b);
    if (auto folded = FoldMul(a, b)) return folded.value();
    if (!IsIterMapExpr(a) && !IsIterMapExpr(b)) {
      if (a.same_as(op->a) && b.same_as(op->b)) return GetRef<PrimExpr>(op);
      return a * b;
    }
    if (IsIterMapExpr(a) && IsIterMapExpr(b)) {
      Fail() << "The product of two iterators in " << GetRef<PrimExpr>(op)
             << " cannot be represented as an IterMap";
      return GetRef<PrimExpr>(op);
    }
    if (!IsIterMapExpr(a)) std::swap(a, b);
    if (const auto* sum = a.as<IterSumExprNode>()) {
      Array<IterSplitExpr> args;
      for (const IterSplitExpr& arg : sum->args) args.push_back(WithScale(arg, arg->scale * b));
      return IterSumExpr(args, sum->base * b);
    }
    IterSplitExpr split = Downcast<IterSplitExpr>(a);
    return WithScale(split, split->scale * b);
  }

  PrimExpr VisitFloorDiv(const FloorDivNode* op) { return VisitFloorDivOrMod(GetRef<PrimExpr>(op), op->a, op->b, true); }

  PrimExpr VisitFloorMod(const FloorModNode* op) { return VisitFloorDivOrMod(GetRef<PrimExpr>(op), op->a, op->b, false); }

  /*! \brief floordiv (is_div) or floormod of an iterator sum by a constant: one split of its mark. */
  PrimExpr VisitFloorDivOrMod(const PrimExpr& orig, const PrimExpr& op_a, const PrimExpr& op_b, bool is_div) {
    PrimExpr a = Mutate(op_a);
    PrimExpr b = Mutate(op_b);
    if (auto folded = is_div ? FoldFloorDiv(a, b) : FoldFloorMod(a, b)) return folded.value();
    if (!IsIterMapExpr(a) && !IsIterMapExpr(b)) {
      if (a.same_as(op_a) && b.same_as(op_b)) return orig;
      return is_div ? FloorDivZ(a, b) : FloorModZ(a, b);
    }
    if (IsIterMapExpr(b)) {
      Fail() << "The divisor of " << orig << " cannot be an iterator";
      return orig;
    }
    IterSumExpr dividend = PreprocessDividend(Downcast<IterMapExpr>(a), op_a);
    if (!dividend.defined()) return orig;
    PrimExpr result = is_div ? SplitFloorDivConst(dividend->args[0], dividend->base, b)
                             : SplitFloorModConst(dividend->args[0], dividend->base, b);
    return result.defined() ? result : orig;
  }

  /*! \brief lhs + sign * rhs; splits of the same part of the same mark add their scales. */
  static IterSumExpr AddSums(const IterSumExpr& lhs, const IterSumExpr& rhs, int sign) {
    std::vector<IterSplitExpr> args(lhs->args.begin(), lhs->args.end());
    for (const IterSplitExpr& r : rhs->args) {
      bool merged = false;
      for (IterSplitExpr& l : args) {
        if (IterSplitEqual(l, r, /*check_scale=*/false)) {
          l = WithScale(r, sign > 0 ? l->scale + r->scale : l->scale - r->scale);
          merged = true;
          break;
        }
      }
      if (!merged) {
        args.push_back(sign > 0 ? r : WithScale(r, make_zero(r->scale.dtype()) - r->scale));
      }
    }
    PrimExpr base = sign > 0 ? lhs->base + rhs->base : lhs->base - rhs->base;
    return IterSumExpr(Array<IterSplitExpr>(args.begin(), args.end()), base);
  }

  // ---- division ----

  /*! \brief The dividend as a single split plus base; undefined where it cannot be fused. */
  IterSumExpr PreprocessDividend(const IterMapExpr& dividend, const PrimExpr& original) {
    if (const auto* split = dividend.as<IterSplitExprNode>()) {
      return IterSumExpr({GetRef<IterSplitExpr>(split)}, make_zero(split->dtype));
    }
    IterSumExpr sum = Downcast<IterSumExpr>(dividend);
    if (sum->args.empty()) return IterSumExpr();
    if (sum->args.size() == 1) return sum;
    std::optional<IterSumExpr> fused = TryFuseIters(sum, check_level_, true);
    if (!fused) {
      Fail() << "The dividend " << original << " cannot be written as a single fused iterator";
      return IterSumExpr();
    }
    return fused.value();
  }

  /*! \brief Whether lhs is a multiple of rhs (false when rhs is 0). */
  bool CanProveDivisible(const PrimExpr& lhs, const PrimExpr& rhs) {
    const auto* cl = lhs.as<IntImmNode>();
    const auto* cr = rhs.as<IntImmNode>();
    if (cr && cr->value == 0) return false;
    if (cl && cr) return cl->value % cr->value == 0;
    if (FactorsDivide(lhs, rhs)) return true;
    IterMapToExprNormalizer normalizer(analyzer_);
    PrimExpr dividend = normalizer.Convert(lhs);
    PrimExpr divisor = normalizer.Convert(rhs);
    return analyzer_->CanProveEqual(dividend, divisor) ||
           analyzer_->CanProve(FloorModZ(dividend, divisor) == make_zero(dividend.dtype()));
  }

  /*!
   * \brief Whether the product rhs divides the product lhs factor by factor:
   *  every symbolic factor of rhs appears in lhs and the constants divide
   *  (n * n * 32 is a multiple of n * 4).
   */
  static bool FactorsDivide(const PrimExpr& lhs, const PrimExpr& rhs) {
    int64_t cl = 1, cr = 1;
    std::vector<PrimExpr> sl, sr;
    ForEachFactor(lhs, [&](const PrimExpr& f) {
      if (const auto* imm = f.as<IntImmNode>()) {
        cl *= imm->value;
      } else {
        sl.push_back(f);
      }
    });
    ForEachFactor(rhs, [&](const PrimExpr& f) {
      if (const auto* imm = f.as<IntImmNode>()) {
        cr *= imm->value;
      } else {
        sr.push_back(f);
      }
    });
    if (cr == 0 || cl % cr != 0) return false;
    std::vector<bool> used(sl.size(), false);
    for (const PrimExpr& f : sr) {
      bool found = false;
      for (size_t i = 0; i < sl.size() && !found; ++i) {
        if (!used[i] && ExprDeepEqual(sl[i], f)) used[i] = found = true;
      }
      if (!found) return false;
    }
    return true;
  }

  /*!
   * \brief lhs / rhs where rhs is known to divide lhs: by cancelling factors
   *  when FactorsDivide holds (the simplifier may not see n * n * 32 // n = n * 32).
   */
  PrimExpr ExactDiv(const PrimExpr& lhs, const PrimExpr& rhs) {
    if (lhs.as<IntImmNode>() && rhs.as<IntImmNode>()) return FloorDivZ(lhs, rhs);
    if (!FactorsDivide(lhs, rhs)) return analyzer_->Simplify(FloorDivZ(lhs, rhs));
    int64_t cl = 1, cr = 1;
    std::vector<PrimExpr> sr;
    ForEachFactor(rhs, [&](const PrimExpr& f) {
      if (const auto* imm = f.as<IntImmNode>()) {
        cr *= imm->value;
      } else {
        sr.push_back(f);
      }
    });
    std::vector<bool> cancelled(sr.size(), false);
    PrimExpr quotient = make_const(lhs.dtype(), 1);
    ForEachFactor(lhs, [&](const PrimExpr& f) {
      if (const auto* imm = f.as<IntImmNode>()) {
        cl *= imm->value;
        return;
      }
      for (size_t i = 0; i < sr.size(); ++i) {
        if (!cancelled[i] && ExprDeepEqual(sr[i], f)) {
          cancelled[i] = true;
          return;
        }
      }
      quotient = quotient * f;
    });
    if (cl / cr != 1) quotient = quotient * make_const(lhs.dtype(), cl / cr);
    return quotient;
  }

  /*! \brief A common multiple of a and b, small where their symbolic parts divide each other. */
  PrimExpr ApproxLeastCommonMultiple(const PrimExpr& a, const PrimExpr& b) {
    auto split = [](const PrimExpr& e) -> std::pair<PrimExpr, int64_t> {
      if (const auto* imm = e.as<IntImmNode>()) return {make_const(e.dtype(), 1), imm->value};
      if (const auto* mul = e.as<MulNode>()) {
        if (const auto* c = mul->b.as<IntImmNode>()) return {mul->a, c->value};
        if (const auto* c = mul->a.as<IntImmNode>()) return {mul->b, c->value};
      }
      return {e, 1};
    };
    auto [sym_a, c_a] = split(a);
    auto [sym_b, c_b] = split(b);
    int64_t g = std::gcd(c_a, c_b);
    PrimExpr constant = make_const(a.dtype(), g == 0 ? 0 : c_a / g * c_b);
    if (analyzer_->CanProveEqual(sym_a, sym_b) ||
        analyzer_->CanProveEqual(FloorModZ(sym_a, sym_b), make_zero(sym_a.dtype()))) {
      return sym_a * constant;
    }
    if (analyzer_->CanProveEqual(FloorModZ(sym_b, sym_a), make_zero(sym_b.dtype()))) return sym_b * constant;
    return (sym_a * sym_b) * constant;
  }

  PaddingInfo* FindPadding(const IterMark& mark) {
    for (auto& kv : padded_iter_map_) {
      if (kv.first.same_as(mark) || StructuralEqual()(kv.first, mark)) return &kv.second;
    }
    return nullptr;
  }

  /*!
   * \brief (split + base) as a split of a mark padded so that `divisor` divides
   *  it, and the left padding in units of the split. In the first pass the
   *  divisors are only collected; an undefined split reports incompatible padding.
   */
  std::pair<IterSplitExpr, PrimExpr> PadDividendToDivisor(IterSplitExpr split, PrimExpr base, PrimExpr divisor) {
    PrimExpr left_pad = analyzer_->Simplify(FloorModZ(base, divisor));
    PrimExpr right_edge = left_pad + split->extent;
    PrimExpr right_pad = CanProveDivisible(right_edge, divisor)
                             ? make_zero(divisor.dtype())
                             : analyzer_->Simplify(FloorModZ(make_zero(right_edge.dtype()) - right_edge, divisor));
    const IterMark& mark = split->source;
    if (update_iterator_padding_) {
      PaddingInfo* info = FindPadding(mark);
      if (!info) {
        DataType t = mark->source.dtype();
        padded_iter_map_.emplace_back(mark, PaddingInfo{make_const(t, 1), make_zero(t), make_zero(t), IterMark(), {}});
        info = &padded_iter_map_.back().second;
      }
      info->padding_factor = ApproxLeastCommonMultiple(info->padding_factor, divisor * split->lower_factor);
      if (is_zero(left_pad) && is_zero(right_pad)) return {split, make_zero(divisor.dtype())};
      requires_padding_ = true;
      info->left_pad = max(info->left_pad, left_pad * split->lower_factor);
      info->left_pad_candidates.push_back(base * split->lower_factor);
      // Only the padded extent matters in the first pass.
      PrimExpr padded_extent = analyzer_->Simplify(left_pad + split->extent + right_pad);
      return {WithExtent(split, padded_extent), left_pad};
    }

    PaddingInfo* info = FindPadding(mark);
    bool mark_is_padded =
        info && !(is_zero(info->left_pad) && CanProveDivisible(mark->extent, info->padding_factor));
    if (!mark_is_padded) {
      // The split keeps its mark: (v + base) // divisor and (v + base) % divisor
      // are splits of v only when the divisor divides the base.
      PrimExpr zero = make_zero(base.dtype());
      if (!OffsetIsMultiple(base, zero, divisor)) {
        Fail() << "Cannot represent as an IterMap: the offset " << base << " added to "
               << NormalizeIterMapToExpr(split) << " is not a multiple of the divisor " << divisor;
        return {IterSplitExpr(), PrimExpr()};
      }
      return {split, zero};
    }
    if (!CanProveDivisible(info->padding_factor, split->lower_factor) ||
        !CanProveDivisible(info->padding_factor, divisor)) {
      Fail() << "The padding factor " << info->padding_factor << " of " << mark->source
             << " is not a multiple of the split " << NormalizeIterMapToExpr(split) << " divided by "
             << divisor;
      return {IterSplitExpr(), PrimExpr()};
    }
    // Every split of the mark is rewritten over one padded iterator p = s + L.
    // floor(p / lf) - L / lf = floor(s / lf) is the split's value only when L is
    // a multiple of lf and the split wraps nothing above it (a top split); the
    // division then stays exact only when the divisor divides base - L / lf.
    PrimExpr mark_left_pad = info->left_pad;
    if (!CanProveDivisible(mark_left_pad, split->lower_factor)) {
      Fail() << "Incompatible left padding on " << NormalizeIterMapToExpr(split)
             << ": the iterator is left padded by " << mark_left_pad;
      return {IterSplitExpr(), PrimExpr()};
    }
    if (!analyzer_->CanProve(split->lower_factor * split->extent >= mark->extent)) {
      Fail() << "Cannot pad " << mark->source << " under the inner split " << NormalizeIterMapToExpr(split);
      return {IterSplitExpr(), PrimExpr()};
    }
    left_pad = FloorDivZ(mark_left_pad, split->lower_factor);
    if (!OffsetIsMultiple(base, left_pad, divisor)) {
      Fail() << "Incompatible offsets on " << mark->source << ": " << NormalizeIterMapToExpr(split) << " + " << base
             << " divided by " << divisor << " does not align with the left padding " << mark_left_pad;
      return {IterSplitExpr(), PrimExpr()};
    }
    if (!info->padded.defined()) {
      PrimExpr edge = mark->extent + mark_left_pad;
      PrimExpr mark_right_pad = CanProveDivisible(edge, info->padding_factor)
                                    ? make_zero(edge.dtype())
                                    : FloorModZ(make_zero(edge.dtype()) - edge, info->padding_factor);
      PrimExpr padded_extent = analyzer_->Simplify(edge + mark_right_pad);
      info->right_pad = mark_right_pad;
      info->padded = IterMark(IterSumExpr({IterSplitExpr(mark)}, mark_left_pad), padded_extent);
      padded_origin_map_.emplace_back(info->padded, mark);

      // Padding iterations, written in the padded iterator's terms:
      // [0, left_pad) on the left and [edge, edge + right_pad) on the right.
      const PrimExpr& padded_source = info->padded->source;
      PrimExpr left = (mark_left_pad != make_zero(mark_left_pad.dtype())) &&
                      (FloorDivZ(padded_source, info->padding_factor) == make_zero(edge.dtype()) &&
                       FloorModZ(padded_source, info->padding_factor) < mark_left_pad);
      PrimExpr right = (mark_right_pad != make_zero(mark_right_pad.dtype())) &&
                       (FloorDivZ(padded_source, info->padding_factor) == FloorDivZ(edge, info->padding_factor) &&
                        FloorModZ(padded_source, info->padding_factor) >= FloorModZ(edge, info->padding_factor));
      padding_predicate_ = padding_predicate_ || (left || right);
    }
    IterSplitExpr result(info->padded, split->lower_factor, ExactDiv(info->padded->extent, split->lower_factor),
                         split->scale);
    return {result, left_pad};
  }

  /*! \brief Whether base - pad is a multiple of divisor. */
  bool OffsetIsMultiple(const PrimExpr& base, const PrimExpr& pad, const PrimExpr& divisor) {
    if (CanProveDivisible(base - pad, divisor)) return true;
    // pad = base mod divisor (as the first pass computed it) is aligned by definition.
    return analyzer_->CanProveEqual(analyzer_->Simplify(FloorModZ(base, divisor)), pad);
  }

  /*!
   * \brief Splits need a positive divisor. A constant one is checked; a
   *  symbolic one (a tile size, a shape) is assumed positive, as index
   *  arithmetic does, unless it is provably not.
   */
  bool DivisorIsPositive(const PrimExpr& divisor) {
    if (const auto* imm = divisor.as<IntImmNode>()) return imm->value > 0;
    return !analyzer_->CanProve(divisor <= make_zero(divisor.dtype()));
  }

  /*! \brief FloorDivZ(lhs + base, rhs) as an iterator expression; undefined where it is not one. */
  PrimExpr SplitFloorDivConst(IterSplitExpr lhs, PrimExpr base, PrimExpr rhs) {
    if (is_one(rhs)) {
      if (is_zero(base)) return lhs;
      return IterSumExpr({lhs}, base);
    }
    if (!is_one(lhs->scale)) {
      if (CanProveDivisible(lhs->scale, rhs) && is_zero(base)) {
        // (x * c1 * c2) // c2 = x * c1
        return WithScale(lhs, FloorDivZ(lhs->scale, rhs));
      } else if (CanProveDivisible(lhs->scale, rhs) && CanProveDivisible(base, rhs)) {
        // (x * c1 * c2 + y * c2) // c2 = x * c1 + y
        return IterSumExpr({WithScale(lhs, FloorDivZ(lhs->scale, rhs))}, FloorDivZ(base, rhs));
      } else if (CanProveDivisible(rhs, lhs->scale) && is_zero(base)) {
        // (x * c1) // (c1 * c2) = x // c2
        rhs = FloorDivZ(rhs, lhs->scale);
        lhs = WithScale(lhs, make_const(rhs.dtype(), 1));
      } else if (CanProveDivisible(rhs, lhs->scale) && CanProveDivisible(base, lhs->scale)) {
        // (x * c1 + y * c1) // (c1 * c2) = (x + y) // c2
        base = FloorDivZ(base, lhs->scale);
        rhs = FloorDivZ(rhs, lhs->scale);
        lhs = WithScale(lhs, make_const(rhs.dtype(), 1));
      } else {
        Fail() << "Cannot represent as an IterMap: the scale " << lhs->scale << " of the dividend and the divisor "
               << rhs << " do not divide each other";
        return PrimExpr();
      }
    }
    if (!DivisorIsPositive(rhs)) {
      Fail() << "Cannot represent as an IterMap: the divisor " << rhs << " is not known to be positive";
      return PrimExpr();
    }
    auto [padded, left_pad] = PadDividendToDivisor(lhs, base, rhs);
    if (!padded.defined()) return PrimExpr();

    IterSplitExpr result;
    if (CanProveDivisible(padded->extent, rhs)) {
      // FloorModZ(y, c1 * c2) // c1 = FloorModZ(y // c1, c2), y = source // lower_factor
      result = IterSplitExpr(padded->source, padded->lower_factor * rhs, ExactDiv(padded->extent, rhs),
                             padded->scale);
    } else if (is_one(padded->lower_factor) && analyzer_->CanProveEqual(padded->extent, padded->source->extent)) {
      // The whole mark divided: its last part is short.
      result = IterSplitExpr(padded->source, rhs, analyzer_->Simplify(ceildiv(padded->extent, rhs)), padded->scale);
    } else {
      result = IterSplitExpr(IterMark(padded, padded->extent), rhs,
                             analyzer_->Simplify(ceildiv(padded->extent, rhs)), make_const(rhs.dtype(), 1));
    }
    PrimExpr new_base = analyzer_->Simplify(FloorDivZ(base - left_pad, rhs), 6);
    if (is_zero(new_base)) return result;
    return IterSumExpr({result}, new_base);
  }

  /*! \brief FloorModZ(lhs + base, rhs) as an iterator expression; undefined where it is not one. */
  PrimExpr SplitFloorModConst(IterSplitExpr lhs, PrimExpr base, PrimExpr rhs) {
    if (is_one(rhs)) return make_zero(lhs->dtype);
    if (!is_one(lhs->scale)) {
      if (CanProveDivisible(lhs->scale, rhs) && CanProveDivisible(base, rhs)) {
        return make_zero(lhs->dtype);
      } else if (CanProveDivisible(rhs, lhs->scale) && is_zero(base)) {
        // FloorModZ(x * c1, c1 * c2) = FloorModZ(x, c2) * c1
        rhs = FloorDivZ(rhs, lhs->scale);
      } else if (CanProveDivisible(rhs, lhs->scale) && CanProveDivisible(base, lhs->scale)) {
        rhs = FloorDivZ(rhs, lhs->scale);
        base = FloorDivZ(base, lhs->scale);
      } else {
        Fail() << "Cannot represent as an IterMap: the scale " << lhs->scale
               << " of the left-hand side of floormod and the divisor " << rhs << " do not divide each other";
        return PrimExpr();
      }
    }
    if (!DivisorIsPositive(rhs)) {
      Fail() << "Cannot represent as an IterMap: the divisor " << rhs << " is not known to be positive";
      return PrimExpr();
    }
    auto [padded, left_pad] = PadDividendToDivisor(lhs, base, rhs);
    if (!padded.defined()) return PrimExpr();
    // floormod(floormod(y, e), c) = floormod(y, c) only when c divides e, or
    // when y < e anyway (the split is the top of its mark). Padding makes the
    // marks divisible, not a middle split such as floormod(x, 4) % 3.
    if (!CanProveDivisible(padded->extent, rhs) &&
        !analyzer_->CanProve(padded->lower_factor * padded->extent >= padded->source->extent)) {
      Fail() << "Cannot represent as an IterMap: the split " << NormalizeIterMapToExpr(padded) << " of extent "
             << padded->extent << " is not a multiple of the divisor " << rhs;
      return PrimExpr();
    }
    return IterSplitExpr(padded->source, padded->lower_factor, rhs, padded->scale);
  }

  // ---- checking the splits of one mark ----

  /*! \brief Among unused splits, the one of smallest lower factor, if every one is a multiple of `expected`. */
  size_t SearchSkipLowerFactor(const std::vector<IterSplitExpr>& splits, const std::vector<bool>& used,
                               const PrimExpr& expected_lower_factor) {
    size_t found = splits.size();
    for (size_t i = 0; i < splits.size(); ++i) {
      if (used[i]) continue;
      if (!CanProveDivisible(splits[i]->lower_factor, expected_lower_factor)) return splits.size();
      if (found == splits.size() || CanProveDivisible(splits[found]->lower_factor, splits[i]->lower_factor)) {
        found = i;
      }
    }
    return found;
  }

  /*!
   * \brief The splits of `mark` ordered outermost first, or empty when they
   *  overlap, or (bijective) leave part of the mark uncovered.
   */
  Array<IterSplitExpr> TryNormalizeSplits(const IterMark& mark, const std::vector<IterSplitExpr>& splits,
                                          IterMapLevel check_level) {
    std::vector<bool> used(splits.size(), false);
    std::vector<IterSplitExpr> chain;
    PrimExpr expected_lower_factor = make_const(mark->source.dtype(), 1);
    for (size_t step = 0; step < splits.size(); ++step) {
      size_t j = 0;
      for (; j < splits.size(); ++j) {
        if (!used[j] && analyzer_->CanProveEqual(splits[j]->lower_factor, expected_lower_factor)) break;
      }
      if (j == splits.size()) {
        if (check_level == IterMapLevel::Bijective) {
          Fail() << "The splits of " << mark->source << " leave a gap below lower factor "
                 << expected_lower_factor << " (a bijective map must cover the iterator)";
          return {};
        }
        // Surjective maps may skip a middle part: [y // 6, y % 2] of y in [0, 24).
        j = SearchSkipLowerFactor(splits, used, expected_lower_factor);
        if (j == splits.size()) {
          Fail() << "The splits of " << mark->source << " overlap";
          return {};
        }
      }
      used[j] = true;
      chain.push_back(splits[j]);
      expected_lower_factor = splits[j]->lower_factor * splits[j]->extent;
    }

    const IterMark* origin = nullptr;
    for (const auto& kv : padded_origin_map_) {
      if (kv.first.same_as(mark) || StructuralEqual()(kv.first, mark)) {
        origin = &kv.second;
        break;
      }
    }
    bool match_full = analyzer_->CanProveEqual(expected_lower_factor, mark->extent);
    bool match_divisor = match_full || CanProveDivisible(mark->extent, expected_lower_factor);

    if (check_level == IterMapLevel::Bijective) {
      if (origin) {
        Fail() << "A bijective map cannot pad the iterator " << (*origin)->source;
        return {};
      }
      if (!match_full) {
        Fail() << "The splits of " << mark->source << " do not cover its extent " << mark->extent;
        return {};
      }
    } else if (!origin) {
      if (!match_divisor) {
        Fail() << "The extent " << mark->extent << " of " << mark->source
               << " is not a multiple of the splits' span " << expected_lower_factor;
        return {};
      }
    } else if (check_level == IterMapLevel::Surjective) {
      PrimExpr extent_before_padding = (*origin)->extent;
      if (match_full) {
        if (splits.size() != 1) {
          Fail() << "Several splits depend on the padded iterator " << (*origin)->source;
          return {};
        }
        if (analyzer_->CanProveEqual(splits[0]->extent, expected_lower_factor) &&
            !analyzer_->CanProve(extent_before_padding >= expected_lower_factor)) {
          Fail() << "A split as wide as the padded iterator " << (*origin)->source << " is not surjective";
          return {};
        }
      } else if (match_divisor) {
        if (!analyzer_->CanProve(extent_before_padding >= expected_lower_factor)) {
          Fail() << "The extent " << extent_before_padding << " of " << (*origin)->source
                 << " before padding is less than the splits' span " << expected_lower_factor;
          return {};
        }
      } else {
        Fail() << "The padded extent " << mark->extent << " is not a multiple of the splits' span "
               << expected_lower_factor;
        return {};
      }
    }
    return Array<IterSplitExpr>(chain.rbegin(), chain.rend());
  }

  // ---- fusing sums ----

  /*! \brief The entry of the flattened form `key`, or nullptr. */
  MarkWithOffset* FindFused(const IterSumExpr& key) {
    for (auto& kv : sum_fuse_map_) {
      if (IterSumEqual(kv.first, key)) return &kv.second;
    }
    return nullptr;
  }
  IterSumExpr* FindFlattened(const IterSumExpr& structured) {
    for (auto& kv : flattened_map_) {
      if (IterSumEqual(kv.first, structured)) return &kv.second;
    }
    return nullptr;
  }

  /*!
   * \brief Fuse expr (base 0) to one split of scale 1, narrowed to
   *  [predicate_min, predicate_max): the constraint `min <= expr < max`.
   */
  IterSumExpr NormalizeToIterOnBoundExpr(IterSumExpr expr, std::optional<PrimExpr> predicate_min,
                                         std::optional<PrimExpr> predicate_max) {
    PrimExpr base = expr->base;
    if (!is_zero(base)) {
      expr = IterSumExpr(expr->args, make_zero(base.dtype()));
      if (predicate_min) predicate_min = predicate_min.value() - base;
      if (predicate_max) predicate_max = predicate_max.value() - base;
    }
    std::optional<IterSumExpr> fused = TryFuseIters(expr, check_level_, false);
    if (fused && fused.value()->args.size() == 1 && is_one(fused.value()->args[0]->scale)) {
      IterSplitExpr split = fused.value()->args[0];
      IterSumExpr structured = Downcast<IterSumExpr>(split->source->source);
      IterSumExpr* flattened_ptr = FindFlattened(structured);
      MarkWithOffset* entry = flattened_ptr ? FindFused(*flattened_ptr) : nullptr;
      if (!entry) {
        Fail() << "Internal inconsistency: the fused form of " << expr << " was not recorded";
        return expr;
      }
      IterSumExpr flattened = *flattened_ptr;
      IterMark mark = entry->mark;
      PrimExpr iter_min = entry->offset;
      PrimExpr iter_max = iter_min + mark->extent;
      PrimExpr min_delta = make_zero(iter_min.dtype());
      if (predicate_min) {
        min_delta = predicate_min.value() - iter_min;
        iter_min = max(predicate_min.value(), iter_min);
      }
      if (predicate_max) {
        // Prefer the predicate's bound when it is provably the tighter one:
        // it keeps symbolic bounds (`x * 32 + y < n * 16`) free of min().
        if (analyzer_->CanProve(predicate_max.value() <= iter_max)) {
          iter_max = predicate_max.value();
        } else {
          iter_max = min(predicate_max.value(), iter_max);
        }
      }
      PrimExpr new_source = mark->source;
      if (!is_zero(min_delta)) {
        // The mark starts at 0 again: shift its source down by the new minimum.
        IterSumExpr shifted(structured->args, structured->base - min_delta);
        for (auto& kv : flattened_map_) {
          if (IterSumEqual(kv.first, structured)) {
            kv.first = shifted;
            break;
          }
        }
        new_source = shifted;
      }
      *entry = MarkWithOffset{IterMark(new_source, iter_max - iter_min), iter_min};
      constrained_iters_flattened_.push_back(flattened);
      return IterSumExpr({split}, base);
    }
    Fail() << "Could not normalize the iterators of the constraint on " << NormalizeIterMapToExpr(expr);
    return expr;
  }

  /*! \brief expr as one split of a fused mark plus an offset. */
  IterSumExpr NormalizeToIterWithOffset(IterSumExpr expr) {
    if (expr->args.empty()) return expr;
    std::optional<IterSumExpr> fused = TryFuseIters(expr, check_level_, true);
    if (fused) return fused.value();
    Fail() << "Could not fuse the iterators of " << NormalizeIterMapToExpr(expr) << " into one iterator";
    return expr;
  }

  /*! \brief Scales as (symbol product) * constant, sorted by constant then symbol count, largest first. */
  IterSumExpr NormalizeToIterSumSorted(IterSumExpr expr) {
    if (expr->args.empty()) return expr;
    if (auto combined = TryCombineSplitFromSameSource(expr)) {
      expr = combined.value();
      if (expr->args.empty()) return expr;
    }
    struct Item {
      int64_t constant;
      int64_t symbol_count;
      IterSplitExpr split;
    };
    std::vector<Item> items;
    for (const IterSplitExpr& split : expr->args) {
      int64_t constant = 1;
      int64_t symbol_count = 0;
      PrimExpr symbols = make_const(split.dtype(), 1);
      ForEachFactor(split->scale, [&](const PrimExpr& f) {
        if (const auto* imm = f.as<IntImmNode>()) {
          constant *= imm->value;
        } else {
          symbols = symbols * f;
          ++symbol_count;
        }
      });
      if (constant != 1) symbols = symbols * make_const(symbols.dtype(), constant);
      items.push_back(Item{constant, symbol_count, WithScale(split, symbols)});
    }
    std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
      if (a.constant != b.constant) return a.constant > b.constant;
      return a.symbol_count > b.symbol_count;
    });
    Array<IterSplitExpr> args;
    for (const Item& item : items) args.push_back(item.split);
    return IterSumExpr(args, NormalizeIterMapToExpr(expr->base));
  }

  /*!
   * \brief The index of the split of smallest scale (constant scales first,
   *  then fewest symbolic factors), searching backwards from rbegin.
   */
  int FindBaseIter(const IterSumExpr& expr, const std::vector<bool>& skip, const std::optional<IterMark>& match_source,
                   int rbegin = -1) {
    if (rbegin == -1) rbegin = static_cast<int>(expr->args.size()) - 1;
    int base_index = -1;
    int64_t min_scale = 0;
    for (int i = rbegin; i >= 0; --i) {
      if (skip[i]) continue;
      if (match_source && !match_source.value().same_as(expr->args[i]->source)) continue;
      if (const auto* imm = expr->args[i]->scale.as<IntImmNode>()) {
        if (base_index == -1 || imm->value < min_scale) {
          min_scale = imm->value;
          base_index = i;
        } else if (imm->value == min_scale && is_one(expr->args[i]->extent) &&
                   !is_one(expr->args[base_index]->extent)) {
          // Ties go to iterators of extent 1, which do not change the scale.
          base_index = i;
        }
      }
    }
    int min_factors = 0;
    for (int i = rbegin; i >= 0; --i) {
      if (skip[i]) continue;
      if (match_source && !match_source.value().same_as(expr->args[i]->source)) continue;
      int factors = 0;
      ForEachFactor(expr->args[i]->scale, [&](const PrimExpr&) { ++factors; });
      if (base_index == -1 || factors < min_factors) {
        min_factors = factors;
        base_index = i;
      }
    }
    return base_index;
  }

  int FindFirstPossibleUnitExtentIndex(const IterSumExpr& expr) {
    for (size_t i = 0; i < expr->args.size(); ++i) {
      if (is_one(expr->args[i]->extent)) return static_cast<int>(i);
    }
    return static_cast<int>(expr->args.size());
  }

  /*!
   * \brief The split whose scale equals `expected_scale`, searching backwards;
   *  splits of extent 1 win ties.
   */
  int FindIterWithExactScale(const IterSumExpr& expr, const std::vector<bool>& skip, const PrimExpr& expected_scale,
                             const std::optional<IterMark>& match_source, int rbegin = -1,
                             int first_possible_unit_extent_pos = 0) {
    if (rbegin == -1) rbegin = static_cast<int>(expr->args.size()) - 1;
    int matched = -1;
    for (int j = rbegin; j >= 0; --j) {
      if (skip[j]) continue;
      if (match_source && !match_source.value().same_as(expr->args[j]->source)) continue;
      if (analyzer_->CanProveEqual(expr->args[j]->scale, expected_scale)) {
        if (is_one(expr->args[j]->extent)) return j;
        if (matched == -1) matched = j;
        if (j <= first_possible_unit_extent_pos) return matched;
      }
    }
    return matched;
  }

  /*! \brief The split with the largest non-negative scale not above expected_scale. */
  int FindIterSmallerClosestToScale(const IterSumExpr& expr, const std::vector<bool>& skip,
                                    const PrimExpr& expected_scale, PrimExpr* matched_scale) {
    int matched = -1;
    PrimExpr best;
    for (int j = static_cast<int>(expr->args.size()) - 1; j >= 0; --j) {
      if (skip[j]) continue;
      const PrimExpr& scale = expr->args[j]->scale;
      if (analyzer_->CanProveGreaterEqual(expected_scale - scale, 0) && analyzer_->CanProveGreaterEqual(scale, 0)) {
        if (matched == -1 || analyzer_->CanProveLess(best - scale, 0)) {
          matched = j;
          best = scale;
        }
      }
    }
    *matched_scale = best;
    return matched;
  }

  /*!
   * \brief Merge consecutive splits of one mark:
   *  FloorModZ(x // (c*s), m) * (s*t) + FloorModZ(x // c, s) * t = FloorModZ(x // c, m*s) * t.
   */
  std::optional<IterSumExpr> TryCombineSplitFromSameSource(const IterSumExpr& expr) {
    if (expr->args.size() <= 1) return std::nullopt;
    std::unordered_map<const Object*, int> hits;
    bool overlap = false;
    for (const IterSplitExpr& arg : expr->args) {
      if (++hits[arg->source.get()] > 1) overlap = true;
    }
    if (!overlap) return std::nullopt;

    std::vector<bool> visited(expr->args.size(), false);
    std::vector<IterSplitExpr> reversed;
    int first_unit = FindFirstPossibleUnitExtentIndex(expr);
    for (int rend = static_cast<int>(expr->args.size()) - 1; rend >= 0;) {
      if (visited[rend]) {
        --rend;
        continue;
      }
      if (hits.at(expr->args[rend]->source.get()) == 1) {
        reversed.push_back(expr->args[rend]);
        visited[rend] = true;
        --rend;
        continue;
      }
      int index = FindBaseIter(expr, visited, expr->args[rend]->source, rend);
      ICHECK_NE(index, -1);
      visited[index] = true;
      IterSplitExpr rhs = expr->args[index];
      while (true) {
        PrimExpr lhs_scale = MulAndNormalize(rhs->extent, rhs->scale);
        int j = FindIterWithExactScale(expr, visited, lhs_scale, rhs->source, rend, first_unit);
        if (j == -1) break;
        IterSplitExpr lhs = expr->args[j];
        PrimExpr lhs_lower_factor = MulAndNormalize(rhs->lower_factor, rhs->extent);
        if (!analyzer_->CanProveEqual(lhs->lower_factor, lhs_lower_factor)) break;
        visited[j] = true;
        rhs = WithExtent(rhs, MulAndNormalize(lhs->extent, rhs->extent));
      }
      reversed.push_back(rhs);
    }
    return IterSumExpr(Array<IterSplitExpr>(reversed.rbegin(), reversed.rend()), expr->base);
  }

  /*!
   * \brief x1*c1 + ... + xn*cn + base = (x1*s1 + ... + xn) * cn + base: one
   *  split of a fused mark, with an extra offset where a constrained sub-sum
   *  starts above 0. std::nullopt where the scales do not chain.
   */
  std::optional<IterSumExpr> TryFuseIters(IterSumExpr expr, IterMapLevel check_level, bool allow_early_skip) {
    if (auto combined = TryCombineSplitFromSameSource(expr)) {
      expr = combined.value();
      if (expr->args.size() <= 1 && allow_early_skip) return expr;
    }
    std::vector<bool> visited(expr->args.size(), false);
    int base_index = FindBaseIter(expr, visited, std::nullopt);
    if (base_index == -1) return std::nullopt;
    PrimExpr base_scale = expr->args[base_index]->scale;
    DataType t = expr.dtype();

    std::vector<IterSplitExpr> flattened_iters, grouped_iters;
    PrimExpr expected_extra_base = make_zero(t);
    PrimExpr tail_extent = make_zero(t);
    PrimExpr expected_scale = base_scale;
    int first_unit = FindFirstPossibleUnitExtentIndex(expr);

    for (size_t i = 0; i < expr->args.size();) {
      PrimExpr matched_scale;
      bool exact = false;
      int pos = i == 0 ? base_index : FindIterWithExactScale(expr, visited, expected_scale, std::nullopt, -1, first_unit);
      if (pos != -1) {
        matched_scale = expected_scale;
        exact = true;
      } else if (check_level != IterMapLevel::Bijective && is_const_int(base_scale, 1)) {
        // Overlapping windows (`x + a`): a smaller scale leaves a tail.
        pos = FindIterSmallerClosestToScale(expr, visited, expected_scale, &matched_scale);
      }
      if (pos == -1) return std::nullopt;

      // The longest constrained sum that ends with this split.
      std::optional<IterSumExpr> constraint;
      for (const IterSumExpr& c : constrained_iters_flattened_) {
        if (IterSplitEqual(expr->args[pos], c->args.back(), false)) {
          if (!constraint || constraint.value()->args.size() < c->args.size()) constraint = c;
        }
      }
      if (constraint) {
        const Array<IterSplitExpr>& constraint_args = constraint.value()->args;
        for (int c = static_cast<int>(constraint_args.size()) - 1; c >= 0; --c) {
          IterSplitExpr part = constraint_args[c];
          size_t k = 0;
          for (; k < expr->args.size(); ++k) {
            if (!visited[k] && IterSplitEqual(expr->args[k], part, false) &&
                analyzer_->CanProveEqual(part->scale * matched_scale, expr->args[k]->scale)) {
              break;
            }
          }
          if (k == expr->args.size()) return std::nullopt;
          visited[k] = true;
          flattened_iters.push_back(expr->args[k]);
        }
        MarkWithOffset* entry = FindFused(constraint.value());
        ICHECK(entry != nullptr);
        grouped_iters.push_back(IterSplitExpr(entry->mark, FloorDivZ(matched_scale, base_scale)));
        expected_extra_base = expected_extra_base + entry->offset * matched_scale;
        if (!exact) tail_extent = tail_extent + (expected_scale - matched_scale);
        expected_scale = MulAndNormalize(entry->mark->extent, matched_scale);
        i += constraint.value()->args.size();
      } else {
        visited[pos] = true;
        IterSplitExpr arg = expr->args[pos];
        arg = WithScale(arg, analyzer_->Simplify(FloorDivZ(arg->scale, base_scale)));
        flattened_iters.push_back(arg);
        grouped_iters.push_back(arg);
        if (!exact) tail_extent = tail_extent + (expected_scale - matched_scale);
        expected_scale = MulAndNormalize(expr->args[pos]->extent, matched_scale);
        ++i;
      }
    }
    IterSumExpr flattened(Array<IterSplitExpr>(flattened_iters.rbegin(), flattened_iters.rend()), make_zero(t));
    IterSumExpr structured(Array<IterSplitExpr>(grouped_iters.rbegin(), grouped_iters.rend()), make_zero(t));
    if (MarkWithOffset* entry = FindFused(flattened)) {
      if (!analyzer_->CanProveEqual(expected_extra_base, entry->offset * base_scale)) return std::nullopt;
      return IterSumExpr({IterSplitExpr(entry->mark, base_scale)}, expr->base + expected_extra_base);
    }
    IterMark mark(structured, FloorDivZ(expected_scale, base_scale) + tail_extent);
    sum_fuse_map_.emplace_back(flattened, MarkWithOffset{mark, expected_extra_base});
    flattened_map_.emplace_back(structured, flattened);
    return IterSumExpr({IterSplitExpr(mark, base_scale)}, expr->base + expected_extra_base);
  }

  Analyzer* analyzer_;
  IterMapLevel check_level_;
  std::vector<std::string>* errors_;
  std::unordered_map<const VarNode*, PrimExpr> var_map_;
  std::vector<IterMark> input_marks_;
  // Padding per mark (structurally keyed: the same iterator gets the same padding everywhere).
  std::vector<std::pair<IterMark, PaddingInfo>> padded_iter_map_;
  // padded mark -> the mark before padding
  std::vector<std::pair<IterMark, IterMark>> padded_origin_map_;
  // First pass: pad freely and collect divisors; second pass: use that padding.
  bool update_iterator_padding_{false};
  PrimExpr padding_predicate_;
  bool requires_padding_{false};
  // flattened form (splits of input marks, base 0) -> fused mark and the offset its values start at
  std::vector<std::pair<IterSumExpr, MarkWithOffset>> sum_fuse_map_;
  // structured form (the fused mark's source) -> flattened form
  std::vector<std::pair<IterSumExpr, IterSumExpr>> flattened_map_;
  // flattened forms of the constrained sums, in the order they were met
  std::vector<IterSumExpr> constrained_iters_flattened_;
};

// ---------------------------------------------------------------------------
// Predicates as bounds
// ---------------------------------------------------------------------------

namespace {

struct IterConstraint {
  PrimExpr iter;
  std::optional<PrimExpr> lower_bound;  // closed
  std::optional<PrimExpr> upper_bound;  // open
  size_t expr_size;
};

/*!
 * \brief Read `pred` as a conjunction of bounds on iterator expressions.
 *  Bounds on a single input iterator narrow its range in input_iters.
 */
bool MatchBoundConstraints(const PrimExpr& pred, Map<Var, Range>* input_iters, std::vector<IterConstraint>* result) {
  // Conjuncts in the order a right-to-left walk of `a && b && c` meets them.
  std::vector<PrimExpr> conjuncts;
  std::function<void(const PrimExpr&)> flatten = [&](const PrimExpr& e) {
    if (const auto* op = e.as<AndNode>()) {
      flatten(op->b);
      flatten(op->a);
    } else {
      conjuncts.push_back(e);
    }
  };
  flatten(pred);
  auto uses_iter = [input_iters](const PrimExpr& e) {
    return UsesAnyVar(e, [input_iters](const VarNode* v) { return input_iters->count(GetRef<Var>(v)) != 0; });
  };
  for (const PrimExpr& cond : conjuncts) {
    PrimExpr lhs, rhs;
    bool greater = false, or_equal = false;
    if (const auto* op = cond.as<LTNode>()) {
      lhs = op->a, rhs = op->b;
    } else if (const auto* op = cond.as<LENode>()) {
      lhs = op->a, rhs = op->b, or_equal = true;
    } else if (const auto* op = cond.as<GTNode>()) {
      lhs = op->a, rhs = op->b, greater = true;
    } else if (const auto* op = cond.as<GENode>()) {
      lhs = op->a, rhs = op->b, greater = true, or_equal = true;
    } else {
      return false;
    }
    auto is_integer = [](const PrimExpr& e) { return e.dtype().is_int() || e.dtype().is_uint(); };
    if (!is_integer(lhs) || !is_integer(rhs)) return false;
    if (!uses_iter(lhs) && !uses_iter(rhs)) continue;
    bool bound_at_left;
    if (lhs.as<IntImmNode>() || !uses_iter(lhs)) {
      bound_at_left = true;
    } else if (rhs.as<IntImmNode>() || !uses_iter(rhs)) {
      bound_at_left = false;
    } else {
      // Both sides use iterators: move the iterator-free terms to the right.
      bound_at_left = false;
      PrimExpr iter_part = make_zero(lhs.dtype());
      PrimExpr bound_part = make_zero(lhs.dtype());
      std::function<void(const PrimExpr&, bool)> extract = [&](const PrimExpr& part, bool positive) {
        if (const auto* add = part.as<AddNode>()) {
          extract(add->a, positive);
          extract(add->b, positive);
        } else if (const auto* sub = part.as<SubNode>()) {
          extract(sub->a, positive);
          extract(sub->b, !positive);
        } else if (uses_iter(part)) {
          iter_part = positive ? iter_part + part : iter_part - part;
        } else {
          bound_part = positive ? bound_part - part : bound_part + part;
        }
      };
      extract(lhs - rhs, true);
      Analyzer analyzer;
      lhs = analyzer.Simplify(iter_part);
      rhs = analyzer.Simplify(bound_part);
    }
    std::optional<PrimExpr> lower, upper;
    PrimExpr iter;
    if (greater) {
      if (bound_at_left) {
        upper = or_equal ? lhs + 1 : lhs;  // bound >(=) iter
        iter = rhs;
      } else {
        lower = or_equal ? rhs : rhs + 1;  // iter >(=) bound
        iter = lhs;
      }
    } else {
      if (bound_at_left) {
        lower = or_equal ? lhs : lhs + 1;  // bound <(=) iter
        iter = rhs;
      } else {
        upper = or_equal ? rhs + 1 : rhs;  // iter <(=) bound
        iter = lhs;
      }
    }
    if (const auto* var = iter.as<VarNode>()) {
      if (input_iters->count(GetRef<Var>(var))) {
        Range range = input_iters->at(GetRef<Var>(var));
        PrimExpr begin = range->min;
        PrimExpr end = range->min + range->extent;
        if (lower) begin = max(begin, lower.value());
        if (upper) end = min(end, upper.value());
        input_iters->Set(GetRef<Var>(var), Range(begin, end));
        continue;
      }
    }
    result->push_back(IterConstraint{iter, lower, upper, 0});
  }
  return true;
}

/*! \brief Iterator ranges must not depend on the iterators. */
bool IterRangeSanityCheck(const Map<Var, Range>& iter_ranges) {
  auto is_iter = [&](const VarNode* v) { return iter_ranges.count(GetRef<Var>(v)) != 0; };
  for (const auto& kv : iter_ranges) {
    if (UsesAnyVar(kv.second->min, is_iter) || UsesAnyVar(kv.second->extent, is_iter)) return false;
  }
  return true;
}

Array<String> ToStringArray(const std::vector<std::string>& errors) {
  Array<String> out;
  for (const std::string& e : errors) out.push_back(String(e));
  return out;
}

}  // namespace

IterMapResult DetectIterMap(const Array<PrimExpr>& indices, const Map<Var, Range>& input_iters,
                            const PrimExpr& predicate, IterMapLevel check_level, Analyzer* analyzer,
                            bool simplify_trivial_iterators) {
  IterMapResult result;
  std::vector<std::string> errors;
  auto finish = [&]() {
    result->errors = ToStringArray(errors);
    return result;
  };
  if (!IterRangeSanityCheck(input_iters)) {
    errors.push_back("Invalid iterators: the range of an iterator depends on the iterators");
    return finish();
  }
  Map<Var, Range> constrained_iters = input_iters;
  std::vector<IterConstraint> constraints;
  if (!is_one(predicate) && !MatchBoundConstraints(predicate, &constrained_iters, &constraints)) {
    std::ostringstream os;
    os << "Could not read the predicate " << predicate << " as bounds on the input iterators";
    errors.push_back(os.str());
    return finish();
  }
  // A constraint's sum contains the sums of the constraints on its parts:
  // visit the smaller ones first so that their marks exist.
  for (IterConstraint& c : constraints) c.expr_size = ExprSize(c.iter);
  std::stable_sort(constraints.begin(), constraints.end(),
                   [](const IterConstraint& a, const IterConstraint& b) { return a.expr_size < b.expr_size; });

  // One attempt: constraints, a first pass that pads freely and collects the
  // divisors, then (if padding is needed) a second pass over padded marks.
  // choice < 0 pads each mark by its largest left padding, choice k by its
  // k-th candidate; every attempt checks its own exactness.
  size_t candidates = 0;
  auto attempt = [&](int choice, std::vector<std::string>* errs, Array<IterSumExpr>* out, PrimExpr* padding) {
    IterMapRewriter rewriter(analyzer, constrained_iters, check_level, simplify_trivial_iterators, errs);
    for (const IterConstraint& c : constraints) {
      rewriter.RewriteIterConstraint(c.iter, c.lower_bound, c.upper_bound);
      if (!errs->empty()) return false;
    }
    if (!rewriter.CheckConstraints()) {
      errs->push_back("Invalid constraints: two constrained sums share some iterators but not all");
      return false;
    }
    Array<IterSumExpr> rewritten;
    bool allow_padding = check_level != IterMapLevel::Bijective;
    if (allow_padding) {
      for (const PrimExpr& index : indices) {
        rewritten.push_back(rewriter.RewriteAndUpdatePadding(index));
        if (!errs->empty()) return false;
      }
      candidates = rewriter.MaxPaddingCandidates();
    }
    if (!allow_padding || rewriter.requires_padding()) {
      if (choice >= 0) rewriter.ChoosePaddingCandidate(static_cast<size_t>(choice));
      rewritten = Array<IterSumExpr>();
      for (const PrimExpr& index : indices) {
        rewritten.push_back(rewriter.Rewrite(index));
        if (!errs->empty()) return false;
      }
    }
    *padding = rewriter.padding_predicate();
    if (!rewriter.CheckMapping(rewritten, check_level)) {
      errs->push_back(check_level == IterMapLevel::Bijective ? "Index mapping does not form a bijective transform."
                                                             : "Mapped indices are not independent.");
      return false;
    }
    *out = rewritten;
    return true;
  };

  Array<IterSumExpr> rewritten;
  PrimExpr padding = const_false();
  bool ok = attempt(-1, &errors, &rewritten, &padding);
  for (size_t k = 0; !ok && k < candidates && k < 8; ++k) {
    std::vector<std::string> retry_errors;
    if (attempt(static_cast<int>(k), &retry_errors, &rewritten, &padding)) {
      ok = true;
      errors.clear();
    }
  }
  if (!ok) return finish();
  result->padding_predicate = padding;
  result->indices = rewritten;
  return finish();
}

IterSumExpr NormalizeToIterSum(PrimExpr index, const Map<Var, Range>& input_iters, Analyzer* analyzer) {
  if (!IterRangeSanityCheck(input_iters)) {
    TVM_CHECK(false, "ValueError") << "normalize_to_iter_sum: the range of an iterator depends on the iterators in "
                          << input_iters;
  }
  // Only the pattern matters here: no constraints, no checks.
  std::vector<std::string> errors;
  IterMapRewriter rewriter(analyzer, input_iters, IterMapLevel::NoCheck, true, &errors);
  return rewriter.RewriteToNormalizedIterSum(index);
}

Array<PrimExpr> IterMapSimplify(const Array<PrimExpr>& indices, const Map<Var, Range>& input_iters,
                                const PrimExpr& input_pred, IterMapLevel check_level, Analyzer* analyzer,
                                bool simplify_trivial_iterators) {
  if (!IterRangeSanityCheck(input_iters)) return indices;
  IterMapResult res = DetectIterMap(indices, input_iters, input_pred, check_level, analyzer, simplify_trivial_iterators);
  if (res->indices.empty()) return indices;
  IterMapToExprNormalizer converter(analyzer);
  Array<PrimExpr> simplified;
  for (const IterSumExpr& e : res->indices) simplified.push_back(converter.Convert(e));
  return simplified;
}

// ---------------------------------------------------------------------------
// Subspace division
// ---------------------------------------------------------------------------

/*!
 * \brief Writes each iterator expression as outer * extent(inner) + inner,
 *  where inner uses only the sub-space iterators; results pass from the
 *  splits of a mark to the sums that use them.
 */
class SubspaceDivider {
 public:
  SubspaceDivider(Analyzer* analyzer, const IterMarkSplitCollector& collector,
                  const std::unordered_set<const VarNode*>& sub_iters)
      : analyzer_(analyzer), collector_(collector), sub_iters_(sub_iters) {}

  /*! \brief outer * inner_extent + inner. */
  struct Division {
    enum class Kind { kInner, kOuter, kMixed };
    IterMapExpr outer;
    PrimExpr outer_extent;
    IterMapExpr inner;
    PrimExpr inner_extent;
    Kind kind{Kind::kMixed};

    bool IsOuter() const { return kind == Kind::kOuter; }
    bool IsInner() const { return kind == Kind::kInner; }

    static Division Inner(const IterMapExpr& iter, const PrimExpr& extent) {
      DataType t = iter.dtype();
      return Division{IterSumExpr({}, make_zero(t)), make_const(t, 1), iter, extent, Kind::kInner};
    }
    static Division Outer(const IterMapExpr& iter, const PrimExpr& extent) {
      DataType t = iter.dtype();
      return Division{iter, extent, IterSumExpr({}, make_zero(t)), make_const(t, 1), Kind::kOuter};
    }
    static Division Failure() {
      return Division{IterSumExpr({}, 0), 0, IterSumExpr({}, 0), 0, Kind::kMixed};
    }
    static IterSplitExpr AsSplit(const IterMapExpr& e, const PrimExpr& extent) {
      if (const auto* split = e.as<IterSplitExprNode>()) return GetRef<IterSplitExpr>(split);
      return IterSplitExpr(IterMark(Downcast<IterSumExpr>(e), extent));
    }
  };

  size_t unresolved_count() const { return unresolved_count_; }
  PrimExpr outer_preds() const { return outer_preds_; }
  PrimExpr inner_preds() const { return inner_preds_; }

  Division DivideIterSumExpr(const IterSumExpr& expr, const PrimExpr& mark_extent) {
    DataType t = expr.dtype();
    if (expr->args.empty()) {
      return Division{IterSumExpr({}, make_zero(t)), make_const(t, 1), IterSumExpr({}, expr->base),
                      make_const(t, 1), Division::Kind::kMixed};
    }
    if (expr->args.size() == 1) {
      if (!is_one(expr->args[0]->scale)) return Unresolved();
      Division res = DivideIterSplitExpr(expr->args[0]);
      if (!is_zero(expr->base)) res = AddBase(res, expr->base);
      return res;
    }
    // A sum divides when its inner splits come first (innermost) and the outer ones after.
    PrimExpr extent = make_const(t, 1);
    std::vector<IterSplitExpr> outer_args, inner_args;
    bool in_inner = true, scale_is_one = false;
    for (int i = static_cast<int>(expr->args.size()) - 1; i >= 0; --i) {
      const IterSplitExpr& arg = expr->args[i];
      if (is_one(arg->scale)) scale_is_one = true;
      Division d = DivideIterSplitExpr(arg);
      IterSplitExpr new_arg;
      if (d.IsInner()) {
        if (!in_inner) return Unresolved();
        new_arg = Division::AsSplit(d.inner, d.inner_extent);
        inner_args.push_back(new_arg);
      } else if (d.IsOuter()) {
        new_arg = Division::AsSplit(d.outer, d.outer_extent);
        outer_args.push_back(new_arg);
        in_inner = false;
      } else {
        return Unresolved();
      }
      extent = extent * new_arg->extent;
    }
    if (!scale_is_one) return Unresolved();
    bool need_predicate = !analyzer_->CanProveEqual(extent, mark_extent);
    IterMark outer_mark = MarkFromArgsAndBase(outer_args, make_zero(t));
    IterMark inner_mark = MarkFromArgsAndBase(inner_args, expr->base);
    IterSumExpr outer_source = Downcast<IterSumExpr>(outer_mark->source);
    IterSumExpr inner_source = Downcast<IterSumExpr>(inner_mark->source);
    if (need_predicate) {
      // A narrowed sum cannot be split between the spaces: it must lie in one.
      IterMapToExprNormalizer converter(analyzer_);
      if (inner_args.empty()) {
        outer_preds_ = outer_preds_ && (converter.Convert(outer_source) < mark_extent);
        return Division::Outer(outer_source, mark_extent);
      }
      if (outer_args.empty()) {
        inner_preds_ = inner_preds_ && (converter.Convert(inner_source) < mark_extent);
        return Division::Inner(inner_source, mark_extent);
      }
      return Unresolved();
    }
    return Division{outer_source, outer_mark->extent, inner_source, inner_mark->extent, Division::Kind::kMixed};
  }

 private:
  Division Unresolved() {
    ++unresolved_count_;
    return Division::Failure();
  }

  static Division AddBase(Division d, const PrimExpr& base) {
    if (const auto* split = d.inner.as<IterSplitExprNode>()) {
      d.inner = IterSumExpr({GetRef<IterSplitExpr>(split)}, base);
    } else if (const auto* sum = d.inner.as<IterSumExprNode>()) {
      d.inner = IterSumExpr(sum->args, sum->base + base);
    }
    return d;
  }

  /*! \brief args (innermost first) rescaled to a dense fusion. */
  static IterMark MarkFromArgsAndBase(const std::vector<IterSplitExpr>& args, const PrimExpr& base) {
    std::vector<IterSplitExpr> rescaled;
    PrimExpr extent = make_const(base.dtype(), 1);
    for (const IterSplitExpr& arg : args) {
      rescaled.push_back(WithScale(arg, extent));
      extent = extent * arg->extent;
    }
    return IterMark(IterSumExpr(Array<IterSplitExpr>(rescaled.rbegin(), rescaled.rend()), base), extent);
  }

  Division DivideIterSplitExpr(const IterSplitExpr& expr) {
    auto found = split_map_.find(expr);
    if (found != split_map_.end()) return found->second;
    const std::vector<IterSplitExpr>& splits = collector_.mark2splits.at(expr->source);
    if (const auto* var = expr->source->source.as<VarNode>()) {
      bool inner = sub_iters_.count(var) != 0;
      for (const IterSplitExpr& split : splits) {
        split_map_.emplace(split, inner ? Division::Inner(split, split->extent) : Division::Outer(split, split->extent));
      }
    } else if (const auto* sum = expr->source->source.as<IterSumExprNode>()) {
      // The mark's source is Y * E(X) + X; its splits divide when the innermost
      // ones multiply to E(X) exactly.
      Division mark_division = DivideIterSumExpr(GetRef<IterSumExpr>(sum), expr->source->extent);
      if (splits.size() == 1) return mark_division;
      IterMark outer_mark(ToIterSum(mark_division.outer), mark_division.outer_extent);
      IterMark inner_mark(ToIterSum(mark_division.inner), mark_division.inner_extent);
      bool boundary = mark_division.IsOuter();
      std::vector<bool> used(splits.size(), false);
      std::vector<IterSplitExpr> inner_iters, outer_iters;
      PrimExpr expected_lower_factor = make_const(expr->source->source.dtype(), 1);
      for (size_t i = 0; i < splits.size(); ++i) {
        size_t j = 0;
        for (; j < splits.size(); ++j) {
          if (!used[j] && analyzer_->CanProveEqual(splits[j]->lower_factor, expected_lower_factor)) break;
        }
        if (j == splits.size()) return Unresolved();
        used[j] = true;
        (boundary ? outer_iters : inner_iters).push_back(splits[j]);
        expected_lower_factor = expected_lower_factor * splits[j]->extent;
        if (analyzer_->CanProveEqual(expected_lower_factor, mark_division.inner_extent)) boundary = true;
      }
      if (!boundary) return Unresolved();
      for (const IterSplitExpr& s : inner_iters) {
        split_map_.emplace(s, Division::Inner(WithSource(s, inner_mark), s->extent));
      }
      for (const IterSplitExpr& s : outer_iters) {
        IterSplitExpr moved(outer_mark, FloorDivZ(s->lower_factor, outer_iters[0]->lower_factor), s->extent, s->scale);
        split_map_.emplace(s, Division::Outer(moved, s->extent));
      }
    } else {
      return Unresolved();
    }
    return split_map_.at(expr);
  }

  size_t unresolved_count_{0};
  Analyzer* analyzer_;
  const IterMarkSplitCollector& collector_;
  const std::unordered_set<const VarNode*>& sub_iters_;
  std::unordered_map<IterSplitExpr, Division, ObjectPtrHash, ObjectPtrEqual> split_map_;
  PrimExpr outer_preds_{Bool(true)};
  PrimExpr inner_preds_{Bool(true)};
};

Array<Array<IterMark>> SubspaceDivide(const Array<PrimExpr>& bindings, const Map<Var, Range>& input_iters,
                                      const Array<Var>& sub_iters, const PrimExpr& predicate,
                                      IterMapLevel check_level, Analyzer* analyzer, bool simplify_trivial_iterators) {
  if (!IterRangeSanityCheck(input_iters)) return {};
  IterMapResult res = DetectIterMap(bindings, input_iters, predicate, check_level, analyzer, simplify_trivial_iterators);
  const Array<IterSumExpr>& maps = res->indices;
  if (maps.empty()) return {};
  std::unordered_set<const VarNode*> inner_set;
  for (const Var& v : sub_iters) inner_set.insert(v.get());
  IterMarkSplitCollector collector;
  collector.Collect(maps);
  SubspaceDivider divider(analyzer, collector, inner_set);
  Array<Array<IterMark>> results;
  for (const IterSumExpr& expr : maps) {
    SubspaceDivider::Division d = divider.DivideIterSumExpr(expr, make_zero(expr.dtype()));
    if (divider.unresolved_count()) return {};
    results.push_back({IterMark(d.outer, d.outer_extent), IterMark(d.inner, d.inner_extent)});
  }
  results.push_back({IterMark(IterSumExpr({}, 0), divider.outer_preds()),
                     IterMark(IterSumExpr({}, 0), divider.inner_preds())});
  return results;
}

// ---------------------------------------------------------------------------
// Inverse of a bijective map
// ---------------------------------------------------------------------------

/*!
 * \brief Back-propagates the outputs through the map's DAG (sums split their
 *  value by scale into their parts, splits scale it by their lower factor
 *  into their mark) down to the input iterators.
 */
class InverseAffineIterMapTransformer {
 public:
  explicit InverseAffineIterMapTransformer(Analyzer* analyzer) : analyzer_(analyzer) {}

  Map<Var, PrimExpr> operator()(const Array<IterSumExpr>& iter_map, const Array<PrimExpr>& outputs) {
    if (iter_map.size() != outputs.size()) {
      TVM_CHECK(false, "ValueError") << "inverse_affine_iter_map: " << iter_map.size() << " iterator expressions but "
                            << outputs.size() << " outputs";
    }
    std::vector<IterMapExpr> order = ReverseTopologicalOrder(iter_map);
    for (const IterMapExpr& node : order) backprop_[node] = make_zero(node.dtype());
    for (size_t i = 0; i < iter_map.size(); ++i) backprop_[iter_map[i]] = outputs[i];
    for (const IterMapExpr& node : order) {
      if (const auto* sum = node.as<IterSumExprNode>()) {
        VisitSum(GetRef<IterSumExpr>(sum));
      } else {
        VisitSplit(Downcast<IterSplitExpr>(node));
      }
    }
    return inverse_;
  }

 private:
  void VisitSum(const IterSumExpr& sum) {
    PrimExpr input = backprop_.at(sum) - sum->base;
    if (sum->args.size() == 1) {
      const IterSplitExpr& part = sum->args[0];
      if (!analyzer_->CanProveEqual(abs(part->scale), make_const(part->scale.dtype(), 1))) {
        TVM_CHECK(false, "ValueError") << "inverse_affine_iter_map: the map is not bijective, " << sum
                              << " scales its only part by " << part->scale;
      }
      backprop_[part] = (backprop_.at(part) + input) * part->scale;
      return;
    }
    CheckFusePattern(sum);
    for (size_t i = sum->args.size(); i > 0; --i) {
      const IterSplitExpr& part = sum->args[i - 1];
      PrimExpr value = FloorDivZ(input, part->scale);
      // The outermost part needs no floormod: it is bounded by its extent.
      if (i > 1) value = FloorModZ(value, part->extent);
      backprop_[part] = backprop_.at(part) + value;
    }
  }

  void VisitSplit(const IterSplitExpr& split) {
    PrimExpr input = backprop_.at(split) * split->lower_factor;
    const IterMark& mark = split->source;
    if (const auto* sum = mark->source.as<IterSumExprNode>()) {
      IterSumExpr source = GetRef<IterSumExpr>(sum);
      backprop_[source] = backprop_.at(source) + input;
    } else if (const auto* var = mark->source.as<VarNode>()) {
      Var v = GetRef<Var>(var);
      inverse_.Set(v, inverse_.count(v) ? inverse_.at(v) + input : input);
    } else {
      TVM_CHECK(false, "ValueError") << "inverse_affine_iter_map: the mark source " << mark->source
                            << " is neither an iterator nor a fused sum";
    }
  }

  std::vector<IterMapExpr> ReverseTopologicalOrder(const Array<IterSumExpr>& iter_map) {
    std::vector<IterMapExpr> post_order;
    std::unordered_set<const Object*> visited;
    std::function<void(const IterMapExpr&)> visit = [&](const IterMapExpr& e) {
      if (!visited.insert(e.get()).second) return;
      if (const auto* sum = e.as<IterSumExprNode>()) {
        for (const IterSplitExpr& child : sum->args) visit(child);
      } else {
        const auto* split = e.as<IterSplitExprNode>();
        if (const auto* source = split->source->source.as<IterMapExprNode>()) {
          visit(GetRef<IterMapExpr>(source));
        }
      }
      post_order.push_back(e);
    };
    for (const IterSumExpr& e : iter_map) visit(e);
    std::reverse(post_order.begin(), post_order.end());
    return post_order;
  }

  /*! \brief The parts must be a dense fusion: each scale is the product of the extents inside it. */
  void CheckFusePattern(const IterSumExpr& sum) {
    if (sum->args.empty()) return;
    PrimExpr expected = sum->args.back()->scale;
    for (size_t i = sum->args.size(); i > 0; --i) {
      if (!analyzer_->CanProveEqual(sum->args[i - 1]->scale, expected)) {
        TVM_CHECK(false, "ValueError") << "inverse_affine_iter_map: the map is not bijective, " << sum
                              << " is not a dense fusion of its parts";
      }
      expected = expected * sum->args[i - 1]->extent;
    }
  }

  Analyzer* analyzer_;
  std::unordered_map<IterMapExpr, PrimExpr, ObjectPtrHash, ObjectPtrEqual> backprop_;
  Map<Var, PrimExpr> inverse_;
};

Map<Var, PrimExpr> InverseAffineIterMap(const Array<IterSumExpr>& iter_map, const Array<PrimExpr> outputs) {
  Analyzer analyzer;
  return InverseAffineIterMapTransformer(&analyzer)(iter_map, outputs);
}

// ---------------------------------------------------------------------------
// FFI
// ---------------------------------------------------------------------------

namespace {

IterMapLevel CheckLevelFromInt(int level) {
  if (level != IterMapLevel::Bijective && level != IterMapLevel::Surjective && level != IterMapLevel::NoCheck) {
    TVM_CHECK(false, "ValueError") << "Unknown iterator map check level " << level
                          << " (expected 0 bijective, 1 surjective or 3 no check)";
  }
  return static_cast<IterMapLevel>(level);
}

}  // namespace

TVM_REGISTER_GLOBAL("arith.IterMark").set_body_typed([](PrimExpr source, PrimExpr extent) {
  return IterMark(source, extent);
});
TVM_REGISTER_GLOBAL("arith.IterSplitExpr")
    .set_body_typed([](IterMark source, PrimExpr lower_factor, PrimExpr extent, PrimExpr scale) {
      return IterSplitExpr(source, lower_factor, extent, scale);
    });
TVM_REGISTER_GLOBAL("arith.IterSumExpr").set_body_typed([](Array<IterSplitExpr> args, PrimExpr base) {
  return IterSumExpr(args, base);
});
TVM_REGISTER_GLOBAL("arith.DetectIterMap")
    .set_body_typed([](Array<PrimExpr> indices, Map<Var, Range> input_iters, PrimExpr predicate, int check_level,
                       bool simplify_trivial_iterators) {
      Analyzer analyzer;
      return DetectIterMap(indices, input_iters, predicate, CheckLevelFromInt(check_level), &analyzer,
                           simplify_trivial_iterators);
    });
TVM_REGISTER_GLOBAL("arith.NormalizeToIterSum").set_body_typed([](PrimExpr index, Map<Var, Range> input_iters) {
  Analyzer analyzer;
  return NormalizeToIterSum(index, input_iters, &analyzer);
});
TVM_REGISTER_GLOBAL("arith.NormalizeIterMapToExpr").set_body_typed([](PrimExpr expr) {
  return NormalizeIterMapToExpr(expr);
});
TVM_REGISTER_GLOBAL("arith.IterMapSimplify")
    .set_body_typed([](Array<PrimExpr> indices, Map<Var, Range> input_iters, PrimExpr predicate, int check_level,
                       bool simplify_trivial_iterators) {
      Analyzer analyzer;
      return IterMapSimplify(indices, input_iters, predicate, CheckLevelFromInt(check_level), &analyzer,
                             simplify_trivial_iterators);
    });
TVM_REGISTER_GLOBAL("arith.SubspaceDivide")
    .set_body_typed([](Array<PrimExpr> bindings, Map<Var, Range> input_iters, Array<Var> sub_iters,
                       PrimExpr predicate, int check_level, bool simplify_trivial_iterators) {
      Analyzer analyzer;
      return SubspaceDivide(bindings, input_iters, sub_iters, predicate, CheckLevelFromInt(check_level), &analyzer,
                            simplify_trivial_iterators);
    });
TVM_REGISTER_GLOBAL("arith.InverseAffineIterMap")
    .set_body_typed([](Array<IterSumExpr> iter_map, Array<PrimExpr> outputs) {
      return InverseAffineIterMap(iter_map, outputs);
    });

}  // namespace arith
}  // namespace tvm
