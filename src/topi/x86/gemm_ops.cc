/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/x86/gemm_ops.cc
 * \brief dense_pack, matmul_pack and batch_matmul through the packed GEMM (tvm/topi/x86/gemm.h),
 *  their schedules, and their Python bindings (topi.x86.dense_pack, ...), which
 *  tvm.topi.x86.dense / batch_matmul call.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/op.h>
#include <tvm/topi/tags.h>
#include <tvm/topi/x86/batch_matmul.h>
#include <tvm/topi/x86/dense.h>
#include <tvm/topi/x86/gemm.h>

#include <sstream>
#include <string>
#include <vector>

#include "../conv2d_nchwc_common.h"

namespace tvm {
namespace topi {
namespace x86 {

namespace {

using nchwc::Int;
using te::Tensor;

std::optional<int64_t> StaticValue(const PrimExpr& e) {
  if (const auto* imm = e.as<IntImmNode>()) return imm->value;
  return std::nullopt;
}

// An extent as Python's get_const_tuple gives it, as an operand (see gemm.cc).
PrimExpr Norm(const PrimExpr& e) {
  if (auto v = StaticValue(e)) return Int(*v);
  return e;
}

Tensor AddBias(const Tensor& out, const std::optional<Tensor>& bias) {
  if (!bias) return out;
  Tensor b = *bias;
  return nchwc::PyCompute(
      out->shape,
      [&](const Array<PrimExpr>& idx) { return add(out(idx), cast(out->dtype, b(Array<PrimExpr>{idx[idx.size() - 1]}))); },
      "T_add_bias", kBroadcast);
}

// A shape as Python's errors wrote it (a tuple of get_const_tuple's values).
std::string Shape(const Tensor& t) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < t->shape.size(); ++i) os << (i ? ", " : "") << t->shape[i];
  os << (t->shape.size() == 1 ? ",)" : ")");
  return os.str();
}

}  // namespace

GemmRows DenseGemmRows(const Array<PrimExpr>& shape_in) {
  std::vector<PrimExpr> lead;
  for (size_t k = 0; k + 1 < shape_in.size(); ++k) lead.push_back(Norm(shape_in[k]));
  GemmRows r;
  bool outer_one = true;
  for (size_t k = 0; k + 1 < lead.size(); ++k) {
    auto v = StaticValue(lead[k]);
    outer_one = outer_one && v && *v == 1;
  }
  auto last = StaticValue(lead.back());
  if (lead.size() == 1 || outer_one || (last && *last >= 16)) {
    r.batch = Array<PrimExpr>(lead.begin(), lead.end() - 1);
    r.rows = lead.back();
    r.flatten = false;
    return r;
  }
  // A short last axis among several leading ones: they flatten into the rows (one loop).
  bool all_static = true;
  int64_t product = 1;
  for (const PrimExpr& d : lead) {
    auto v = StaticValue(d);
    all_static = all_static && v;
    if (v) product *= *v;
  }
  if (all_static) {
    r.rows = Int(product);
  } else {
    PrimExpr value = lead[0];
    for (size_t k = 1; k < lead.size(); ++k) value = mul(value, lead[k]);
    r.rows = value;
  }
  r.flatten = true;
  return r;
}

Tensor dense_pack(const Tensor& data, const Tensor& weight, const std::optional<Tensor>& bias, DataType out_dtype,
                  const std::optional<GemmConfig>& config, const Target& target_in, int64_t l2) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  size_t wd = weight->shape.size();
  TVM_CHECK(wd == 2 || wd == 3, "ValueError")
      << "dense_pack: weight must be 2-d (N, K) or packed 3-d (N/n, K, n), got shape " << Shape(weight);
  TVM_CHECK(data->shape.size() >= 2, "ValueError")
      << "dense_pack: data must have at least 2 dimensions, got shape " << Shape(data);
  Array<PrimExpr> shape;
  for (const PrimExpr& d : data->shape) shape.push_back(Norm(d));
  GemmRows g = DenseGemmRows(data->shape);
  PrimExpr depth = shape[shape.size() - 1];
  bool prepacked = wd == 3;
  PrimExpr cols, wdepth;
  if (prepacked) {
    auto n0 = StaticValue(weight->shape[0]), n2 = StaticValue(weight->shape[2]);
    TVM_CHECK(n0 && n2, "ValueError") << "dense_pack: the packed weight's panels must be static, got shape "
                                      << Shape(weight);
    cols = Int(*n0 * *n2);
    wdepth = Norm(weight->shape[1]);
  } else {
    cols = Norm(weight->shape[0]);
    wdepth = Norm(weight->shape[1]);
  }
  auto wk = StaticValue(wdepth), dk = StaticValue(depth);
  TVM_CHECK(!(wk && dk) || *wk == *dk, "ValueError")
      << "dense_pack: data " << Shape(data) << " and weight " << Shape(weight) << " disagree on the reduction length";
  GemmConfig cfg;
  if (config) {
    cfg = *config;
  } else if (prepacked) {
    cfg = GemmConfigForPanels(StaticValue(g.rows), *StaticValue(weight->shape[2]), dk, target, l2);
  } else {
    cfg = GemmDefaultConfig(StaticValue(g.rows), StaticValue(cols), dk, target, false, l2);
  }
  if (prepacked) {
    TVM_CHECK(cfg.nr() == *StaticValue(weight->shape[2]), "ValueError")
        << "dense_pack: the config's panel width " << cfg.nr() << " is not the packed weight's "
        << weight->shape[2];
  }
  Array<PrimExpr> lead(shape.begin(), shape.end() - 1);
  GemmAValue a_value;
  if (g.flatten) {
    a_value = [&](const Array<PrimExpr>&, const PrimExpr& i, const PrimExpr& k) {
      // unravel_index(i, lead): row-major indices of the flat row
      std::vector<PrimExpr> idx;
      PrimExpr rest = i;
      for (size_t d = lead.size(); d-- > 0;) {
        idx.push_back(indexmod(rest, lead[d]));
        rest = indexdiv(rest, lead[d]);
      }
      Array<PrimExpr> index(idx.rbegin(), idx.rend());
      index.push_back(k);
      return data(index);
    };
  } else {
    a_value = [&](const Array<PrimExpr>& b, const PrimExpr& i, const PrimExpr& k) {
      Array<PrimExpr> index = b;
      index.push_back(i);
      index.push_back(k);
      return data(index);
    };
  }
  DataType dtype = out_dtype.is_void() ? data->dtype : out_dtype;
  Tensor out = PackedGemm(
      a_value, g.batch, g.rows,
      [&](const Array<PrimExpr>&, const PrimExpr& k, const PrimExpr& j) { return weight(Array<PrimExpr>{j, k}); },
      {}, cols, depth, [](const Array<PrimExpr>&) { return Array<PrimExpr>(); }, dtype, cfg, "T_dense_pack",
      kDensePackTag, prepacked ? std::optional<Tensor>(weight) : std::nullopt, true, l2);
  if (g.flatten) {  // back to data's leading axes
    Tensor flat = out;
    Array<PrimExpr> view_shape = lead;
    view_shape.push_back(cols);
    out = nchwc::PyCompute(
        view_shape,
        [&](const Array<PrimExpr>& idx) {
          // ravel_index(idx[:-1], lead)
          PrimExpr row;
          for (size_t d = 0; d + 1 < idx.size(); ++d) row = d == 0 ? idx[0] : add(mul(row, lead[d]), idx[d]);
          return flat(Array<PrimExpr>{row, idx[idx.size() - 1]});
        },
        "T_dense_pack_view", std::string(kInjective) + ",gemm_view");
  }
  return AddBias(out, bias);
}

te::Schedule schedule_dense_pack(const Target& target, const Array<Tensor>& outs,
                                 const std::optional<GemmConfig>& config, int64_t l2) {
  return ScheduleGemm(target, outs, kDensePackTag, config, l2);
}

Tensor matmul_pack(const Tensor& a, const Tensor& b, const std::optional<Tensor>& bias, DataType out_dtype,
                   bool transpose_a, bool transpose_b, const std::optional<GemmConfig>& config, const Target& target_in,
                   int64_t l2) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  TVM_CHECK(a->shape.size() == 2, "ValueError") << "matmul_pack: tensor_a must be 2-d, got shape " << Shape(a);
  TVM_CHECK(b->shape.size() == 2, "ValueError") << "matmul_pack: tensor_b must be 2-d, got shape " << Shape(b);
  PrimExpr rows = Norm(a->shape[transpose_a ? 1 : 0]), depth = Norm(a->shape[transpose_a ? 0 : 1]);
  PrimExpr bdepth = Norm(b->shape[transpose_b ? 1 : 0]), cols = Norm(b->shape[transpose_b ? 0 : 1]);
  auto bk = StaticValue(bdepth), dk = StaticValue(depth);
  TVM_CHECK(!(bk && dk) || *bk == *dk, "ValueError")
      << "matmul_pack: tensor_a " << Shape(a) << " (transpose_a=" << (transpose_a ? "True" : "False")
      << ") and tensor_b " << Shape(b) << " (transpose_b=" << (transpose_b ? "True" : "False")
      << ") disagree on the reduction length";
  GemmConfig cfg = config ? *config : GemmDefaultConfig(StaticValue(rows), StaticValue(cols), dk, target, false, l2);
  DataType dtype = out_dtype.is_void() ? a->dtype : out_dtype;
  Tensor out = PackedGemm(
      [&](const Array<PrimExpr>&, const PrimExpr& i, const PrimExpr& k) {
        return transpose_a ? a(Array<PrimExpr>{k, i}) : a(Array<PrimExpr>{i, k});
      },
      {}, rows,
      [&](const Array<PrimExpr>&, const PrimExpr& k, const PrimExpr& j) {
        return transpose_b ? b(Array<PrimExpr>{j, k}) : b(Array<PrimExpr>{k, j});
      },
      {}, cols, depth, [](const Array<PrimExpr>&) { return Array<PrimExpr>(); }, dtype, cfg, "T_matmul_pack",
      kMatmulPackTag, std::nullopt, transpose_b, l2);
  return AddBias(out, bias);
}

te::Schedule schedule_matmul_pack(const Target& target, const Array<Tensor>& outs,
                                  const std::optional<GemmConfig>& config, int64_t l2) {
  return ScheduleGemm(target, outs, kMatmulPackTag, config, l2);
}

Tensor batch_matmul(const Tensor& a, const Tensor& b, DataType out_dtype, bool transpose_a, bool transpose_b,
                    const std::optional<GemmConfig>& config, const Target& target_in, int64_t l2) {
  Target target = target_in.defined() ? target_in : Target::Current(true);
  TVM_CHECK(a->shape.size() == 3 && b->shape.size() == 3, "ValueError")
      << "batch_matmul: both operands must be 3-d, got shapes " << Shape(a) << " and " << Shape(b);
  PrimExpr a_batch = Norm(a->shape[0]), b_batch = Norm(b->shape[0]);
  auto ab = StaticValue(a_batch), bb = StaticValue(b_batch);
  TVM_CHECK(!(ab && bb) || *ab == *bb || *ab == 1 || *bb == 1, "ValueError")
      << "batch_matmul: batch sizes " << *ab << " and " << *bb << " (shapes " << Shape(a) << ", " << Shape(b)
      << ") differ and neither is 1";
  PrimExpr rows = Norm(a->shape[transpose_a ? 2 : 1]), depth = Norm(a->shape[transpose_a ? 1 : 2]);
  PrimExpr bdepth = Norm(b->shape[transpose_b ? 2 : 1]), cols = Norm(b->shape[transpose_b ? 1 : 2]);
  auto bk = StaticValue(bdepth), dk = StaticValue(depth);
  TVM_CHECK(!(bk && dk) || *bk == *dk, "ValueError")
      << "batch_matmul: tensor_a " << Shape(a) << " (transpose_a=" << (transpose_a ? "True" : "False")
      << ") and tensor_b " << Shape(b) << " (transpose_b=" << (transpose_b ? "True" : "False")
      << ") disagree on the reduction length";
  // A symbolic batch may still be 1 at run time while the other is not (Relay broadcasts it): the
  // output's batch is the larger one, and a side whose batch is not known to be the output's
  // reads its batch index through a select.
  PrimExpr batch;
  // Which side's batch extent the output's batch is (as Python's `extent is batch`).
  bool a_is_batch = false, b_is_batch = false;
  if (ab && bb) {
    batch = Int(std::max(*ab, *bb));
  } else if (ab) {
    if (*ab == 1) {
      batch = b_batch;
      b_is_batch = true;
    } else {
      batch = a_batch;
      a_is_batch = true;
    }
  } else if (bb) {
    if (*bb == 1) {
      batch = a_batch;
      a_is_batch = true;
    } else {
      batch = b_batch;
      b_is_batch = true;
    }
  } else {
    batch = max(a_batch, b_batch);
  }
  auto batch_index = [&](const PrimExpr& extent, bool is_batch, const PrimExpr& index) -> PrimExpr {
    auto e = StaticValue(extent);
    if (e && *e == 1) return Int(0);
    if (is_batch || (e && StaticValue(batch))) return index;
    return tir::Select(equal(extent, Int(1)), make_const(index.dtype(), 0), index);
  };
  if (!dk && bk) depth = bdepth;
  GemmConfig cfg = config ? *config
                          : GemmDefaultConfig(StaticValue(rows), StaticValue(cols), StaticValue(depth), target, false, l2);
  DataType dtype = out_dtype.is_void() ? a->dtype : out_dtype;
  return PackedGemm(
      [&](const Array<PrimExpr>& bi, const PrimExpr& i, const PrimExpr& k) {
        PrimExpr idx = batch_index(a_batch, a_is_batch, bi[0]);
        return transpose_a ? a(Array<PrimExpr>{idx, k, i}) : a(Array<PrimExpr>{idx, i, k});
      },
      {batch}, rows,
      [&](const Array<PrimExpr>& pb, const PrimExpr& k, const PrimExpr& j) {
        return transpose_b ? b(Array<PrimExpr>{pb[0], j, k}) : b(Array<PrimExpr>{pb[0], k, j});
      },
      {b_batch}, cols, depth,
      [&](const Array<PrimExpr>& bi) { return Array<PrimExpr>{batch_index(b_batch, b_is_batch, bi[0])}; }, dtype,
      cfg, "T_batch_matmul_pack", kBatchMatmulPackTag, std::nullopt, transpose_b, l2);
}

te::Schedule schedule_batch_matmul(const Target& target, const Array<Tensor>& outs,
                                   const std::optional<GemmConfig>& config, int64_t l2) {
  return ScheduleGemm(target, outs, kBatchMatmulPackTag, config, l2);
}

namespace {

std::optional<GemmConfig> Config(const std::optional<Array<Integer>>& a) {
  if (!a) return std::nullopt;
  return GemmConfigFromArray(*a);
}

Array<Tensor> AsTensors(const ObjectRef& outs) {
  if (const auto* t = outs.as<te::TensorNode>()) return {GetRef<Tensor>(t)};
  return Downcast<Array<Tensor>>(outs);
}

}  // namespace

TVM_REGISTER_GLOBAL("topi.x86.dense_pack")
    .set_body_typed([](Tensor data, Tensor weight, std::optional<Tensor> bias, std::optional<DataType> out_dtype,
                       std::optional<Array<Integer>> config, std::optional<Target> target, int64_t l2) {
      return dense_pack(data, weight, bias, out_dtype.value_or(DataType()), Config(config),
                        target.value_or(Target()), l2);
    });
TVM_REGISTER_GLOBAL("topi.x86.matmul_pack")
    .set_body_typed([](Tensor a, Tensor b, std::optional<Tensor> bias, std::optional<DataType> out_dtype,
                       bool transpose_a, bool transpose_b, std::optional<Array<Integer>> config,
                       std::optional<Target> target, int64_t l2) {
      return matmul_pack(a, b, bias, out_dtype.value_or(DataType()), transpose_a, transpose_b, Config(config),
                         target.value_or(Target()), l2);
    });
TVM_REGISTER_GLOBAL("topi.x86.batch_matmul")
    .set_body_typed([](Tensor a, Tensor b, std::optional<DataType> out_dtype, bool transpose_a, bool transpose_b,
                       std::optional<Array<Integer>> config, std::optional<Target> target, int64_t l2) {
      return batch_matmul(a, b, out_dtype.value_or(DataType()), transpose_a, transpose_b, Config(config),
                          target.value_or(Target()), l2);
    });
TVM_REGISTER_GLOBAL("topi.x86.dense_gemm_rows").set_body_typed([](Array<PrimExpr> shape) {
  GemmRows g = DenseGemmRows(shape);
  return Array<ObjectRef>{g.batch, g.rows, Bool(g.flatten)};
});

}  // namespace x86
}  // namespace topi
}  // namespace tvm
