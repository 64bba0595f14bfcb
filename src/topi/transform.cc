/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/transform.cc
 * \brief Injective transforms (tvm/topi/transform.h) and their Python bindings.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/detail/broadcast.h>
#include <tvm/topi/detail/constant_utils.h>
#include <tvm/topi/transform.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace tvm {
namespace topi {

using tir::Var;
using tir::IterVar;

namespace {

std::string Name(const Tensor& t) { return t.op()->name; }

// An axis in [-ndim, ndim) as a non-negative index.
int NormalizeAxis(int64_t axis, int64_t ndim, const std::string& op, const char* what = "axis") {
  TVM_CHECK(axis >= -ndim && axis < ndim, "ValueError")
      << "topi." << op << ": " << what << " " << axis << " is out of range for a tensor of " << ndim
      << " dimensions";
  return static_cast<int>(axis < 0 ? axis + ndim : axis);
}

PrimExpr Simplify(const PrimExpr& e) {
  arith::Analyzer analyzer;
  return analyzer.Simplify(e);
}

PrimExpr Product(const Array<PrimExpr>& shape) {
  PrimExpr p = tvm::make_const(DataType::Int(32), 1);
  for (const PrimExpr& d : shape) p = p * d;
  return Simplify(p);
}

// Row-major flat index <-> indices.
PrimExpr Ravel(const Array<PrimExpr>& index, const Array<PrimExpr>& shape) {
  PrimExpr flat = tvm::make_zero(index.empty() ? DataType::Int(32) : index[0].dtype());
  for (size_t i = 0; i < index.size(); ++i) flat = flat * shape[i] + index[i];
  return flat;
}

Array<PrimExpr> Unravel(PrimExpr flat, const Array<PrimExpr>& shape) {
  std::vector<PrimExpr> out(shape.size());
  for (size_t k = shape.size(); k-- > 0;) {
    out[k] = k == 0 ? flat : tvm::indexmod(flat, shape[k]);
    flat = tvm::indexdiv(flat, shape[k]);
  }
  return Array<PrimExpr>(out.begin(), out.end());
}

// Whether a shape has a constant zero dimension: its tensors have no elements, and
// index arithmetic over it would divide by zero.
bool IsEmptyShape(const Array<PrimExpr>& shape) {
  for (const PrimExpr& d : shape) {
    if (tvm::is_zero(d)) return true;
  }
  return false;
}

Tensor EmptyLike(const Array<PrimExpr>& shape, DataType dtype, const std::string& name, const std::string& tag) {
  return te::compute(shape, [&](const Array<Var>&) { return tvm::make_zero(dtype); }, name, tag);
}

}  // namespace

Tensor reshape(const Tensor& x, Array<PrimExpr> newshape, std::string name, std::string tag) {
  PrimExpr total = Product(x->shape);
  int infer = -1;
  PrimExpr known = tvm::make_const(DataType::Int(32), 1);
  for (size_t i = 0; i < newshape.size(); ++i) {
    auto v = tvm::as_const_int(newshape[i]);
    if (v && *v == -1) {
      TVM_CHECK(infer < 0, "ValueError") << "topi.reshape of " << Name(x) << ": more than one -1 in " << newshape;
      infer = static_cast<int>(i);
      continue;
    }
    TVM_CHECK(!v || *v >= 0, "ValueError") << "topi.reshape of " << Name(x) << ": negative dimension in "
                                           << newshape;
    known = known * newshape[i];
  }
  if (infer >= 0) {
    TVM_CHECK(!tvm::is_zero(Simplify(known)), "ValueError")
        << "topi.reshape of " << Name(x) << ": cannot infer -1 in " << newshape << " next to a zero dimension";
    newshape.Set(infer, Simplify(tvm::indexdiv(total, known)));
  }
  auto t = tvm::as_const_int(total), n = tvm::as_const_int(Product(newshape));
  TVM_CHECK(!(t && n) || *t == *n, "ValueError") << "topi.reshape: cannot reshape " << Name(x) << " of shape "
                                                 << x->shape << " (" << *t << " elements) to " << newshape;
  if (IsEmptyShape(x->shape) || IsEmptyShape(newshape)) return EmptyLike(newshape, x->dtype, name, tag);
  return te::compute(
      newshape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx(i.begin(), i.end());
        return x(Unravel(Ravel(idx, newshape), x->shape));
      },
      name, tag);
}

Tensor transpose(const Tensor& x, std::optional<Array<Integer>> axes, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  std::vector<int> perm;
  if (!axes || axes->empty()) {
    for (int i = nd - 1; i >= 0; --i) perm.push_back(i);
  } else {
    TVM_CHECK(static_cast<int>(axes->size()) == nd, "ValueError")
        << "topi.transpose of " << Name(x) << ": axes " << *axes << " do not match its " << nd << " dimensions";
    std::vector<bool> seen(nd, false);
    for (const Integer& a : *axes) {
      int k = NormalizeAxis(a->value, nd, "transpose");
      TVM_CHECK(!seen[k], "ValueError") << "topi.transpose of " << Name(x) << ": axis " << a->value
                                        << " repeats in " << *axes;
      seen[k] = true;
      perm.push_back(k);
    }
  }
  Array<PrimExpr> shape;
  for (int k : perm) shape.push_back(x->shape[k]);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        std::vector<PrimExpr> idx(nd);
        for (int k = 0; k < nd; ++k) idx[perm[k]] = i[k];
        return x(Array<PrimExpr>(idx.begin(), idx.end()));
      },
      name, tag);
}

Tensor squeeze(const Tensor& x, std::optional<Array<Integer>> axis, bool atleast1d, std::string name,
               std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  std::vector<bool> drop(nd, false);
  if (!axis) {
    for (int k = 0; k < nd; ++k) drop[k] = tvm::is_one(x->shape[k]);
  } else {
    for (const Integer& a : *axis) {
      int k = NormalizeAxis(a->value, nd, "squeeze");
      auto v = tvm::as_const_int(x->shape[k]);
      TVM_CHECK(!v || *v == 1, "ValueError") << "topi.squeeze of " << Name(x) << " (shape " << x->shape
                                             << "): axis " << a->value << " has size " << *v << ", not 1";
      drop[k] = true;
    }
  }
  Array<PrimExpr> shape;
  for (int k = 0; k < nd; ++k) {
    if (!drop[k]) shape.push_back(x->shape[k]);
  }
  bool padded = shape.empty() && atleast1d;
  if (padded) shape.push_back(1);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        size_t o = 0;
        for (int k = 0; k < nd; ++k) {
          idx.push_back(drop[k] ? PrimExpr(0) : PrimExpr(i[o++]));
        }
        return x(idx);
      },
      name, tag);
}

Tensor expand_dims(const Tensor& x, int axis, int num_newaxis, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  TVM_CHECK(axis >= -nd - 1 && axis <= nd, "ValueError")
      << "topi.expand_dims of " << Name(x) << ": axis " << axis << " is out of range [" << -nd - 1 << ", " << nd
      << "]";
  TVM_CHECK(num_newaxis >= 0, "ValueError") << "topi.expand_dims: num_newaxis " << num_newaxis << " is negative";
  if (axis < 0) axis += nd + 1;
  Array<PrimExpr> shape;
  for (int k = 0; k < axis; ++k) shape.push_back(x->shape[k]);
  for (int k = 0; k < num_newaxis; ++k) shape.push_back(1);
  for (int k = axis; k < nd; ++k) shape.push_back(x->shape[k]);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (int k = 0; k < axis; ++k) idx.push_back(i[k]);
        for (int k = axis; k < nd; ++k) idx.push_back(i[k + num_newaxis]);
        return x(idx);
      },
      name, tag);
}

Tensor concatenate(const Array<Tensor>& inputs, int axis, std::string name, std::string tag) {
  TVM_CHECK(!inputs.empty(), "ValueError") << "topi.concatenate needs at least one tensor";
  int nd = static_cast<int>(inputs[0]->shape.size());
  TVM_CHECK(nd > 0, "ValueError") << "topi.concatenate: cannot concatenate 0-d tensors";
  axis = NormalizeAxis(axis, nd, "concatenate");
  arith::Analyzer analyzer;
  PrimExpr total = 0;
  for (const Tensor& t : inputs) {
    TVM_CHECK(static_cast<int>(t->shape.size()) == nd && t->dtype == inputs[0]->dtype, "ValueError")
        << "topi.concatenate: " << Name(t) << " (" << t->shape << ", " << t->dtype << ") does not match "
        << Name(inputs[0]) << " (" << inputs[0]->shape << ", " << inputs[0]->dtype << ")";
    for (int k = 0; k < nd; ++k) {
      if (k == axis) continue;
      auto a = tvm::as_const_int(t->shape[k]), b = tvm::as_const_int(inputs[0]->shape[k]);
      TVM_CHECK(!(a && b) || *a == *b, "ValueError")
          << "topi.concatenate along axis " << axis << ": " << Name(t) << " has shape " << t->shape << " but "
          << Name(inputs[0]) << " has " << inputs[0]->shape;
    }
    total = total + t->shape[axis];
  }
  Array<PrimExpr> shape = inputs[0]->shape;
  shape.Set(axis, analyzer.Simplify(total));
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        // The last input's value, overridden by earlier ones where the index falls in them.
        std::vector<PrimExpr> offsets;
        PrimExpr off = 0;
        for (const Tensor& t : inputs) {
          offsets.push_back(off);
          off = off + t->shape[axis];
        }
        PrimExpr result;
        for (size_t n = inputs.size(); n-- > 0;) {
          Array<PrimExpr> idx(i.begin(), i.end());
          idx.Set(axis, analyzer.Simplify(i[axis] - offsets[n]));
          PrimExpr v = inputs[n](idx);
          result = result.defined() ? tir::Select(i[axis] < analyzer.Simplify(offsets[n] + inputs[n]->shape[axis]),
                                                  v, result)
                                    : v;
        }
        return result;
      },
      name, tag);
}

Tensor stack(const Array<Tensor>& inputs, int axis, std::string name, std::string tag) {
  TVM_CHECK(!inputs.empty(), "ValueError") << "topi.stack needs at least one tensor";
  int nd = static_cast<int>(inputs[0]->shape.size());
  TVM_CHECK(axis >= -nd - 1 && axis <= nd, "ValueError")
      << "topi.stack: axis " << axis << " is out of range [" << -nd - 1 << ", " << nd << "]";
  if (axis < 0) axis += nd + 1;
  for (const Tensor& t : inputs) {
    bool same = t->shape.size() == inputs[0]->shape.size() && t->dtype == inputs[0]->dtype;
    for (size_t k = 0; same && k < t->shape.size(); ++k) {
      auto a = tvm::as_const_int(t->shape[k]), b = tvm::as_const_int(inputs[0]->shape[k]);
      same = !(a && b) || *a == *b;
    }
    TVM_CHECK(same, "ValueError") << "topi.stack: " << Name(t) << " (" << t->shape << ", " << t->dtype
                                  << ") differs from " << Name(inputs[0]) << " (" << inputs[0]->shape << ", "
                                  << inputs[0]->dtype << ")";
  }
  Array<PrimExpr> shape;
  for (int k = 0; k < axis; ++k) shape.push_back(inputs[0]->shape[k]);
  shape.push_back(static_cast<int>(inputs.size()));
  for (int k = axis; k < nd; ++k) shape.push_back(inputs[0]->shape[k]);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (int k = 0; k <= nd; ++k) {
          if (k != axis) idx.push_back(i[k]);
        }
        PrimExpr result = inputs[inputs.size() - 1](idx);
        for (size_t n = inputs.size() - 1; n-- > 0;) {
          result = tir::Select(i[axis] == static_cast<int>(n), inputs[n](idx), result);
        }
        return result;
      },
      name, tag);
}

namespace {

Tensor SliceAxis(const Tensor& x, int axis, PrimExpr begin, PrimExpr extent, const std::string& name,
                 const std::string& tag) {
  Array<PrimExpr> shape = x->shape;
  shape.Set(axis, extent);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx(i.begin(), i.end());
        idx.Set(axis, i[axis] + begin);
        return x(idx);
      },
      name, tag);
}

}  // namespace

Array<Tensor> split(const Tensor& x, Array<PrimExpr> split_indices, int axis, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  axis = NormalizeAxis(axis, nd, "split");
  PrimExpr n = x->shape[axis];
  std::vector<PrimExpr> starts = {0};
  std::optional<int64_t> prev = 0;
  for (const PrimExpr& s : split_indices) {
    auto v = tvm::as_const_int(s);
    auto nv = tvm::as_const_int(n);
    TVM_CHECK(!v || (*v >= 0 && (!nv || *v <= *nv) && (!prev || *v >= *prev)), "ValueError")
        << "topi.split of " << Name(x) << " (shape " << x->shape << ") along axis " << axis << ": indices "
        << split_indices << " must be increasing within [0, " << n << "]";
    prev = v;
    starts.push_back(s);
  }
  Array<Tensor> out;
  for (size_t k = 0; k < starts.size(); ++k) {
    PrimExpr end = k + 1 < starts.size() ? starts[k + 1] : n;
    out.push_back(SliceAxis(x, axis, starts[k], Simplify(end - starts[k]), name, tag));
  }
  return out;
}

Array<Tensor> split_sections(const Tensor& x, int num_sections, int axis, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  axis = NormalizeAxis(axis, nd, "split");
  TVM_CHECK(num_sections > 0, "ValueError") << "topi.split of " << Name(x) << ": " << num_sections
                                            << " sections (must be positive)";
  PrimExpr n = x->shape[axis];
  if (auto nv = tvm::as_const_int(n)) {
    TVM_CHECK(*nv % num_sections == 0, "ValueError")
        << "topi.split of " << Name(x) << " (shape " << x->shape << "): axis " << axis << " of size " << *nv
        << " does not divide into " << num_sections << " equal sections";
  }
  PrimExpr size = Simplify(tvm::indexdiv(n, num_sections));
  Array<PrimExpr> indices;
  for (int k = 1; k < num_sections; ++k) indices.push_back(Simplify(size * k));
  return split(x, indices, axis, name, tag);
}

Tensor strided_slice(const Tensor& x, const Array<Integer>& begin, const Array<Integer>& end,
                     const Array<Integer>& strides, std::optional<Array<Integer>> axes, std::string slice_mode,
                     std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  TVM_CHECK(slice_mode == "end" || slice_mode == "size", "ValueError")
      << "topi.strided_slice: slice_mode must be 'end' or 'size', got '" << slice_mode << "'";
  std::vector<int> axis_list;
  if (axes) {
    for (const Integer& a : *axes) axis_list.push_back(NormalizeAxis(a->value, nd, "strided_slice", "axes entry"));
    TVM_CHECK(begin.size() == axis_list.size() && end.size() == axis_list.size(), "ValueError")
        << "topi.strided_slice of " << Name(x) << ": begin " << begin << " and end " << end
        << " must have one entry per axis in " << *axes;
  } else {
    TVM_CHECK(begin.size() <= static_cast<size_t>(nd) && end.size() <= static_cast<size_t>(nd), "ValueError")
        << "topi.strided_slice of " << Name(x) << " (shape " << x->shape << "): begin " << begin << " / end " << end
        << " have more entries than its " << nd << " dimensions";
    for (int k = 0; k < static_cast<int>(std::max(begin.size(), end.size())); ++k) axis_list.push_back(k);
  }
  std::vector<PrimExpr> starts(nd, PrimExpr(0)), steps(nd, PrimExpr(1));
  Array<PrimExpr> shape = x->shape;
  for (size_t k = 0; k < axis_list.size(); ++k) {
    int ax = axis_list[k];
    PrimExpr n = x->shape[ax];
    int64_t s = (slice_mode == "size" || k >= strides.size()) ? 1 : strides[k]->value;
    TVM_CHECK(s != 0, "ValueError") << "topi.strided_slice of " << Name(x) << ": stride 0 on axis " << ax;
    std::optional<int64_t> b = k < begin.size() ? std::optional<int64_t>(begin[k]->value) : std::nullopt;
    std::optional<int64_t> e = k < end.size() ? std::optional<int64_t>(end[k]->value) : std::nullopt;
    PrimExpr pb, pe, len;
    DataType it = n.dtype();
    // Entries past the index type's range (numpy-style "to the end" values) saturate.
    int64_t lim = it.bits() >= 64 ? (int64_t{1} << 62) : (int64_t{1} << (it.bits() - 2));
    auto C = [&](int64_t v) { return tvm::make_const(it, std::max(-lim, std::min(lim, v))); };
    if (slice_mode == "size") {
      pb = b ? (*b < 0 ? PrimExpr(n + C(*b)) : PrimExpr(C(*b))) : PrimExpr(C(0));
      pb = tvm::max(tvm::min(pb, n), C(0));
      len = (!e || *e < 0) ? PrimExpr(n - pb) : PrimExpr(tvm::min(C(*e), n - pb));
    } else if (s > 0) {
      pb = b ? (*b < 0 ? PrimExpr(n + C(*b)) : PrimExpr(C(*b))) : PrimExpr(C(0));
      pe = e ? (*e < 0 ? PrimExpr(n + C(*e)) : PrimExpr(C(*e))) : n;
      pb = tvm::max(tvm::min(pb, n), C(0));
      pe = tvm::max(tvm::min(pe, n), C(0));
      len = tvm::max(tvm::floordiv(pe - pb + C(s - 1), C(s)), C(0));
    } else {
      pb = b ? (*b < 0 ? PrimExpr(n + C(*b)) : PrimExpr(C(*b))) : PrimExpr(n - 1);
      pe = e ? (*e < 0 ? PrimExpr(n + C(*e)) : PrimExpr(C(*e))) : PrimExpr(C(-1));
      pb = tvm::max(tvm::min(pb, n - 1), C(-1));
      pe = tvm::max(tvm::min(pe, n - 1), C(-1));
      len = tvm::max(tvm::floordiv(pb - pe + C(-s - 1), C(-s)), C(0));
    }
    starts[ax] = Simplify(pb);
    steps[ax] = C(s);
    shape.Set(ax, Simplify(len));
  }
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (int k = 0; k < nd; ++k) {
          idx.push_back(tvm::is_one(steps[k]) && tvm::is_zero(starts[k]) ? PrimExpr(i[k])
                                                                          : starts[k] + i[k] * steps[k]);
        }
        return x(idx);
      },
      name, tag);
}

namespace {

PrimExpr FixIndex(PrimExpr idx, const PrimExpr& n, const std::string& mode) {
  if (idx.dtype() != n.dtype()) idx = tvm::cast(n.dtype(), idx);
  if (mode == "clip") return tvm::max(tvm::min(idx, n - 1), tvm::make_zero(n.dtype()));
  if (mode == "wrap") return tvm::floormod(idx, n);
  // "fast": indices are trusted; negative ones count from the end as in numpy.
  return tir::Select(idx < tvm::make_zero(n.dtype()), idx + n, idx);
}

}  // namespace

Tensor take(const Tensor& a, const Tensor& indices, int batch_dims, std::optional<int> axis, std::string mode,
            std::string name, std::string tag) {
  TVM_CHECK(mode == "clip" || mode == "wrap" || mode == "fast", "ValueError")
      << "topi.take: mode must be 'clip', 'wrap' or 'fast', got '" << mode << "'";
  TVM_CHECK(indices->dtype.is_int() || indices->dtype.is_uint(), "TypeError")
      << "topi.take: indices " << Name(indices) << " must be integers, got " << indices->dtype;
  if (!axis) {
    PrimExpr n = Product(a->shape);
    return te::compute(
        indices->shape,
        [&](const Array<Var>& i) { return a(Unravel(FixIndex(indices(i), n, mode), a->shape)); }, name, tag);
  }
  int nd = static_cast<int>(a->shape.size()), ni = static_cast<int>(indices->shape.size());
  int ax = NormalizeAxis(*axis, nd, "take");
  if (batch_dims < 0) batch_dims += ni;
  TVM_CHECK(batch_dims >= 0 && batch_dims <= ni && batch_dims <= ax, "ValueError")
      << "topi.take: batch_dims " << batch_dims << " must be within [0, min(axis " << ax << ", indices rank " << ni
      << ")]";
  Array<PrimExpr> shape;
  for (int k = 0; k < ax; ++k) shape.push_back(a->shape[k]);
  for (int k = batch_dims; k < ni; ++k) shape.push_back(indices->shape[k]);
  for (int k = ax + 1; k < nd; ++k) shape.push_back(a->shape[k]);
  int nidx = ni - batch_dims;
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> iidx;
        for (int k = 0; k < batch_dims; ++k) iidx.push_back(i[k]);
        for (int k = 0; k < nidx; ++k) iidx.push_back(i[ax + k]);
        Array<PrimExpr> aidx;
        for (int k = 0; k < ax; ++k) aidx.push_back(i[k]);
        aidx.push_back(FixIndex(indices(iidx), a->shape[ax], mode));
        for (int k = ax + 1; k < nd; ++k) aidx.push_back(i[k - 1 + nidx]);
        return a(aidx);
      },
      name, tag);
}

Tensor gather(const Tensor& data, int axis, const Tensor& indices, std::string name, std::string tag) {
  int nd = static_cast<int>(data->shape.size());
  TVM_CHECK(indices->shape.size() == data->shape.size(), "ValueError")
      << "topi.gather: indices " << Name(indices) << " of shape " << indices->shape << " must have the rank of "
      << Name(data) << " (" << data->shape << ")";
  axis = NormalizeAxis(axis, nd, "gather");
  return te::compute(
      indices->shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx(i.begin(), i.end());
        PrimExpr v = indices(i);
        idx.Set(axis, v.dtype() == i[axis].dtype() ? v : tvm::cast(i[axis].dtype(), v));
        return data(idx);
      },
      name, tag);
}

Tensor gather_nd(const Tensor& data, const Tensor& indices, int batch_dims, std::string name, std::string tag) {
  int nd = static_cast<int>(data->shape.size()), ni = static_cast<int>(indices->shape.size());
  TVM_CHECK(ni >= 1, "ValueError") << "topi.gather_nd: indices " << Name(indices) << " must have rank >= 1";
  int m = static_cast<int>(detail::GetConstInt(indices->shape[0], "topi.gather_nd: indices.shape[0]"));
  TVM_CHECK(m + batch_dims <= nd, "ValueError")
      << "topi.gather_nd: indices.shape[0] = " << m << " plus batch_dims " << batch_dims << " exceeds the rank "
      << nd << " of " << Name(data);
  Array<PrimExpr> shape;
  for (int k = 1; k < ni; ++k) shape.push_back(indices->shape[k]);
  for (int k = m + batch_dims; k < nd; ++k) shape.push_back(data->shape[k]);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> didx;
        for (int k = 0; k < batch_dims; ++k) didx.push_back(i[k]);
        for (int j = 0; j < m; ++j) {
          Array<PrimExpr> iidx = {j};
          for (int k = 0; k < ni - 1; ++k) iidx.push_back(i[k]);
          PrimExpr v = indices(iidx);
          didx.push_back(v.dtype() == DataType::Int(32) ? v : tvm::cast(DataType::Int(32), v));
        }
        for (int k = ni - 1; k < static_cast<int>(i.size()); ++k) didx.push_back(i[k]);
        return data(didx);
      },
      name, tag);
}

Tensor one_hot(const Tensor& indices, const PrimExpr on_value, const PrimExpr off_value, int depth, int axis,
               DataType dtype, std::string name, std::string tag) {
  int ni = static_cast<int>(indices->shape.size());
  TVM_CHECK(axis >= -1 && axis <= ni, "ValueError") << "topi.one_hot: axis " << axis << " is out of range [-1, "
                                                    << ni << "]";
  TVM_CHECK(depth > 0, "ValueError") << "topi.one_hot: depth " << depth << " must be positive";
  int ax = axis == -1 ? ni : axis;
  Array<PrimExpr> shape;
  for (int k = 0; k < ax; ++k) shape.push_back(indices->shape[k]);
  shape.push_back(depth);
  for (int k = ax; k < ni; ++k) shape.push_back(indices->shape[k]);
  PrimExpr on = tvm::cast(dtype, on_value), off = tvm::cast(dtype, off_value);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (int k = 0; k <= ni; ++k) {
          if (k != ax) idx.push_back(i[k]);
        }
        PrimExpr v = indices(idx);
        return tir::Select(tvm::cast(i[ax].dtype(), v) == i[ax], on, off);
      },
      name, tag);
}

Tensor tile(const Tensor& x, Array<Integer> reps, std::string name, std::string tag) {
  size_t nd = x->shape.size(), nr = reps.size(), n = std::max(nd, nr);
  for (const Integer& r : reps) {
    TVM_CHECK(r->value >= 0, "ValueError") << "topi.tile of " << Name(x) << ": negative repetition in " << reps;
  }
  Array<PrimExpr> in_shape, shape;
  std::vector<int64_t> rep;
  for (size_t k = 0; k < n; ++k) {
    in_shape.push_back(k < n - nd ? PrimExpr(1) : x->shape[k - (n - nd)]);
    rep.push_back(k < n - nr ? 1 : reps[k - (n - nr)]->value);
    shape.push_back(Simplify(in_shape[k] * static_cast<int>(rep[k])));
  }
  if (IsEmptyShape(shape)) return EmptyLike(shape, x->dtype, name, tag);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (size_t k = n - nd; k < n; ++k) {
          idx.push_back(rep[k] == 1 ? PrimExpr(i[k]) : tvm::indexmod(i[k], in_shape[k]));
        }
        return x(idx);
      },
      name, tag);
}

Tensor repeat(const Tensor& x, int repeats, int axis, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  axis = NormalizeAxis(axis, nd, "repeat");
  TVM_CHECK(repeats >= 1, "ValueError") << "topi.repeat of " << Name(x) << ": repeats " << repeats
                                        << " must be positive";
  Array<PrimExpr> shape = x->shape;
  shape.Set(axis, Simplify(x->shape[axis] * repeats));
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx(i.begin(), i.end());
        idx.Set(axis, tvm::indexdiv(i[axis], repeats));
        return x(idx);
      },
      name, tag);
}

Tensor reverse(const Tensor& x, const Array<Integer>& axis, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  std::vector<bool> flip(nd, false);
  for (const Integer& a : axis) flip[NormalizeAxis(a->value, nd, "flip")] = !flip[NormalizeAxis(a->value, nd, "flip")];
  return te::compute(
      x->shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (int k = 0; k < nd; ++k) idx.push_back(flip[k] ? x->shape[k] - 1 - i[k] : PrimExpr(i[k]));
        return x(idx);
      },
      name, tag);
}

Tensor reverse_sequence(const Tensor& x, const Tensor& seq_lengths, int seq_axis, int batch_axis, std::string name,
                        std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  seq_axis = NormalizeAxis(seq_axis, nd, "reverse_sequence", "seq_axis");
  batch_axis = NormalizeAxis(batch_axis, nd, "reverse_sequence", "batch_axis");
  TVM_CHECK(seq_axis != batch_axis, "ValueError") << "topi.reverse_sequence: seq_axis and batch_axis are both "
                                                  << seq_axis;
  TVM_CHECK(seq_lengths->shape.size() == 1, "ValueError")
      << "topi.reverse_sequence: seq_lengths must be 1-D, got shape " << seq_lengths->shape;
  auto nb = tvm::as_const_int(x->shape[batch_axis]), nl = tvm::as_const_int(seq_lengths->shape[0]);
  // The wording of the first sentence is TVM's (its tests match it).
  TVM_CHECK(!(nb && nl) || *nb == *nl, "ValueError")
      << "For reverse_sequnece seq_lengths size should match with dimension of batch axis, but got dimension of "
         "batch_axis = "
      << *nb << ", and seq_length size = " << *nl;
  return te::compute(
      x->shape,
      [&](const Array<Var>& i) {
        PrimExpr n = x->shape[seq_axis];
        PrimExpr len = tvm::cast(n.dtype(), seq_lengths(i[batch_axis]));
        len = tvm::min(tvm::max(len, tvm::make_const(n.dtype(), 1)), n);
        Array<PrimExpr> idx(i.begin(), i.end());
        idx.Set(seq_axis, tir::Select(i[seq_axis] < len, len - 1 - i[seq_axis], i[seq_axis]));
        return x(idx);
      },
      name, tag);
}

Tensor arange(const PrimExpr& start, const PrimExpr& stop, const PrimExpr& step, DataType dtype, std::string name,
              std::string tag) {
  PrimExpr count;
  if (dtype.is_float() || start.dtype().is_float() || stop.dtype().is_float() || step.dtype().is_float()) {
    DataType f = DataType::Float(64);
    count = tvm::cast(DataType::Int(32), tvm::ceil(tvm::div(tvm::cast(f, stop) - tvm::cast(f, start),
                                                            tvm::cast(f, step))));
  } else {
    PrimExpr a = tvm::cast(DataType::Int(32), start), b = tvm::cast(DataType::Int(32), stop),
             s = tvm::cast(DataType::Int(32), step);
    count = tir::Select(s > 0, tvm::floordiv(b - a + s - 1, s), tvm::floordiv(a - b - s - 1, 0 - s));
  }
  count = Simplify(tvm::max(count, 0));
  if (auto s = tvm::as_const_int(step)) {
    TVM_CHECK(*s != 0, "ValueError") << "topi.arange: step is 0";
  }
  PrimExpr a = tvm::cast(dtype, start), s = tvm::cast(dtype, step);
  return te::compute({count}, [&](const Array<Var>& i) { return a + tvm::cast(dtype, i[0]) * s; }, name, tag);
}

namespace {

struct LayoutAxis {
  char name;       // upper case: the primal axis it belongs to
  bool primal;     // a whole axis (upper case) or a block of one (digits + lower case)
  int64_t factor;  // block size (sub-axes)
};

std::vector<LayoutAxis> ParseLayout(const std::string& layout) {
  std::vector<LayoutAxis> axes;
  int64_t num = 0;
  bool has_num = false;
  for (char c : layout) {
    if (c >= '0' && c <= '9') {
      num = num * 10 + (c - '0');
      has_num = true;
    } else if (c >= 'A' && c <= 'Z') {
      TVM_CHECK(!has_num, "ValueError") << "layout '" << layout << "': a size before the primal axis " << c;
      axes.push_back({c, true, 0});
    } else if (c >= 'a' && c <= 'z') {
      TVM_CHECK(has_num && num > 0, "ValueError") << "layout '" << layout << "': sub-axis " << c
                                                  << " needs a positive size before it";
      axes.push_back({static_cast<char>(c - 'a' + 'A'), false, num});
      num = 0;
      has_num = false;
    } else {
      TVM_CHECK(false, "ValueError") << "layout '" << layout << "': unexpected character '" << c << "'";
    }
  }
  TVM_CHECK(!has_num, "ValueError") << "layout '" << layout << "' ends with a number";
  for (const LayoutAxis& a : axes) {
    int primal = 0, sub = 0;
    for (const LayoutAxis& b : axes) {
      if (b.name == a.name) (b.primal ? primal : sub)++;
    }
    TVM_CHECK(primal == 1 && sub <= 1, "ValueError")
        << "layout '" << layout << "': axis " << a.name << " must appear once in upper case (and at most once split)";
  }
  return axes;
}

int64_t SubFactor(const std::vector<LayoutAxis>& axes, char name) {
  for (const LayoutAxis& a : axes) {
    if (!a.primal && a.name == name) return a.factor;
  }
  return 0;
}

}  // namespace

Tensor layout_transform(const Tensor& x, const std::string& src_layout, const std::string& dst_layout,
                        std::string name, std::string tag) {
  std::vector<LayoutAxis> src = ParseLayout(src_layout), dst = ParseLayout(dst_layout);
  TVM_CHECK(src.size() == x->shape.size(), "ValueError")
      << "topi.layout_transform: layout '" << src_layout << "' has " << src.size() << " axes but " << Name(x)
      << " has shape " << x->shape;
  if (src_layout == dst_layout) return te::compute(x->shape, [&](const Array<Var>& i) { return x(i); }, name, tag);
  // The full extent of each primal axis, from the source.
  std::map<char, PrimExpr> full;
  for (size_t k = 0; k < src.size(); ++k) {
    if (!src[k].primal) continue;
    int64_t f = SubFactor(src, src[k].name);
    full[src[k].name] = f ? Simplify(x->shape[k] * static_cast<int>(f)) : x->shape[k];
  }
  Array<PrimExpr> shape;
  for (const LayoutAxis& a : dst) {
    TVM_CHECK(full.count(a.name), "ValueError") << "topi.layout_transform from '" << src_layout << "' to '"
                                                << dst_layout << "': axis " << a.name << " is not in the source";
    if (a.primal) {
      int64_t f = SubFactor(dst, a.name);
      if (f) {
        if (auto v = tvm::as_const_int(full[a.name])) {
          TVM_CHECK(*v % f == 0, "ValueError")
              << "topi.layout_transform from '" << src_layout << "' to '" << dst_layout << "': axis " << a.name
              << " of size " << *v << " does not split into blocks of " << f;
        }
      }
      shape.push_back(f ? Simplify(tvm::indexdiv(full[a.name], static_cast<int>(f))) : full[a.name]);
    } else {
      shape.push_back(static_cast<int>(a.factor));
    }
  }
  TVM_CHECK(full.size() == [&] {
    int n = 0;
    for (const LayoutAxis& a : dst) n += a.primal;
    return static_cast<size_t>(n);
  }(), "ValueError") << "topi.layout_transform: layouts '" << src_layout << "' and '" << dst_layout
                      << "' do not have the same axes";
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        std::map<char, PrimExpr> coord;
        for (size_t k = 0; k < dst.size(); ++k) {
          if (!dst[k].primal) continue;
          int64_t f = SubFactor(dst, dst[k].name);
          PrimExpr c = i[k];
          if (f) {
            for (size_t j = 0; j < dst.size(); ++j) {
              if (!dst[j].primal && dst[j].name == dst[k].name) c = i[k] * static_cast<int>(f) + i[j];
            }
          }
          coord[dst[k].name] = c;
        }
        Array<PrimExpr> idx;
        for (const LayoutAxis& a : src) {
          int64_t f = SubFactor(src, a.name);
          PrimExpr c = coord[a.name];
          if (a.primal) {
            idx.push_back(f ? tvm::indexdiv(c, static_cast<int>(f)) : c);
          } else {
            idx.push_back(tvm::indexmod(c, static_cast<int>(a.factor)));
          }
        }
        return x(idx);
      },
      name, tag);
}

Tensor shape(const Tensor& x, DataType dtype, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  return te::compute(
      {nd},
      [&](const Array<Var>& i) {
        PrimExpr r = tvm::make_zero(dtype);
        for (int k = nd - 1; k >= 0; --k) r = tir::Select(i[0] == k, tvm::cast(dtype, x->shape[k]), r);
        return r;
      },
      name, tag);
}

Tensor ndarray_size(const Tensor& x, DataType dtype, std::string name, std::string tag) {
  PrimExpr n = tvm::cast(dtype, Product(x->shape));
  return te::compute(Array<PrimExpr>{}, [&](const Array<Var>&) { return n; }, name, tag);
}

Tensor sequence_mask(const Tensor& data, const Tensor& valid_length, double mask_value, int axis, std::string name,
                     std::string tag) {
  TVM_CHECK(axis == 0 || axis == 1, "ValueError") << "topi.sequence_mask: axis must be 0 or 1, got " << axis;
  TVM_CHECK(data->shape.size() >= 2, "ValueError") << "topi.sequence_mask: data " << Name(data)
                                                   << " needs at least 2 dimensions, has shape " << data->shape;
  TVM_CHECK(valid_length->shape.size() == 1, "ValueError")
      << "topi.sequence_mask: valid_length must be 1-D, got shape " << valid_length->shape;
  int batch_axis = 1 - axis;
  PrimExpr mask = tvm::make_const(data->dtype, mask_value);
  return te::compute(
      data->shape,
      [&](const Array<Var>& i) {
        PrimExpr len = valid_length(i[batch_axis]);
        PrimExpr pos = tvm::cast(len.dtype(), i[axis]);
        return tir::Select(pos < len, data(i), mask);
      },
      name, tag);
}

Tensor matrix_set_diag(const Tensor& data, const Tensor& diagonal, int k1, int k2, bool super_diag_right_align,
                       bool sub_diag_right_align, std::string name, std::string tag) {
  int nd = static_cast<int>(data->shape.size());
  TVM_CHECK(nd >= 2, "ValueError") << "topi.matrix_set_diag: data " << Name(data) << " needs 2 or more dimensions";
  TVM_CHECK(k1 <= k2, "ValueError") << "topi.matrix_set_diag: k1 " << k1 << " > k2 " << k2;
  PrimExpr rows = data->shape[nd - 2], cols = data->shape[nd - 1];
  PrimExpr max_len = Simplify(tvm::min(rows + std::min(k2, 0), cols - std::max(k1, 0)));
  return te::compute(
      data->shape,
      [&](const Array<Var>& i) {
        PrimExpr r = i[nd - 2], c = i[nd - 1];
        PrimExpr d = c - r;
        PrimExpr len_d = tvm::min(rows + tvm::min(d, 0), cols - tvm::max(d, 0));
        PrimExpr right = tir::Select(d >= 0, tvm::make_const(DataType::Bool(), super_diag_right_align),
                                     tvm::make_const(DataType::Bool(), sub_diag_right_align));
        PrimExpr gap = max_len - len_d;  // int64 when the sizes are relay.Any()
        PrimExpr offset = tir::Select(right, gap, tvm::make_zero(gap.dtype()));
        Array<PrimExpr> didx;
        for (int k = 0; k < nd - 2; ++k) didx.push_back(i[k]);
        if (k1 != k2) didx.push_back(k2 - d);
        didx.push_back(tvm::min(r, c) + offset);
        PrimExpr in_band = (d >= k1) && (d <= k2);
        return tir::Select(in_band, diagonal(didx), data(i));
      },
      name, tag);
}

Tensor unravel_index(const Tensor& x, const Tensor& shape_t, std::string name, std::string tag) {
  TVM_CHECK(shape_t->shape.size() == 1, "ValueError") << "topi.unravel_index: shape must be 1-D";
  PrimExpr n = shape_t->shape[0];
  Array<PrimExpr> out_shape = {n};
  for (const PrimExpr& d : x->shape) out_shape.push_back(d);
  if (!tvm::as_const_int(n)) {
    // The length of shape is known only at run time (relay.Any()): digit k is
    // flat / stride[k] (mod shape[k] but for the first), stride[k] the product of the
    // extents after k, one reduction over shape.
    te::IterVar j = te::reduce_axis(Range(tvm::make_zero(n.dtype()), n), "j");
    Tensor strides = te::compute(
        {n},
        [&](const Array<Var>& k) {
          PrimExpr v = tir::Select(j->var > k[0], tvm::cast(x->dtype, shape_t(j->var)), tvm::make_const(x->dtype, 1));
          return te::prod(v, {j});
        },
        name + "_strides", "comm_reduce");
    return te::compute(
        out_shape,
        [&](const Array<Var>& i) {
          Array<PrimExpr> xi(i.begin() + 1, i.end());
          PrimExpr rest = tvm::indexdiv(x(xi), strides(i[0]));
          PrimExpr extent = tvm::cast(x->dtype, shape_t(i[0]));
          return tir::Select(i[0] == tvm::make_zero(i[0].dtype()), rest, tvm::indexmod(rest, extent));
        },
        name, tag);
  }
  int64_t ndim = detail::GetConstInt(n, "topi.unravel_index: the length of shape");
  return te::compute(
      out_shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> xi(i.begin() + 1, i.end());
        PrimExpr flat = x(xi);
        PrimExpr result = tvm::make_zero(x->dtype);
        // Digit k of flat in the mixed radix of shape (row-major).
        for (int64_t k = ndim - 1; k >= 0; --k) {
          PrimExpr rest = flat;
          auto dim = [&](int64_t j) { return tvm::cast(x->dtype, shape_t(static_cast<int>(j))); };
          for (int64_t j = ndim - 1; j > k; --j) rest = tvm::indexdiv(rest, dim(j));
          PrimExpr digit = k == 0 ? rest : tvm::indexmod(rest, dim(k));
          result = tir::Select(i[0] == static_cast<int>(k), digit, result);
        }
        return result;
      },
      name, tag);
}

Tensor sparse_to_dense(const Tensor& sparse_indices, const Array<PrimExpr>& output_shape, const Tensor& sparse_values,
                       const PrimExpr& default_value, std::string name, std::string tag) {
  int ni = static_cast<int>(sparse_indices->shape.size());
  TVM_CHECK(ni <= 2, "ValueError") << "topi.sparse_to_dense: sparse_indices must have rank 0, 1 or 2";
  int64_t count = ni == 0 ? 1 : detail::GetConstInt(sparse_indices->shape[0], "topi.sparse_to_dense: index count");
  PrimExpr dflt = tvm::cast(sparse_values->dtype, default_value);
  return te::compute(
      output_shape,
      [&](const Array<Var>& i) {
        PrimExpr result = dflt;
        for (int64_t n = 0; n < count; ++n) {
          PrimExpr match;
          if (ni == 0) {
            match = tvm::cast(i[0].dtype(), sparse_indices(Array<PrimExpr>{})) == i[0];
          } else if (ni == 1) {
            match = tvm::cast(i[0].dtype(), sparse_indices(static_cast<int>(n))) == i[0];
          } else {
            match = tvm::const_true();
            for (size_t k = 0; k < i.size(); ++k) {
              match = match && (tvm::cast(i[k].dtype(), sparse_indices(static_cast<int>(n), static_cast<int>(k))) == i[k]);
            }
          }
          PrimExpr v = sparse_values->shape.empty() ? sparse_values(Array<PrimExpr>{}) : sparse_values(static_cast<int>(n));
          result = tir::Select(match, v, result);
        }
        return result;
      },
      name, tag);
}

Tensor dynamic_strided_slice(const Tensor& x, const Tensor& begin, const Tensor& end, const Tensor& strides,
                             std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  for (const Tensor& t : {begin, end, strides}) {
    TVM_CHECK(t->shape.size() == 1 && tvm::is_const_int(t->shape[0], nd), "ValueError")
        << "topi.strided_slice of " << Name(x) << " (rank " << nd << "): " << Name(t) << " of shape " << t->shape
        << " must hold one entry per dimension";
  }
  // The output extents are known only at run time: one variable per dimension,
  // bound by the buffer the caller passes.
  Array<PrimExpr> shape;
  for (int k = 0; k < nd; ++k) shape.push_back(Var("dim" + std::to_string(k), x->shape[k].dtype()));
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<PrimExpr> idx;
        for (int k = 0; k < nd; ++k) {
          DataType it = x->shape[k].dtype();
          PrimExpr n = x->shape[k];
          PrimExpr b = tvm::cast(it, begin(k)), st = tvm::cast(it, strides(k));
          b = tir::Select(b < 0, b + n, b);
          // Clamped as numpy does: [0, n] going forward, [-1, n - 1] going backward.
          b = tir::Select(st > 0, tvm::max(tvm::min(b, n), 0), tvm::max(tvm::min(b, n - 1), -1));
          idx.push_back(b + tvm::cast(it, i[k]) * st);
        }
        return x(idx);
      },
      name, tag);
}

Tensor strided_set(const Tensor& x, const Tensor& v, const Tensor& begin, const Tensor& end,
                   std::optional<Tensor> strides, std::string name, std::string tag) {
  int nd = static_cast<int>(x->shape.size());
  TVM_CHECK(v->shape.size() == x->shape.size(), "ValueError")
      << "topi.strided_set: v of shape " << v->shape << " must have the rank of " << Name(x) << " (" << x->shape << ")";
  return te::compute(
      x->shape,
      [&](const Array<Var>& i) {
        PrimExpr inside = tvm::const_true();
        Array<PrimExpr> vidx;
        for (int k = 0; k < nd; ++k) {
          DataType it = i[k].dtype();
          PrimExpr n = x->shape[k];
          // Axes past the shorter of begin and end are taken whole (numpy's zip of the two).
          bool has = k < static_cast<int>(std::min(tvm::as_const_int(begin->shape[0]).value_or(0),
                                                   tvm::as_const_int(end->shape[0]).value_or(0)));
          bool has_stride = strides && k < static_cast<int>(tvm::as_const_int((*strides)->shape[0]).value_or(0));
          PrimExpr st = has_stride ? tvm::cast(it, (*strides)(k)) : tvm::make_const(it, 1);
          PrimExpr b = has ? tvm::cast(it, begin(k)) : PrimExpr(tvm::make_zero(it));
          PrimExpr e = has ? tvm::cast(it, end(k)) : n;
          b = tir::Select(b < 0, b + n, b);
          e = tir::Select(e < 0, e + n, e);
          // numpy's clamping: [0, n] going forward, [-1, n - 1] going backward.
          b = tir::Select(st > 0, tvm::max(tvm::min(b, n), 0), tvm::max(tvm::min(b, n - 1), -1));
          e = tir::Select(st > 0, tvm::max(tvm::min(e, n), 0), tvm::max(tvm::min(e, n - 1), -1));
          // Forward: b <= i < e and (i - b) % st == 0; backward: e < i <= b.
          PrimExpr fwd = (i[k] >= b) && (i[k] < e) && (tvm::floormod(i[k] - b, st) == 0);
          PrimExpr bwd = (i[k] <= b) && (i[k] > e) && (tvm::floormod(b - i[k], 0 - st) == 0);
          inside = inside && tir::Select(st > 0, fwd, bwd);
          vidx.push_back(tir::Select(st > 0, tvm::floordiv(i[k] - b, st), tvm::floordiv(b - i[k], 0 - st)));
        }
        // Outside the region v is not read: its index is clamped to stay in bounds.
        Array<PrimExpr> safe;
        for (int k = 0; k < nd; ++k) safe.push_back(tvm::max(tvm::min(vidx[k], v->shape[k] - 1), 0));
        return tir::Select(inside, v(safe), x(i));
      },
      name, tag);
}

Tensor trilu(const Tensor& data, const PrimExpr& k, bool upper, std::string name, std::string tag) {
  int nd = static_cast<int>(data->shape.size());
  TVM_CHECK(nd >= 2, "ValueError") << "topi.trilu: " << Name(data) << " of shape " << data->shape
                                   << " needs at least 2 dimensions";
  return te::compute(
      data->shape,
      [&](const Array<Var>& i) {
        PrimExpr d = tvm::cast(k.dtype(), i[nd - 1]) - tvm::cast(k.dtype(), i[nd - 2]);
        PrimExpr keep = upper ? (d >= k) : (d <= k);
        return tir::Select(keep, data(i), tvm::make_zero(data->dtype));
      },
      name, tag);
}

Tensor adv_index(const Tensor& data, const Array<Tensor>& indices, std::string name, std::string tag) {
  int nd = static_cast<int>(data->shape.size()), ni = static_cast<int>(indices.size());
  TVM_CHECK(ni >= 1 && ni <= nd, "ValueError") << "topi.adv_index: " << ni << " index tensors for " << Name(data)
                                               << " of rank " << nd;
  Array<PrimExpr> bshape = indices[0]->shape;
  for (int k = 1; k < ni; ++k) bshape = detail::BroadcastShape(bshape, indices[k]->shape, "topi.adv_index");
  Array<PrimExpr> shape = bshape;
  for (int k = ni; k < nd; ++k) shape.push_back(data->shape[k]);
  size_t nb = bshape.size();
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        Array<Var> bidx(i.begin(), i.begin() + nb);
        Array<PrimExpr> didx;
        for (int k = 0; k < ni; ++k) {
          PrimExpr v = indices[k](detail::BroadcastIndex(indices[k], bshape, bidx));
          didx.push_back(FixIndex(v, data->shape[k], "fast"));
        }
        for (size_t k = nb; k < i.size(); ++k) didx.push_back(i[k]);
        return data(didx);
      },
      name, tag);
}

Tensor matmul(const Tensor& a, const Tensor& b, bool trans_a, bool trans_b, std::string name, std::string tag) {
  TVM_CHECK(a->shape.size() == 2 && b->shape.size() == 2, "ValueError")
      << "topi.matmul: operands must be 2-D, got " << Name(a) << " " << a->shape << " and " << Name(b) << " "
      << b->shape;
  PrimExpr m = trans_a ? a->shape[1] : a->shape[0], ka = trans_a ? a->shape[0] : a->shape[1];
  PrimExpr kb = trans_b ? b->shape[1] : b->shape[0], n = trans_b ? b->shape[0] : b->shape[1];
  auto ca = tvm::as_const_int(ka), cb = tvm::as_const_int(kb);
  TVM_CHECK(!(ca && cb) || *ca == *cb, "ValueError")
      << "topi.matmul: the reduced dimensions differ (" << ka << " of " << Name(a) << " against " << kb << " of "
      << Name(b) << ")";
  IterVar k = te::reduce_axis(Range(0, ka), "k");
  return te::compute(
      {m, n},
      [&](const Array<Var>& i) {
        PrimExpr x = trans_a ? a(k->var, i[0]) : a(i[0], k->var);
        PrimExpr y = trans_b ? b(i[1], k->var) : b(k->var, i[1]);
        return te::sum(x * y, {k});
      },
      name, tag);
}

Tensor tensordot(const Tensor& a, const Tensor& b, const Array<Integer>& a_axes, const Array<Integer>& b_axes,
                 std::string name, std::string tag) {
  int na = static_cast<int>(a->shape.size()), nb = static_cast<int>(b->shape.size());
  TVM_CHECK(a_axes.size() == b_axes.size(), "ValueError") << "topi.tensordot: axes " << a_axes << " and " << b_axes
                                                          << " differ in length";
  std::vector<int> ra, rb;
  Array<IterVar> k;
  for (size_t j = 0; j < a_axes.size(); ++j) {
    ra.push_back(NormalizeAxis(a_axes[j]->value, na, "tensordot", "axis of a"));
    rb.push_back(NormalizeAxis(b_axes[j]->value, nb, "tensordot", "axis of b"));
    auto x = tvm::as_const_int(a->shape[ra.back()]), y = tvm::as_const_int(b->shape[rb.back()]);
    TVM_CHECK(!(x && y) || *x == *y, "ValueError")
        << "topi.tensordot: axis " << ra.back() << " of " << Name(a) << " (" << a->shape[ra.back()] << ") and axis "
        << rb.back() << " of " << Name(b) << " (" << b->shape[rb.back()] << ") differ";
    k.push_back(te::reduce_axis(Range(0, a->shape[ra.back()]), "k" + std::to_string(j)));
  }
  auto free_axes = [](int n, const std::vector<int>& used) {
    std::vector<int> out;
    for (int i = 0; i < n; ++i) {
      if (std::find(used.begin(), used.end(), i) == used.end()) out.push_back(i);
    }
    return out;
  };
  std::vector<int> fa = free_axes(na, ra), fb = free_axes(nb, rb);
  Array<PrimExpr> shape;
  for (int i : fa) shape.push_back(a->shape[i]);
  for (int i : fb) shape.push_back(b->shape[i]);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        std::vector<PrimExpr> ia(na), ib(nb);
        for (size_t j = 0; j < fa.size(); ++j) ia[fa[j]] = i[j];
        for (size_t j = 0; j < fb.size(); ++j) ib[fb[j]] = i[fa.size() + j];
        for (size_t j = 0; j < k.size(); ++j) {
          ia[ra[j]] = k[j]->var;
          ib[rb[j]] = k[j]->var;
        }
        return te::sum(a(Array<PrimExpr>(ia.begin(), ia.end())) * b(Array<PrimExpr>(ib.begin(), ib.end())), k);
      },
      name, tag);
}

Array<Tensor> meshgrid(const Array<Tensor>& inputs, const std::string& indexing, std::string name, std::string tag) {
  TVM_CHECK(indexing == "ij" || indexing == "xy", "ValueError")
      << "topi.meshgrid: indexing must be 'ij' or 'xy', got '" << indexing << "'";
  Array<PrimExpr> shape;
  for (const Tensor& t : inputs) {
    TVM_CHECK(t->shape.size() <= 1, "ValueError") << "topi.meshgrid: " << Name(t) << " of shape " << t->shape
                                                  << " is not a scalar or 1-D";
    // A 0-d input counts as a length-1 vector (as numpy does).
    shape.push_back(t->shape.empty() ? PrimExpr(make_const(DataType::Int(32), 1)) : t->shape[0]);
  }
  bool xy = indexing == "xy" && inputs.size() >= 2;
  if (xy) {
    PrimExpr first = shape[0];
    shape.Set(0, shape[1]);
    shape.Set(1, first);
  }
  Array<Tensor> out;
  for (size_t n = 0; n < inputs.size(); ++n) {
    size_t pos = xy && n < 2 ? 1 - n : n;
    out.push_back(te::compute(
        shape,
        [&](const Array<Var>& i) {
          return inputs[n]->shape.empty() ? inputs[n](Array<PrimExpr>{}) : inputs[n](i[pos]);
        },
        name, tag));
  }
  return out;
}

Tensor invert_permutation(const Tensor& x, std::string name, std::string tag) {
  TVM_CHECK(x->shape.size() == 1, "ValueError") << "topi.invert_permutation: " << Name(x) << " must be 1-D";
  int64_t n = detail::GetConstInt(x->shape[0], "topi.invert_permutation: the length");
  return te::compute(
      x->shape,
      [&](const Array<Var>& i) {
        PrimExpr result = tvm::make_zero(x->dtype);
        for (int64_t j = n - 1; j >= 0; --j) {
          PrimExpr at = x(tvm::make_const(x->shape[0].dtype(), j));
          result = tir::Select(tvm::cast(i[0].dtype(), at) == i[0], tvm::make_const(x->dtype, j), result);
        }
        return result;
      },
      name, tag);
}

// ---------------------------------------------------------------------------
// Python bindings

TVM_REGISTER_GLOBAL("topi.dynamic_strided_slice")
    .set_body_typed([](Tensor x, Tensor begin, Tensor end, Tensor strides) {
      return dynamic_strided_slice(x, begin, end, strides);
    });
TVM_REGISTER_GLOBAL("topi.strided_set")
    .set_body_typed([](Tensor x, Tensor v, Tensor begin, Tensor end, std::optional<Tensor> strides) {
      return strided_set(x, v, begin, end, strides);
    });
TVM_REGISTER_GLOBAL("topi.matmul").set_body_typed([](Tensor a, Tensor b, bool trans_a, bool trans_b) {
  return matmul(a, b, trans_a, trans_b);
});
TVM_REGISTER_GLOBAL("topi.tensordot")
    .set_body_typed([](Tensor a, Tensor b, Array<Integer> a_axes, Array<Integer> b_axes) {
      return tensordot(a, b, a_axes, b_axes);
    });
TVM_REGISTER_GLOBAL("topi.meshgrid").set_body_typed([](Array<Tensor> inputs, std::string indexing) {
  return meshgrid(inputs, indexing);
});
TVM_REGISTER_GLOBAL("topi.invert_permutation").set_body_typed([](Tensor x) { return invert_permutation(x); });
TVM_REGISTER_GLOBAL("topi.trilu").set_body_typed([](Tensor data, PrimExpr k, bool upper) {
  return trilu(data, k, upper);
});
TVM_REGISTER_GLOBAL("topi.adv_index").set_body_typed([](Tensor data, Array<Tensor> indices) {
  return adv_index(data, indices);
});
TVM_REGISTER_GLOBAL("topi.reshape").set_body_typed([](Tensor x, Array<PrimExpr> newshape) {
  return reshape(x, newshape);
});
TVM_REGISTER_GLOBAL("topi.transpose").set_body_typed([](Tensor x, std::optional<Array<Integer>> axes) {
  return transpose(x, axes);
});
TVM_REGISTER_GLOBAL("topi.squeeze").set_body_typed([](Tensor x, std::optional<Array<Integer>> axis) {
  return squeeze(x, axis);
});
TVM_REGISTER_GLOBAL("topi.expand_dims").set_body_typed([](Tensor x, int axis, int num_newaxis) {
  return expand_dims(x, axis, num_newaxis);
});
TVM_REGISTER_GLOBAL("topi.concatenate").set_body_typed([](Array<Tensor> xs, int axis) {
  return concatenate(xs, axis);
});
TVM_REGISTER_GLOBAL("topi.stack").set_body_typed([](Array<Tensor> xs, int axis) { return stack(xs, axis); });
TVM_REGISTER_GLOBAL("topi.split").set_body_typed([](Tensor x, Array<PrimExpr> indices, int axis) {
  return split(x, indices, axis);
});
TVM_REGISTER_GLOBAL("topi.split_sections").set_body_typed([](Tensor x, int sections, int axis) {
  return split_sections(x, sections, axis);
});
TVM_REGISTER_GLOBAL("topi.strided_slice")
    .set_body_typed([](Tensor x, Array<Integer> begin, Array<Integer> end, Array<Integer> strides,
                       std::optional<Array<Integer>> axes, std::string slice_mode) {
      return strided_slice(x, begin, end, strides, axes, slice_mode);
    });
TVM_REGISTER_GLOBAL("topi.take")
    .set_body_typed([](Tensor a, Tensor indices, int batch_dims, std::optional<int> axis, std::string mode) {
      return take(a, indices, batch_dims, axis, mode);
    });
TVM_REGISTER_GLOBAL("topi.gather").set_body_typed([](Tensor data, int axis, Tensor indices) {
  return gather(data, axis, indices);
});
TVM_REGISTER_GLOBAL("topi.gather_nd").set_body_typed([](Tensor data, Tensor indices, int batch_dims) {
  return gather_nd(data, indices, batch_dims);
});
TVM_REGISTER_GLOBAL("topi.one_hot")
    .set_body_typed([](Tensor indices, PrimExpr on, PrimExpr off, int depth, int axis, DataType dtype) {
      return one_hot(indices, on, off, depth, axis, dtype);
    });
TVM_REGISTER_GLOBAL("topi.tile").set_body_typed([](Tensor x, Array<Integer> reps) { return tile(x, reps); });
TVM_REGISTER_GLOBAL("topi.repeat").set_body_typed([](Tensor x, int repeats, int axis) {
  return repeat(x, repeats, axis);
});
TVM_REGISTER_GLOBAL("topi.reverse").set_body_typed([](Tensor x, Array<Integer> axis) { return reverse(x, axis); });
TVM_REGISTER_GLOBAL("topi.reverse_sequence")
    .set_body_typed([](Tensor x, Tensor lengths, int seq_axis, int batch_axis) {
      return reverse_sequence(x, lengths, seq_axis, batch_axis);
    });
TVM_REGISTER_GLOBAL("topi.arange")
    .set_body_typed([](PrimExpr start, PrimExpr stop, PrimExpr step, DataType dtype) {
      return arange(start, stop, step, dtype);
    });
TVM_REGISTER_GLOBAL("topi.layout_transform").set_body_typed([](Tensor x, std::string src, std::string dst) {
  return layout_transform(x, src, dst);
});
TVM_REGISTER_GLOBAL("topi.shape").set_body_typed([](Tensor x, DataType dtype) { return shape(x, dtype); });
TVM_REGISTER_GLOBAL("topi.ndarray_size").set_body_typed([](Tensor x, DataType dtype) {
  return ndarray_size(x, dtype);
});
TVM_REGISTER_GLOBAL("topi.sequence_mask")
    .set_body_typed([](Tensor data, Tensor valid_length, double mask_value, int axis) {
      return sequence_mask(data, valid_length, mask_value, axis);
    });
TVM_REGISTER_GLOBAL("topi.matrix_set_diag")
    .set_body_typed([](Tensor data, Tensor diagonal, int k1, int k2, bool super_right, bool sub_right) {
      return matrix_set_diag(data, diagonal, k1, k2, super_right, sub_right);
    });
TVM_REGISTER_GLOBAL("topi.unravel_index").set_body_typed([](Tensor x, Tensor shape) {
  return unravel_index(x, shape);
});
TVM_REGISTER_GLOBAL("topi.sparse_to_dense")
    .set_body_typed([](Tensor indices, Array<PrimExpr> shape, Tensor values, PrimExpr default_value) {
      return sparse_to_dense(indices, shape, values, default_value);
    });

}  // namespace topi
}  // namespace tvm
