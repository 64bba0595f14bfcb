/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/tensor/indexing.cc
 * \brief Indexing and signal operators: strided_set, sparse_to_dense, scatter_nd,
 *  adv_index, sliding_window, unique, stft, sparse_reshape and searchsorted (relations, call builders,
 *  registrations). Shapes that depend on values (unique's count) are padded to
 *  a static bound, as TVM does, with the true count as an output.
 */
#include <tvm/relay/attrs/transform.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(SparseToDenseAttrs);
TVM_REGISTER_NODE_TYPE(ScatterNDAttrs);
TVM_REGISTER_NODE_TYPE(SlidingWindowAttrs);
TVM_REGISTER_NODE_TYPE(UniqueAttrs);
TVM_REGISTER_NODE_TYPE(StftAttrs);
TVM_REGISTER_NODE_TYPE(SearchSortedAttrs);

namespace {

using RelFn = bool (*)(const Array<Type>&, int, const Attrs&, const TypeReporter&);

OpRegEntry& Register(const char* name, std::vector<const char*> args, const char* attrs_key, const char* rel_name,
                     RelFn rel, int pattern, const char* description) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(description).set_num_inputs(args.size()).set_support_level(3);
  if (attrs_key != nullptr) e.set_attrs_type_key(attrs_key);
  for (const char* a : args) e.add_argument(a, "Tensor", "");
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", pattern);
  return e;
}

void CheckIntegers(const TensorTypeNode* t, const char* arg) {
  TVM_CHECK(t->dtype.is_int() || t->dtype.is_uint(), "TypeError")
      << arg << " must have an integer dtype, got " << t->dtype;
}

// ---------------------------------------------------------------- strided_set

bool StridedSetRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* v = TensorArg(types, 1, "v");
  if (data == nullptr || v == nullptr) return false;
  TVM_CHECK(v->dtype == data->dtype, "TypeError") << "v has dtype " << v->dtype << ", data " << data->dtype;
  TVM_CHECK(v->shape.size() == data->shape.size(), "TypeError")
      << "v " << ShapeString(v->shape) << " must have the rank of data " << ShapeString(data->shape);
  const char* names[] = {"begin", "end", "strides"};
  for (int i = 0; i < 3; ++i) {
    const auto* t = TensorArg(types, 2 + i, names[i]);
    if (t == nullptr) continue;
    CheckIntegers(t, names[i]);
    TVM_CHECK(t->shape.size() == 1, "TypeError") << names[i] << " must be 1-D, got " << ShapeString(t->shape);
  }
  reporter->Assign(types[5], types[0]);
  return true;
}

// ---------------------------------------------------------------- sparse_to_dense

bool SparseToDenseRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "sparse_indices");
  const auto* values = TensorArg(types, 1, "sparse_values");
  const auto* fill = TensorArg(types, 2, "default_value");
  if (indices == nullptr || values == nullptr || fill == nullptr) return false;
  CheckIntegers(indices, "sparse_indices");
  const auto* p = attrs.as<SparseToDenseAttrs>();
  size_t rank = p->output_shape.size();
  TVM_CHECK(indices->shape.size() <= 2, "TypeError")
      << "sparse_indices must be a scalar, 1-D (N,) or 2-D (N, rank), got " << ShapeString(indices->shape);
  TVM_CHECK(values->shape.size() <= 1, "TypeError")
      << "sparse_values must be a scalar or 1-D, got " << ShapeString(values->shape);
  TVM_CHECK(fill->shape.empty(), "TypeError") << "default_value must be a scalar, got " << ShapeString(fill->shape);
  bool ok = true;
  if (indices->shape.size() == 2) ok = DimsMayMatch(reporter, indices->shape[1], Integer(rank));
  if (indices->shape.size() < 2) ok = rank == 1;
  TVM_CHECK(ok, "TypeError") << "sparse_indices " << ShapeString(indices->shape)
                             << " do not index an output of rank " << rank;
  if (values->shape.size() == 1 && !indices->shape.empty()) {
    TVM_CHECK(DimsMayMatch(reporter, values->shape[0], indices->shape[0]), "TypeError")
        << "sparse_values " << ShapeString(values->shape) << " must have one value per index of sparse_indices "
        << ShapeString(indices->shape);
  }
  Array<PrimExpr> oshape;
  for (const Integer& d : p->output_shape) {
    TVM_CHECK(d->value >= 0, "TypeError") << "output_shape entries must not be negative, got " << d->value;
    oshape.push_back(d);
  }
  reporter->Assign(types[3], TensorType(oshape, values->dtype));
  return true;
}

// ---------------------------------------------------------------- scatter_nd

bool ScatterNDRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* indices = TensorArg(types, 1, "indices");
  const auto* updates = TensorArg(types, 2, "updates");
  if (data == nullptr || indices == nullptr || updates == nullptr) return false;
  CheckIntegers(indices, "indices");
  const std::string& mode = attrs.as<ScatterNDAttrs>()->mode;
  TVM_CHECK(mode == "update" || mode == "add" || mode == "mul" || mode == "min" || mode == "max", "TypeError")
      << "mode must be update, add, mul, min or max, got " << mode;
  TVM_CHECK(updates->dtype == data->dtype, "TypeError")
      << "updates have dtype " << updates->dtype << ", data " << data->dtype;
  TVM_CHECK(!indices->shape.empty(), "TypeError") << "indices must have rank 1 or more (M, Y...), got a scalar";
  auto m = ConstDim(indices->shape[0]);
  // updates: (Y..., data.shape[M:]) where indices is (M, Y...).
  bool ok = true;
  if (m) {
    ok = *m >= 1 && *m <= static_cast<int64_t>(data->shape.size());
    size_t y = indices->shape.size() - 1;
    ok = ok && updates->shape.size() == y + data->shape.size() - *m;
    for (size_t i = 0; ok && i < y; ++i) ok = DimsMayMatch(reporter, updates->shape[i], indices->shape[i + 1]);
    for (size_t i = y; ok && i < updates->shape.size(); ++i) {
      ok = DimsMayMatch(reporter, updates->shape[i], data->shape[*m + i - y]);
    }
  }
  TVM_CHECK(ok, "TypeError") << "updates " << ShapeString(updates->shape) << " must be indices.shape[1:] + "
                             << "data.shape[M:] for indices " << ShapeString(indices->shape) << " and data "
                             << ShapeString(data->shape);
  reporter->Assign(types[3], types[0]);
  return true;
}

// ---------------------------------------------------------------- adv_index

bool AdvIndexRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  if (!types[0].defined() || types[0].as<IncompleteTypeNode>()) return false;
  const auto* tuple = types[0].as<TupleTypeNode>();
  TVM_CHECK(tuple != nullptr && !tuple->fields.empty(), "TypeError")
      << "expected a tuple (data, index...), got " << types[0];
  std::vector<const TensorTypeNode*> ts;
  for (size_t i = 0; i < tuple->fields.size(); ++i) {
    if (!tuple->fields[i].defined() || tuple->fields[i].as<IncompleteTypeNode>()) return false;
    const auto* t = tuple->fields[i].as<TensorTypeNode>();
    TVM_CHECK(t != nullptr, "TypeError") << "field " << i << " of adv_index's tuple is not a tensor";
    ts.push_back(t);
  }
  const auto* data = ts[0];
  TVM_CHECK(ts.size() - 1 <= data->shape.size(), "TypeError")
      << ts.size() - 1 << " index tensors for data " << ShapeString(data->shape);
  // The index tensors broadcast together, numpy style.
  Array<PrimExpr> bshape;
  for (size_t i = 1; i < ts.size(); ++i) {
    CheckIntegers(ts[i], "each index");
    const auto& s = ts[i]->shape;
    size_t rank = std::max(bshape.size(), s.size());
    Array<PrimExpr> merged;
    for (size_t k = 0; k < rank; ++k) {
      int64_t ia = static_cast<int64_t>(k) - static_cast<int64_t>(rank - bshape.size());
      int64_t ib = static_cast<int64_t>(k) - static_cast<int64_t>(rank - s.size());
      PrimExpr a = ia >= 0 ? bshape[ia] : PrimExpr(Integer(1));
      PrimExpr b = ib >= 0 ? s[ib] : PrimExpr(Integer(1));
      auto ca = ConstDim(a), cb = ConstDim(b);
      if (ca && *ca == 1) {
        merged.push_back(b);
      } else if ((cb && *cb == 1) || DimsMayMatch(reporter, a, b)) {
        merged.push_back(a);
      } else {
        TVM_CHECK(false, "TypeError") << "index " << i - 1 << " " << ShapeString(s)
                                      << " does not broadcast with the indices before it " << ShapeString(bshape);
      }
    }
    bshape = merged;
  }
  for (size_t i = ts.size() - 1; i < data->shape.size(); ++i) bshape.push_back(data->shape[i]);
  reporter->Assign(types[1], TensorType(bshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- sliding_window

bool SlidingWindowRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<SlidingWindowAttrs>();
  int64_t ndim = data->shape.size();
  TVM_CHECK(p->axis >= 0 && p->axis < ndim, "TypeError")
      << "axis " << p->axis << " must be in [0, " << ndim << ") for data " << ShapeString(data->shape);
  size_t n = p->window_shape.size();
  TVM_CHECK(n == static_cast<size_t>(ndim - p->axis) && p->strides.size() == n, "TypeError")
      << "window_shape and strides must have one entry per axis from axis " << p->axis << " of data "
      << ShapeString(data->shape) << ", got " << n << " and " << p->strides.size();
  Array<PrimExpr> oshape(data->shape.begin(), data->shape.begin() + p->axis);
  for (size_t i = 0; i < n; ++i) {
    int64_t w = p->window_shape[i]->value, s = p->strides[i]->value;
    TVM_CHECK(w > 0 && s > 0, "TypeError") << "window_shape and strides must be positive, got " << w << " and " << s;
    const PrimExpr& d = data->shape[p->axis + i];
    if (auto dv = ConstDim(d)) {
      TVM_CHECK(*dv >= w, "TypeError") << "window " << w << " is longer than axis " << p->axis + i << " of data "
                                       << ShapeString(data->shape);
      oshape.push_back(Integer((*dv - w) / s + 1));
    } else {
      oshape.push_back(IsAny(d) ? d : indexdiv(d - Integer(w), Integer(s)) + 1);
    }
  }
  for (const Integer& w : p->window_shape) oshape.push_back(w);
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- unique

bool UniqueRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  TVM_CHECK(data->shape.size() == 1, "TypeError") << "data must be 1-D, got " << ShapeString(data->shape);
  PrimExpr n = data->shape[0];
  Array<Type> fields = {TensorType({n}, data->dtype), TensorType({n}, DataType::Int(32)),
                        TensorType({n}, DataType::Int(32)), TensorType({Integer(1)}, DataType::Int(32))};
  if (attrs.as<UniqueAttrs>()->return_counts) fields.push_back(TensorType({n}, DataType::Int(32)));
  reporter->Assign(types[1], TupleType(fields));
  return true;
}

// ---------------------------------------------------------------- stft

bool SearchSortedRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* seq = TensorArg(types, 0, "sorted_sequence");
  const auto* values = TensorArg(types, 1, "values");
  if (seq == nullptr || values == nullptr) return false;
  const auto* p = attrs.as<SearchSortedAttrs>();
  TVM_CHECK(!seq->shape.empty(), "TypeError") << "sorted_sequence must have at least one axis, got a scalar";
  if (seq->shape.size() > 1) {
    // An N-D sequence: values searched along its last axis, the outer axes paired one to one.
    bool same = values->shape.size() == seq->shape.size();
    for (size_t i = 0; same && i + 1 < seq->shape.size(); ++i) {
      same = DimsMayMatch(reporter, seq->shape[i], values->shape[i]);
    }
    TVM_CHECK(same, "TypeError") << "sorted_sequence " << ShapeString(seq->shape) << " and values "
                                 << ShapeString(values->shape)
                                 << " must have the same rank and the same outer axes (or a 1-D sequence)";
  }
  TVM_CHECK(p->dtype.is_int() && (p->dtype.bits() == 32 || p->dtype.bits() == 64), "TypeError")
      << "dtype must be int32 or int64, got " << p->dtype;
  reporter->Assign(types[2], TensorType(values->shape, p->dtype));
  return true;
}

bool StftRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* window = TensorArg(types, 1, "window");
  if (data == nullptr || window == nullptr) return false;
  const auto* p = attrs.as<StftAttrs>();
  TVM_CHECK(data->shape.size() == 1 || data->shape.size() == 2, "TypeError")
      << "data must be (length,) or (batch, length), got " << ShapeString(data->shape);
  TVM_CHECK(p->n_fft > 0 && p->hop_length > 0 && p->win_length > 0 && p->win_length <= p->n_fft, "TypeError")
      << "n_fft, hop_length and win_length must be positive with win_length <= n_fft, got " << p->n_fft << ", "
      << p->hop_length << " and " << p->win_length;
  TVM_CHECK(window->shape.size() == 1 && DimsMayMatch(reporter, window->shape[0], Integer(p->win_length)),
            "TypeError")
      << "window must be 1-D of win_length " << p->win_length << ", got " << ShapeString(window->shape);
  const PrimExpr& length = data->shape.back();
  PrimExpr frames;
  if (auto lv = ConstDim(length)) {
    TVM_CHECK(*lv >= p->n_fft, "TypeError") << "data " << ShapeString(data->shape) << " is shorter than n_fft "
                                            << p->n_fft;
    frames = Integer((*lv - p->n_fft) / p->hop_length + 1);
  } else {
    frames = IsAny(length) ? length : indexdiv(length - Integer(p->n_fft), Integer(p->hop_length)) + 1;
  }
  Array<PrimExpr> oshape;
  if (data->shape.size() == 2) oshape.push_back(data->shape[0]);
  oshape.push_back(Integer(p->onesided ? p->n_fft / 2 + 1 : p->n_fft));
  oshape.push_back(frames);
  oshape.push_back(Integer(2));
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- sparse_reshape

bool SparseReshapeRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "sparse_indices");
  const auto* prev = TensorArg(types, 1, "prev_shape");
  const auto* next = TensorArg(types, 2, "new_shape");
  if (indices == nullptr || prev == nullptr || next == nullptr) return false;
  CheckIntegers(indices, "sparse_indices");
  CheckIntegers(prev, "prev_shape");
  CheckIntegers(next, "new_shape");
  TVM_CHECK(prev->shape.size() == 1 && next->shape.size() == 1, "TypeError")
      << "prev_shape and new_shape must be 1-D, got " << ShapeString(prev->shape) << " and "
      << ShapeString(next->shape);
  TVM_CHECK(indices->shape.size() == 2 && DimsMayMatch(reporter, indices->shape[1], prev->shape[0]), "TypeError")
      << "sparse_indices must be (N, rank) with the rank of prev_shape " << ShapeString(prev->shape) << ", got "
      << ShapeString(indices->shape);
  reporter->Assign(types[3], TupleType({TensorType({indices->shape[0], next->shape[0]}, indices->dtype),
                                        TensorType(next->shape, next->dtype)}));
  return true;
}

[[maybe_unused]] const int kRegistered = [] {
  using runtime::Registry;
  Registry::Register("relay.op._make.strided_set")
      .set_body_typed([](Expr data, Expr v, Expr begin, Expr end, Expr strides) {
        return MakeOpCall("strided_set", {data, v, begin, end, strides});
      });
  Register("strided_set", {"data", "v", "begin", "end", "strides"}, nullptr, "StridedSet", StridedSetRel,
           kInjective, "data with data[begin:end:strides] replaced by v");
  Registry::Register("relay.op._make.sparse_to_dense")
      .set_body_typed([](Expr indices, Array<Integer> output_shape, Expr values, Expr default_value) {
        auto a = make_object<SparseToDenseAttrs>();
        a->output_shape = output_shape;
        return MakeOpCall("sparse_to_dense", {indices, values, default_value}, Attrs(a));
      });
  Register("sparse_to_dense", {"sparse_indices", "sparse_values", "default_value"}, SparseToDenseAttrs::_type_key,
           "SparseToDense", SparseToDenseRel, kOpaque, "a dense tensor from indices and values");
  Registry::Register("relay.op._make.scatter_nd")
      .set_body_typed([](Expr data, Expr indices, Expr updates, std::string mode) {
        auto a = make_object<ScatterNDAttrs>();
        a->mode = mode;
        return MakeOpCall("scatter_nd", {data, indices, updates}, Attrs(a));
      });
  Register("scatter_nd", {"data", "indices", "updates"}, ScatterNDAttrs::_type_key, "ScatterND", ScatterNDRel,
           kOpaque, "data with updates combined at the positions indices name");
  Registry::Register("relay.op._make.adv_index").set_body_typed([](Expr inputs) {
    return MakeOpCall("adv_index", {inputs});
  });
  Register("adv_index", {"inputs"}, nullptr, "AdvIndex", AdvIndexRel, kInjective,
           "numpy's advanced indexing data[i0, i1, ...]");
  Registry::Register("relay.op._make.sliding_window")
      .set_body_typed([](Expr data, int axis, Array<Integer> window_shape, Array<Integer> strides) {
        auto a = make_object<SlidingWindowAttrs>();
        a->axis = axis;
        a->window_shape = window_shape;
        a->strides = strides;
        return MakeOpCall("sliding_window", {data}, Attrs(a));
      });
  Register("sliding_window", {"data"}, SlidingWindowAttrs::_type_key, "SlidingWindow", SlidingWindowRel, kInjective,
           "every window of window_shape over the axes from axis on");
  Registry::Register("relay.op._make.unique").set_body_typed([](Expr data, bool sorted, bool return_counts) {
    auto a = make_object<UniqueAttrs>();
    a->sorted = sorted;
    a->return_counts = return_counts;
    return MakeOpCall("unique", {data}, Attrs(a));
  });
  Register("unique", {"data"}, UniqueAttrs::_type_key, "Unique", UniqueRel, kOpaque,
           "the distinct values of a 1-D tensor (padded to its length), first indices, inverse indices, count");
  Registry::Register("relay.op._make.stft")
      .set_body_typed([](Expr data, int n_fft, int hop_length, int win_length, Expr window, bool normalized,
                         bool onesided) {
        auto a = make_object<StftAttrs>();
        a->n_fft = n_fft;
        a->hop_length = hop_length;
        a->win_length = win_length;
        a->normalized = normalized;
        a->onesided = onesided;
        return MakeOpCall("stft", {data, window}, Attrs(a));
      });
  Register("stft", {"data", "window"}, StftAttrs::_type_key, "Stft", StftRel, kOpaque,
           "short-time Fourier transform: (re, im) of each windowed frame");
  Registry::Register("relay.op._make.searchsorted")
      .set_body_typed([](Expr sorted_sequence, Expr values, bool right, DataType dtype) {
        auto a = make_object<SearchSortedAttrs>();
        a->right = right;
        a->dtype = dtype;
        return MakeOpCall("searchsorted", {sorted_sequence, values}, Attrs(a));
      });
  Register("searchsorted", {"sorted_sequence", "values"}, SearchSortedAttrs::_type_key, "SearchSorted",
           SearchSortedRel, kOpaque, "where each value would be inserted into the sorted innermost axis");
  Registry::Register("relay.op._make.sparse_reshape")
      .set_body_typed([](Expr indices, Expr prev_shape, Expr new_shape) {
        return MakeOpCall("sparse_reshape", {indices, prev_shape, new_shape});
      });
  Register("sparse_reshape", {"sparse_indices", "prev_shape", "new_shape"}, nullptr, "SparseReshape",
           SparseReshapeRel, kOpaque, "the indices of a COO sparse tensor reshaped (new_shape may hold one -1)");
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
