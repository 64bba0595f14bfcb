/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/tensor/transform.cc
 * \brief Shape and data-movement operators (reshape, transpose, concatenate,
 *  strided_slice, take, ...), the tensor initialisers (zeros, full, arange)
 *  and topk/sort/argsort: relations, call builders and registrations.
 *  Relations compute static shapes where inputs are static, carry
 *  relay.Any() dimensions through, and reject what no input could satisfy.
 */
#include <tvm/relay/attrs/transform.h>
#include <tvm/runtime/registry.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(ExpandDimsAttrs);
TVM_REGISTER_NODE_TYPE(ConcatenateAttrs);
TVM_REGISTER_NODE_TYPE(TransposeAttrs);
TVM_REGISTER_NODE_TYPE(ReshapeAttrs);
TVM_REGISTER_NODE_TYPE(ScatterElementsAttrs);
TVM_REGISTER_NODE_TYPE(GatherAttrs);
TVM_REGISTER_NODE_TYPE(GatherNDAttrs);
TVM_REGISTER_NODE_TYPE(TakeAttrs);
TVM_REGISTER_NODE_TYPE(InitOpAttrs);
TVM_REGISTER_NODE_TYPE(ArangeAttrs);
TVM_REGISTER_NODE_TYPE(StackAttrs);
TVM_REGISTER_NODE_TYPE(RepeatAttrs);
TVM_REGISTER_NODE_TYPE(TileAttrs);
TVM_REGISTER_NODE_TYPE(ReverseAttrs);
TVM_REGISTER_NODE_TYPE(SqueezeAttrs);
TVM_REGISTER_NODE_TYPE(SplitAttrs);
TVM_REGISTER_NODE_TYPE(StridedSliceAttrs);
TVM_REGISTER_NODE_TYPE(SliceLikeAttrs);
TVM_REGISTER_NODE_TYPE(LayoutTransformAttrs);
TVM_REGISTER_NODE_TYPE(ShapeOfAttrs);
TVM_REGISTER_NODE_TYPE(OneHotAttrs);
TVM_REGISTER_NODE_TYPE(ScanopAttrs);
TVM_REGISTER_NODE_TYPE(EinsumAttrs);
TVM_REGISTER_NODE_TYPE(TopKAttrs);
TVM_REGISTER_NODE_TYPE(ArgsortAttrs);
TVM_REGISTER_NODE_TYPE(ReshapeLikeAttrs);
TVM_REGISTER_NODE_TYPE(ReverseSequenceAttrs);
TVM_REGISTER_NODE_TYPE(SequenceMaskAttrs);
TVM_REGISTER_NODE_TYPE(MeshgridAttrs);
TVM_REGISTER_NODE_TYPE(NdarraySizeAttrs);
TVM_REGISTER_NODE_TYPE(TriluAttrs);
TVM_REGISTER_NODE_TYPE(MatrixSetDiagAttrs);

namespace {

using RelFn = bool (*)(const Array<Type>&, int, const Attrs&, const TypeReporter&);

/*! \brief Register an operator with its relation and pattern (the common case here). */
OpRegEntry& Register(const char* name, int num_inputs, const char* attrs_key, const char* rel_name, RelFn rel,
                     int pattern, const char* description) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(description).set_num_inputs(num_inputs).set_support_level(3);
  if (attrs_key != nullptr) e.set_attrs_type_key(attrs_key);
  for (int i = 0; i < num_inputs; ++i) e.add_argument(i == 0 ? "data" : "arg" + std::to_string(i), "Tensor", "");
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", pattern);
  return e;
}

/*! \brief A nullable integer array argument (Python None arrives undefined). */
Array<Integer> IntArrayOrNull(const ObjectRef& v) {
  if (!v.defined()) return Array<Integer>(ObjectPtr<Object>(nullptr));
  return Downcast<Array<Integer>>(v);
}

bool AllConst(const Array<PrimExpr>& shape) {
  for (const PrimExpr& d : shape) {
    if (!ConstDim(d)) return false;
  }
  return true;
}

PrimExpr Product(const Array<PrimExpr>& shape, size_t begin = 0, size_t end = SIZE_MAX) {
  PrimExpr p = Integer(1);
  for (size_t i = begin; i < std::min(end, shape.size()); ++i) {
    if (IsAny(shape[i])) return tir::Any();
    p = p * shape[i];
  }
  return p;
}

// ---------------------------------------------------------------- reshape

/*! \brief The output shape of reshape(data, newshape) with TVM's special values. */
Array<PrimExpr> ReshapeShape(const Array<PrimExpr>& in, const Array<Integer>& newshape, bool allowzero) {
  std::vector<PrimExpr> out;
  int infer_index = -1;
  size_t src = 0;
  auto fail = [&]() -> std::string {
    std::ostringstream os;
    os << "cannot reshape " << ShapeString(in) << " to newshape " << ShapeString(Array<PrimExpr>(
                                                                                  newshape.begin(), newshape.end()));
    return os.str();
  };
  for (size_t i = 0; i < newshape.size(); ++i) {
    int64_t v = newshape[i]->value;
    if (v > 0 || (v == 0 && allowzero)) {
      out.push_back(Integer(v));
      ++src;
    } else if (v == 0) {
      TVM_CHECK(src < in.size(), "TypeError") << fail() << ": 0 at position " << i << " has no input axis to copy";
      out.push_back(in[src++]);
    } else if (v == -1) {
      TVM_CHECK(infer_index < 0, "TypeError") << fail() << ": more than one -1";
      infer_index = static_cast<int>(out.size());
      out.push_back(Integer(1));
      ++src;
    } else if (v == -2) {
      for (; src < in.size(); ++src) out.push_back(in[src]);
    } else if (v == -3) {
      TVM_CHECK(src + 1 < in.size(), "TypeError") << fail() << ": -3 needs two input axes to merge";
      PrimExpr a = in[src], b = in[src + 1];
      out.push_back(IsAny(a) || IsAny(b) ? PrimExpr(tir::Any()) : a * b);
      src += 2;
    } else if (v == -4) {
      TVM_CHECK(i + 2 < newshape.size(), "TypeError") << fail() << ": -4 must be followed by two values";
      TVM_CHECK(src < in.size(), "TypeError") << fail() << ": -4 has no input axis to split";
      PrimExpr d = in[src++];
      int64_t a = newshape[i + 1]->value, b = newshape[i + 2]->value;
      TVM_CHECK(!(a == -1 && b == -1) && a != 0 && b != 0 && a >= -1 && b >= -1, "TypeError")
          << fail() << ": -4 takes two positive factors, at most one of them -1";
      auto dv = ConstDim(d);
      if (a == -1) {
        out.push_back(dv ? PrimExpr(Integer(*dv / b)) : (IsAny(d) ? PrimExpr(tir::Any()) : indexdiv(d, Integer(b))));
        out.push_back(Integer(b));
      } else if (b == -1) {
        out.push_back(Integer(a));
        out.push_back(dv ? PrimExpr(Integer(*dv / a)) : (IsAny(d) ? PrimExpr(tir::Any()) : indexdiv(d, Integer(a))));
      } else {
        if (dv) {
          TVM_CHECK(a * b == *dv, "TypeError") << fail() << ": -4 splits " << *dv << " into " << a << " * " << b;
        }
        out.push_back(Integer(a));
        out.push_back(Integer(b));
      }
      i += 2;
    } else {
      TVM_CHECK(false, "TypeError") << fail() << ": " << v << " is not a valid newshape entry";
    }
  }
  Array<PrimExpr> result(out.begin(), out.end());
  if (AllConst(in)) {
    int64_t total = 1;
    for (const PrimExpr& d : in) total *= *ConstDim(d);
    int64_t known = 1;
    bool all_known = true;
    for (int i = 0; i < static_cast<int>(out.size()); ++i) {
      if (i == infer_index) continue;
      auto v = ConstDim(out[i]);
      if (!v) {
        all_known = false;
        continue;
      }
      known *= *v;
    }
    if (all_known) {
      if (infer_index >= 0) {
        TVM_CHECK(known != 0 && total % known == 0, "TypeError")
            << fail() << ": " << total << " elements do not divide into " << known;
        result.Set(infer_index, Integer(total / known));
      } else {
        TVM_CHECK(known == total, "TypeError")
            << fail() << ": " << total << " elements cannot become " << known;
      }
    }
  } else if (infer_index >= 0) {
    result.Set(infer_index, tir::Any());
  }
  return result;
}

template <typename T>
Array<T> Reversed(const Array<T>& a) {
  std::vector<T> v(a.begin(), a.end());
  return Array<T>(v.rbegin(), v.rend());
}

bool ReshapeRelImpl(bool reverse, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<ReshapeAttrs>();
  TVM_CHECK(p->newshape.defined(), "TypeError") << (reverse ? "contrib_reverse_reshape" : "reshape")
                                                << ": the newshape attribute is missing";
  Array<PrimExpr> in = data->shape;
  Array<Integer> ns = p->newshape;
  if (reverse) {
    in = Reversed(in);
    ns = Reversed(ns);
  }
  Array<PrimExpr> out = ReshapeShape(in, ns, p->allowzero);
  if (reverse) out = Reversed(out);
  reporter->Assign(types[1], TensorType(out, data->dtype));
  return true;
}
bool ReshapeRel(const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
  return ReshapeRelImpl(false, t, a, r);
}
bool ReverseReshapeRel(const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
  return ReshapeRelImpl(true, t, a, r);
}

// ---------------------------------------------------------------- transpose, squeeze, expand_dims

bool TransposeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<TransposeAttrs>();
  int ndim = data->shape.size();
  std::vector<int> axes;
  if (!p->axes.defined() || p->axes.empty()) {
    for (int i = ndim - 1; i >= 0; --i) axes.push_back(i);
  } else {
    TVM_CHECK(static_cast<int>(p->axes.size()) == ndim, "TypeError")
        << "axes has " << p->axes.size() << " entries but data " << ShapeString(data->shape) << " has rank "
        << ndim;
    std::vector<bool> seen(ndim, false);
    for (const Integer& a : p->axes) {
      int ax = NormalizeAxis(a->value, ndim);
      TVM_CHECK(!seen[ax], "TypeError") << "axes " << ShapeString(Array<PrimExpr>(p->axes.begin(), p->axes.end()))
                                        << " repeat axis " << ax;
      seen[ax] = true;
      axes.push_back(ax);
    }
  }
  Array<PrimExpr> oshape;
  for (int a : axes) oshape.push_back(data->shape[a]);
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool SqueezeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<SqueezeAttrs>();
  int ndim = data->shape.size();
  std::vector<bool> drop(ndim, false);
  if (!p->axis.defined()) {
    for (int i = 0; i < ndim; ++i) {
      auto v = ConstDim(data->shape[i]);
      drop[i] = v && *v == 1;
    }
  } else {
    for (const Integer& a : p->axis) {
      int ax = NormalizeAxis(a->value, ndim);
      auto v = ConstDim(data->shape[ax]);
      TVM_CHECK(!v || *v == 1, "TypeError") << "axis " << a->value << " of data " << ShapeString(data->shape)
                                            << " has extent " << *v << ", not 1";
      drop[ax] = true;
    }
  }
  Array<PrimExpr> oshape;
  for (int i = 0; i < ndim; ++i) {
    if (!drop[i]) oshape.push_back(data->shape[i]);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool ExpandDimsRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<ExpandDimsAttrs>();
  int ndim = data->shape.size();
  TVM_CHECK(p->num_newaxis >= 0, "TypeError") << "num_newaxis must not be negative, got "
                                              << p->num_newaxis;
  int axis = NormalizeAxis(p->axis, ndim + 1);
  Array<PrimExpr> oshape;
  for (int i = 0; i < axis; ++i) oshape.push_back(data->shape[i]);
  for (int i = 0; i < p->num_newaxis; ++i) oshape.push_back(Integer(1));
  for (int i = axis; i < ndim; ++i) oshape.push_back(data->shape[i]);
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- concatenate, stack, split

/*! \brief The tensor types of a tuple argument, or false while some are unknown. */
bool TupleTensors(const Type& t, std::vector<const TensorTypeNode*>* out) {
  if (!t.defined() || t.as<IncompleteTypeNode>()) return false;
  const auto* tuple = t.as<TupleTypeNode>();
  TVM_CHECK(tuple != nullptr, "TypeError") << "expected a tuple of tensors, got " << t;
  TVM_CHECK(!tuple->fields.empty(), "TypeError") << "the tuple of tensors is empty";
  for (size_t i = 0; i < tuple->fields.size(); ++i) {
    const Type& f = tuple->fields[i];
    if (!f.defined() || f.as<IncompleteTypeNode>()) return false;
    const auto* tt = f.as<TensorTypeNode>();
    TVM_CHECK(tt != nullptr, "TypeError") << "field " << i << " of the input tuple is not a tensor: " << f;
    out->push_back(tt);
  }
  return true;
}

bool ConcatenateRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  std::vector<const TensorTypeNode*> ts;
  if (!TupleTensors(types[0], &ts)) return false;
  const auto* first = ts[0];
  int ndim = first->shape.size();
  TVM_CHECK(ndim > 0, "TypeError") << "cannot concatenate scalars";
  int axis = NormalizeAxis(attrs.as<ConcatenateAttrs>()->axis, ndim);
  PrimExpr total = Integer(0);
  bool any = false;
  for (size_t i = 0; i < ts.size(); ++i) {
    TVM_CHECK(static_cast<int>(ts[i]->shape.size()) == ndim, "TypeError")
        << "input " << i << " " << ShapeString(ts[i]->shape) << " has rank " << ts[i]->shape.size()
        << " but input 0 " << ShapeString(first->shape) << " has rank " << ndim;
    TVM_CHECK(ts[i]->dtype == first->dtype, "TypeError")
        << "input " << i << " has dtype " << ts[i]->dtype << " but input 0 has " << first->dtype;
    for (int d = 0; d < ndim; ++d) {
      if (d == axis) continue;
      TVM_CHECK(DimsMayMatch(reporter, ts[i]->shape[d], first->shape[d]), "TypeError")
          << "input " << i << " " << ShapeString(ts[i]->shape) << " and input 0 "
          << ShapeString(first->shape) << " differ on axis " << d << " (concatenating along axis " << axis << ")";
    }
    any = any || IsAny(ts[i]->shape[axis]);
    total = total + ts[i]->shape[axis];
  }
  Array<PrimExpr> oshape = first->shape;
  // On a non-concatenated axis a static extent of one input beats Any in another only when
  // the concatenated axis is dynamic too (TVM's rule): with a static output the kernel
  // could not check the dynamic input at run time. [(?, 3), (?, ?)] -> (?, 3) but
  // [(1, 3), (1, ?)] -> (2, ?).
  for (int d = 0; d < ndim; ++d) {
    bool mixed = false;
    for (const auto* t : ts) mixed = mixed || IsAny(t->shape[d]);
    if (d == axis || !mixed) continue;
    if (!any) {
      oshape.Set(d, tir::Any());
      continue;
    }
    for (const auto* t : ts) {
      if (!IsAny(t->shape[d])) oshape.Set(d, t->shape[d]);
    }
  }
  oshape.Set(axis, any ? PrimExpr(tir::Any()) : total);
  reporter->Assign(types[1], TensorType(oshape, first->dtype));
  return true;
}

bool StackRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  std::vector<const TensorTypeNode*> ts;
  if (!TupleTensors(types[0], &ts)) return false;
  const auto* first = ts[0];
  int ndim = first->shape.size();
  int axis = NormalizeAxis(attrs.as<StackAttrs>()->axis->value, ndim + 1);
  for (size_t i = 1; i < ts.size(); ++i) {
    bool same = ts[i]->shape.size() == first->shape.size();
    for (int d = 0; same && d < ndim; ++d) same = DimsMayMatch(reporter, ts[i]->shape[d], first->shape[d]);
    TVM_CHECK(same, "TypeError") << "input " << i << " " << ShapeString(ts[i]->shape)
                                 << " does not have the shape of input 0 " << ShapeString(first->shape);
    TVM_CHECK(ts[i]->dtype == first->dtype, "TypeError")
        << "input " << i << " has dtype " << ts[i]->dtype << " but input 0 has " << first->dtype;
  }
  Array<PrimExpr> oshape;
  for (int i = 0; i < axis; ++i) oshape.push_back(first->shape[i]);
  oshape.push_back(Integer(static_cast<int>(ts.size())));
  for (int i = axis; i < ndim; ++i) oshape.push_back(first->shape[i]);
  reporter->Assign(types[1], TensorType(oshape, first->dtype));
  return true;
}

bool SplitRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<SplitAttrs>();
  int ndim = data->shape.size();
  TVM_CHECK(ndim > 0, "TypeError") << "cannot split a scalar";
  int axis = NormalizeAxis(p->axis, ndim);
  PrimExpr d = data->shape[axis];
  Array<Type> fields;
  if (const auto* sections = p->indices_or_sections.as<IntImmNode>()) {
    int64_t n = sections->value;
    TVM_CHECK(n > 0, "TypeError") << "indices_or_sections must be positive, got " << n;
    if (auto v = ConstDim(d)) {
      TVM_CHECK(*v % n == 0, "TypeError") << "axis " << axis << " of data " << ShapeString(data->shape)
                                          << " (extent " << *v << ") does not divide into " << n << " sections";
    }
    for (int64_t i = 0; i < n; ++i) {
      Array<PrimExpr> s = data->shape;
      s.Set(axis, IsAny(d) ? d : indexdiv(d, Integer(n)));
      fields.push_back(TensorType(s, data->dtype));
    }
  } else {
    auto indices = Downcast<Array<ObjectRef>>(p->indices_or_sections);
    PrimExpr begin = Integer(0);
    int64_t prev = 0;
    for (const ObjectRef& idx : indices) {
      int64_t v = IntValue(idx, "indices_or_sections");
      TVM_CHECK(v >= prev, "TypeError") << "indices_or_sections must be increasing, got " << v << " after "
                                        << prev;
      if (auto dv = ConstDim(d)) {
        TVM_CHECK(v <= *dv, "TypeError") << "index " << v << " is past the end of axis " << axis
                                         << " of data " << ShapeString(data->shape);
      }
      Array<PrimExpr> s = data->shape;
      s.Set(axis, Integer(v - prev));
      fields.push_back(TensorType(s, data->dtype));
      prev = v;
      begin = Integer(v);
    }
    Array<PrimExpr> s = data->shape;
    s.Set(axis, IsAny(d) ? d : d - begin);
    fields.push_back(TensorType(s, data->dtype));
  }
  reporter->Assign(types[1], TupleType(fields));
  return true;
}

// ---------------------------------------------------------------- strided_slice, slice_like

bool StridedSliceRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<StridedSliceAttrs>();
  int ndim = data->shape.size();
  TVM_CHECK(p->begin.defined() && p->end.defined(), "TypeError") << "begin and end must be given";
  TVM_CHECK(p->slice_mode == "end" || p->slice_mode == "size", "TypeError")
      << "slice_mode must be \"end\" or \"size\", got " << p->slice_mode;
  std::vector<int> axes;
  if (p->axes.defined()) {
    for (const Integer& a : p->axes) axes.push_back(NormalizeAxis(a->value, ndim, "axes entry"));
    TVM_CHECK(p->begin.size() == axes.size() && p->end.size() == axes.size(), "TypeError")
        << "begin, end and axes must have the same length, got " << p->begin.size() << ", "
        << p->end.size() << " and " << axes.size();
  } else {
    TVM_CHECK(static_cast<int>(p->begin.size()) <= ndim, "TypeError")
        << "begin has " << p->begin.size() << " entries but data " << ShapeString(data->shape)
        << " has rank " << ndim;
    for (size_t i = 0; i < std::max(p->begin.size(), p->end.size()) && static_cast<int>(i) < ndim; ++i) {
      axes.push_back(i);
    }
  }
  Array<PrimExpr> oshape = data->shape;
  for (size_t k = 0; k < axes.size(); ++k) {
    int ax = axes[k];
    int64_t stride = 1;
    if (p->strides.defined() && !p->strides.empty()) {
      stride = p->strides[p->strides.size() == 1 ? 0 : std::min(k, p->strides.size() - 1)]->value;
      if (p->strides.size() > 1 && k >= p->strides.size()) stride = 1;
    }
    if (p->slice_mode == "size") stride = 1;
    TVM_CHECK(stride != 0, "TypeError") << "stride of axis " << ax << " is 0";
    auto dv = ConstDim(data->shape[ax]);
    if (!dv) {
      oshape.Set(ax, tir::Any());
      continue;
    }
    int64_t dim = *dv;
    int64_t b = k < p->begin.size() ? p->begin[k]->value : (stride > 0 ? 0 : dim - 1);
    int64_t e;
    if (k >= p->end.size()) {
      e = stride > 0 ? dim : -dim - 1;
    } else {
      e = p->end[k]->value;
    }
    if (p->slice_mode == "size") {
      if (b < 0) b += dim;
      e = e < 0 ? dim : b + e;
    }
    // numpy's canonicalisation: negative indices count from the end; clamp into range.
    auto canon = [&](int64_t x, bool is_begin) {
      if (x < 0) x += dim;
      if (stride > 0) return std::clamp<int64_t>(x, 0, dim);
      (void)is_begin;
      return std::clamp<int64_t>(x, -1, dim - 1);
    };
    int64_t cb = canon(b, true);
    int64_t ce = (stride < 0 && k < p->end.size() && e < -dim) ? -1 : canon(e, false);
    int64_t len = stride > 0 ? (ce - cb + stride - 1) / stride : (cb - ce + (-stride) - 1) / (-stride);
    oshape.Set(ax, Integer(std::max<int64_t>(len, 0)));
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool SliceLikeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* like = TensorArg(types, 1, "shape_like");
  if (data == nullptr || like == nullptr) return false;
  const auto* p = attrs.as<SliceLikeAttrs>();
  Array<PrimExpr> oshape = data->shape;
  std::vector<int> axes;
  if (!p->axes.defined() || p->axes.empty()) {
    TVM_CHECK(like->shape.size() <= data->shape.size(), "TypeError")
        << "shape_like " << ShapeString(like->shape) << " has more axes than data "
        << ShapeString(data->shape);
    for (size_t i = 0; i < like->shape.size(); ++i) axes.push_back(i);
  } else {
    for (const Integer& a : p->axes) {
      int ax = NormalizeAxis(a->value, data->shape.size());
      NormalizeAxis(a->value, like->shape.size(), "axis of shape_like");
      axes.push_back(ax);
    }
  }
  for (int ax : axes) {
    int lax = ax;
    auto dv = ConstDim(data->shape[ax]), lv = ConstDim(like->shape[lax]);
    TVM_CHECK(!(dv && lv) || *lv <= *dv, "TypeError")
        << "shape_like " << ShapeString(like->shape) << " is larger than data " << ShapeString(data->shape)
        << " on axis " << ax;
    oshape.Set(ax, like->shape[lax]);
  }
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- take, gather, gather_nd, scatter_elements

void CheckIndices(const TensorTypeNode* idx, const char* arg) {
  TVM_CHECK(idx->dtype.is_int() || idx->dtype.is_uint(), "TypeError")
      << arg << " must have an integer dtype, got " << idx->dtype;
}

bool TakeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* indices = TensorArg(types, 1, "indices");
  if (data == nullptr || indices == nullptr) return false;
  CheckIndices(indices, "indices");
  const auto* p = attrs.as<TakeAttrs>();
  TVM_CHECK(p->mode == "clip" || p->mode == "wrap" || p->mode == "fast", "TypeError")
      << "mode must be clip, wrap or fast, got " << p->mode;
  if (!p->axis.defined()) {
    reporter->Assign(types[2], TensorType(indices->shape, data->dtype));
    return true;
  }
  int ndim = data->shape.size();
  int axis = NormalizeAxis(p->axis->value, ndim);
  int64_t bd = p->batch_dims.defined() ? p->batch_dims->value : 0;
  if (bd < 0) bd += indices->shape.size();
  TVM_CHECK(bd >= 0 && bd <= axis && bd <= static_cast<int64_t>(indices->shape.size()), "TypeError")
      << "batch_dims=" << bd << " must be at most axis=" << axis << " and the rank of indices "
      << ShapeString(indices->shape);
  Array<PrimExpr> oshape;
  for (int i = 0; i < axis; ++i) oshape.push_back(data->shape[i]);
  for (size_t i = bd; i < indices->shape.size(); ++i) oshape.push_back(indices->shape[i]);
  for (int i = axis + 1; i < ndim; ++i) oshape.push_back(data->shape[i]);
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

bool GatherRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* indices = TensorArg(types, 1, "indices");
  if (data == nullptr || indices == nullptr) return false;
  CheckIndices(indices, "indices");
  TVM_CHECK(data->shape.size() == indices->shape.size(), "TypeError")
      << "data " << ShapeString(data->shape) << " and indices " << ShapeString(indices->shape)
      << " must have the same rank";
  const auto* p = attrs.as<GatherAttrs>();
  int axis = NormalizeAxis(p->axis.defined() ? p->axis->value : 0, data->shape.size());
  for (size_t i = 0; i < data->shape.size(); ++i) {
    if (static_cast<int>(i) == axis) continue;
    auto dv = ConstDim(data->shape[i]), iv = ConstDim(indices->shape[i]);
    TVM_CHECK(!(dv && iv) || *iv <= *dv, "TypeError")
        << "indices " << ShapeString(indices->shape) << " is larger than data " << ShapeString(data->shape)
        << " on axis " << i;
  }
  reporter->Assign(types[2], TensorType(indices->shape, data->dtype));
  return true;
}

bool GatherNDRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* indices = TensorArg(types, 1, "indices");
  if (data == nullptr || indices == nullptr) return false;
  CheckIndices(indices, "indices");
  const auto* p = attrs.as<GatherNDAttrs>();
  TVM_CHECK(!indices->shape.empty(), "TypeError") << "indices must have rank 1 or more";
  int64_t bd = p->batch_dims.defined() ? p->batch_dims->value : 0;
  std::optional<int64_t> m = ConstDim(indices->shape[0]);
  if (p->index_rank.defined()) m = p->index_rank->value;
  TVM_CHECK(m.has_value(), "TypeError") << "the first axis of indices " << ShapeString(indices->shape)
                                        << " must be static (or index_rank given)";
  TVM_CHECK(bd + *m <= static_cast<int64_t>(data->shape.size()), "TypeError")
      << "indices " << ShapeString(indices->shape) << " index " << *m << " axes after batch_dims=" << bd
      << " but data " << ShapeString(data->shape) << " has rank " << data->shape.size();
  Array<PrimExpr> oshape;
  for (size_t i = 1; i < indices->shape.size(); ++i) oshape.push_back(indices->shape[i]);
  for (size_t i = bd + *m; i < data->shape.size(); ++i) oshape.push_back(data->shape[i]);
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

bool ScatterElementsRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* indices = TensorArg(types, 1, "indices");
  const auto* updates = TensorArg(types, 2, "updates");
  if (data == nullptr) return false;
  if (indices != nullptr) {
    CheckIndices(indices, "indices");
    TVM_CHECK(indices->shape.size() == data->shape.size(), "TypeError")
        << "indices " << ShapeString(indices->shape) << " and data " << ShapeString(data->shape)
        << " must have the same rank";
  }
  if (indices != nullptr && updates != nullptr) {
    bool same = indices->shape.size() == updates->shape.size();
    for (size_t i = 0; same && i < indices->shape.size(); ++i) {
      same = DimsMayMatch(reporter, indices->shape[i], updates->shape[i]);
    }
    TVM_CHECK(same, "TypeError") << "updates " << ShapeString(updates->shape)
                                 << " must have the shape of indices " << ShapeString(indices->shape);
  }
  const auto* p = attrs.as<ScatterElementsAttrs>();
  NormalizeAxis(p->axis->value, data->shape.size());
  static const std::set<std::string> kReductions = {"update", "add", "mul", "mean", "min", "max"};
  TVM_CHECK(kReductions.count(p->reduction), "TypeError")
      << "reduction must be update, add, mul, mean, min or max, got " << p->reduction;
  reporter->Assign(types[3], TensorType(data->shape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- one_hot, tile, repeat, reverse

bool OneHotRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "indices");
  if (indices == nullptr) return false;
  CheckIndices(indices, "indices");
  for (int i = 1; i <= 2; ++i) {
    const auto* v = TensorArg(types, i, i == 1 ? "on_value" : "off_value");
    if (v != nullptr) {
      TVM_CHECK(v->shape.empty(), "TypeError") << "" << (i == 1 ? "on_value" : "off_value")
                                               << " must be a scalar, got shape " << ShapeString(v->shape);
    }
  }
  const auto* p = attrs.as<OneHotAttrs>();
  TVM_CHECK(p->depth > 0, "TypeError") << "depth must be positive, got " << p->depth;
  int ndim = indices->shape.size();
  int axis = p->axis == -1 ? ndim : NormalizeAxis(p->axis, ndim + 1);
  Array<PrimExpr> oshape;
  for (int i = 0; i < axis; ++i) oshape.push_back(indices->shape[i]);
  oshape.push_back(Integer(p->depth));
  for (int i = axis; i < ndim; ++i) oshape.push_back(indices->shape[i]);
  reporter->Assign(types[3], TensorType(oshape, p->dtype));
  return true;
}

bool TileRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<TileAttrs>();
  size_t ndim = data->shape.size(), nreps = p->reps.size();
  for (const Integer& r : p->reps) {
    TVM_CHECK(r->value >= 0, "TypeError") << "reps must not be negative, got "
                                          << ShapeString(Array<PrimExpr>(p->reps.begin(), p->reps.end()));
  }
  size_t out_ndim = std::max(ndim, nreps);
  Array<PrimExpr> oshape;
  for (size_t i = 0; i < out_ndim; ++i) {
    // Both are aligned at the right; missing entries are 1.
    PrimExpr d = i + ndim >= out_ndim ? data->shape[i + ndim - out_ndim] : PrimExpr(Integer(1));
    int64_t r = i + nreps >= out_ndim ? p->reps[i + nreps - out_ndim]->value : 1;
    oshape.push_back(IsAny(d) ? d : d * Integer(r));
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool RepeatRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<RepeatAttrs>();
  TVM_CHECK(p->repeats.defined() && p->repeats->value >= 1, "TypeError")
      << "repeats must be a positive integer, got " << p->repeats;
  int axis = NormalizeAxis(p->axis.defined() ? p->axis->value : 0, data->shape.size());
  Array<PrimExpr> oshape = data->shape;
  if (!IsAny(oshape[axis])) oshape.Set(axis, oshape[axis] * Integer(p->repeats->value));
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool ReverseRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<ReverseAttrs>();
  NormalizeAxis(p->axis.defined() ? p->axis->value : 0, data->shape.size());
  reporter->Assign(types[1], types[0]);
  return true;
}

// ---------------------------------------------------------------- broadcast_to, initialisers

/*! \brief data broadcasts to `target` (numpy rules, aligned at the right) or a TypeError. */
void CheckBroadcastTo(const TensorTypeNode* data, const Array<PrimExpr>& target, const TypeReporter& reporter) {
  bool ok = data->shape.size() <= target.size();
  for (size_t i = 0; ok && i < data->shape.size(); ++i) {
    const PrimExpr& d = data->shape[data->shape.size() - 1 - i];
    const PrimExpr& t = target[target.size() - 1 - i];
    auto dv = ConstDim(d);
    ok = (dv && *dv == 1) || DimsMayMatch(reporter, d, t);
  }
  TVM_CHECK(ok, "TypeError") << "data " << ShapeString(data->shape) << " cannot broadcast to "
                             << ShapeString(target);
}

bool BroadcastToRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<InitOpAttrs>();
  TVM_CHECK(p->shape.defined(), "TypeError") << "the shape must be static here";
  Array<PrimExpr> target(p->shape.begin(), p->shape.end());
  CheckBroadcastTo(data, target, reporter);
  reporter->Assign(types[1], TensorType(target, data->dtype));
  return true;
}

bool BroadcastToLikeRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* like = TensorArg(types, 1, "broadcast_type");
  if (data == nullptr || like == nullptr) return false;
  CheckBroadcastTo(data, like->shape, reporter);
  reporter->Assign(types[2], TensorType(like->shape, data->dtype));
  return true;
}

bool InitOpRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* p = attrs.as<InitOpAttrs>();
  DataType dtype = p->dtype;
  if (num_inputs == 1) {  // full(fill_value): a scalar
    const auto* fill = TensorArg(types, 0, "fill_value");
    if (fill == nullptr) return false;
    TVM_CHECK(fill->shape.empty(), "TypeError") << "fill_value must be a scalar, got shape "
                                                << ShapeString(fill->shape);
    if (dtype.is_void()) dtype = fill->dtype;
  }
  TVM_CHECK(p->shape.defined(), "TypeError") << "the shape must be static here";
  Array<PrimExpr> shape;
  for (const Integer& d : p->shape) {
    TVM_CHECK(d->value >= 0, "TypeError") << "shape entries must not be negative, got " << d->value;
    shape.push_back(d);
  }
  reporter->Assign(types[num_inputs], TensorType(shape, dtype.is_void() ? DataType::Float(32) : dtype));
  return true;
}

bool InitLikeRel(const Array<Type>& types, int num_inputs, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  if (num_inputs == 2) {
    const auto* fill = TensorArg(types, 1, "fill_value");
    if (fill == nullptr) return false;
    TVM_CHECK(fill->shape.empty(), "TypeError") << "fill_value must be a scalar, got shape "
                                                << ShapeString(fill->shape);
  }
  reporter->Assign(types[num_inputs], TensorType(data->shape, data->dtype));
  return true;
}

/*! \brief The value of a scalar constant, if `e` is one. */
std::optional<double> ScalarConstant(const Expr& e) {
  const auto* c = e.as<ConstantNode>();
  if (c == nullptr || !c->data.defined() || c->data->ndim != 0) return std::nullopt;
  const DLTensor* t = c->data.operator->();
  const char* ptr = static_cast<const char*>(t->data) + t->byte_offset;
  DataType dt(t->dtype);
  if (dt.is_float() && dt.bits() == 32) return *reinterpret_cast<const float*>(ptr);
  if (dt.is_float() && dt.bits() == 64) return *reinterpret_cast<const double*>(ptr);
  if (dt.is_int() && dt.bits() == 32) return *reinterpret_cast<const int32_t*>(ptr);
  if (dt.is_int() && dt.bits() == 64) return static_cast<double>(*reinterpret_cast<const int64_t*>(ptr));
  return std::nullopt;
}

bool ArangeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* p = attrs.as<ArangeAttrs>();
  for (int i = 0; i < 3; ++i) {
    const auto* t = TensorArg(types, i, i == 0 ? "start" : i == 1 ? "stop" : "step");
    if (t == nullptr) return false;
    TVM_CHECK(t->shape.empty(), "TypeError") << "" << (i == 0 ? "start" : i == 1 ? "stop" : "step")
                                             << " must be a scalar, got shape " << ShapeString(t->shape);
  }
  auto start = ScalarConstant(p->start), stop = ScalarConstant(p->stop), step = ScalarConstant(p->step);
  PrimExpr n = tir::Any();
  if (start && stop && step) {
    TVM_CHECK(*step != 0, "TypeError") << "step must not be 0";
    n = Integer(static_cast<int>(std::max(0.0, std::ceil((*stop - *start) / *step))));
  }
  reporter->Assign(types[3], TensorType({n}, p->dtype));
  return true;
}

// ---------------------------------------------------------------- layout_transform

struct LayoutAxis {
  char letter;     // upper-case: a primal axis; lower-case: a sub-axis of the same letter
  int64_t factor;  // the extent of a sub-axis (0 for primal axes)
};

std::vector<LayoutAxis> ParseLayout(const std::string& layout) {
  std::vector<LayoutAxis> axes;
  int64_t factor = 0;
  for (char c : layout) {
    if (std::isdigit(static_cast<unsigned char>(c))) {
      factor = factor * 10 + (c - '0');
    } else if (std::isupper(static_cast<unsigned char>(c))) {
      TVM_CHECK(factor == 0, "TypeError") << "layout " << layout << " puts a factor before primal axis " << c;
      axes.push_back({c, 0});
    } else if (std::islower(static_cast<unsigned char>(c))) {
      TVM_CHECK(factor > 0, "TypeError") << "sub-axis " << c << " of layout " << layout << " has no factor";
      axes.push_back({c, factor});
      factor = 0;
    } else {
      TVM_CHECK(false, "TypeError") << "invalid character '" << c << "' in layout " << layout;
    }
  }
  std::set<char> seen;
  for (const auto& a : axes) {
    TVM_CHECK(seen.insert(a.letter).second, "TypeError") << "axis " << a.letter << " repeats in " << layout;
  }
  for (const auto& a : axes) {
    if (a.factor > 0) {
      TVM_CHECK(seen.count(static_cast<char>(std::toupper(a.letter))), "TypeError")
          << "sub-axis " << a.letter << " of layout " << layout << " has no primal axis";
    }
  }
  return axes;
}

bool LayoutTransformRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<LayoutTransformAttrs>();
  auto src = ParseLayout(p->src_layout), dst = ParseLayout(p->dst_layout);
  TVM_CHECK(src.size() == data->shape.size(), "TypeError")
      << "data " << ShapeString(data->shape) << " does not have the " << src.size() << " axes of "
      << p->src_layout;
  std::set<char> sp, dp;
  for (const auto& a : src) {
    if (a.factor == 0) sp.insert(a.letter);
  }
  for (const auto& a : dst) {
    if (a.factor == 0) dp.insert(a.letter);
  }
  TVM_CHECK(sp == dp, "TypeError") << p->src_layout << " and " << p->dst_layout
                                   << " do not have the same primal axes";
  // Primal extents: a primal axis times its sub-axis (if split in the source).
  std::map<char, PrimExpr> primal;
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i].factor == 0) primal[src[i].letter] = data->shape[i];
  }
  for (size_t i = 0; i < src.size(); ++i) {
    if (src[i].factor > 0) {
      char up = static_cast<char>(std::toupper(src[i].letter));
      auto v = ConstDim(data->shape[i]);
      TVM_CHECK(!v || *v == src[i].factor, "TypeError")
          << "axis " << src[i].factor << src[i].letter << " of data " << ShapeString(data->shape)
          << " has extent " << *v;
      primal[up] = primal[up] * Integer(src[i].factor);
    }
  }
  Array<PrimExpr> oshape;
  for (const auto& a : dst) {
    if (a.factor > 0) {
      oshape.push_back(Integer(a.factor));
      continue;
    }
    PrimExpr d = primal[a.letter];
    for (const auto& b : dst) {
      if (b.factor > 0 && std::toupper(b.letter) == a.letter) {
        if (auto v = ConstDim(d)) {
          TVM_CHECK(*v % b.factor == 0, "TypeError") << "axis " << a.letter << " (extent " << *v
                                                     << ") of data " << ShapeString(data->shape)
                                                     << " does not split by " << b.factor;
        }
        d = IsAny(d) ? d : indexdiv(d, Integer(b.factor));
      }
    }
    oshape.push_back(d);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

// ---------------------------------------------------------------- cumsum, sort, topk, shape_of

bool ScanopRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<ScanopAttrs>();
  DataType dtype = OutDtypeOr(p->dtype, data->dtype);
  if (!p->axis.defined()) {
    reporter->Assign(types[1], TensorType({Product(data->shape)}, dtype));
  } else {
    NormalizeAxis(p->axis->value, data->shape.size());
    reporter->Assign(types[1], TensorType(data->shape, dtype));
  }
  return true;
}

bool ArgsortRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<ArgsortAttrs>();
  NormalizeAxis(p->axis, data->shape.size());
  reporter->Assign(types[1], TensorType(data->shape, p->dtype));
  return true;
}

bool SortRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  NormalizeAxis(attrs.as<ArgsortAttrs>()->axis, data->shape.size());
  reporter->Assign(types[1], TensorType(data->shape, data->dtype));
  return true;
}

bool TopKRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<TopKAttrs>();
  int axis = NormalizeAxis(p->axis, data->shape.size());
  Array<PrimExpr> oshape = data->shape;
  // k < 1 (or undefined) keeps the whole axis.
  if (p->k.defined() && p->k->value >= 1) {
    auto dv = ConstDim(data->shape[axis]);
    TVM_CHECK(!dv || p->k->value <= *dv, "TypeError") << "k=" << p->k->value << " is larger than axis " << axis
                                                      << " of data " << ShapeString(data->shape);
    oshape.Set(axis, Integer(p->k->value));
  }
  TensorType values(oshape, data->dtype), indices(oshape, p->dtype);
  if (p->ret_type == "both") {
    reporter->Assign(types[1], TupleType({values, indices}));
  } else if (p->ret_type == "values") {
    reporter->Assign(types[1], values);
  } else {
    TVM_CHECK(p->ret_type == "indices", "TypeError") << "ret_type must be both, values or indices, got "
                                                     << p->ret_type;
    reporter->Assign(types[1], indices);
  }
  return true;
}

bool ShapeOfRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  reporter->Assign(types[1],
                   TensorType({Integer(static_cast<int>(data->shape.size()))}, attrs.as<ShapeOfAttrs>()->dtype));
  return true;
}

// ---------------------------------------------------------------- einsum

/*!
 * \brief numpy's einsum shapes: each operand's subscripts name its axes ("..."
 *  stands for leading broadcast axes); without "->" the output is the labels
 *  used once, in alphabetical order. A label must have one extent everywhere.
 */
bool EinsumRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  std::vector<const TensorTypeNode*> ts;
  if (!TupleTensors(types[0], &ts)) return false;
  std::string eq;
  for (char c : attrs.as<EinsumAttrs>()->equation) {
    if (c != ' ') eq.push_back(c);
  }
  std::string lhs = eq, rhs;
  bool explicit_out = eq.find("->") != std::string::npos;
  if (explicit_out) {
    lhs = eq.substr(0, eq.find("->"));
    rhs = eq.substr(eq.find("->") + 2);
  }
  std::vector<std::string> inputs;
  for (size_t start = 0;;) {
    size_t comma = lhs.find(',', start);
    inputs.push_back(lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  TVM_CHECK(inputs.size() == ts.size(), "TypeError") << "equation " << eq << " has " << inputs.size()
                                                     << " operands but " << ts.size() << " tensors were given";
  std::map<char, PrimExpr> extent;
  std::map<char, int> count;
  Array<PrimExpr> ellipsis;  // the broadcast of every operand's "..." axes
  for (size_t k = 0; k < ts.size(); ++k) {
    std::string sub = inputs[k];
    size_t dots = sub.find("...");
    std::string labels = sub;
    if (dots != std::string::npos) labels.erase(dots, 3);
    for (char c : labels) {
      TVM_CHECK(std::isalpha(static_cast<unsigned char>(c)), "TypeError") << "invalid subscript '" << c << "' in "
                                                                          << eq;
    }
    const auto& shape = ts[k]->shape;
    size_t nell = 0;
    if (dots == std::string::npos) {
      TVM_CHECK(labels.size() == shape.size(), "TypeError")
          << "operand " << k << " " << ShapeString(shape) << " has rank " << shape.size() << " but subscripts \""
          << sub << "\" name " << labels.size() << " axes";
    } else {
      TVM_CHECK(labels.size() <= shape.size(), "TypeError")
          << "operand " << k << " " << ShapeString(shape) << " has fewer axes than subscripts \"" << sub << "\"";
      nell = shape.size() - labels.size();
    }
    std::vector<PrimExpr> ell;
    size_t axis = 0;
    for (size_t i = 0; i < sub.size(); ++i) {
      if (dots != std::string::npos && i == dots) {
        for (size_t e = 0; e < nell; ++e) ell.push_back(shape[axis++]);
        i += 2;
        continue;
      }
      char c = sub[i];
      PrimExpr d = shape[axis++];
      auto it = extent.find(c);
      if (it == extent.end() || IsAny(it->second)) {
        extent[c] = d;
      } else {
        TVM_CHECK(DimsMayMatch(reporter, it->second, d), "TypeError")
            << "label '" << c << "' has extent " << it->second << " in one operand and " << d << " in operand " << k
            << " " << ShapeString(shape);
      }
      count[c] += 1;
    }
    // Broadcast the ellipsis axes, aligned at the right.
    size_t n = std::max<size_t>(ellipsis.size(), ell.size());
    std::vector<PrimExpr> merged(n);
    for (size_t i = 0; i < n; ++i) {
      PrimExpr a = i < n - ellipsis.size() ? PrimExpr() : ellipsis[i - (n - ellipsis.size())];
      PrimExpr b = i < n - ell.size() ? PrimExpr() : ell[i - (n - ell.size())];
      if (!a.defined() || (ConstDim(a) && *ConstDim(a) == 1)) {
        merged[i] = b.defined() ? b : a;
      } else if (!b.defined() || (ConstDim(b) && *ConstDim(b) == 1)) {
        merged[i] = a;
      } else {
        TVM_CHECK(DimsMayMatch(reporter, a, b), "TypeError")
            << "the \"...\" axes of operand " << k << " " << ShapeString(shape) << " do not broadcast";
        merged[i] = a;
      }
    }
    ellipsis = Array<PrimExpr>(merged.begin(), merged.end());
  }
  if (!explicit_out) {
    rhs = ellipsis.empty() ? "" : "...";
    for (const auto& [c, n] : count) {
      if (n == 1) rhs.push_back(c);
    }
  }
  Array<PrimExpr> oshape;
  for (size_t i = 0; i < rhs.size(); ++i) {
    if (rhs.compare(i, 3, "...") == 0) {
      for (const PrimExpr& d : ellipsis) oshape.push_back(d);
      i += 2;
      continue;
    }
    auto it = extent.find(rhs[i]);
    TVM_CHECK(it != extent.end(), "TypeError") << "output label '" << rhs[i] << "' of " << eq
                                               << " names no input axis";
    oshape.push_back(it->second);
  }
  reporter->Assign(types[1], TensorType(oshape, ts[0]->dtype));
  return true;
}

// ---------------------------------------------------------------- reshape_like, collapse_sum_like, sequences

bool ReshapeLikeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* like = TensorArg(types, 1, "shape_like");
  if (data == nullptr || like == nullptr) return false;
  const auto* p = attrs.as<ReshapeLikeAttrs>();
  auto range = [](int64_t begin, const Integer& end, size_t ndim, const char* what) {
    int64_t n = static_cast<int64_t>(ndim);
    int64_t b = begin < 0 ? begin + n : begin;
    int64_t e = !end.defined() ? n : (end->value < 0 ? end->value + n : end->value);
    TVM_CHECK(0 <= b && b <= e && e <= n, "TypeError")
        << what << " range [" << begin << ", " << (end.defined() ? std::to_string(end->value) : "None")
        << ") is not within a tensor of rank " << n;
    return std::make_pair(b, e);
  };
  auto [lb, le] = range(p->lhs_begin, p->lhs_end, data->shape.size(), "lhs");
  auto [rb, re] = range(p->rhs_begin, p->rhs_end, like->shape.size(), "rhs");
  Array<PrimExpr> oshape;
  for (int64_t i = 0; i < lb; ++i) oshape.push_back(data->shape[i]);
  for (int64_t i = rb; i < re; ++i) oshape.push_back(like->shape[i]);
  for (size_t i = le; i < data->shape.size(); ++i) oshape.push_back(data->shape[i]);
  if (AllConst(data->shape) && AllConst(oshape)) {
    int64_t a = 1, b = 1;
    for (const PrimExpr& d : data->shape) a *= *ConstDim(d);
    for (const PrimExpr& d : oshape) b *= *ConstDim(d);
    TVM_CHECK(a == b, "TypeError") << "data " << ShapeString(data->shape) << " (" << a
                                   << " elements) cannot take the shape " << ShapeString(oshape) << " (" << b
                                   << " elements) from shape_like " << ShapeString(like->shape);
  }
  reporter->Assign(types[2], TensorType(oshape, data->dtype));
  return true;
}

bool CollapseSumLikeRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* like = TensorArg(types, 1, "collapse_type");
  if (data == nullptr || like == nullptr) return false;
  // The target must broadcast to data: collapsing sums the broadcast axes away.
  bool ok = like->shape.size() <= data->shape.size();
  for (size_t i = 0; ok && i < like->shape.size(); ++i) {
    const PrimExpr& t = like->shape[like->shape.size() - 1 - i];
    auto tv = ConstDim(t);
    ok = (tv && *tv == 1) || DimsMayMatch(reporter, t, data->shape[data->shape.size() - 1 - i]);
  }
  TVM_CHECK(ok, "TypeError") << "data " << ShapeString(data->shape) << " cannot be summed to "
                             << ShapeString(like->shape) << " (it does not broadcast to data)";
  reporter->Assign(types[2], TensorType(like->shape, data->dtype));
  return true;
}

/*! \brief A 1-D integer argument of data's extent on `axis` (per-batch lengths). */
void CheckLengths(const Array<Type>& types, size_t index, const char* arg, const TensorTypeNode* data, int axis,
                  const TypeReporter& reporter, bool integer_only = true) {
  const auto* len = TensorArg(types, index, arg);
  if (len == nullptr) return;
  if (integer_only) CheckIndices(len, arg);
  TVM_CHECK(len->shape.size() == 1 && DimsMayMatch(reporter, len->shape[0], data->shape[axis]), "TypeError")
      << arg << " " << ShapeString(len->shape) << " must be 1-D with the " << data->shape[axis]
      << " entries of axis " << axis << " of data " << ShapeString(data->shape);
}

bool ReverseSequenceRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<ReverseSequenceAttrs>();
  int ndim = data->shape.size();
  int seq_axis = NormalizeAxis(p->seq_axis->value, ndim, "seq_axis");
  int batch_axis = NormalizeAxis(p->batch_axis->value, ndim, "batch_axis");
  TVM_CHECK(seq_axis != batch_axis, "TypeError") << "seq_axis and batch_axis are both " << seq_axis;
  const auto* len = types[1].as<TensorTypeNode>();
  if (len != nullptr && len->shape.size() == 1) {
    // This sentence, spelling included, is what TVM's tests match on.
    TVM_CHECK(DimsMayMatch(reporter, len->shape[0], data->shape[batch_axis]), "TypeError")
        << "For reverse_sequnece seq_lengths size should match with dimension of batch axis, but got dimension of "
           "batch_axis = "
        << data->shape[batch_axis] << ", and seq_length size = " << len->shape[0] << " (seq_lengths " << ShapeString(len->shape) << ", data "
        << ShapeString(data->shape) << ", batch_axis " << batch_axis << ")";
  }
  CheckLengths(types, 1, "seq_lengths", data, batch_axis, reporter);
  reporter->Assign(types[2], types[0]);
  return true;
}

bool SequenceMaskRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  int axis = attrs.as<SequenceMaskAttrs>()->axis;
  TVM_CHECK(data->shape.size() >= 2 && (axis == 0 || axis == 1), "TypeError")
      << "axis must be 0 or 1 and data of rank 2 or more, got axis=" << axis << " and data "
      << ShapeString(data->shape);
  // TVM compares positions with lengths of any numeric dtype (its tests pass float lengths).
  CheckLengths(types, 1, "valid_length", data, 1 - axis, reporter, false);
  reporter->Assign(types[2], types[0]);
  return true;
}

bool MeshgridRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  std::vector<const TensorTypeNode*> ts;
  if (!TupleTensors(types[0], &ts)) return false;
  const auto* p = attrs.as<MeshgridAttrs>();
  TVM_CHECK(p->indexing == "ij" || p->indexing == "xy", "TypeError")
      << "indexing must be \"ij\" or \"xy\", got " << p->indexing;
  Array<PrimExpr> grid;
  for (size_t i = 0; i < ts.size(); ++i) {
    TVM_CHECK(ts[i]->shape.size() <= 1, "TypeError")
        << "input " << i << " must be a scalar or 1-D, got " << ShapeString(ts[i]->shape);
    grid.push_back(ts[i]->shape.empty() ? PrimExpr(Integer(1)) : ts[i]->shape[0]);
  }
  if (p->indexing == "xy" && grid.size() >= 2) {
    PrimExpr first = grid[0];
    grid.Set(0, grid[1]);
    grid.Set(1, first);
  }
  Array<Type> fields;
  for (const auto* t : ts) fields.push_back(TensorType(grid, t->dtype));
  reporter->Assign(types[1], TupleType(fields));
  return true;
}

bool NdarraySizeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  if (TensorArg(types, 0, "data") == nullptr) return false;
  reporter->Assign(types[1], TensorType({}, attrs.as<NdarraySizeAttrs>()->dtype));
  return true;
}

bool TriluRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* k = TensorArg(types, 1, "k");
  if (data == nullptr) return false;
  TVM_CHECK(data->shape.size() >= 2, "TypeError") << "data must have rank 2 or more, got "
                                                  << ShapeString(data->shape);
  if (k != nullptr) {
    TVM_CHECK(k->shape.empty() && (k->dtype.is_int() || k->dtype.is_uint()), "TypeError")
        << "k must be an integer scalar, got " << ShapeString(k->shape) << " " << k->dtype;
  }
  reporter->Assign(types[2], types[0]);
  return true;
}

// ---------------------------------------------------------------- collapse_sum_to, unravel_index, matrix_set_diag

bool CollapseSumToRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<InitOpAttrs>();
  TVM_CHECK(p->shape.defined(), "TypeError") << "the target shape must be a constant";
  Array<PrimExpr> target(p->shape.begin(), p->shape.end());
  bool ok = target.size() <= data->shape.size();
  for (size_t i = 0; ok && i < target.size(); ++i) {
    const PrimExpr& t = target[target.size() - 1 - i];
    auto tv = ConstDim(t);
    ok = (tv && *tv == 1) || DimsMayMatch(reporter, t, data->shape[data->shape.size() - 1 - i]);
  }
  TVM_CHECK(ok, "TypeError") << "data " << ShapeString(data->shape) << " cannot be summed to "
                             << ShapeString(target) << " (it does not broadcast to data)";
  reporter->Assign(types[2], TensorType(target, data->dtype));
  return true;
}

bool UnravelIndexRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "indices");
  const auto* shape = TensorArg(types, 1, "shape");
  if (indices == nullptr || shape == nullptr) return false;
  CheckIndices(indices, "indices");
  CheckIndices(shape, "shape");
  TVM_CHECK(indices->shape.size() <= 1, "TypeError") << "indices must be a scalar or 1-D, got "
                                                     << ShapeString(indices->shape);
  TVM_CHECK(shape->shape.size() == 1, "TypeError") << "shape must be 1-D, got " << ShapeString(shape->shape);
  Array<PrimExpr> oshape{shape->shape[0]};
  if (!indices->shape.empty()) oshape.push_back(indices->shape[0]);
  reporter->Assign(types[2], TensorType(oshape, indices->dtype));
  return true;
}

bool MatrixSetDiagRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* diag = TensorArg(types, 1, "diagonal");
  if (data == nullptr || diag == nullptr) return false;
  const auto* p = attrs.as<MatrixSetDiagAttrs>();
  size_t nd = data->shape.size();
  TVM_CHECK(nd >= 2, "TypeError") << "data must have rank 2 or more, got " << ShapeString(data->shape);
  TVM_CHECK(p->k1 <= p->k2, "TypeError") << "k must be (low, high) with low <= high, got (" << p->k1 << ", "
                                         << p->k2 << ")";
  // One diagonal: (..., len); a band of k2 - k1 + 1 diagonals: (..., k2 - k1 + 1, len).
  size_t expect = p->k1 == p->k2 ? nd - 1 : nd;
  bool ok = diag->shape.size() == expect;
  for (size_t i = 0; ok && i + 2 < nd; ++i) ok = DimsMayMatch(reporter, diag->shape[i], data->shape[i]);
  if (ok && p->k1 != p->k2) ok = DimsMayMatch(reporter, diag->shape[nd - 2], Integer(p->k2 - p->k1 + 1));
  TVM_CHECK(ok, "TypeError") << "diagonal " << ShapeString(diag->shape) << " does not fit diagonals " << p->k1
                             << ".." << p->k2 << " of data " << ShapeString(data->shape);
  reporter->Assign(types[2], types[0]);
  return true;
}

template <typename T>
ObjectPtr<T> New() {
  return make_object<T>();
}

[[maybe_unused]] const int kRegistered = [] {
  using runtime::Registry;
  // reshape family
  Registry::Register("relay.op._make.reshape").set_body_typed([](Expr data, Array<Integer> newshape, bool allowzero) {
    auto a = New<ReshapeAttrs>();
    a->newshape = newshape;
    a->allowzero = allowzero;
    return MakeOpCall("reshape", {data}, Attrs(a));
  });
  Register("reshape", 1, ReshapeAttrs::_type_key, "Reshape", ReshapeRel, kInjective,
           "reshape with 0 (copy), -1 (infer), -2 (rest), -3 (merge), -4 (split)");
  Registry::Register("relay.op._make.contrib_reverse_reshape").set_body_typed([](Expr data, Array<Integer> newshape) {
    auto a = New<ReshapeAttrs>();
    a->newshape = newshape;
    return MakeOpCall("contrib_reverse_reshape", {data}, Attrs(a));
  });
  Register("contrib_reverse_reshape", 1, ReshapeAttrs::_type_key, "ReverseReshape", ReverseReshapeRel, kInjective,
           "reshape whose special values are read from the right");
  Registry::Register("relay.op._make.transpose").set_body_typed([](Expr data, ObjectRef axes) {
    auto a = New<TransposeAttrs>();
    a->axes = IntArrayOrNull(axes);
    return MakeOpCall("transpose", {data}, Attrs(a));
  });
  Register("transpose", 1, TransposeAttrs::_type_key, "Transpose", TransposeRel, kInjective, "permute the axes");
  Registry::Register("relay.op._make.squeeze").set_body_typed([](Expr data, ObjectRef axis) {
    auto a = New<SqueezeAttrs>();
    a->axis = IntArrayOrNull(axis);
    return MakeOpCall("squeeze", {data}, Attrs(a));
  });
  Register("squeeze", 1, SqueezeAttrs::_type_key, "Squeeze", SqueezeRel, kInjective, "remove axes of extent 1");
  Registry::Register("relay.op._make.expand_dims").set_body_typed([](Expr data, int axis, int num_newaxis) {
    auto a = New<ExpandDimsAttrs>();
    a->axis = axis;
    a->num_newaxis = num_newaxis;
    return MakeOpCall("expand_dims", {data}, Attrs(a));
  });
  Register("expand_dims", 1, ExpandDimsAttrs::_type_key, "ExpandDims", ExpandDimsRel, kBroadcast,
           "insert axes of extent 1");
  // joining and splitting
  Registry::Register("relay.op._make.concatenate").set_body_typed([](Expr data, int axis) {
    auto a = New<ConcatenateAttrs>();
    a->axis = axis;
    return MakeOpCall("concatenate", {data}, Attrs(a));
  });
  Register("concatenate", 1, ConcatenateAttrs::_type_key, "Concatenate", ConcatenateRel, kInjective,
           "join a tuple of tensors along axis");
  Registry::Register("relay.op._make.stack").set_body_typed([](Expr data, int axis) {
    auto a = New<StackAttrs>();
    a->axis = Integer(axis);
    return MakeOpCall("stack", {data}, Attrs(a));
  });
  Register("stack", 1, StackAttrs::_type_key, "Stack", StackRel, kInjective, "join tensors along a new axis");
  Registry::Register("relay.op._make.split").set_body_typed([](Expr data, ObjectRef indices_or_sections, int axis) {
    auto a = New<SplitAttrs>();
    a->indices_or_sections = indices_or_sections;
    a->axis = axis;
    return MakeOpCall("split", {data}, Attrs(a));
  });
  Register("split", 1, SplitAttrs::_type_key, "Split", SplitRel, kInjective,
           "split into equal sections or at indices");
  // slicing
  Registry::Register("relay.op._make.strided_slice")
      .set_body_typed([](Expr data, Array<Integer> begin, Array<Integer> end, ObjectRef strides, std::string mode,
                         ObjectRef axes) {
        auto a = New<StridedSliceAttrs>();
        a->begin = begin;
        a->end = end;
        a->strides = IntArrayOrNull(strides);
        a->slice_mode = mode;
        a->axes = IntArrayOrNull(axes);
        return MakeOpCall("strided_slice", {data}, Attrs(a));
      });
  Register("strided_slice", 1, StridedSliceAttrs::_type_key, "StridedSlice", StridedSliceRel, kInjective,
           "numpy-style slicing with begin, end and strides");
  Registry::Register("relay.op._make.slice_like").set_body_typed([](Expr data, Expr like, ObjectRef axes) {
    auto a = New<SliceLikeAttrs>();
    a->axes = IntArrayOrNull(axes);
    return MakeOpCall("slice_like", {data, like}, Attrs(a));
  });
  Register("slice_like", 2, SliceLikeAttrs::_type_key, "SliceLike", SliceLikeRel, kInjective,
           "slice data to the shape of shape_like");
  // indexing
  Registry::Register("relay.op._make.take")
      .set_body_typed([](Expr data, Expr indices, ObjectRef axis, int batch_dims, std::string mode) {
        auto a = New<TakeAttrs>();
        a->axis = axis.defined() ? Downcast<Integer>(axis) : Integer();
        a->batch_dims = Integer(batch_dims);
        a->mode = mode;
        return MakeOpCall("take", {data, indices}, Attrs(a));
      });
  Register("take", 2, TakeAttrs::_type_key, "Take", TakeRel, kInjective, "take elements along an axis");
  Registry::Register("relay.op._make.gather").set_body_typed([](Expr data, int axis, Expr indices) {
    auto a = New<GatherAttrs>();
    a->axis = Integer(axis);
    return MakeOpCall("gather", {data, indices}, Attrs(a));
  });
  Register("gather", 2, GatherAttrs::_type_key, "Gather", GatherRel, kInjective, "gather along axis");
  Registry::Register("relay.op._make.gather_nd")
      .set_body_typed([](Expr data, Expr indices, int batch_dims, ObjectRef index_rank) {
        auto a = New<GatherNDAttrs>();
        a->batch_dims = Integer(batch_dims);
        a->index_rank = index_rank.defined() ? Downcast<Integer>(index_rank) : Integer();
        return MakeOpCall("gather_nd", {data, indices}, Attrs(a));
      });
  Register("gather_nd", 2, GatherNDAttrs::_type_key, "GatherND", GatherNDRel, kInjective,
           "gather with index tuples along the first axis of indices");
  Registry::Register("relay.op._make.scatter_elements")
      .set_body_typed([](Expr data, Expr indices, Expr updates, int axis, std::string reduction) {
        auto a = New<ScatterElementsAttrs>();
        a->axis = Integer(axis);
        a->reduction = reduction;
        return MakeOpCall("scatter_elements", {data, indices, updates}, Attrs(a));
      });
  Register("scatter_elements", 3, ScatterElementsAttrs::_type_key, "ScatterElements", ScatterElementsRel, kOpaque,
           "write updates into data at indices along axis");
  Registry::Register("relay.op._make.one_hot")
      .set_body_typed([](Expr indices, Expr on, Expr off, int depth, int axis, DataType dtype) {
        auto a = New<OneHotAttrs>();
        a->depth = depth;
        a->axis = axis;
        a->dtype = dtype;
        return MakeOpCall("one_hot", {indices, on, off}, Attrs(a));
      });
  Register("one_hot", 3, OneHotAttrs::_type_key, "OneHot", OneHotRel, kOutEWiseFusable,
           "one-hot encoding of integer indices");
  // repetition
  Registry::Register("relay.op._make.tile").set_body_typed([](Expr data, Array<Integer> reps) {
    auto a = New<TileAttrs>();
    a->reps = reps;
    return MakeOpCall("tile", {data}, Attrs(a));
  });
  Register("tile", 1, TileAttrs::_type_key, "Tile", TileRel, kInjective, "repeat the whole tensor along each axis");
  Registry::Register("relay.op._make.repeat").set_body_typed([](Expr data, int repeats, int axis) {
    auto a = New<RepeatAttrs>();
    a->repeats = Integer(repeats);
    a->axis = Integer(axis);
    return MakeOpCall("repeat", {data}, Attrs(a));
  });
  Register("repeat", 1, RepeatAttrs::_type_key, "Repeat", RepeatRel, kInjective, "repeat each element along axis");
  Registry::Register("relay.op._make.reverse").set_body_typed([](Expr data, int axis) {
    auto a = New<ReverseAttrs>();
    a->axis = Integer(axis);
    return MakeOpCall("reverse", {data}, Attrs(a));
  });
  Register("reverse", 1, ReverseAttrs::_type_key, "Reverse", ReverseRel, kInjective, "reverse along axis");
  // broadcasting and initialisers
  Registry::Register("relay.op._make.broadcast_to").set_body_typed([](Expr data, Array<Integer> shape) {
    auto a = New<InitOpAttrs>();
    a->shape = shape;
    return MakeOpCall("broadcast_to", {data}, Attrs(a));
  });
  Register("broadcast_to", 1, InitOpAttrs::_type_key, "BroadcastTo", BroadcastToRel, kBroadcast,
           "broadcast to a shape");
  Registry::Register("relay.op._make.broadcast_to_like").set_body_typed([](Expr data, Expr like) {
    return MakeOpCall("broadcast_to_like", {data, like});
  });
  Register("broadcast_to_like", 2, nullptr, "BroadcastToLike", BroadcastToLikeRel, kBroadcast,
           "broadcast to the shape of another tensor");
  for (const char* name : {"zeros", "ones"}) {
    std::string op = name;
    Registry::Register(std::string("relay.op._make.") + name)
        .set_body_typed([op](Array<Integer> shape, DataType dtype) {
          auto a = New<InitOpAttrs>();
          a->shape = shape;
          a->dtype = dtype;
          return MakeOpCall(op.c_str(), {}, Attrs(a));
        });
    Register(name, 0, InitOpAttrs::_type_key, "InitOp", InitOpRel, kElemWise, "a tensor of one value");
  }
  Registry::Register("relay.op._make.full").set_body_typed([](Expr fill, Array<Integer> shape, DataType dtype) {
    auto a = New<InitOpAttrs>();
    a->shape = shape;
    a->dtype = dtype;
    return MakeOpCall("full", {fill}, Attrs(a));
  });
  Register("full", 1, InitOpAttrs::_type_key, "Full", InitOpRel, kElemWise, "a tensor filled with fill_value");
  // zeros_like and ones_like are unary operators (tensor/unary.cc).
  Registry::Register("relay.op._make.full_like").set_body_typed([](Expr data, Expr fill) {
    return MakeOpCall("full_like", {data, fill});
  });
  Register("full_like", 2, nullptr, "FullLike", InitLikeRel, kElemWise, "fill_value shaped like data");
  Registry::Register("relay.op._make.arange").set_body_typed([](Expr start, Expr stop, Expr step, DataType dtype) {
    auto a = New<ArangeAttrs>();
    a->start = start;
    a->stop = stop;
    a->step = step;
    a->dtype = dtype;
    return MakeOpCall("arange", {start, stop, step}, Attrs(a));
  });
  Register("arange", 3, ArangeAttrs::_type_key, "Arange", ArangeRel, kOpaque, "evenly spaced values");
  // layouts, scans, sorting, shapes
  Registry::Register("relay.op._make.layout_transform")
      .set_body_typed([](Expr data, std::string src, std::string dst) {
        auto a = New<LayoutTransformAttrs>();
        a->src_layout = src;
        a->dst_layout = dst;
        return MakeOpCall("layout_transform", {data}, Attrs(a));
      });
  Register("layout_transform", 1, LayoutTransformAttrs::_type_key, "LayoutTransform", LayoutTransformRel, kInjective,
           "convert between layouts such as NCHW and NCHW16c");
  for (const char* name : {"cumsum", "cumprod"}) {
    std::string op = name;
    Registry::Register(std::string("relay.op._make.") + name)
        .set_body_typed([op](Expr data, ObjectRef axis, DataType dtype, ObjectRef exclusive) {
          auto a = New<ScanopAttrs>();
          a->axis = axis.defined() ? Downcast<Integer>(axis) : Integer();
          a->dtype = dtype;
          a->exclusive = Bool(exclusive.defined() && Downcast<IntImm>(exclusive)->value != 0);
          return MakeOpCall(op.c_str(), {data}, Attrs(a));
        });
    Register(name, 1, ScanopAttrs::_type_key, "Cumsum", ScanopRel, kOpaque, "running sum or product along axis");
  }
  Registry::Register("relay.op._make.argsort").set_body_typed([](Expr data, int axis, bool is_ascend, DataType dtype) {
    auto a = New<ArgsortAttrs>();
    a->axis = axis;
    a->is_ascend = is_ascend;
    a->dtype = dtype;
    return MakeOpCall("argsort", {data}, Attrs(a));
  });
  Register("argsort", 1, ArgsortAttrs::_type_key, "Argsort", ArgsortRel, kOpaque, "indices that sort along axis");
  Registry::Register("relay.op._make.sort").set_body_typed([](Expr data, int axis, bool is_ascend) {
    auto a = New<ArgsortAttrs>();
    a->axis = axis;
    a->is_ascend = is_ascend;
    return MakeOpCall("sort", {data}, Attrs(a));
  });
  Register("sort", 1, ArgsortAttrs::_type_key, "Sort", SortRel, kOpaque, "sort along axis");
  Registry::Register("relay.op._make.topk")
      .set_body_typed([](Expr data, ObjectRef k, int axis, std::string ret_type, bool is_ascend, DataType dtype) {
        auto a = New<TopKAttrs>();
        a->k = k.defined() ? Downcast<Integer>(k) : Integer();
        a->axis = axis;
        a->ret_type = ret_type;
        a->is_ascend = is_ascend;
        a->dtype = dtype;
        return MakeOpCall("topk", {data}, Attrs(a));
      });
  Register("topk", 1, TopKAttrs::_type_key, "TopK", TopKRel, kOpaque, "the k largest (or smallest) along axis");
  Registry::Register("relay.op._make.einsum").set_body_typed([](Expr data, std::string equation) {
    auto a = New<EinsumAttrs>();
    a->equation = equation;
    return MakeOpCall("einsum", {data}, Attrs(a));
  });
  Register("einsum", 1, EinsumAttrs::_type_key, "Einsum", EinsumRel, kInjective,
           "sums of products over labelled axes (numpy's einsum)");
  Registry::Register("relay.op._make.reshape_like")
      .set_body_typed([](Expr data, Expr like, int lhs_begin, ObjectRef lhs_end, int rhs_begin, ObjectRef rhs_end) {
        auto a = New<ReshapeLikeAttrs>();
        a->lhs_begin = lhs_begin;
        a->lhs_end = lhs_end.defined() ? Downcast<Integer>(lhs_end) : Integer();
        a->rhs_begin = rhs_begin;
        a->rhs_end = rhs_end.defined() ? Downcast<Integer>(rhs_end) : Integer();
        return MakeOpCall("reshape_like", {data, like}, Attrs(a));
      });
  Register("reshape_like", 2, ReshapeLikeAttrs::_type_key, "ReshapeLike", ReshapeLikeRel, kInjective,
           "reshape (part of) data to (part of) another tensor's shape");
  Registry::Register("relay.op._make.collapse_sum_like").set_body_typed([](Expr data, Expr like) {
    return MakeOpCall("collapse_sum_like", {data, like});
  });
  Register("collapse_sum_like", 2, nullptr, "CollapseSumLike", CollapseSumLikeRel, kCommReduce,
           "sum the axes broadcasting added, back to another tensor's shape");
  Registry::Register("relay.op._make.reverse_sequence")
      .set_body_typed([](Expr data, Expr lengths, int seq_axis, int batch_axis) {
        auto a = New<ReverseSequenceAttrs>();
        a->seq_axis = Integer(seq_axis);
        a->batch_axis = Integer(batch_axis);
        return MakeOpCall("reverse_sequence", {data, lengths}, Attrs(a));
      });
  Register("reverse_sequence", 2, ReverseSequenceAttrs::_type_key, "ReverseSequence", ReverseSequenceRel,
           kInjective, "reverse the first seq_lengths[b] entries of each batch b");
  Registry::Register("relay.op._make.sequence_mask")
      .set_body_typed([](Expr data, Expr valid_length, double mask_value, int axis) {
        auto a = New<SequenceMaskAttrs>();
        a->mask_value = mask_value;
        a->axis = axis;
        return MakeOpCall("sequence_mask", {data, valid_length}, Attrs(a));
      });
  Register("sequence_mask", 2, SequenceMaskAttrs::_type_key, "SequenceMask", SequenceMaskRel, kInjective,
           "mask_value past each sequence's valid length");
  Registry::Register("relay.op._make.meshgrid").set_body_typed([](Expr data, std::string indexing) {
    auto a = New<MeshgridAttrs>();
    a->indexing = indexing;
    return MakeOpCall("meshgrid", {data}, Attrs(a));
  });
  Register("meshgrid", 1, MeshgridAttrs::_type_key, "Meshgrid", MeshgridRel, kInjective,
           "coordinate grids from 1-D tensors");
  Registry::Register("relay.op._make.ndarray_size").set_body_typed([](Expr data, DataType dtype) {
    auto a = New<NdarraySizeAttrs>();
    a->dtype = dtype;
    return MakeOpCall("ndarray_size", {data}, Attrs(a));
  });
  Register("ndarray_size", 1, NdarraySizeAttrs::_type_key, "NdarraySize", NdarraySizeRel, kInjective,
           "the number of elements")
      .set_attr<TNonComputational>("TNonComputational", true);
  Registry::Register("relay.op._make.trilu").set_body_typed([](Expr data, Expr k, bool upper) {
    auto a = New<TriluAttrs>();
    a->upper = upper;
    return MakeOpCall("trilu", {data, k}, Attrs(a));
  });
  Register("trilu", 2, TriluAttrs::_type_key, "Trilu", TriluRel, kInjective,
           "the upper or lower triangle of the last two axes");
  Registry::Register("relay.op._make.collapse_sum_to").set_body_typed([](Expr data, Expr shape) {
    // The shape is a constant (Python makes one from a list); the relation reads it from the attributes.
    const auto* c = shape.as<ConstantNode>();
    TVM_CHECK(c != nullptr && c->data->ndim == 1, "ValueError") << "collapse_sum_to: shape must be a 1-D constant";
    auto a = New<InitOpAttrs>();
    Array<Integer> dims;
    const DLTensor* t = c->data.operator->();
    for (int64_t i = 0; i < t->shape[0]; ++i) {
      const char* ptr = static_cast<const char*>(t->data) + t->byte_offset;
      dims.push_back(Integer(t->dtype.bits == 64 ? static_cast<int>(reinterpret_cast<const int64_t*>(ptr)[i])
                                                 : reinterpret_cast<const int32_t*>(ptr)[i]));
    }
    a->shape = dims;
    return MakeOpCall("collapse_sum_to", {data, shape}, Attrs(a));
  });
  Register("collapse_sum_to", 2, InitOpAttrs::_type_key, "CollapseSumTo", CollapseSumToRel, kCommReduce,
           "sum the axes broadcasting added, back to a shape");
  Registry::Register("relay.op._make.unravel_index").set_body_typed([](Expr indices, Expr shape) {
    return MakeOpCall("unravel_index", {indices, shape});
  });
  Register("unravel_index", 2, nullptr, "UnravelIndex", UnravelIndexRel, kInjective,
           "flat indices to coordinates in a shape");
  Registry::Register("relay.op._make.matrix_set_diag")
      .set_body_typed([](Expr data, Expr diagonal, int k1, int k2, bool super_right, bool sub_right) {
        auto a = New<MatrixSetDiagAttrs>();
        a->k1 = k1;
        a->k2 = k2;
        a->super_diag_right_align = super_right;
        a->sub_diag_right_align = sub_right;
        return MakeOpCall("matrix_set_diag", {data, diagonal}, Attrs(a));
      });
  Register("matrix_set_diag", 2, MatrixSetDiagAttrs::_type_key, "MatrixSetDiag", MatrixSetDiagRel, kInjective,
           "replace diagonals of the last two axes");
  Registry::Register("relay.op._make.shape_of").set_body_typed([](Expr data, DataType dtype) {
    auto a = New<ShapeOfAttrs>();
    a->dtype = dtype;
    return MakeOpCall("shape_of", {data}, Attrs(a));
  });
  Register("shape_of", 1, ShapeOfAttrs::_type_key, "ShapeOf", ShapeOfRel, kOpaque, "the shape as a 1-D tensor")
      .set_attr<TNonComputational>("TNonComputational", true);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
