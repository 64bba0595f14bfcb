/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/reduction.cc
 * \brief Reductions (tvm/topi/reduction.h) and their Python bindings.
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/reduction.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace tvm {
namespace topi {

using te::Tensor;
using tir::Var;
using tir::IterVar;

std::vector<int> GetRealAxis(int ndim, const ReduceAxes& axis, bool exclude, const std::string& op) {
  std::vector<bool> chosen(ndim, !axis.has_value());
  if (axis) {
    for (const Integer& a : *axis) {
      int64_t v = a->value;
      TVM_CHECK(v >= -ndim && v < ndim, "ValueError")
          << "topi." << op << ": axis " << v << " is out of range for a tensor of " << ndim << " dimensions";
      chosen[v < 0 ? v + ndim : v] = true;
    }
    if (exclude) chosen.flip();
  }
  std::vector<int> real;
  for (int i = 0; i < ndim; ++i) {
    if (chosen[i]) real.push_back(i);
  }
  return real;
}

namespace {

struct ReducePlan {
  std::vector<int> axes;
  Array<PrimExpr> out_shape;
  Array<IterVar> reduce_axes;
};

ReducePlan Plan(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude,
                const std::string& op) {
  ReducePlan p;
  int ndim = static_cast<int>(data->shape.size());
  p.axes = GetRealAxis(ndim, axis, exclude, op);
  for (int i = 0; i < ndim; ++i) {
    bool reduced = std::find(p.axes.begin(), p.axes.end(), i) != p.axes.end();
    if (reduced) {
      p.reduce_axes.push_back(te::reduce_axis(Range(0, data->shape[i]), "k" + std::to_string(i)));
      if (keepdims) p.out_shape.push_back(tvm::make_const(data->shape[i].dtype(), 1));
    } else {
      p.out_shape.push_back(data->shape[i]);
    }
  }
  if (p.out_shape.empty() && atleast1d) p.out_shape.push_back(1);
  return p;
}

// The element of data an output index and the reduction variables read.
Array<PrimExpr> SourceIndex(const Tensor& data, const ReducePlan& p, const Array<Var>& out, bool keepdims) {
  Array<PrimExpr> index;
  size_t r = 0, o = 0;
  for (size_t i = 0; i < data->shape.size(); ++i) {
    if (r < p.axes.size() && p.axes[r] == static_cast<int>(i)) {
      index.push_back(p.reduce_axes[r]->var);
      ++r;
      if (keepdims) ++o;
    } else {
      index.push_back(out[o++]);
    }
  }
  return index;
}

using Reducer = std::function<PrimExpr(PrimExpr, Array<IterVar>)>;

Tensor CommReduce(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude,
                  const std::string& op, const Reducer& reducer) {
  ReducePlan p = Plan(data, axis, keepdims, atleast1d, exclude, op);
  if (p.reduce_axes.empty()) {
    // Nothing to reduce: a copy (keeps the output a distinct stage).
    return te::compute(
        p.out_shape, [&](const Array<Var>& i) { return data(SourceIndex(data, p, i, keepdims)); },
        "T_" + op, kCommReduce);
  }
  return te::compute(
      p.out_shape,
      [&](const Array<Var>& i) { return reducer(data(SourceIndex(data, p, i, keepdims)), p.reduce_axes); },
      "T_" + op, kCommReduce);
}

PrimExpr AsBool(const PrimExpr& e) { return e.dtype().is_bool() ? e : PrimExpr(e != tvm::make_zero(e.dtype())); }

tir::CommReducer BoolReducer(bool is_and) {
  Var x("x", DataType::Bool()), y("y", DataType::Bool());
  PrimExpr r = is_and ? tvm::logical_and(x, y) : tvm::logical_or(x, y);
  return tir::CommReducer({x}, {y}, {r}, {tvm::make_const(DataType::Bool(), is_and)});
}

// (index, value) pairs: keep the greater (argmax) or smaller value; the identity
// index -1 never wins, ties go to the lower index (or higher with select_last).
tir::CommReducer ArgReducer(DataType value_type, bool is_max, bool select_last) {
  DataType idx_t = DataType::Int(32);
  Var li("li", idx_t), lv("lv", value_type), ri("ri", idx_t), rv("rv", value_type);
  PrimExpr better = is_max ? (lv > rv) : (lv < rv);
  PrimExpr tie_ok = select_last ? (li > ri) : (li < ri);
  PrimExpr zero = tvm::make_zero(idx_t);
  PrimExpr take_left = (li >= zero) && ((ri < zero) || better || ((lv == rv) && tie_ok));
  PrimExpr idx = tir::Select(take_left, li, ri);
  PrimExpr val = tir::Select(take_left, lv, rv);
  PrimExpr ident_v = is_max ? tvm::min_value(value_type) : tvm::max_value(value_type);
  return tir::CommReducer({li, lv}, {ri, rv}, {idx, val}, {tvm::make_const(idx_t, -1), ident_v});
}

Tensor ArgReduce(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool select_last,
                 bool exclude, bool is_max) {
  std::string op = is_max ? "argmax" : "argmin";
  ReducePlan p = Plan(data, axis, keepdims, atleast1d, exclude, op);
  if (p.reduce_axes.empty()) {
    return te::compute(p.out_shape, [&](const Array<Var>&) { return tvm::make_zero(DataType::Int(32)); },
                       "T_" + op, kCommReduceIdx);
  }
  tir::CommReducer combiner = ArgReducer(data->dtype, is_max, select_last);
  Array<Tensor> outs = te::compute(
      p.out_shape,
      [&](const Array<Var>& i) -> Array<PrimExpr> {
        PrimExpr flat = tvm::make_zero(DataType::Int(32));
        for (size_t r = 0; r < p.reduce_axes.size(); ++r) {
          PrimExpr extent = tvm::cast(DataType::Int(32), data->shape[p.axes[r]]);
          flat = flat * extent + tvm::cast(DataType::Int(32), p.reduce_axes[r]->var);
        }
        Array<PrimExpr> source = {flat, data(SourceIndex(data, p, i, keepdims))};
        PrimExpr cond = tvm::const_true();
        return {tir::Reduce(combiner, source, p.reduce_axes, cond, 0, {}),
                tir::Reduce(combiner, source, p.reduce_axes, cond, 1, {})};
      },
      "T_" + op + "_red", kCommReduceIdx);
  return outs[0];
}

}  // namespace

Tensor sum(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude) {
  // A sum of booleans stays boolean (numpy's sum(dtype=bool)): whether any is true.
  if (data->dtype.is_bool()) return any(data, axis, keepdims, atleast1d, exclude);
  return CommReduce(data, axis, keepdims, atleast1d, exclude, "sum",
                    [](PrimExpr v, Array<IterVar> r) { return te::sum(v, r); });
}
Tensor max(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude) {
  return CommReduce(data, axis, keepdims, atleast1d, exclude, "max",
                    [](PrimExpr v, Array<IterVar> r) { return te::max(v, r); });
}
Tensor min(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude) {
  return CommReduce(data, axis, keepdims, atleast1d, exclude, "min",
                    [](PrimExpr v, Array<IterVar> r) { return te::min(v, r); });
}
Tensor prod(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude) {
  if (data->dtype.is_bool()) return all(data, axis, keepdims, atleast1d, exclude);
  return CommReduce(data, axis, keepdims, atleast1d, exclude, "prod",
                    [](PrimExpr v, Array<IterVar> r) { return te::prod(v, r); });
}
Tensor all(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude) {
  return CommReduce(data, axis, keepdims, atleast1d, exclude, "all", [](PrimExpr v, Array<IterVar> r) {
    return tir::Reduce(BoolReducer(true), {AsBool(v)}, r, tvm::const_true(), 0, {});
  });
}
Tensor any(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool exclude) {
  return CommReduce(data, axis, keepdims, atleast1d, exclude, "any", [](PrimExpr v, Array<IterVar> r) {
    return tir::Reduce(BoolReducer(false), {AsBool(v)}, r, tvm::const_true(), 0, {});
  });
}
Tensor argmax(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool select_last_index,
              bool exclude) {
  return ArgReduce(data, axis, keepdims, atleast1d, select_last_index, exclude, true);
}
Tensor argmin(const Tensor& data, const ReduceAxes& axis, bool keepdims, bool atleast1d, bool select_last_index,
              bool exclude) {
  return ArgReduce(data, axis, keepdims, atleast1d, select_last_index, exclude, false);
}

Tensor collapse_sum(const Tensor& data, const Array<PrimExpr>& target_shape) {
  size_t nd = data->shape.size(), nt = target_shape.size();
  TVM_CHECK(nt <= nd, "ValueError") << "topi.collapse_sum: target shape " << target_shape << " has more dimensions than "
                                    << data.op()->name << " of shape " << data->shape;
  Array<Integer> axes;
  for (size_t i = 0; i < nd; ++i) {
    if (i < nd - nt) {
      axes.push_back(static_cast<int>(i));
      continue;
    }
    const PrimExpr& t = target_shape[i - (nd - nt)];
    if (tvm::is_one(t) && !tvm::is_one(data->shape[i])) {
      axes.push_back(static_cast<int>(i));
    } else {
      auto a = tvm::as_const_int(t), b = tvm::as_const_int(data->shape[i]);
      TVM_CHECK(!(a && b) || *a == *b, "ValueError")
          << "topi.collapse_sum: " << data.op()->name << " of shape " << data->shape
          << " is not a broadcast of target shape " << target_shape;
    }
  }
  // Reduce the leading axes away and keep the stretched ones as 1: sum with
  // keepdims, then the leading ones dropped by indexing.
  Tensor summed = sum(data, axes, true);
  size_t lead = nd - nt;
  return te::compute(
      target_shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (size_t k = 0; k < lead; ++k) idx.push_back(0);
        for (const Var& v : i) idx.push_back(v);
        return summed(idx);
      },
      "T_collapse_sum", kInjective);
}

// ---------------------------------------------------------------------------
// Python bindings: topi.sum(data, axis, keepdims, atleast1d, exclude)

namespace {
using ReduceFn = Tensor (*)(const Tensor&, const ReduceAxes&, bool, bool, bool);
const int kRegisterReduce = [] {
  const std::pair<const char*, ReduceFn> entries[] = {
      {"sum", sum}, {"max", max}, {"min", min}, {"prod", prod}, {"all", all}, {"any", any}};
  for (const auto& [name, fn] : entries) {
    ReduceFn f = fn;
    runtime::Registry::Register(std::string("topi.") + name)
        .set_body_typed([f](Tensor data, ReduceAxes axis, bool keepdims, bool atleast1d, bool exclude) {
          return f(data, axis, keepdims, atleast1d, exclude);
        });
  }
  return 0;
}();
}  // namespace

TVM_REGISTER_GLOBAL("topi.argmax")
    .set_body_typed([](Tensor data, ReduceAxes axis, bool keepdims, bool atleast1d, bool select_last, bool exclude) {
      return argmax(data, axis, keepdims, atleast1d, select_last, exclude);
    });
TVM_REGISTER_GLOBAL("topi.argmin")
    .set_body_typed([](Tensor data, ReduceAxes axis, bool keepdims, bool atleast1d, bool select_last, bool exclude) {
      return argmin(data, axis, keepdims, atleast1d, select_last, exclude);
    });
TVM_REGISTER_GLOBAL("topi.collapse_sum").set_body_typed([](Tensor data, Array<PrimExpr> target_shape) {
  return collapse_sum(data, target_shape);
});

}  // namespace topi
}  // namespace tvm
