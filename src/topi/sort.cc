/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/sort.cc
 * \brief Sorting and running sums, which TE's data-parallel computes cannot
 *  express: each is an extern operation. sort / argsort / topk call the packed
 *  functions tvm.contrib.sort.* (TVM's names; src/runtime/contrib_sort.cc, in
 *  the runtime so that deployed modules find them); cumsum / cumprod are TIR
 *  loops that run along the axis in order.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/tir/builtin.h>
#include <tvm/topi/transform.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tvm {
namespace topi {

using tir::Buffer;
using tir::Var;
using te::Operation;

namespace {

int NormalizeAxis(int axis, int ndim, const std::string& op) {
  TVM_CHECK(axis >= -ndim && axis < ndim, "ValueError")
      << "topi." << op << ": axis " << axis << " is out of range for a tensor of " << ndim << " dimensions";
  return axis < 0 ? axis + ndim : axis;
}

}  // namespace

// ---------------------------------------------------------------------------
// The extern operations

namespace {

// A buffer as a DLTensor argument of a packed call.
PrimExpr PackBuffer(const Buffer& b) {
  using tir::Call;
  PrimExpr shape = Call(DataType::Handle(), tir::builtin::tvm_stack_make_shape(), b->shape);
  PrimExpr strides = b->strides.empty() ? PrimExpr(tvm::make_zero(DataType::Int(32)))
                                        : PrimExpr(Call(DataType::Handle(), tir::builtin::tvm_stack_make_shape(), b->strides));
  return Call(DataType::Handle(), tir::builtin::tvm_stack_make_array(),
              {b->data, shape, strides, tvm::make_const(DataType::Int(32), static_cast<int64_t>(b->shape.size())),
               tvm::make_zero(b->dtype), b->elem_offset});
}

Array<Tensor> PackedExtern(const std::string& name, const Array<Tensor>& inputs,
                           const std::vector<std::pair<Array<PrimExpr>, DataType>>& outputs,
                           const std::string& func, const Array<PrimExpr>& extra_args) {
  Array<Buffer> in_bufs, out_bufs;
  Array<PrimExpr> args = {tir::StringImm(func)};
  for (const Tensor& t : inputs) {
    Buffer b = tir::decl_buffer(t->shape, t->dtype, t.op()->name + "_buf");
    in_bufs.push_back(b);
    args.push_back(PackBuffer(b));
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    Buffer b = tir::decl_buffer(outputs[i].first, outputs[i].second, name + "_out" + std::to_string(i));
    out_bufs.push_back(b);
    args.push_back(PackBuffer(b));
  }
  for (const PrimExpr& a : extra_args) args.push_back(a);
  tir::Stmt body = tir::Evaluate(tir::Call(DataType::Int(32), tir::builtin::tvm_call_packed(), args));
  Operation op = te::ExternOp(name, name, {}, inputs, in_bufs, out_bufs, body);
  Array<Tensor> outs;
  for (size_t i = 0; i < outputs.size(); ++i) outs.push_back(op.output(i));
  return outs;
}

PrimExpr I32(int64_t v) { return tvm::make_const(DataType::Int(32), v); }
PrimExpr Bool(bool v) { return tvm::make_const(DataType::Bool(), v); }

Tensor Scan(const Tensor& x_in, std::optional<int> axis_opt, DataType dtype, bool exclusive, bool is_sum) {
  std::string op = is_sum ? "cumsum" : "cumprod";
  Tensor x = x_in;
  if (!axis_opt) {
    PrimExpr n = 1;
    for (const PrimExpr& d : x->shape) n = n * d;
    arith::Analyzer analyzer;
    x = reshape(x, {analyzer.Simplify(n)});
  }
  int nd = static_cast<int>(x->shape.size());
  TVM_CHECK(nd > 0, "ValueError") << "topi." << op << ": the input is 0-d";
  int axis = NormalizeAxis(axis_opt.value_or(0), nd, op);
  if (dtype.is_void()) dtype = x->dtype;
  Buffer in = tir::decl_buffer(x->shape, x->dtype, "scan_in");
  Buffer out = tir::decl_buffer(x->shape, dtype, "scan_out");
  // Loops over the other axes, then the scan along axis.
  std::vector<Var> vars;
  for (int k = 0; k < nd; ++k) vars.emplace_back("i" + std::to_string(k), x->shape[k].dtype());
  auto index = [&](PrimExpr at) {
    Array<PrimExpr> idx;
    for (int k = 0; k < nd; ++k) idx.push_back(k == axis ? at : PrimExpr(vars[k]));
    return idx;
  };
  auto combine = [&](PrimExpr a, PrimExpr b) { return is_sum ? a + b : a * b; };
  PrimExpr identity = tvm::make_const(dtype, is_sum ? 0 : 1);
  PrimExpr zero = tvm::make_zero(vars[axis].dtype()), one = tvm::make_const(vars[axis].dtype(), 1);
  tir::Stmt first = tir::BufferStore(
      out, exclusive ? identity : tvm::cast(dtype, tir::BufferLoad(in, index(zero))), index(zero));
  PrimExpr j = vars[axis];
  PrimExpr read = exclusive ? tir::BufferLoad(in, index(j - one)) : tir::BufferLoad(in, index(j));
  tir::Stmt step = tir::BufferStore(out, combine(tir::BufferLoad(out, index(j - one)), tvm::cast(dtype, read)),
                                    index(j));
  tir::Stmt scan = tir::For(vars[axis], one, x->shape[axis] - one, tir::ForKind::kSerial, step);
  tir::Stmt body = tir::IfThenElse(x->shape[axis] > zero, tir::SeqStmt({first, scan}));
  for (int k = nd - 1; k >= 0; --k) {
    if (k == axis) continue;
    body = tir::For(vars[k], tvm::make_zero(vars[k].dtype()), x->shape[k], tir::ForKind::kSerial, body);
  }
  Operation opn = te::ExternOp("T_" + op, op, {}, {x}, {in}, {out}, body);
  return opn.output(0);
}

}  // namespace

Tensor cumsum(const Tensor& x, std::optional<int> axis, DataType dtype, bool exclusive) {
  return Scan(x, axis, dtype, exclusive, true);
}
Tensor cumprod(const Tensor& x, std::optional<int> axis, DataType dtype, bool exclusive) {
  return Scan(x, axis, dtype, exclusive, false);
}

Tensor sort(const Tensor& x, int axis, bool is_ascend) {
  NormalizeAxis(axis, static_cast<int>(x->shape.size()), "sort");
  return PackedExtern("sort_cpu", {x}, {{x->shape, x->dtype}}, "tvm.contrib.sort.sort", {I32(axis), Bool(is_ascend)})[0];
}

Tensor argsort(const Tensor& x, int axis, bool is_ascend, DataType dtype) {
  NormalizeAxis(axis, static_cast<int>(x->shape.size()), "argsort");
  return PackedExtern("argsort_cpu", {x}, {{x->shape, dtype}}, "tvm.contrib.sort.argsort",
                      {I32(axis), Bool(is_ascend)})[0];
}

Array<Tensor> topk(const Tensor& x, int k, int axis, std::string ret_type, bool is_ascend, DataType dtype) {
  int nd = static_cast<int>(x->shape.size());
  int ax = NormalizeAxis(axis, nd, "topk");
  TVM_CHECK(ret_type == "both" || ret_type == "values" || ret_type == "indices", "ValueError")
      << "topi.topk: ret_type must be 'both', 'values' or 'indices', got '" << ret_type << "'";
  Array<PrimExpr> shape = x->shape;
  if (k >= 1) {
    auto n = tvm::as_const_int(x->shape[ax]);
    shape.Set(ax, n ? tvm::make_const(x->shape[ax].dtype(), std::min<int64_t>(k, *n))
                    : PrimExpr(tvm::min(x->shape[ax], k)));
  }
  Array<Tensor> outs = PackedExtern("topk_cpu", {x}, {{shape, x->dtype}, {shape, dtype}}, "tvm.contrib.sort.topk",
                                    {I32(k), I32(axis), tir::StringImm("both"), Bool(is_ascend)});
  if (ret_type == "values") return {outs[0]};
  if (ret_type == "indices") return {outs[1]};
  return outs;
}

TVM_REGISTER_GLOBAL("topi.cumsum")
    .set_body_typed([](Tensor x, std::optional<int> axis, std::optional<DataType> dtype, bool exclusive) {
      return cumsum(x, axis, dtype.value_or(DataType::Void()), exclusive);
    });
TVM_REGISTER_GLOBAL("topi.cumprod")
    .set_body_typed([](Tensor x, std::optional<int> axis, std::optional<DataType> dtype, bool exclusive) {
      return cumprod(x, axis, dtype.value_or(DataType::Void()), exclusive);
    });
TVM_REGISTER_GLOBAL("topi.sort").set_body_typed([](Tensor x, int axis, bool ascend) { return sort(x, axis, ascend); });
TVM_REGISTER_GLOBAL("topi.argsort").set_body_typed([](Tensor x, int axis, bool ascend, DataType dtype) {
  return argsort(x, axis, ascend, dtype);
});
TVM_REGISTER_GLOBAL("topi.topk")
    .set_body_typed([](Tensor x, int k, int axis, std::string ret_type, bool ascend, DataType dtype) {
      return topk(x, k, axis, ret_type, ascend, dtype);
    });

}  // namespace topi
}  // namespace tvm
