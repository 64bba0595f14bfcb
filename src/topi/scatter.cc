/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/scatter.cc
 * \brief scatter_nd and scatter_elements: writes at data-dependent positions,
 *  which a data-parallel compute cannot express (two updates may hit one
 *  element). Each is an extern operation whose TIR loops copy the data, then
 *  apply the updates in order, so repeated indices accumulate ("add", "mul",
 *  "min", "max") or the last one wins ("update").
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/detail/constant_utils.h>
#include <tvm/topi/transform.h>

#include <functional>
#include <string>
#include <vector>

namespace tvm {
namespace topi {

using te::Operation;
using tir::Buffer;
using tir::Stmt;
using tir::Var;

namespace {

// Serial loops over `shape`; body gets the loop variables.
Stmt LoopNest(const Array<PrimExpr>& shape, const std::string& prefix,
              const std::function<Stmt(const Array<PrimExpr>&)>& body) {
  Array<PrimExpr> vars;
  std::vector<Var> loop_vars;
  for (size_t k = 0; k < shape.size(); ++k) {
    loop_vars.emplace_back(prefix + std::to_string(k), shape[k].dtype());
    vars.push_back(loop_vars.back());
  }
  Stmt s = body(vars);
  for (size_t k = shape.size(); k-- > 0;) {
    s = tir::For(loop_vars[k], tvm::make_zero(shape[k].dtype()), shape[k], tir::ForKind::kSerial, s);
  }
  return s;
}

PrimExpr Combine(const std::string& mode, const PrimExpr& old, const PrimExpr& update, const std::string& op) {
  if (mode == "update") return update;
  if (mode == "add") return old + update;
  if (mode == "mul") return old * update;
  if (mode == "min") return tvm::min(old, update);
  if (mode == "max") return tvm::max(old, update);
  TVM_CHECK(false, "ValueError") << "topi." << op << ": mode must be one of update, add, mul, min, max; got '" << mode << "'";
  return update;
}

// An index read from a tensor, in the dimension's type; negative ones count from the end.
PrimExpr WrapIndex(PrimExpr idx, const PrimExpr& n) {
  idx = tvm::cast(n.dtype(), idx);
  return tir::Select(idx < tvm::make_zero(n.dtype()), idx + n, idx);
}

Tensor ScatterExtern(const std::string& name, const Tensor& data, const Tensor& indices, const Tensor& updates,
                     const std::function<Stmt(const Buffer&, const Buffer&, const Buffer&, const Buffer&)>& apply) {
  Buffer d = tir::decl_buffer(data->shape, data->dtype, "data_buf");
  Buffer i = tir::decl_buffer(indices->shape, indices->dtype, "indices_buf");
  Buffer u = tir::decl_buffer(updates->shape, updates->dtype, "updates_buf");
  Buffer o = tir::decl_buffer(data->shape, data->dtype, name + "_out");
  Stmt copy = LoopNest(data->shape, "c", [&](const Array<PrimExpr>& v) {
    return tir::BufferStore(o, tir::BufferLoad(d, v), v);
  });
  Stmt body = tir::SeqStmt({copy, apply(d, i, u, o)});
  Operation op = te::ExternOp(name, name, {}, {data, indices, updates}, {d, i, u}, {o}, body);
  return op.output(0);
}

}  // namespace

Tensor scatter_nd(const Tensor& data, const Tensor& indices, const Tensor& updates, std::string mode) {
  TVM_CHECK(data->dtype == updates->dtype, "TypeError") << "topi.scatter_nd: data (" << data->dtype
                                                       << ") and updates (" << updates->dtype << ") differ in dtype";
  TVM_CHECK(!indices->shape.empty(), "ValueError") << "topi.scatter_nd: indices must have rank >= 1";
  int64_t m = detail::GetConstInt(indices->shape[0], "topi.scatter_nd: indices.shape[0]");
  size_t ny = indices->shape.size() - 1, nd = data->shape.size();
  TVM_CHECK(m <= static_cast<int64_t>(nd) && updates->shape.size() == ny + nd - m, "ValueError")
      << "topi.scatter_nd: indices of shape " << indices->shape << " and updates of shape " << updates->shape
      << " do not fit data of shape " << data->shape;
  Combine(mode, PrimExpr(0), PrimExpr(0), "scatter_nd");  // validates mode
  return ScatterExtern("scatter_nd", data, indices, updates,
                       [&](const Buffer& d, const Buffer& i, const Buffer& u, const Buffer& o) {
                         return LoopNest(updates->shape, "u", [&](const Array<PrimExpr>& v) {
                           Array<PrimExpr> at;
                           for (int64_t k = 0; k < m; ++k) {
                             Array<PrimExpr> iidx = {tvm::make_const(indices->shape[0].dtype(), k)};
                             for (size_t y = 0; y < ny; ++y) iidx.push_back(v[y]);
                             at.push_back(WrapIndex(tir::BufferLoad(i, iidx), data->shape[k]));
                           }
                           for (size_t r = ny; r < v.size(); ++r) at.push_back(v[r]);
                           PrimExpr value = Combine(mode, tir::BufferLoad(o, at), tir::BufferLoad(u, v), "scatter_nd");
                           return tir::BufferStore(o, value, at);
                         });
                       });
}

Tensor scatter_elements(const Tensor& data, const Tensor& indices, const Tensor& updates, int axis,
                        std::string reduction) {
  int nd = static_cast<int>(data->shape.size());
  TVM_CHECK(axis >= -nd && axis < nd, "ValueError") << "topi.scatter_elements: axis " << axis
                                                    << " is out of range for a tensor of " << nd << " dimensions";
  if (axis < 0) axis += nd;
  TVM_CHECK(indices->shape.size() == data->shape.size() && updates->shape.size() == data->shape.size(),
            "ValueError")
      << "topi.scatter_elements: data " << data->shape << ", indices " << indices->shape << " and updates "
      << updates->shape << " must have one rank";
  TVM_CHECK(data->dtype == updates->dtype, "TypeError") << "topi.scatter_elements: data (" << data->dtype
                                                       << ") and updates (" << updates->dtype << ") differ in dtype";
  Combine(reduction, PrimExpr(0), PrimExpr(0), "scatter_elements");
  return ScatterExtern("scatter_elements", data, indices, updates,
                       [&](const Buffer& d, const Buffer& i, const Buffer& u, const Buffer& o) {
                         return LoopNest(indices->shape, "u", [&](const Array<PrimExpr>& v) {
                           Array<PrimExpr> at = v;
                           at.Set(axis, WrapIndex(tir::BufferLoad(i, v), data->shape[axis]));
                           PrimExpr value =
                               Combine(reduction, tir::BufferLoad(o, at), tir::BufferLoad(u, v), "scatter_elements");
                           return tir::BufferStore(o, value, at);
                         });
                       });
}

TVM_REGISTER_GLOBAL("topi.scatter_nd")
    .set_body_typed([](Tensor data, Tensor indices, Tensor updates, std::string mode) {
      return scatter_nd(data, indices, updates, mode);
    });
TVM_REGISTER_GLOBAL("topi.scatter_elements")
    .set_body_typed([](Tensor data, Tensor indices, Tensor updates, int axis, std::string reduction) {
      return scatter_elements(data, indices, updates, axis, reduction);
    });

}  // namespace topi
}  // namespace tvm
