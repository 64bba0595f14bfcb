/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/gemm.cc
 * \brief The packed GEMM's tiling, compute and schedule (tvm/topi/x86/gemm.h), and their Python
 *  bindings (topi.x86.gemm_*), which tvm.topi.x86.gemm calls.
 *
 * The stages are built as Python's te.compute builds them (nchwc::PyCompute / ReduceAxis), and
 * extents and Python ints become expressions the way Python's operators make them (a static
 * extent is an int32 immediate when it fits; an expression meets an int through the same tvm::
 * operator Python's operator calls), so the TIR is the one Python's schedule gave.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/ir/structural_equal.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/gemm.h>
#include <tvm/topi/x86/utils.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_set>
#include <vector>

#include "../conv2d_nchwc_common.h"
#include "schedule_common.h"

namespace tvm {
namespace topi {
namespace x86 {

namespace {

using nchwc::Int;
using te::Operation;
using te::Tensor;
using tir::IterVar;

// The row counts a tiling is chosen for when the rows (or columns) are symbolic: sequence
// lengths and batches are mostly multiples of 16; a tile is scored by its mean use of them.
constexpr int64_t kSymbolicRows[] = {16, 32, 64, 128, 256, 512};
// A tile dividing the static rows is taken over a better-scoring one that pads them while its
// score is within this factor (the padded rows' clamped reads of A cost more than their share).
constexpr double kWholeRowsMargin = 0.8;

int64_t L2Bytes(int64_t l2) { return l2 >= 0 ? l2 : GetCacheSizes().l2; }

// extent / (ceil(extent / tile) * tile), averaged over kSymbolicRows for a symbolic extent.
double Use(std::optional<int64_t> extent, int64_t tile) {
  if (!extent) {
    double total = 0;
    for (int64_t e : kSymbolicRows) total += Use(e, tile);
    return total / static_cast<double>(std::size(kSymbolicRows));
  }
  double e = static_cast<double>(*extent);
  return e / (static_cast<double>(static_cast<int64_t>(std::ceil(e / static_cast<double>(tile)))) *
              static_cast<double>(tile));
}

// A (score, tie-break) pair compared as Python compares tuples.
struct Score {
  double value;
  int64_t tie;
  bool operator>(const Score& o) const { return value > o.value || (value == o.value && tie > o.tie); }
};

int64_t KUnroll(std::optional<int64_t> depth) {
  if (!depth) return 1;
  for (int64_t f : {4, 2, 1}) {
    if (*depth % f == 0) return f;
  }
  return 1;
}

std::optional<int64_t> StaticValue(const PrimExpr& e) {
  if (const auto* imm = e.as<IntImmNode>()) return imm->value;
  return std::nullopt;
}

bool IsStatic(const PrimExpr& e) { return e.as<IntImmNode>() != nullptr; }

// What Python's get_const_tuple gives for an extent, as an operand: a static one an int (an
// int32 immediate when it fits), another as it is.
PrimExpr Norm(const PrimExpr& e) {
  if (auto v = StaticValue(e)) return Int(*v);
  return e;
}

// Python's ceil-division helper of the GEMM: ints stay ints, an expression divides by indexdiv.
PrimExpr CeilDiv(const PrimExpr& value, int64_t factor) {
  if (auto v = StaticValue(value)) return Int((*v + factor - 1) / factor);
  return indexdiv(add(value, Int(factor - 1)), Int(factor));
}

// Row tiles in one k-blocked block: as many as keep the block's accumulators and its slice of A
// within half of L2, a divisor of row_tiles (unset: symbolic rows, then at most 64 rows).
int64_t BlockTiles(std::optional<int64_t> row_tiles, int64_t mr, int64_t nr, int64_t kc, int64_t l2) {
  int64_t limit = std::max<int64_t>(1, (L2Bytes(l2) / 2) / (mr * (nr + kc) * 4));
  if (!row_tiles) return std::max<int64_t>(1, std::min(limit, 64 / mr));
  int64_t best = 1;
  for (int64_t t = 1; t <= std::min(limit, *row_tiles); ++t) {
    if (*row_tiles % t == 0) best = t;
  }
  return best;
}

}  // namespace

std::pair<int64_t, int64_t> GemmMicroKernelShape(std::optional<int64_t> rows, std::optional<int64_t> cols,
                                                 int64_t lanes, int64_t registers, bool exact) {
  // Whole panels when some width allows them: a partial last panel makes the output's column
  // loop conditional, and the tile then goes through a buffer.
  bool cols_exact = false;
  if (cols) {
    cols_exact = exact;
    for (int64_t nv = 1; nv <= 8 && !cols_exact; ++nv) cols_exact = *cols % (nv * lanes) == 0;
  }
  exact = exact && rows.has_value();
  std::optional<std::pair<Score, std::pair<int64_t, int64_t>>> best, whole;
  for (int64_t nv = 1; nv <= 8; ++nv) {
    for (int64_t mr = 1; mr < registers; ++mr) {
      if (mr * nv + nv + 1 > registers) break;
      int64_t nr = nv * lanes;
      if ((exact && *rows % mr != 0) || (cols_exact && *cols % nr != 0)) continue;
      double used = Use(rows, mr) * Use(cols, nr);
      Score score{static_cast<double>(mr * nv) / static_cast<double>(mr + nv) * used, mr * nv};
      if (!best || score > best->first) best = {{score, {mr, nv}}};
      if (rows && *rows % mr == 0 && (!whole || score > whole->first)) whole = {{score, {mr, nv}}};
    }
  }
  TVM_CHECK(best.has_value(), "ValueError") << "no " << lanes << "-lane micro-kernel tile divides a "
                                            << (rows ? std::to_string(*rows) : "None") << " x "
                                            << (cols ? std::to_string(*cols) : "None") << " matrix";
  if (whole && whole->first.value >= kWholeRowsMargin * best->first.value) best = whole;
  return best->second;
}

std::optional<int64_t> GemmKBlock(std::optional<int64_t> depth, int64_t nr, int64_t k_unroll, int64_t l2_in) {
  if (!depth) return std::nullopt;
  int64_t l2 = L2Bytes(l2_in);
  if (*depth * nr * 4 <= l2 / 2) return std::nullopt;
  std::optional<int64_t> best;
  for (int64_t kc = k_unroll; kc < *depth; kc += k_unroll) {
    if (*depth % kc == 0 && kc * nr * 4 <= l2 / 4) best = kc;
  }
  return best;
}

GemmConfig GemmDefaultConfig(std::optional<int64_t> rows, std::optional<int64_t> cols, std::optional<int64_t> depth,
                             const Target& target, bool exact, int64_t l2) {
  int64_t lanes = GetSimd32BitLanes(target);
  auto [mr, nv] = GemmMicroKernelShape(rows, cols, lanes, VectorRegisters(static_cast<int>(lanes)), exact);
  GemmConfig cfg;
  cfg.mr = mr;
  cfg.nv = nv;
  cfg.lanes = lanes;
  cfg.k_unroll = KUnroll(depth);
  if (rows) cfg.kc = GemmKBlock(depth, nv * lanes, cfg.k_unroll, l2);
  return cfg;
}

GemmConfig GemmConfigForPanels(std::optional<int64_t> rows, int64_t nr, std::optional<int64_t> depth,
                               const Target& target, int64_t l2) {
  int64_t lanes = GetSimd32BitLanes(target), nv;
  if (nr % lanes != 0) {  // narrower panels than a vector: one (shorter) vector a row
    lanes = nr;
    nv = 1;
  } else {
    nv = nr / lanes;
  }
  int64_t registers = VectorRegisters(GetSimd32BitLanes(target));
  std::optional<std::pair<Score, int64_t>> best, whole;
  for (int64_t mr = 1; mr < registers; ++mr) {
    if (mr * nv + nv + 1 > registers) break;
    Score score{static_cast<double>(mr * nv) / static_cast<double>(mr + nv) * Use(rows, mr), mr};
    if (!best || score > best->first) best = {{score, mr}};
    if (rows && *rows % mr == 0 && (!whole || score > whole->first)) whole = {{score, mr}};
  }
  if (whole && best && whole->first.value >= kWholeRowsMargin * best->first.value) best = whole;
  GemmConfig cfg;
  cfg.mr = best ? best->second : 1;
  cfg.nv = nv;
  cfg.lanes = lanes;
  cfg.k_unroll = KUnroll(depth);
  if (rows) cfg.kc = GemmKBlock(depth, nv * lanes, cfg.k_unroll, l2);
  return cfg;
}

std::optional<int64_t> GemmPanelWidth(std::optional<int64_t> rows, std::optional<int64_t> cols,
                                      std::optional<int64_t> depth, const Target& target, int64_t l2) {
  int64_t lanes = GetSimd32BitLanes(target);
  if (!cols || *cols % lanes != 0) return std::nullopt;
  int64_t nv = GemmDefaultConfig(rows, cols, depth, target, false, l2).nv;
  while (*cols % (nv * lanes) != 0) --nv;
  return nv * lanes;
}

Tensor PackedGemm(const GemmAValue& a_value, const Array<PrimExpr>& a_batch_in, const PrimExpr& rows_in,
                  const GemmBValue& b_value, const Array<PrimExpr>& b_batch_in, const PrimExpr& cols_in,
                  const PrimExpr& depth_in, const GemmBatchOfB& batch_of_b, DataType out_dtype, const GemmConfig& cfg,
                  const std::string& name, const std::string& tag, const std::optional<Tensor>& prepacked,
                  bool b_contiguous_in_k, int64_t l2) {
  Array<PrimExpr> a_batch, b_batch;
  for (const PrimExpr& d : a_batch_in) a_batch.push_back(Norm(d));
  for (const PrimExpr& d : b_batch_in) b_batch.push_back(Norm(d));
  PrimExpr rows = Norm(rows_in), cols = Norm(cols_in), depth = Norm(depth_in);
  int64_t nr = cfg.nr(), mr = cfg.mr;
  PrimExpr panels = CeilDiv(cols, nr);
  bool rows_pad = !(IsStatic(rows) && *StaticValue(rows) % mr == 0);
  bool cols_pad = !(IsStatic(cols) && *StaticValue(cols) % nr == 0);
  int64_t row_step = mr;
  if (!IsStatic(rows) && cfg.kc && IsStatic(depth) && *cfg.kc < *StaticValue(depth)) {
    // k-blocked symbolic rows: whole blocks of row tiles, so that no block's k loops need guards
    row_step = mr * BlockTiles(std::nullopt, mr, nr, *cfg.kc, l2);
  }
  PrimExpr rows_padded = rows;
  if (rows_pad) {
    PrimExpr tiles = CeilDiv(rows, row_step);
    rows_padded = IsStatic(tiles) ? Int(*StaticValue(tiles) * row_step) : mul(tiles, Int(row_step));
  }
  PrimExpr cols_padded = cols;
  if (cols_pad) cols_padded = IsStatic(panels) ? Int(*StaticValue(panels) * nr) : mul(panels, Int(nr));

  Tensor packed;
  if (prepacked) {
    packed = *prepacked;
  } else {
    Array<PrimExpr> pack_shape = b_batch;
    pack_shape.push_back(panels);
    pack_shape.push_back(depth);
    pack_shape.push_back(Int(nr));
    Map<String, ObjectRef> attrs{{"k_contiguous", Integer(b_contiguous_in_k ? 1 : 0)}};
    packed = nchwc::PyCompute(
        pack_shape,
        [&](const Array<PrimExpr>& idx) {
          size_t n = idx.size();
          Array<PrimExpr> pb(idx.begin(), idx.end() - 3);
          PrimExpr j = add(mul(idx[n - 3], Int(nr)), idx[n - 1]);
          PrimExpr value = b_value(pb, idx[n - 2], j);
          if (cols_pad) value = if_then_else(less(j, cols), value, make_const(value.dtype(), 0));
          return value;
        },
        name + "_packed_b", kGemmPackTag, attrs);
  }
  IterVar k = nchwc::ReduceAxis(depth, "k");
  Array<PrimExpr> gemm_shape = a_batch;
  gemm_shape.push_back(rows_padded);
  gemm_shape.push_back(cols_padded);
  Map<String, ObjectRef> attrs{{"gemm_mr", Integer(static_cast<int>(mr))},
                               {"gemm_nv", Integer(static_cast<int>(cfg.nv))},
                               {"gemm_lanes", Integer(static_cast<int>(cfg.lanes))},
                               {"gemm_k_unroll", Integer(static_cast<int>(cfg.k_unroll))},
                               {"gemm_kc", Integer(static_cast<int>(cfg.kc.value_or(0)))}};
  Tensor gemm = nchwc::PyCompute(
      gemm_shape,
      [&](const Array<PrimExpr>& idx) {
        size_t n = idx.size();
        Array<PrimExpr> batch(idx.begin(), idx.end() - 2);
        PrimExpr i = idx[n - 2], j = idx[n - 1];
        if (rows_pad) {  // the padding rows repeat the last one; they are cut off below
          PrimExpr last = IsStatic(rows) ? Int(*StaticValue(rows) - 1) : sub(rows, Int(1));
          i = min(i, last);
        }
        Array<PrimExpr> pi = batch_of_b(batch);
        pi.push_back(floordiv(j, Int(nr)));
        pi.push_back(k->var);
        pi.push_back(floormod(j, Int(nr)));
        return te::sum(mul(cast(out_dtype, a_value(batch, i, k->var)), cast(out_dtype, packed(pi))), {k});
      },
      name, tag, attrs);
  if (!rows_pad && !cols_pad) return gemm;
  Array<PrimExpr> out_shape = a_batch;
  out_shape.push_back(rows);
  out_shape.push_back(cols);
  return nchwc::PyCompute(
      out_shape, [&](const Array<PrimExpr>& idx) { return gemm(idx); }, name + "_unpad",
      std::string(kInjective) + ",gemm_unpad");
}

namespace {

const te::ComputeOpNode* StageOp(te::Schedule s, const Operation& op) {
  const auto* c = s[op]->op.as<te::ComputeOpNode>();
  ICHECK(c != nullptr) << "the GEMM schedule's stages are compute ops";
  return c;
}

// Tile `out` (batch..., rows, cols) into MR x NR tiles, compute the accumulator stage `acc` at
// each row tile, and parallelise over batch x panels (x row blocks).
void Tile(te::Schedule s, const Operation& out, const Operation& acc, const GemmConfig& cfg, int64_t threads,
          const Operation& packed, int64_t l2) {
  int64_t nr = cfg.nr(), mr = cfg.mr;
  Array<IterVar> axes = StageOp(s, out)->axis;
  size_t n = axes.size();
  Array<IterVar> batch(axes.begin(), axes.end() - 2);
  IterVar i = axes[n - 2], j = axes[n - 1];
  std::optional<int64_t> rows = StaticValue(i->dom->extent), cols = StaticValue(j->dom->extent);
  bool static_outer = cols.has_value();
  int64_t batch_count = 1;
  for (const IterVar& b : batch) {
    auto e = StaticValue(b->dom->extent);
    static_outer = static_outer && e.has_value();
    if (e) batch_count *= *e;
  }
  te::Stage so = s[out];
  IterVar jp, ji, it, ii;
  so.split(j, Int(nr), &jp, &ji);
  so.split(i, Int(mr), &it, &ii);
  std::optional<int64_t> row_blocks = cfg.row_blocks;
  if (!rows || !static_outer) {
    // Symbolic rows (or batch, or panels): the row tiles are the parallel work when the static
    // panels are too few for the threads; otherwise the panels are, as in the static case.
    if (!row_blocks) row_blocks = static_outer && batch_count * (*cols / nr) >= threads ? 1 : 0;
  } else {
    int64_t outer_count = batch_count * ((*cols + nr - 1) / nr);
    int64_t row_tiles = (*rows + mr - 1) / mr;
    if (!row_blocks) {  // too few panels for the threads: also cut the rows into blocks
      row_blocks = 1;
      while (outer_count * *row_blocks < threads && row_tiles % (*row_blocks * 2) == 0) *row_blocks *= 2;
    }
  }
  IterVar k = StageOp(s, acc)->reduce_axis[0];
  std::optional<int64_t> depth = StaticValue(k->dom->extent);
  std::optional<int64_t> kc;
  if (*row_blocks != 0 && cfg.kc && *cfg.kc && depth && *cfg.kc < *depth) kc = cfg.kc;
  IterVar par, ib, itb;
  if (*row_blocks == 0) {  // every row tile its own parallel task, panels inside (symbolic extents only)
    Array<IterVar> order = batch;
    for (const IterVar& v : {it, jp, ii, ji}) order.push_back(v);
    so.reorder(order);
    par = it;
    if (!batch.empty()) {
      Array<IterVar> fuse = batch;
      fuse.push_back(it);
      so.fuse(fuse, &par);
    }
  } else {
    IterVar inner;
    so.split_by_nparts(it, Int(*row_blocks), &ib, &inner);
    it = inner;
    Array<IterVar> order = batch;
    if (kc) {  // a block of row tiles accumulates over the k blocks
      std::optional<int64_t> block;  // row tiles in a row block, when static and the blocks are even
      if (rows && ((*rows + mr - 1) / mr) % *row_blocks == 0) block = (*rows + mr - 1) / mr / *row_blocks;
      int64_t tiles = BlockTiles(block, mr, nr, *kc, l2);
      IterVar tile_inner;
      so.split(it, Int(tiles), &itb, &tile_inner);
      it = tile_inner;
      for (const IterVar& v : {jp, ib, itb, it, ii, ji}) order.push_back(v);
    } else {
      for (const IterVar& v : {jp, ib, it, ii, ji}) order.push_back(v);
    }
    so.reorder(order);
    par = jp;
    if (!batch.empty()) {
      Array<IterVar> fuse = batch;
      fuse.push_back(jp);
      so.fuse(fuse, &par);
    }
  }
  so.unroll(ii);
  if (!cols || *cols % nr != 0) {
    // A partial last panel puts a condition on the columns: vectorised, the store loop would
    // index the accumulators from a scalar loop and push them out of registers; unrolled, every
    // index is a constant.
    so.unroll(ji);
  } else {
    so.vectorize(ji);
  }
  te::Stage sa = s[acc];
  Array<IterVar> acc_axes = StageOp(s, acc)->axis;
  size_t an = acc_axes.size();
  IterVar row, ko, ki;
  if (kc) {
    // The block's accumulators live in a buffer (T*MR x NR); within one k block LLVM keeps a
    // tile's in registers (loop-invariant addresses, promoted around the k loop).
    sa.compute_at(so, itb);
    IterVar kb, kin, tile;
    sa.split(k, Int(*kc), &kb, &kin);
    sa.split(acc_axes[an - 2], Int(mr), &tile, &row);
    sa.split(kin, Int(cfg.k_unroll), &ko, &ki);
    Array<IterVar> order(acc_axes.begin(), acc_axes.end() - 2);
    for (const IterVar& v : {kb, tile, ko, ki, row, acc_axes[an - 1]}) order.push_back(v);
    sa.reorder(order);
  } else {
    sa.compute_at(so, *row_blocks ? it : jp);
    row = acc_axes[an - 2];
    sa.split(k, Int(cfg.k_unroll), &ko, &ki);
    Array<IterVar> order(acc_axes.begin(), acc_axes.end() - 2);
    for (const IterVar& v : {ko, ki, row, acc_axes[an - 1]}) order.push_back(v);
    sa.reorder(order);
  }
  sa.unroll(ki);
  sa.unroll(row);
  sa.vectorize(acc_axes[an - 1]);
  if (packed.defined()) {
    const auto* p = StageOp(s, packed);
    Array<IterVar> p_axes = p->axis;
    size_t pn = p_axes.size();
    IterVar pk = p_axes[pn - 2], pj = p_axes[pn - 1];
    bool k_contiguous = Downcast<Integer>(packed.as<te::ComputeOpNode>()->attrs["k_contiguous"])->value != 0;
    std::optional<int64_t> pdepth = StaticValue(pk->dom->extent);
    if (k_contiguous && pdepth) {
      // A cache line (16 floats) of each of the NR rows of B in turn, stored NR apart: one
      // stream of reads at a time, faster than gathering across the rows.
      int64_t line = 1;
      for (int64_t f : {16, 8, 4, 2, 1}) {
        if (*pdepth % f == 0) {
          line = f;
          break;
        }
      }
      IterVar pko, pki;
      s[packed].split(pk, Int(line), &pko, &pki);
      s[packed].reorder({pko, pj, pki});
      s[packed].unroll(pki);
    } else if (!k_contiguous) {
      s[packed].vectorize(pj);
    }
  }
  if (*row_blocks == 1) {
    so.parallel(par);
    if (packed.defined()) s[packed].compute_at(so, par);  // packed by the thread that uses the panel
  } else {
    IterVar fused = par;
    if (ib.defined()) so.fuse({par, ib}, &fused);
    so.parallel(fused);
    if (packed.defined()) {  // packed once up front, in parallel
      Array<IterVar> p_axes = StageOp(s, packed)->axis;
      IterVar pfused = p_axes[0];
      if (p_axes.size() > 3) s[packed].fuse(Array<IterVar>(p_axes.begin(), p_axes.end() - 2), &pfused);
      s[packed].parallel(pfused);
    }
  }
}

// An output of another shape than the GEMM's: its loops fused and parallel, the innermost axis
// in vectors when the vector width divides it.
void ScheduleInjectiveStage(te::Schedule s, const Operation& op, const Target& target) {
  Array<IterVar> axes = StageOp(s, op)->axis;
  if (axes.empty()) return;
  te::Stage stage = s[op];
  int64_t lanes = GetSimd32BitLanes(target);
  auto extent = StaticValue(axes[axes.size() - 1]->dom->extent);
  if (extent && *extent % lanes == 0) {
    IterVar outer, inner;
    stage.split(axes[axes.size() - 1], Int(lanes), &outer, &inner);
    stage.vectorize(inner);
    axes.Set(axes.size() - 1, outer);
  }
  IterVar fused = axes[0];
  if (axes.size() > 1) stage.fuse(axes, &fused);
  stage.parallel(fused);
}

bool SameExtents(const Array<PrimExpr>& a, const Array<PrimExpr>& b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k) {
    auto x = StaticValue(a[k]), y = StaticValue(b[k]);
    if (!(x && y && *x == *y) && !StructuralEqual()(a[k], b[k])) return false;
  }
  return true;
}

}  // namespace

te::Schedule ScheduleGemm(const Target& target_in, const Array<Tensor>& outs, const std::string& gemm_tag,
                          const std::optional<GemmConfig>& cfg_in, int64_t l2) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  Array<Operation> out_ops;
  for (const Tensor& t : outs) out_ops.push_back(t.op());
  te::Schedule s = te::create_schedule(out_ops);
  Operation gemm_op = FindTaggedOp(outs, gemm_tag);
  Tensor gemm = gemm_op.output(0);
  Operation packed;
  for (const Tensor& t : gemm_op->InputTensors()) {
    const auto* c = t.op().as<te::ComputeOpNode>();
    if (c != nullptr && c->tag == kGemmPackTag) {
      packed = t.op();
      break;
    }
  }
  auto is_output = [&](const Operation& op) {
    for (const Operation& o : out_ops) {
      if (o.same_as(op)) return true;
    }
    return false;
  };
  // Inline every injective stage but the outputs (bias, activations, the unpad view).
  std::vector<Operation> stack(out_ops.begin(), out_ops.end());
  std::unordered_set<const Object*> seen;
  while (!stack.empty()) {
    Operation op = stack.back();
    stack.pop_back();
    const auto* c = op.as<te::ComputeOpNode>();
    if (c == nullptr || !seen.insert(op.get()).second) continue;
    if (!is_output(op) && !op.same_as(gemm_op) && is_injective(c->tag)) s[op].compute_inline();
    for (const Tensor& t : c->InputTensors()) stack.push_back(t.op());
  }
  GemmConfig cfg;
  if (cfg_in) {
    cfg = *cfg_in;
  } else {  // the tiling the compute padded for
    const auto& attrs = gemm_op.as<te::ComputeOpNode>()->attrs;
    auto get = [&](const char* key) { return Downcast<Integer>(attrs[key])->value; };
    cfg.mr = get("gemm_mr");
    cfg.nv = get("gemm_nv");
    cfg.lanes = get("gemm_lanes");
    cfg.k_unroll = get("gemm_k_unroll");
    if (int64_t kc = get("gemm_kc")) cfg.kc = kc;
  }
  int64_t threads = NumThreads();
  const Tensor& first = outs[0];
  bool same_grid = outs.size() == 1 && first->shape.size() == gemm->shape.size() &&
                   SameExtents(Array<PrimExpr>(first->shape.begin(), first->shape.end() - 2),
                               Array<PrimExpr>(gemm->shape.begin(), gemm->shape.end() - 2));
  Operation tiled;
  if (is_output(gemm_op) || !same_grid) {
    // The GEMM's own loops carry the tiles and store them (it is an output, or what follows has
    // other loops, or several outputs each need its values).
    Tensor acc = s.cache_write(gemm, "local");
    Tile(s, gemm_op, acc.op(), cfg, threads, packed, l2);
    tiled = gemm_op;
  } else {
    // The epilogue's loops carry the tiles; the GEMM's accumulators live in registers.
    s[gemm_op].set_scope("local");
    Tile(s, first.op(), gemm_op, cfg, threads, packed, l2);
    tiled = first.op();
  }
  for (const Tensor& t : outs) {
    if (!t.op().same_as(tiled)) ScheduleInjectiveStage(s, t.op(), target);
  }
  return s;
}

namespace {

Array<Integer> ConfigArray(const GemmConfig& c) {
  auto i = [](int64_t v) { return Integer(static_cast<int>(v)); };
  return {i(c.mr), i(c.nv), i(c.lanes), i(c.k_unroll), i(c.row_blocks.value_or(-1)), i(c.kc.value_or(0))};
}

ObjectRef OptionalInteger(std::optional<int64_t> v) {
  if (!v) return ObjectRef();
  return Integer(static_cast<int>(*v));
}

}  // namespace

GemmConfig GemmConfigFromArray(const Array<Integer>& a) {
  TVM_CHECK(a.size() == 6, "ValueError") << "a GEMM config is (mr, nv, lanes, k_unroll, row_blocks, kc), got " << a;
  GemmConfig c;
  c.mr = a[0]->value;
  c.nv = a[1]->value;
  c.lanes = a[2]->value;
  c.k_unroll = a[3]->value;
  TVM_CHECK(c.mr >= 1 && c.nv >= 1 && c.lanes >= 1 && c.k_unroll >= 1, "ValueError")
      << "a GEMM config needs mr, nv, lanes and k_unroll of at least 1, got " << a;
  if (a[4]->value >= 0) c.row_blocks = a[4]->value;
  if (a[5]->value > 0) c.kc = a[5]->value;
  return c;
}

TVM_REGISTER_GLOBAL("topi.x86.gemm_micro_kernel_shape")
    .set_body_typed([](std::optional<int64_t> rows, std::optional<int64_t> cols, int64_t lanes, int64_t registers,
                       bool exact) {
      auto [mr, nv] = GemmMicroKernelShape(rows, cols, lanes, registers, exact);
      return Array<Integer>{Integer(static_cast<int>(mr)), Integer(static_cast<int>(nv))};
    });
TVM_REGISTER_GLOBAL("topi.x86.gemm_k_block")
    .set_body_typed([](std::optional<int64_t> depth, int64_t nr, int64_t k_unroll, int64_t l2) {
      return OptionalInteger(GemmKBlock(depth, nr, k_unroll, l2));
    });
TVM_REGISTER_GLOBAL("topi.x86.gemm_default_config")
    .set_body_typed([](std::optional<int64_t> rows, std::optional<int64_t> cols, std::optional<int64_t> depth,
                       std::optional<Target> target, bool exact, int64_t l2) {
      return ConfigArray(GemmDefaultConfig(rows, cols, depth, target.value_or(Target()), exact, l2));
    });
TVM_REGISTER_GLOBAL("topi.x86.gemm_config_for_panels")
    .set_body_typed([](std::optional<int64_t> rows, int64_t nr, std::optional<int64_t> depth,
                       std::optional<Target> target, int64_t l2) {
      return ConfigArray(GemmConfigForPanels(rows, nr, depth, target.value_or(Target()), l2));
    });
TVM_REGISTER_GLOBAL("topi.x86.gemm_panel_width")
    .set_body_typed([](std::optional<int64_t> rows, std::optional<int64_t> cols, std::optional<int64_t> depth,
                       std::optional<Target> target, int64_t l2) {
      return OptionalInteger(GemmPanelWidth(rows, cols, depth, target.value_or(Target()), l2));
    });
TVM_REGISTER_GLOBAL("topi.x86.schedule_gemm")
    .set_body_typed([](std::optional<Target> target, ObjectRef outs, std::string tag,
                       std::optional<Array<Integer>> cfg, int64_t l2) {
      Array<Tensor> tensors;
      if (const auto* t = outs.as<te::TensorNode>()) {
        tensors.push_back(GetRef<Tensor>(t));
      } else {
        tensors = Downcast<Array<Tensor>>(outs);
      }
      std::optional<GemmConfig> c;
      if (cfg) c = GemmConfigFromArray(*cfg);
      return ScheduleGemm(target.value_or(Target()), tensors, tag, c, l2);
    });

}  // namespace x86
}  // namespace topi
}  // namespace tvm
