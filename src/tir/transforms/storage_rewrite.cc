/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file storage_rewrite.cc
 * \brief StorageRewrite: plan the memory of the allocations of a function,
 *  letting allocations whose lifetimes do not overlap share storage, then
 *  give buffers that are only accessed as whole aligned vectors a vector
 *  element type.
 *
 * Assumes: buffers are physical (after StorageFlatten / FlattenBuffer):
 *  an Allocate's extents are its physical dimensions, accesses index them.
 *
 * Planning, in four steps:
 *  1. Eligibility. An allocation is planned when it can move to the top of
 *     its attach scope -- the function body, the outermost thread_extent or
 *     virtual_thread, or the outermost parallel loop -- : its extents use no
 *     variable defined inside that scope, its condition is true, its variable
 *     is allocated once, and it is not under a second parallel loop or
 *     virtual thread inside the scope (memory private to those threads).
 *     Other allocations stay where they are, unshared.
 *  2. Linear access pattern. Statements are numbered in program order; a
 *     loop, branch, let, assert or thread scope has a begin and an end point.
 *     An access is charged to the statement directly inside the allocation's
 *     own body that contains it, so an access inside a loop keeps the buffer
 *     alive for the whole loop.
 *  3. Liveness and assignment. A buffer is born at the first statement that
 *     touches it and dies after the last. Each newborn buffer takes a free
 *     storage entry of the same attach scope and storage scope (constant
 *     sizes: the closest size within a factor of 16, larger ones first;
 *     symbolic sizes: the first free one of the same element type), else a
 *     new entry. Buffers of local/warp scope, of handles or of at most 32 bits
 *     never share (registers do that better). A newborn buffer written as
 *     dst[idx] = f(src[idx]) by the statement where src dies reuses src in
 *     place, when every location of dst is written once there (the index is
 *     injective over the loops of the statement).
 *  4. Special memories (a tagged scope such as "local.L0A" or "global:tag")
 *     pack all their entries of one attach scope into one allocation, each
 *     entry at an offset aligned to the memory's max_simd_bits, and check the
 *     total against its max_num_bits (see target_info.h).
 *
 *   before:  A = alloc 8 f32; for i: A[i] = X[i]      after:  A = alloc 8 f32
 *            B = alloc 8 f32; for i: B[i] = A[i] + 1          for i: A[i] = X[i]
 *            C = alloc 8 f32; for i: C[i] = B[i] * 2          for i: A[i] = A[i] + 1   (B in place of A)
 *            for i: Y[i] = C[i] + B[0]                        ...
 *
 * Vector element types: a buffer allocated here whose every access is an
 * aligned unit-stride Ramp of the same width k (extent divisible by k) is
 * re-declared with k-lane elements (float32 -> float32x4) and its accesses
 * index whole elements; pointers bound by LetStmt are rewritten the same way.
 * Function parameters keep their types.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/arith/pattern.h>
#include <tvm/runtime/registry.h>
#include <tvm/target/target_info.h>
#include <tvm/tir/transform.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <list>
#include <map>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "../../arith/expr_equal.h"
#include "ir_utils.h"

namespace tvm {
namespace tir {
namespace {

// ----------------------------------------------------------------- storage scopes

/*! \brief How close to the processor a storage scope is; from kWarp on, memory is per thread. */
enum class StorageRank : int { kGlobal = 0, kShared = 1, kWarp = 2, kLocal = 3, kOther = 4 };

/*! \brief A storage scope string split into its rank and tag ("local.L0A" -> local, ".L0A"). */
struct StorageScope {
  StorageRank rank{StorageRank::kGlobal};
  std::string tag;
  std::string text;

  static StorageScope Of(const std::string& s) {
    StorageScope r;
    r.text = s.empty() ? "global" : s;
    auto starts = [&](const char* prefix) { return s.compare(0, std::strlen(prefix), prefix) == 0; };
    if (s.empty()) {
      r.rank = StorageRank::kGlobal;
    } else if (starts("global")) {
      r.rank = StorageRank::kGlobal;
      r.tag = s.substr(6);
    } else if (starts("shared")) {
      r.rank = StorageRank::kShared;
      r.tag = s.substr(6);
    } else if (starts("warp")) {
      r.rank = StorageRank::kWarp;
      r.tag = s.substr(4);
    } else if (starts("local")) {
      r.rank = StorageRank::kLocal;
      r.tag = s.substr(5);
    } else {
      // wmma fragments, textures, ...: opaque memories that are never shared.
      r.rank = StorageRank::kOther;
    }
    return r;
  }
  bool operator==(const StorageScope& o) const { return rank == o.rank && tag == o.tag && text == o.text; }
  bool operator!=(const StorageScope& o) const { return !(*this == o); }
  /*! \brief A tagged special memory: its buffers are packed into one allocation per attach scope. */
  bool IsSpecialTagged() const {
    return rank != StorageRank::kOther && !tag.empty() && tag != ".dyn" && tag != ".workspace" && tag != ".vtcm";
  }
  /*! \brief Per-thread memory (or opaque), which the code generator keeps in registers. */
  bool IsRegisterLike() const { return rank >= StorageRank::kWarp; }
};

/*! \brief `o` as a T, or nullptr. */
template <typename T>
const T* As(const Object* o) {
  return o != nullptr && o->IsInstance<T>() ? static_cast<const T*>(o) : nullptr;
}
inline const BufferNode* BufKey(const Buffer& b) { return b.operator->(); }

bool IsAttachAttr(const AttrStmtNode* op) {
  return op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread;
}

// ----------------------------------------------------------------- 1. eligibility

/*!
 * \brief Finds the allocations that may move to the top of their attach
 *  scope (see step 1 in the file comment), and each one's attach scope.
 */
class EligibilityFinder : public StmtExprVisitor {
 public:
  std::unordered_map<const VarNode*, const Object*> attach_of;
  std::unordered_set<const VarNode*> ineligible;

  void Run(const Stmt& body) {
    VisitStmt(body);
    for (const VarNode* v : ineligible) attach_of.erase(v);
  }

 protected:
  void VisitStmt_(const AttrStmtNode* op) final {
    bool is_attach = IsAttachAttr(op);
    if (is_attach && attach_ == nullptr && !in_attach_) {
      EnterAttach(op);
      if (const auto* iv = op->node.as<IterVarNode>()) allowed_.insert(iv->var.get());
      StmtExprVisitor::VisitStmt_(op);
      ExitAttach();
      return;
    }
    bool nested_private = op->attr_key == attr::virtual_thread && in_attach_;
    if (const auto* iv = op->node.as<IterVarNode>()) defined_.insert(iv->var.get());
    if (nested_private) ++private_depth_;
    StmtExprVisitor::VisitStmt_(op);
    if (nested_private) --private_depth_;
  }
  void VisitStmt_(const ForNode* op) final {
    if (op->kind == ForKind::kParallel && !in_attach_) {
      EnterAttach(op);
      defined_.insert(op->loop_var.get());
      StmtExprVisitor::VisitStmt_(op);
      ExitAttach();
      return;
    }
    defined_.insert(op->loop_var.get());
    bool nested_private = op->kind == ForKind::kParallel;
    if (nested_private) ++private_depth_;
    StmtExprVisitor::VisitStmt_(op);
    if (nested_private) --private_depth_;
  }
  void VisitStmt_(const LetStmtNode* op) final {
    defined_.insert(op->var.get());
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitExpr_(const LetNode* op) final {
    defined_.insert(op->var.get());
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const AllocateNode* op) final {
    const VarNode* v = op->buffer_var.get();
    bool ok = private_depth_ == 0 && is_one(op->condition) && !attach_of.count(v) && !ineligible.count(v);
    for (const PrimExpr& e : op->extents) {
      bool has_load = false;
      PostOrderVisit(e, [&](const ObjectRef& n) { has_load = has_load || n->IsInstance<BufferLoadNode>(); });
      ok = ok && !has_load && !UsesVar(e, [&](const VarNode* u) { return defined_.count(u) && !allowed_.count(u); });
    }
    // A variable allocated twice (copies made by LoopPartition) keeps all its copies in place.
    if (attach_of.count(v) || !ok) {
      ineligible.insert(v);
    } else {
      attach_of[v] = attach_;
    }
    defined_.insert(v);
    StmtExprVisitor::VisitStmt_(op);
  }

 private:
  void EnterAttach(const Object* op) {
    saved_ = {attach_, defined_, allowed_};
    attach_ = op;
    in_attach_ = true;
    defined_.clear();
    allowed_.clear();
  }
  void ExitAttach() {
    attach_ = std::get<0>(saved_);
    defined_ = std::get<1>(saved_);
    allowed_ = std::get<2>(saved_);
    in_attach_ = false;
  }

  const Object* attach_{nullptr};
  bool in_attach_{false};
  int private_depth_{0};
  /*! \brief Variables defined inside the current attach scope (an allocation's size may not use them). */
  std::unordered_set<const VarNode*> defined_;
  /*! \brief The attach scope's own thread variable: defined at its top, usable in sizes. */
  std::unordered_set<const VarNode*> allowed_;
  std::tuple<const Object*, std::unordered_set<const VarNode*>, std::unordered_set<const VarNode*>> saved_;
};

// ----------------------------------------------------------------- 2. linear access pattern

/*! \brief One point of the linearised program: a leaf statement, or the begin/end of a scope. */
struct StmtEntry {
  const Object* stmt{nullptr};
  /*! \brief > 0: a scope's begin, its end is this far ahead; < 0: a scope's end; 0: a leaf. */
  int64_t scope_pair_offset{0};
  /*! \brief Planned buffers accessed by this statement (charged at the end point of a scope). */
  std::vector<const VarNode*> touched;
};

struct AllocEntry {
  const AllocateNode* alloc{nullptr};
  /*! \brief Depth of the scope stack at the allocation: accesses are charged to that entry. */
  size_t level{0};
  const Object* attach_scope{nullptr};
};

class LinearAccessPatternFinder : public StmtExprVisitor {
 public:
  explicit LinearAccessPatternFinder(const std::unordered_map<const VarNode*, const Object*>& attach_of)
      : attach_of_(attach_of) {}

  std::vector<StmtEntry> linear_seq;
  std::unordered_map<const VarNode*, AllocEntry> alloc_info;
  std::unordered_set<const BufferNode*> buffers_accessed;
  /*! \brief Planned buffers touched outside of any statement of their allocation's body. */
  std::unordered_set<const VarNode*> unchargeable;

 protected:
  void VisitStmt_(const AllocateNode* op) final {
    auto it = attach_of_.find(op->buffer_var.get());
    if (it != attach_of_.end()) {
      alloc_info[op->buffer_var.get()] = AllocEntry{op, scope_.size(), it->second};
    }
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const BufferStoreNode* op) final {
    scope_.push_back(StmtEntry());
    StmtExprVisitor::VisitStmt_(op);
    buffers_accessed.insert(BufKey(op->buffer));
    Touch(op->buffer->data.get());
    PopLeaf(op);
  }
  void VisitExpr_(const BufferLoadNode* op) final {
    StmtExprVisitor::VisitExpr_(op);
    buffers_accessed.insert(BufKey(op->buffer));
    Touch(op->buffer->data.get());
  }
  void VisitStmt_(const EvaluateNode* op) final {
    scope_.push_back(StmtEntry());
    StmtExprVisitor::VisitStmt_(op);
    PopLeaf(op);
  }
  void VisitExpr_(const VarNode* op) final { Touch(op); }

  void VisitStmt_(const AttrStmtNode* op) final {
    const auto* node_var = op->node.as<VarNode>();
    if (op->attr_key == attr::thread_extent && !in_thread_env_) {
      in_thread_env_ = true;
      VisitNewScope(op);
      in_thread_env_ = false;
    } else if (op->attr_key == attr::extern_scope || op->attr_key == attr::virtual_thread ||
               (node_var != nullptr && alloc_info.count(node_var))) {
      // An attribute naming a planned buffer (volatile_scope, ...) keeps it alive too.
      VisitNewScope(op);
    } else {
      StmtExprVisitor::VisitStmt_(op);
    }
  }
  void VisitStmt_(const IfThenElseNode* op) final { VisitNewScope(op); }
  void VisitStmt_(const ForNode* op) final { VisitNewScope(op); }
  void VisitStmt_(const WhileNode* op) final { VisitNewScope(op); }
  void VisitStmt_(const AssertStmtNode* op) final { VisitNewScope(op); }
  void VisitStmt_(const LetStmtNode* op) final { VisitNewScope(op); }

 private:
  void Touch(const VarNode* v) {
    auto it = alloc_info.find(v);
    if (it == alloc_info.end()) return;
    if (it->second.level >= scope_.size()) {
      unchargeable.insert(v);
      return;
    }
    scope_[it->second.level].touched.push_back(v);
  }
  void PopLeaf(const Object* op) {
    StmtEntry e = std::move(scope_.back());
    scope_.pop_back();
    if (!e.touched.empty()) {
      e.stmt = op;
      linear_seq.push_back(std::move(e));
    }
  }
  template <typename T>
  void VisitNewScope(const T* op) {
    scope_.push_back(StmtEntry());
    StmtEntry e;
    e.stmt = op;
    int64_t begin = static_cast<int64_t>(linear_seq.size());
    linear_seq.push_back(e);
    if (const auto* a = As<AttrStmtNode>(op)) {
      if (const auto* v = a->node.template as<VarNode>()) Touch(v);
    }
    StmtExprVisitor::VisitStmt_(op);
    e.touched = std::move(scope_.back().touched);
    scope_.pop_back();
    int64_t end = static_cast<int64_t>(linear_seq.size());
    e.scope_pair_offset = begin - end;
    linear_seq.push_back(e);
    linear_seq[begin].scope_pair_offset = end - begin;
  }

  const std::unordered_map<const VarNode*, const Object*>& attach_of_;
  bool in_thread_env_{false};
  std::vector<StmtEntry> scope_;
};

// ----------------------------------------------------------------- in-place check

/*!
 * \brief Whether `stmt` computes dst[idx] = f(src[idx]) so that dst may live
 *  in src's storage: src is read only inside the one store to dst, at that
 *  store's index and dtype, dst is never read, neither buffer is used
 *  opaquely or under an index load, no extern/volatile code, and the store's
 *  index is injective over the loops of `stmt` (each location written once,
 *  so no later iteration reads a src location an earlier one overwrote).
 */
class InplaceOpVerifier : public StmtExprVisitor {
 public:
  using StmtExprVisitor::VisitExpr_;
  using StmtExprVisitor::VisitStmt_;

  bool Check(const Object* stmt, const VarNode* dst, const VarNode* src) {
    dst_ = dst;
    src_ = src;
    result_ = true;
    if (const auto* op = As<AttrStmtNode>(stmt)) {
      VisitStmt_(op);
    } else if (const auto* op = As<ForNode>(stmt)) {
      VisitStmt_(op);
    } else if (const auto* op = As<IfThenElseNode>(stmt)) {
      VisitStmt_(op);
    } else if (const auto* op = As<WhileNode>(stmt)) {
      VisitStmt_(op);
    } else if (const auto* op = As<BufferStoreNode>(stmt)) {
      VisitStmt_(op);
    } else {
      return false;
    }
    return result_ && num_dst_stores_ == 1 && StoreIndexInjective();
  }

 protected:
  void VisitStmt(const Stmt& n) final {
    if (result_) StmtExprVisitor::VisitStmt(n);
  }
  void VisitExpr(const PrimExpr& n) final {
    if (result_) StmtExprVisitor::VisitExpr(n);
  }
  void VisitExpr_(const VarNode* op) final {
    // An opaque use (a pointer passed to a call) may read or write anything.
    if (op == dst_ || op == src_) result_ = false;
  }
  void VisitStmt_(const ForNode* op) final {
    loops_.push_back(op);
    StmtExprVisitor::VisitStmt_(op);
    loops_.pop_back();
  }
  void VisitStmt_(const WhileNode* op) final {
    ++in_while_;
    StmtExprVisitor::VisitStmt_(op);
    --in_while_;
  }
  void VisitStmt_(const LetStmtNode* op) final {
    local_defs_.insert(op->var.get());
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitExpr_(const LetNode* op) final {
    local_defs_.insert(op->var.get());
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const AttrStmtNode* op) final {
    if (op->attr_key == attr::extern_scope || op->attr_key == attr::volatile_scope) {
      result_ = false;
      return;
    }
    if (const auto* iv = op->node.as<IterVarNode>()) local_defs_.insert(iv->var.get());
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitStmt_(const BufferStoreNode* op) final {
    ++mem_nest_;
    for (const PrimExpr& index : op->indices) VisitExpr(index);
    --mem_nest_;
    if (op->buffer->data.get() == dst_) {
      ++num_dst_stores_;
      if (in_while_ != 0) result_ = false;
      store_ = op;
      dst_store_ = op;
      dst_store_loops_ = loops_;
      VisitExpr(op->value);
      store_ = nullptr;
    } else {
      VisitExpr(op->value);
    }
  }
  void VisitExpr_(const BufferLoadNode* op) final {
    const VarNode* buf = op->buffer->data.get();
    if (buf == dst_ || mem_nest_ != 0) {
      result_ = false;
      return;
    }
    if (buf == src_) {
      if (store_ == nullptr || store_->value.dtype() != op->dtype || store_->indices.size() != op->indices.size()) {
        result_ = false;
        return;
      }
      for (size_t i = 0; i < op->indices.size(); ++i) {
        if (!arith::ExprDeepEqual(store_->indices[i], op->indices[i])) {
          result_ = false;
          return;
        }
      }
    }
    ++mem_nest_;
    StmtExprVisitor::VisitExpr_(op);
    --mem_nest_;
  }

 private:
  /*!
   * \brief Whether distinct iterations of the loops around the store write
   *  distinct locations. The index (several physical indices are combined
   *  with the buffer's shape as radix, assuming in-bounds accesses) must be
   *  affine in the loop variables; sorted by coefficient, each coefficient
   *  must exceed the span of the smaller terms (a mixed-radix number).
   */
  bool StoreIndexInjective() {
    const BufferStoreNode* store = dst_store_;
    if (store == nullptr) return false;
    const Buffer& buf = store->buffer;
    PrimExpr index;
    if (store->indices.size() == 1) {
      index = store->indices[0];
    } else {
      if (buf->shape.size() != store->indices.size()) return false;
      DataType t = store->indices[0].dtype();
      index = make_const(t, 0);
      for (size_t i = 0; i < store->indices.size(); ++i) {
        PrimExpr extent = buf->shape[i].dtype() == t ? buf->shape[i] : cast(t, buf->shape[i]);
        PrimExpr idx = store->indices[i].dtype() == t ? store->indices[i] : cast(t, store->indices[i]);
        index = add(mul(index, extent), idx);
      }
    }
    arith::Analyzer ana;
    struct Term {
      PrimExpr coeff;
      PrimExpr extent;
    };
    std::vector<Term> terms;
    if (const auto* ramp = index.as<RampNode>()) {
      terms.push_back({ramp->stride, make_const(ramp->base.dtype(), ramp->lanes)});
      index = ramp->base;
    }
    if (index.dtype().lanes() != 1) return false;
    if (UsesVar(index, [&](const VarNode* v) { return local_defs_.count(v) != 0; })) return false;
    Array<Var> vars;
    for (const ForNode* loop : dst_store_loops_) {
      vars.push_back(loop->loop_var);
      // Iterations happen only when the loop runs at least once.
      ana.Bind(loop->loop_var, Range::FromMinExtent(loop->min, loop->extent));
    }
    Array<PrimExpr> coeffs = arith::DetectLinearEquation(index, vars);
    if (coeffs.size() != vars.size() + 1) return false;
    for (size_t i = 0; i < dst_store_loops_.size(); ++i) {
      terms.push_back({coeffs[i], dst_store_loops_[i]->extent});
    }
    DataType t = index.dtype();
    auto as_t = [&](const PrimExpr& e) { return e.dtype() == t ? e : cast(t, e); };
    // Iterations happen only when every loop runs at least once.
    std::vector<std::unique_ptr<With<arith::ConstraintContext>>> facts;
    for (const ForNode* loop : dst_store_loops_) {
      facts.push_back(std::make_unique<With<arith::ConstraintContext>>(&ana, as_t(loop->extent) >= make_const(t, 1)));
    }
    // Terms of a loop that runs once do not matter.
    std::vector<Term> pending;
    for (const Term& term : terms) {
      if (!ana.CanProve(as_t(term.extent) <= make_const(t, 1))) pending.push_back({as_t(term.coeff), as_t(term.extent)});
    }
    PrimExpr span = make_const(t, 0);
    while (!pending.empty()) {
      bool progressed = false;
      for (size_t k = 0; k < pending.size(); ++k) {
        const PrimExpr& c = pending[k].coeff;
        if (!ana.CanProve(c > span)) continue;
        bool smallest = true;
        for (size_t m = 0; m < pending.size() && smallest; ++m) {
          if (m != k) smallest = ana.CanProve(pending[m].coeff >= c);
        }
        if (!smallest) continue;
        span = ana.Simplify(add(span, mul(c, sub(pending[k].extent, make_const(t, 1)))));
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(k));
        progressed = true;
        break;
      }
      if (!progressed) return false;
    }
    return true;
  }

  bool result_{true};
  const VarNode* dst_{nullptr};
  const VarNode* src_{nullptr};
  int mem_nest_{0};
  int in_while_{0};
  int num_dst_stores_{0};
  const BufferStoreNode* store_{nullptr};
  const BufferStoreNode* dst_store_{nullptr};
  std::vector<const ForNode*> loops_;
  std::vector<const ForNode*> dst_store_loops_;
  std::unordered_set<const VarNode*> local_defs_;
};


// ----------------------------------------------------------------- 3./4. planning and rewriting

class StoragePlanRewriter : public StmtExprMutator {
 public:
  Stmt Rewrite(const Stmt& body) {
    EligibilityFinder eligibility;
    eligibility.Run(body);
    std::unordered_map<const VarNode*, const Object*> attach_of = eligibility.attach_of;
    // A planned buffer touched where no statement of its body can carry the
    // touch (an expression of the Allocate's own statement) stays unplanned.
    std::unique_ptr<LinearAccessPatternFinder> finder;
    while (true) {
      finder = std::make_unique<LinearAccessPatternFinder>(attach_of);
      (*finder)(body);
      if (finder->unchargeable.empty()) break;
      for (const VarNode* v : finder->unchargeable) attach_of.erase(v);
    }
    planned_ = attach_of;
    LivenessAnalysis(finder->linear_seq);
    PlanMemory(finder->linear_seq, finder->alloc_info);
    buffers_accessed_ = finder->buffers_accessed;
    PrepareNewAlloc();
    Stmt out = VisitStmt(body);
    auto it = attach_map_.find(nullptr);
    if (it != attach_map_.end()) out = MakeAttach(it->second, out);
    return out;
  }

 protected:
  Stmt VisitStmt_(const BufferStoreNode* op) final {
    auto node = Downcast<BufferStore>(StmtExprMutator::VisitStmt_(op));
    auto it = alloc_map_.find(node->buffer->data.get());
    if (it == alloc_map_.end()) return std::move(node);
    return BufferStore(RemapBuffer(node->buffer, it->second->alloc_var), node->value,
                       RemapIndices(node->buffer->dtype, node->indices, it->second));
  }
  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    auto node = Downcast<BufferLoad>(StmtExprMutator::VisitExpr_(op));
    auto it = alloc_map_.find(node->buffer->data.get());
    if (it == alloc_map_.end()) return std::move(node);
    return BufferLoad(RemapBuffer(node->buffer, it->second->alloc_var),
                      RemapIndices(node->buffer->dtype, node->indices, it->second));
  }
  PrimExpr VisitExpr_(const VarNode* op) final {
    auto it = alloc_map_.find(op);
    if (it == alloc_map_.end()) return GetRef<PrimExpr>(op);
    TVM_CHECK(it->second->bits_offset == 0, "ValueError")
        << "StorageRewrite: buffer " << op->name_hint << " was packed at an offset into "
        << it->second->alloc_var->name_hint << " but its address is used directly; use tvm_access_ptr";
    return it->second->alloc_var;
  }
  PrimExpr VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::tvm_access_ptr()) && op->args.size() == 5) {
      const auto* buffer = op->args[1].as<VarNode>();
      auto it = alloc_map_.find(buffer);
      if (it != alloc_map_.end()) {
        const StorageEntry* se = it->second;
        DataType dtype = op->args[0].dtype();
        PrimExpr offset = VisitExpr(op->args[2]);
        PrimExpr extent = VisitExpr(op->args[3]);
        uint64_t elem_bits = static_cast<uint64_t>(dtype.bits()) * dtype.lanes();
        if (se->bits_offset != 0) {
          TVM_CHECK(se->bits_offset % elem_bits == 0, "InternalError")
              << "packed offset of " << buffer->name_hint << " is not a whole number of elements";
          offset = add(make_const(offset.dtype(), static_cast<int64_t>(se->bits_offset / elem_bits)), offset);
        }
        return Call(op->dtype, op->op, {op->args[0], se->alloc_var, offset, extent, op->args[4]});
      }
    }
    return StmtExprMutator::VisitExpr_(op);
  }
  Stmt VisitStmt_(const AttrStmtNode* op) final {
    auto ait = attach_map_.find(op);
    if (ait != attach_map_.end()) {
      Stmt stmt = StmtExprMutator::VisitStmt_(op);
      op = stmt.as<AttrStmtNode>();
      return AttrStmt(op->node, op->attr_key, op->value, MakeAttach(ait->second, op->body));
    }
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    if (const auto* v = op->node.as<VarNode>()) {
      auto it = alloc_map_.find(v);
      if (it != alloc_map_.end()) {
        const auto* a = stmt.as<AttrStmtNode>();
        return AttrStmt(it->second->alloc_var, a->attr_key, a->value, a->body);
      }
    }
    return stmt;
  }
  Stmt VisitStmt_(const ForNode* op) final {
    auto ait = attach_map_.find(op);
    if (ait == attach_map_.end()) return StmtExprMutator::VisitStmt_(op);
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    auto n = make_object<ForNode>(*stmt.as<ForNode>());
    n->body = MakeAttach(ait->second, n->body);
    return Stmt(ObjectPtr<Object>(std::move(n)));
  }
  Stmt VisitStmt_(const AllocateNode* op) final {
    // Planned allocations are re-made at their attach scope (or dropped when unused).
    if (planned_.count(op->buffer_var.get())) return VisitStmt(op->body);
    return StmtExprMutator::VisitStmt_(op);
  }
  Stmt VisitStmt_(const DeclBufferNode* op) final {
    bool planned = planned_.count(op->buffer->data.get()) != 0;
    if (hoisted_decls_.count(BufKey(op->buffer)) || (planned && !buffers_accessed_.count(BufKey(op->buffer)))) {
      return VisitStmt(op->body);
    }
    auto node = Downcast<DeclBuffer>(StmtExprMutator::VisitStmt_(op));
    auto it = alloc_map_.find(op->buffer->data.get());
    if (it != alloc_map_.end()) return DeclBuffer(RemapBuffer(op->buffer, it->second->alloc_var), node->body);
    return std::move(node);
  }

 private:
  struct StorageEntry {
    /*! \brief The attach scope (thread_extent, virtual_thread, parallel For), or nullptr for the function body. */
    const Object* attach_scope{nullptr};
    /*! \brief The size in bits when constant, else 0. */
    uint64_t const_nbits{0};
    StorageScope scope;
    /*! \brief The allocations sharing this entry, first one first. */
    std::vector<const AllocateNode*> allocs;
    /*! \brief Entries of the same special memory packed after this one. */
    std::vector<StorageEntry*> merged_children;
    /*! \brief The Allocate (and hoisted DeclBuffer) to emit, with empty bodies. */
    std::vector<Stmt> alloc_nest;
    Var alloc_var;
    DataType elem_type;
    /*! \brief Offset in bits inside the parent's allocation when packed into a special memory. */
    uint64_t bits_offset{0};
  };
  struct EventEntry {
    std::vector<const VarNode*> gen;
    std::vector<const VarNode*> kill;
  };

  Stmt MakeAttach(const std::vector<StorageEntry*>& entries, Stmt body) {
    for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
      const std::vector<Stmt>& nest = (*it)->alloc_nest;
      for (auto s = nest.rbegin(); s != nest.rend(); ++s) {
        if (const auto* a = s->as<AllocateNode>()) {
          body = Allocate(a->buffer_var, a->dtype, a->extents, a->condition, body, a->annotations);
        } else if (const auto* d = s->as<DeclBufferNode>()) {
          body = DeclBuffer(d->buffer, body);
        }
      }
    }
    return body;
  }

  Buffer RemapBuffer(const Buffer& buf, const Var& backing) {
    auto it = buffer_remap_.find(BufKey(buf));
    if (it != buffer_remap_.end()) return it->second;
    Buffer out = buf;
    if (!buf->data.same_as(backing)) out.CopyOnWrite()->data = backing;
    buffer_remap_[BufKey(buf)] = out;
    return out;
  }

  Array<PrimExpr> RemapIndices(DataType dtype, Array<PrimExpr> indices, const StorageEntry* e) {
    if (e->bits_offset == 0 || indices.empty()) return indices;
    uint64_t elem_bits = static_cast<uint64_t>(dtype.bits()) * dtype.lanes();
    TVM_CHECK(e->bits_offset % elem_bits == 0, "InternalError")
        << "packed offset " << e->bits_offset << " bits is not a whole number of " << dtype << " elements";
    PrimExpr last = indices[indices.size() - 1];
    DataType idx = last.dtype().element_of();
    PrimExpr off = make_const(idx, static_cast<int64_t>(e->bits_offset / elem_bits));
    if (last.dtype().lanes() > 1) off = Broadcast(off, last.dtype().lanes());
    indices.Set(indices.size() - 1, add(off, last));
    return indices;
  }

  void CheckCapacity(const StorageEntry* e, uint64_t total_bits) {
    if (!e->scope.IsSpecialTagged()) return;
    MemoryInfo info = GetMemoryInfo(e->scope.text);
    if (!info.defined()) return;
    TVM_CHECK(total_bits <= static_cast<uint64_t>(info->max_num_bits), "ValueError")
        << "Allocation exceed bound of memory tag " << e->scope.text << ": " << total_bits << " bits planned, "
        << info->max_num_bits << " available";
  }

  void PrepareNewAlloc() {
    for (const auto& entry : alloc_vec_) attach_map_[entry->attach_scope].push_back(entry.get());
    for (auto& kv : attach_map_) {
      std::vector<StorageEntry*>& vec = kv.second;
      // Entries of one special memory are packed into the first one (the root); the
      // root's NewAllocTagMerged gives each child its non-zero offset before the
      // loop below reaches the child.
      for (size_t i = 0; i < vec.size(); ++i) {
        StorageEntry* e = vec[i];
        if (!e->scope.IsSpecialTagged() || e->const_nbits == 0) continue;
        for (size_t j = 0; j < i; ++j) {
          if (vec[j]->scope == e->scope && vec[j]->const_nbits != 0) {
            vec[j]->merged_children.push_back(e);
            break;
          }
        }
      }
      for (StorageEntry* e : vec) {
        if (e->bits_offset != 0) continue;
        if (!e->merged_children.empty()) {
          NewAllocTagMerged(e);
          continue;
        }
        e->alloc_var = e->allocs[0]->buffer_var;
        DataType alloc_type = e->allocs[0]->dtype;
        for (const AllocateNode* op : e->allocs) {
          if (op->dtype.lanes() > alloc_type.lanes()) alloc_type = op->dtype;
        }
        const AllocateNode* first = e->allocs[0];
        bool identical = std::all_of(e->allocs.begin() + 1, e->allocs.end(), [&](const AllocateNode* op) {
          if (op->dtype != first->dtype || op->extents.size() != first->extents.size()) return false;
          for (size_t i = 0; i < op->extents.size(); ++i) {
            if (!arith::ExprDeepEqual(op->extents[i], first->extents[i])) return false;
          }
          return true;
        });
        if (identical) {
          e->alloc_nest.push_back(
              Allocate(e->alloc_var, alloc_type, first->extents, first->condition, Evaluate(0), first->annotations));
          if (const auto* decl = first->body.as<DeclBufferNode>()) {
            e->alloc_nest.push_back(DeclBuffer(RemapBuffer(decl->buffer, e->alloc_var), Evaluate(0)));
            hoisted_decls_.insert(BufKey(decl->buffer));
          }
        } else {
          // The largest of the allocations, in bits, as whole elements of the allocated type.
          PrimExpr combo;
          for (const AllocateNode* op : e->allocs) {
            TVM_CHECK(op->extents.size() == 1, "InternalError")
                << "StorageRewrite: " << op->buffer_var->name_hint << " has " << op->extents.size()
                << " physical dimensions; only flat allocations share storage";
            PrimExpr sz = op->extents[0];
            int64_t nbits = op->dtype.bits() * op->dtype.lanes();
            if (const auto* imm = sz.as<IntImmNode>()) {
              if (imm->value > std::numeric_limits<int32_t>::max() / nbits) sz = make_const(DataType::Int(64), imm->value);
            }
            PrimExpr sz_bits = mul(sz, make_const(sz.dtype(), nbits));
            combo = combo.defined() ? max(combo, sz_bits) : sz_bits;
          }
          int64_t type_bits = alloc_type.bits() * alloc_type.lanes();
          PrimExpr tb = make_const(combo.dtype(), type_bits);
          bool divided = analyzer_.CanProve(floormod(combo, tb) == 0);
          combo = floordiv(combo, tb);
          if (!divided) combo = add(combo, make_const(combo.dtype(), 1));
          combo = analyzer_.Simplify(combo);
          e->alloc_nest.push_back(
              Allocate(e->alloc_var, alloc_type, {combo}, const_true(), Evaluate(0), first->annotations));
        }
        if (e->const_nbits != 0) CheckCapacity(e, e->const_nbits);
      }
    }
  }

  void NewAllocTagMerged(StorageEntry* e) {
    MemoryInfo info = GetMemoryInfo(e->scope.text);
    uint64_t align = info.defined() && info->max_simd_bits > 0 ? static_cast<uint64_t>(info->max_simd_bits) : 32;
    auto round_up = [&](uint64_t bits) { return bits % align == 0 ? bits : bits + align - bits % align; };
    uint64_t total_bits = round_up(e->const_nbits);
    e->alloc_var = e->allocs[0]->buffer_var;
    for (StorageEntry* child : e->merged_children) {
      child->bits_offset = total_bits;
      child->alloc_var = e->alloc_var;
      total_bits = round_up(total_bits + child->const_nbits);
    }
    uint64_t type_bits = static_cast<uint64_t>(e->elem_type.bits()) * e->elem_type.lanes();
    PrimExpr size = make_const(e->allocs[0]->extents[0].dtype(), static_cast<int64_t>((total_bits + type_bits - 1) / type_bits));
    e->alloc_nest.push_back(Allocate(e->alloc_var, e->elem_type, {size}, const_true(), Evaluate(0)));
    CheckCapacity(e, total_bits);
  }

  /*! \brief Birth (first statement touching a buffer) and death (last one) points, at the buffer's level. */
  void LivenessAnalysis(const std::vector<StmtEntry>& seq) {
    std::unordered_set<const VarNode*> touched;
    for (size_t i = seq.size(); i != 0; --i) {
      const StmtEntry& s = seq[i - 1];
      for (const VarNode* buffer : s.touched) {
        if (touched.insert(buffer).second) event_map_[s.stmt].kill.push_back(buffer);
      }
    }
    touched.clear();
    for (size_t i = 0; i < seq.size(); ++i) {
      int64_t offset = seq[i].scope_pair_offset;
      if (offset < 0) continue;
      const StmtEntry& s = seq[i + offset];
      for (const VarNode* buffer : s.touched) {
        if (touched.insert(buffer).second) event_map_[s.stmt].gen.push_back(buffer);
      }
    }
  }

  void PlanNewScope(const Object* op) {
    if (thread_scope_ != nullptr) {
      // Leaving the attach scope: its free entries cannot serve anything outside it.
      for (auto it = const_free_map_.begin(); it != const_free_map_.end();) {
        it = it->second->attach_scope == op ? const_free_map_.erase(it) : std::next(it);
      }
      for (auto it = sym_free_list_.begin(); it != sym_free_list_.end();) {
        it = (*it)->attach_scope == op ? sym_free_list_.erase(it) : std::next(it);
      }
      thread_scope_ = nullptr;
    } else {
      thread_scope_ = op;
    }
  }

  void PlanMemory(const std::vector<StmtEntry>& seq, const std::unordered_map<const VarNode*, AllocEntry>& alloc_info) {
    std::unordered_set<const VarNode*> inplace_flag;
    for (size_t i = 0; i < seq.size(); ++i) {
      const StmtEntry& s = seq[i];
      auto it = event_map_.find(s.stmt);
      // A leaf or a scope's begin: buffers born here get storage.
      if (it != event_map_.end() && s.scope_pair_offset >= 0) {
        bool detect_inplace = it->second.gen.size() <= 2;
        for (const VarNode* var : it->second.gen) {
          const AllocEntry& entry = alloc_info.at(var);
          const AllocateNode* alloc = entry.alloc;
          StorageScope scope = StorageScope::Of(ScopeOfVar(GetRef<Var>(var)));
          StorageEntry* dst = nullptr;
          if (detect_inplace) {
            for (const VarNode* src : it->second.kill) {
              if (dst != nullptr) break;
              if (inplace_flag.count(src) || !alloc_map_.count(src)) continue;
              StorageEntry* src_entry = alloc_map_.at(src);
              if (src_entry->scope != scope || src_entry->attach_scope != entry.attach_scope ||
                  src_entry->elem_type != alloc->dtype.element_of() || src_entry->bits_offset != 0) {
                continue;
              }
              uint64_t const_nbits = static_cast<uint64_t>(alloc->ConstantAllocationSize()) * alloc->dtype.bits() *
                                     alloc->dtype.lanes();
              if (src_entry->const_nbits != const_nbits) continue;
              // Symbolic sizes: every buffer of the entry must have dst's very extents.
              if (const_nbits == 0 && !std::all_of(src_entry->allocs.begin(), src_entry->allocs.end(),
                                                   [&](const AllocateNode* a) { return SameShape(a, alloc); })) {
                continue;
              }
              InplaceOpVerifier verifier;
              if (verifier.Check(s.stmt, var, src)) {
                dst = src_entry;
                inplace_flag.insert(src);
              }
            }
          }
          if (dst == nullptr) dst = FindAlloc(alloc, entry.attach_scope, scope);
          dst->allocs.push_back(alloc);
          alloc_map_[var] = dst;
        }
      }
      if (const auto* op = As<AttrStmtNode>(s.stmt)) {
        if (IsAttachAttr(op)) PlanNewScope(op);
      } else if (const auto* op = As<ForNode>(s.stmt)) {
        if (op->kind == ForKind::kParallel && (thread_scope_ == nullptr || thread_scope_ == op)) PlanNewScope(op);
      }
      // A leaf or a scope's end: buffers dying here free their storage.
      if (it != event_map_.end() && s.scope_pair_offset <= 0) {
        for (const VarNode* var : it->second.kill) {
          if (!inplace_flag.count(var)) Free(var);
        }
      }
    }
  }

  static bool SameShape(const AllocateNode* a, const AllocateNode* b) {
    if (a->dtype != b->dtype || a->extents.size() != b->extents.size()) return false;
    for (size_t i = 0; i < a->extents.size(); ++i) {
      if (!arith::ExprDeepEqual(a->extents[i], b->extents[i])) return false;
    }
    return true;
  }

  StorageEntry* NewAlloc(const AllocateNode* op, const Object* attach_scope, const StorageScope& scope,
                         uint64_t const_nbits) {
    auto entry = std::make_unique<StorageEntry>();
    entry->attach_scope = attach_scope;
    entry->scope = scope;
    entry->elem_type = op->dtype.element_of();
    entry->const_nbits = const_nbits;
    StorageEntry* e = entry.get();
    alloc_vec_.push_back(std::move(entry));
    return e;
  }

  /*! \brief Buffers that never share: registers, handles, tiny arrays, non-flat memory. */
  static bool NeverShared(const StorageScope& scope, DataType dtype, uint64_t const_nbits) {
    if (scope.rank == StorageRank::kOther) return true;
    if (!scope.tag.empty()) return false;
    return scope.IsRegisterLike() || dtype.is_handle() || (const_nbits > 0 && const_nbits <= 32);
  }

  StorageEntry* FindAlloc(const AllocateNode* op, const Object* attach_scope, const StorageScope& scope) {
    const uint64_t match_range = 16;
    uint64_t op_elem_bits = static_cast<uint64_t>(op->dtype.bits()) * op->dtype.lanes();
    uint64_t const_nbits = static_cast<uint64_t>(op->ConstantAllocationSize()) * op_elem_bits;
    if (NeverShared(scope, op->dtype, const_nbits) || op->extents.size() != 1) {
      return NewAlloc(op, attach_scope, scope, const_nbits);
    }
    if (const_nbits != 0) {
      auto begin = const_free_map_.lower_bound(const_nbits / match_range);
      auto mid = const_free_map_.lower_bound(const_nbits);
      auto end = const_free_map_.upper_bound(const_nbits * match_range);
      // Larger free entries first (no growth), then smaller ones of the same element type.
      for (auto it = mid; it != end; ++it) {
        StorageEntry* e = it->second;
        if (e->attach_scope != attach_scope || e->scope != scope || e->bits_offset % op_elem_bits != 0) continue;
        e->const_nbits = std::max(const_nbits, e->const_nbits);
        const_free_map_.erase(it);
        return e;
      }
      for (auto it = mid; it != begin;) {
        --it;
        StorageEntry* e = it->second;
        if (e->attach_scope != attach_scope || e->scope != scope || e->elem_type != op->dtype.element_of()) continue;
        e->const_nbits = std::max(const_nbits, e->const_nbits);
        const_free_map_.erase(it);
        return e;
      }
    } else {
      for (auto it = sym_free_list_.begin(); it != sym_free_list_.end(); ++it) {
        StorageEntry* e = *it;
        if (e->attach_scope != attach_scope || e->scope != scope || e->elem_type != op->dtype.element_of()) continue;
        sym_free_list_.erase(it);
        return e;
      }
    }
    return NewAlloc(op, attach_scope, scope, const_nbits);
  }

  void Free(const VarNode* var) {
    auto it = alloc_map_.find(var);
    if (it == alloc_map_.end()) return;
    StorageEntry* e = it->second;
    const AllocateNode* first = e->allocs[0];
    if (NeverShared(e->scope, first->dtype, e->const_nbits) || first->extents.size() != 1) return;
    if (e->const_nbits != 0) {
      const_free_map_.insert({e->const_nbits, e});
    } else {
      sym_free_list_.push_back(e);
    }
  }

  std::unordered_map<const VarNode*, const Object*> planned_;
  const Object* thread_scope_{nullptr};
  std::unordered_map<const Object*, EventEntry> event_map_;
  std::multimap<uint64_t, StorageEntry*> const_free_map_;
  std::list<StorageEntry*> sym_free_list_;
  std::unordered_map<const Object*, std::vector<StorageEntry*>> attach_map_;
  std::unordered_map<const VarNode*, StorageEntry*> alloc_map_;
  std::vector<std::unique_ptr<StorageEntry>> alloc_vec_;
  std::unordered_map<const BufferNode*, Buffer> buffer_remap_;
  std::unordered_set<const BufferNode*> hoisted_decls_;
  std::unordered_set<const BufferNode*> buffers_accessed_;
  arith::Analyzer analyzer_;
};

// ----------------------------------------------------------------- vector element types

/*! \brief How a pointer variable is declared and accessed. */
struct BufferVarInfo {
  enum Location : int { kParam = 1, kBufferMapParam = 2, kAllocate = 4, kLet = 8 };
  Var var;
  DataType element_dtype;
  /*! \brief The extent of the last dimension, or 0 when unknown. */
  PrimExpr extent;
  Location location;
  /*! \brief The dtypes the buffer is accessed as (lanes: a whole aligned vector, or the element's). */
  std::vector<DataType> access_dtype;
  void AddAccess(DataType t) {
    if (std::find(access_dtype.begin(), access_dtype.end(), t) == access_dtype.end()) access_dtype.push_back(t);
  }
  /*! \brief Declared more than once (copies of a partitioned loop), or boolean: left alone. */
  bool ambiguous{false};

  DataType PreferredDtype() const {
    if (ambiguous || access_dtype.empty()) return element_dtype;
    std::vector<DataType> bases;
    for (DataType t : access_dtype) {
      if (std::find(bases.begin(), bases.end(), t.element_of()) == bases.end()) bases.push_back(t.element_of());
    }
    // Accessed as several element types: a cast at each access is the code generator's job.
    if (bases.size() != 1) return element_dtype;
    int lanes = element_dtype.lanes();
    if (element_dtype.lanes() == 1 && access_dtype.size() == 1) {
      int access_lanes = access_dtype[0].lanes();
      arith::Analyzer ana;
      arith::ModularSet me = ana.modular_set(extent);
      if (me->coeff % access_lanes == 0 && me->base % access_lanes == 0) lanes = access_lanes;
    }
    return bases[0].with_lanes(lanes);
  }
};

class VectorTypeAccessChecker : public StmtExprVisitor {
 public:
  VectorTypeAccessChecker(const Array<Var>& params, const Map<Var, Buffer>& buffer_map) {
    for (const auto& kv : buffer_map) {
      const Buffer& b = kv.second;
      PrimExpr extent = b->shape.empty() ? PrimExpr(I32(0)) : b->shape[b->shape.size() - 1];
      Declare(b->data, b->dtype, extent, BufferVarInfo::kParam);
    }
    for (const Var& v : params) {
      if (buffer_map.count(v)) continue;
      if (const auto* ptr = v->type_annotation.as<PointerTypeNode>()) {
        if (const auto* prim = ptr->element_type.as<PrimTypeNode>()) {
          Declare(v, prim->dtype, I32(0), BufferVarInfo::kBufferMapParam);
        }
      }
    }
  }

  std::unordered_map<const VarNode*, BufferVarInfo> info_map;

 protected:
  void VisitExpr_(const BufferLoadNode* op) final {
    OnAccess(op->dtype, op->buffer->data.get(), op->indices);
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const BufferStoreNode* op) final {
    OnAccess(op->value.dtype(), op->buffer->data.get(), op->indices);
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitExpr_(const CallNode* op) final {
    if (op->op.same_as(builtin::tvm_access_ptr()) && op->args.size() == 5) {
      if (const auto* v = op->args[1].as<VarNode>()) OnAccess(op->args[0].dtype(), v, {op->args[2]});
    } else if (op->op.same_as(builtin::address_of()) && op->args.size() == 1) {
      if (const auto* load = op->args[0].as<BufferLoadNode>()) {
        OnAccess(load->dtype, load->buffer->data.get(), load->indices);
      }
    }
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const AllocateNode* op) final {
    Declare(op->buffer_var, op->dtype, op->extents[op->extents.size() - 1], BufferVarInfo::kAllocate);
    StmtExprVisitor::VisitStmt_(op);
  }
  void VisitExpr_(const LetNode* op) final {
    OnLet(op->var);
    StmtExprVisitor::VisitExpr_(op);
  }
  void VisitStmt_(const LetStmtNode* op) final {
    OnLet(op->var);
    StmtExprVisitor::VisitStmt_(op);
  }

 private:
  void OnLet(const Var& var) {
    if (!var->dtype.is_handle()) return;
    DataType dtype = var->dtype;  // untyped: learnt from the first access
    if (const auto* ptr = var->type_annotation.as<PointerTypeNode>()) {
      if (const auto* prim = ptr->element_type.as<PrimTypeNode>()) dtype = prim->dtype;
    }
    Declare(var, dtype, I32(0), BufferVarInfo::kLet);
  }
  void Declare(const Var& var, DataType dtype, PrimExpr extent, BufferVarInfo::Location location) {
    auto it = info_map.find(var.get());
    if (it != info_map.end()) {
      it->second.ambiguous = true;
      return;
    }
    BufferVarInfo info;
    // Booleans are stored as bytes, and their buffers keep bool elements: left alone.
    info.ambiguous = dtype.element_of() == DataType::Bool();
    info.var = var;
    info.element_dtype = dtype;
    info.extent = extent;
    info.location = location;
    info_map[var.get()] = info;
  }
  void OnAccess(DataType value_dtype, const VarNode* buffer, const Array<PrimExpr>& indices) {
    auto it = info_map.find(buffer);
    if (it == info_map.end()) return;  // a pointer this pass did not see declared: left alone
    BufferVarInfo& info = it->second;
    if (value_dtype.element_of() == DataType::Bool()) info.ambiguous = true;
    if (info.element_dtype.is_handle()) info.element_dtype = value_dtype.element_of();
    int index_lanes = indices.empty() ? 1 : indices[indices.size() - 1].dtype().lanes();
    int lanes_used = info.element_dtype.lanes();
    if (index_lanes * info.element_dtype.lanes() != value_dtype.lanes()) {
      // Vector values read through a scalar-typed view: the element is the scalar.
      lanes_used = 1;
      info.element_dtype = info.element_dtype.with_lanes(1);
    }
    if (!indices.empty()) {
      const auto* ramp = indices[indices.size() - 1].as<RampNode>();
      if (ramp != nullptr && is_one(ramp->stride)) {
        arith::ModularSet me = analyzer_.modular_set(ramp->base);
        if (me->coeff % ramp->lanes == 0 && me->base % ramp->lanes == 0) lanes_used = ramp->lanes;
      }
    }
    info.AddAccess(value_dtype.with_lanes(lanes_used));
  }

  arith::Analyzer analyzer_;
};

class VectorTypeRewriter : public StmtExprMutator {
 public:
  VectorTypeRewriter(const std::unordered_map<const VarNode*, BufferVarInfo>& info_map, int rewrite_mask) {
    for (const auto& kv : info_map) {
      const BufferVarInfo& info = kv.second;
      DataType preferred = info.PreferredDtype();
      if (preferred == info.element_dtype || !(rewrite_mask & info.location)) continue;
      if (preferred.lanes() % info.element_dtype.lanes() != 0) continue;
      Var new_var(info.var->name_hint, PointerType(PrimType(preferred), ScopeOfVar(info.var)));
      rewrite_map_[info.var.get()] = {info.var, new_var, info.element_dtype, preferred};
    }
  }

  bool empty() const { return rewrite_map_.empty(); }

  PrimFunc Rewrite(PrimFunc f) {
    auto* n = f.CopyOnWrite();
    n->body = VisitStmt(n->body);
    // Opaque uses of the old pointers (calls, attributes) now name the new ones.
    std::unordered_map<const VarNode*, PrimExpr> vmap;
    for (const auto& kv : rewrite_map_) vmap[kv.first] = kv.second.new_var;
    n->body = Substitute(n->body, vmap);
    Array<Var> params;
    for (const Var& p : n->params) {
      auto it = rewrite_map_.find(p.get());
      params.push_back(it == rewrite_map_.end() ? p : it->second.new_var);
    }
    n->params = params;
    Map<Var, Buffer> buffer_map;
    for (const auto& kv : n->buffer_map) buffer_map.Set(kv.first, RemapBuffer(kv.second));
    n->buffer_map = buffer_map;
    return f;
  }

 protected:
  PrimExpr VisitExpr_(const BufferLoadNode* op) final {
    auto node = Downcast<BufferLoad>(StmtExprMutator::VisitExpr_(op));
    auto it = rewrite_map_.find(node->buffer->data.get());
    if (it == rewrite_map_.end()) return std::move(node);
    return BufferLoad(RemapBuffer(node->buffer), RewriteIndices(node->indices, it->second));
  }
  Stmt VisitStmt_(const BufferStoreNode* op) final {
    auto node = Downcast<BufferStore>(StmtExprMutator::VisitStmt_(op));
    auto it = rewrite_map_.find(node->buffer->data.get());
    if (it == rewrite_map_.end()) return std::move(node);
    return BufferStore(RemapBuffer(node->buffer), node->value, RewriteIndices(node->indices, it->second));
  }
  Stmt VisitStmt_(const LetStmtNode* op) final {
    auto it = rewrite_map_.find(op->var.get());
    PrimExpr value = VisitExpr(op->value);
    Stmt body = VisitStmt(op->body);
    Var var = it == rewrite_map_.end() ? op->var : it->second.new_var;
    if (var.same_as(op->var) && value.same_as(op->value) && body.same_as(op->body)) return GetRef<Stmt>(op);
    return LetStmt(var, value, body);
  }
  Stmt VisitStmt_(const DeclBufferNode* op) final {
    auto node = Downcast<DeclBuffer>(StmtExprMutator::VisitStmt_(op));
    Buffer b = RemapBuffer(node->buffer);
    if (b.same_as(node->buffer)) return std::move(node);
    return DeclBuffer(b, node->body);
  }
  PrimExpr VisitExpr_(const CallNode* op) final {
    PrimExpr expr = StmtExprMutator::VisitExpr_(op);
    if (!op->op.same_as(builtin::tvm_access_ptr()) || op->args.size() != 5) return expr;
    const auto* call = expr.as<CallNode>();
    auto it = rewrite_map_.find(call->args[1].as<VarNode>());
    if (it == rewrite_map_.end()) return expr;
    const RewriteInfo& info = it->second;
    int factor = info.factor();
    PrimExpr index = truncdiv(call->args[2], make_const(call->args[2].dtype(), factor));
    PrimExpr extent = truncdiv(call->args[3], make_const(call->args[3].dtype(), factor));
    PrimExpr type = Call(info.new_dtype, Op::Get("tir.type_annotation"), {});
    return Call(call->dtype, call->op, {type, info.new_var, index, extent, call->args[4]});
  }
  Stmt VisitStmt_(const AllocateNode* op) final {
    Stmt stmt = StmtExprMutator::VisitStmt_(op);
    op = stmt.as<AllocateNode>();
    auto it = rewrite_map_.find(op->buffer_var.get());
    if (it == rewrite_map_.end()) return stmt;
    const RewriteInfo& info = it->second;
    Array<PrimExpr> extents = op->extents;
    PrimExpr last = extents[extents.size() - 1];
    extents.Set(extents.size() - 1, truncdiv(last, make_const(last.dtype(), info.factor())));
    return Allocate(info.new_var, info.new_dtype, extents, op->condition, op->body, op->annotations);
  }

 private:
  struct RewriteInfo {
    Var old_var;
    Var new_var;
    DataType old_dtype;
    DataType new_dtype;
    int factor() const { return new_dtype.lanes() / old_dtype.lanes(); }
  };

  Array<PrimExpr> RewriteIndices(Array<PrimExpr> indices, const RewriteInfo& info) {
    PrimExpr last = indices[indices.size() - 1];
    int factor = info.factor();
    const auto* ramp = last.as<RampNode>();
    // The checker only chose a vector type when every access is an aligned unit-stride ramp of `factor` lanes.
    TVM_CHECK(ramp != nullptr && is_one(ramp->stride) && ramp->lanes % factor == 0, "InternalError")
        << "StorageRewrite: access " << last << " of " << info.old_var->name_hint << " is not a whole "
        << info.new_dtype << " element";
    PrimExpr index = truncdiv(ramp->base, make_const(ramp->base.dtype(), ramp->lanes));
    if (ramp->lanes != factor) {
      int new_lanes = ramp->lanes / factor;
      index = Ramp(mul(index, make_const(index.dtype(), new_lanes)), ramp->stride, new_lanes);
    }
    indices.Set(indices.size() - 1, index);
    return indices;
  }

  Buffer RemapBuffer(const Buffer& buf) {
    auto cached = buffer_map_.find(BufKey(buf));
    if (cached != buffer_map_.end()) return cached->second;
    Buffer out = buf;
    auto it = rewrite_map_.find(buf->data.get());
    if (it != rewrite_map_.end()) {
      const RewriteInfo& info = it->second;
      Array<PrimExpr> shape = buf->shape;
      PrimExpr last = shape[shape.size() - 1];
      shape.Set(shape.size() - 1, truncdiv(last, make_const(last.dtype(), info.factor())));
      auto* w = out.CopyOnWrite();
      // An alignment left at the element's natural one follows the new element.
      if (w->data_alignment == std::max(1, w->dtype.bytes())) w->data_alignment = std::max(1, info.new_dtype.bytes());
      w->data = info.new_var;
      w->dtype = info.new_dtype;
      w->shape = shape;
    }
    buffer_map_[BufKey(buf)] = out;
    return out;
  }

  std::unordered_map<const VarNode*, RewriteInfo> rewrite_map_;
  std::unordered_map<const BufferNode*, Buffer> buffer_map_;
};

/*! \brief Give pointers whose every access is a whole aligned vector a vector element type. */
PrimFunc RewritePointerValueTypes(PrimFunc f, int rewrite_mask) {
  VectorTypeAccessChecker checker(f->params, f->buffer_map);
  checker(f->body);
  VectorTypeRewriter rewriter(checker.info_map, rewrite_mask);
  if (rewriter.empty()) return f;
  return rewriter.Rewrite(std::move(f));
}

}  // namespace

namespace transform {

Pass StorageRewrite() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    Stmt body = StoragePlanRewriter().Rewrite(f->body);
    if (!body.same_as(f->body)) f.CopyOnWrite()->body = body;
    // Parameters keep their pointer types (callers pass scalar arrays); allocations
    // and let-bound pointers may become vectors.
    return RewritePointerValueTypes(std::move(f), BufferVarInfo::kAllocate | BufferVarInfo::kLet);
  };
  return CreatePrimFuncPass(fpass, 0, "tir.StorageRewrite", {});
}

Pass PointerValueTypeRewrite() {
  auto fpass = [](PrimFunc f, IRModule m, PassContext ctx) {
    return RewritePointerValueTypes(std::move(f), BufferVarInfo::kParam | BufferVarInfo::kBufferMapParam |
                                                          BufferVarInfo::kAllocate | BufferVarInfo::kLet);
  };
  return CreatePrimFuncPass(fpass, 0, "tir.PointerValueTypeRewrite", {});
}

TVM_REGISTER_GLOBAL("tir.transform.StorageRewrite").set_body_typed([]() { return StorageRewrite(); });
TVM_REGISTER_GLOBAL("tir.transform.PointerValueTypeRewrite").set_body_typed([]() {
  return PointerValueTypeRewrite();
});

}  // namespace transform

/*! \brief Bytes of constant-size allocations per storage scope ("global", "shared", "local", ...). */
Map<String, Integer> CalculateAllocatedBytes(const PrimFunc& func) {
  std::map<std::string, int64_t> bytes;
  PostOrderVisit(func->body, [&](const ObjectRef& n) {
    if (const auto* a = n.as<AllocateNode>()) {
      int64_t count = a->ConstantAllocationSize();
      bytes[ScopeOfVar(a->buffer_var)] += count * a->dtype.bytes();
    }
  });
  Map<String, Integer> out;
  for (const auto& kv : bytes) out.Set(kv.first, Integer(IntImm(DataType::Int(64), kv.second)));
  return out;
}

TVM_REGISTER_GLOBAL("tir.analysis.calculate_allocated_bytes").set_body_typed([](ObjectRef obj) -> ObjectRef {
  if (const auto* f = obj.as<PrimFuncNode>()) return CalculateAllocatedBytes(GetRef<PrimFunc>(f));
  const auto* mod = obj.as<IRModuleNode>();
  TVM_CHECK(mod != nullptr, "TypeError") << "calculate_allocated_bytes expects a PrimFunc or an IRModule";
  Map<String, ObjectRef> out;
  for (const auto& kv : mod->functions) {
    if (const auto* f = kv.second.as<PrimFuncNode>()) {
      out.Set(kv.first->name_hint, CalculateAllocatedBytes(GetRef<PrimFunc>(f)));
    }
  }
  return out;
});

}  // namespace tir
}  // namespace tvm
