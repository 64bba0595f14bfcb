/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/dyn/tensor.cc
 * \brief The dynamic tensor operators dyn.*: the shape-like arguments of
 *  reshape, broadcast_to, full/zeros/ones, tile, one_hot, strided_slice,
 *  expand_dims, squeeze, sparse_to_dense and topk are tensors instead of
 *  attributes, so their values are only known when the program runs.
 *
 *  The relations fix what the argument types fix (the output rank from the
 *  static length of a shape tensor, the dimensions the op does not touch) and
 *  give relay.Any() for the rest. The computes (python/tvm/relay/op/dyn) read
 *  the output shape from the type the TE compiler passes; the shape functions
 *  compute it at run time. relay.transform.DynamicToStatic turns a call whose
 *  shape arguments are constants back into the static operator.
 */
#include <tvm/relay/attrs/transform.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <vector>

#include "../type_check.h"
#include "dyn_attrs.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(DynExpandDimsAttrs);

namespace dyn {
namespace {

/*!
 * \brief The static length of the 1-D tensor argument `arg` (a shape, reps,
 *  begin/end, axes): it fixes the rank of the result, so it must be known.
 */
int64_t StaticLength(const TensorTypeNode* t, const char* arg) {
  TVM_CHECK(t->shape.size() == 1, "TypeError")
      << arg << " must be a 1-D tensor, got a tensor of shape " << ShapeString(t->shape);
  auto n = ConstDim(t->shape[0]);
  TVM_CHECK(n.has_value(), "TypeError")
      << "the length of " << arg << " must be static (it fixes the rank of the result), got a tensor of shape "
      << ShapeString(t->shape);
  return *n;
}

Array<PrimExpr> AnyShape(int64_t rank) {
  Array<PrimExpr> shape;
  for (int64_t i = 0; i < rank; ++i) shape.push_back(tir::Any());
  return shape;
}

void CheckScalar(const TensorTypeNode* t, const char* arg) {
  TVM_CHECK(t->shape.empty(), "TypeError") << arg << " must be a scalar, got a tensor of shape "
                                           << ShapeString(t->shape);
}

using RelFn = bool (*)(const Array<Type>&, int, const Attrs&, const TypeReporter&);

OpRegEntry& Register(const char* name, std::vector<const char*> args, const char* attrs_key, const char* rel_name,
                     RelFn rel, int pattern, int level, const char* description) {
  auto& e = OpRegEntry::RegisterOrGet(name).describe(description).set_num_inputs(static_cast<int>(args.size()));
  e.set_support_level(level);
  if (attrs_key != nullptr) e.set_attrs_type_key(attrs_key);
  for (const char* a : args) e.add_argument(a, "Tensor", "");
  e.add_type_rel(rel_name, rel);
  e.set_attr<TOpPattern>("TOpPattern", pattern);
  return e;
}

// ---------------------------------------------------------------- reshape, expand_dims, squeeze

bool ReshapeRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* newshape = TensorArg(types, 1, "newshape");
  if (data == nullptr || newshape == nullptr) return false;
  reporter->Assign(types[2], TensorType(AnyShape(StaticLength(newshape, "newshape")), data->dtype));
  return true;
}

bool ExpandDimsRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* axis = TensorArg(types, 1, "axis");
  if (data == nullptr || axis == nullptr) return false;
  CheckScalar(axis, "axis");
  const auto* p = attrs.as<DynExpandDimsAttrs>();
  TVM_CHECK(p->num_newaxis >= 0, "TypeError") << "num_newaxis must be >= 0, got " << p->num_newaxis;
  int64_t rank = static_cast<int64_t>(data->shape.size()) + p->num_newaxis;
  reporter->Assign(types[2], TensorType(AnyShape(rank), data->dtype));
  return true;
}

bool SqueezeRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* axes = TensorArg(types, 1, "axis");
  if (data == nullptr || axes == nullptr) return false;
  int64_t n = StaticLength(axes, "axis");
  int64_t rank = static_cast<int64_t>(data->shape.size());
  TVM_CHECK(n <= rank, "TypeError") << "cannot squeeze " << n << " axes of data " << ShapeString(data->shape);
  reporter->Assign(types[2], TensorType(AnyShape(rank - n), data->dtype));
  return true;
}

// ---------------------------------------------------------------- broadcast_to, full, zeros, ones, tile

bool BroadcastToRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* shape = TensorArg(types, 1, "shape");
  if (data == nullptr || shape == nullptr) return false;
  int64_t rank = StaticLength(shape, "shape");
  TVM_CHECK(rank >= static_cast<int64_t>(data->shape.size()), "TypeError")
      << "cannot broadcast data " << ShapeString(data->shape) << " to a shape of rank " << rank;
  reporter->Assign(types[2], TensorType(AnyShape(rank), data->dtype));
  return true;
}

bool InitOpRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* shape = TensorArg(types, 0, "shape");
  if (shape == nullptr) return false;
  const auto* p = attrs.as<InitOpAttrs>();
  TVM_CHECK(!p->dtype.is_void(), "TypeError") << "dtype must be given";
  reporter->Assign(types[1], TensorType(AnyShape(StaticLength(shape, "shape")), p->dtype));
  return true;
}

bool FullRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* fill = TensorArg(types, 0, "fill_value");
  const auto* shape = TensorArg(types, 1, "shape");
  if (fill == nullptr || shape == nullptr) return false;
  CheckScalar(fill, "fill_value");
  const auto* p = attrs.as<InitOpAttrs>();
  DataType dtype = OutDtypeOr(p->dtype, fill->dtype);
  reporter->Assign(types[2], TensorType(AnyShape(StaticLength(shape, "shape")), dtype));
  return true;
}

bool TileRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* reps = TensorArg(types, 1, "reps");
  if (data == nullptr || reps == nullptr) return false;
  int64_t n = StaticLength(reps, "reps");
  int64_t rank = std::max<int64_t>(n, static_cast<int64_t>(data->shape.size()));
  reporter->Assign(types[2], TensorType(AnyShape(rank), data->dtype));
  return true;
}

// ---------------------------------------------------------------- one_hot, strided_slice, sparse_to_dense

bool OneHotRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "indices");
  const auto* on = TensorArg(types, 1, "on_value");
  const auto* off = TensorArg(types, 2, "off_value");
  const auto* depth = TensorArg(types, 3, "depth");
  if (indices == nullptr || on == nullptr || off == nullptr || depth == nullptr) return false;
  CheckScalar(on, "on_value");
  CheckScalar(off, "off_value");
  CheckScalar(depth, "depth");
  const auto* p = attrs.as<OneHotAttrs>();
  int64_t ndim = static_cast<int64_t>(indices->shape.size());
  int64_t axis = p->axis == -1 ? ndim : NormalizeAxis(p->axis, ndim + 1);
  Array<PrimExpr> shape;
  for (int64_t i = 0, j = 0; i <= ndim; ++i) shape.push_back(i == axis ? PrimExpr(tir::Any()) : indices->shape[j++]);
  reporter->Assign(types[4], TensorType(shape, p->dtype));
  return true;
}

bool StridedSliceRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* begin = TensorArg(types, 1, "begin");
  const auto* end = TensorArg(types, 2, "end");
  const auto* strides = TensorArg(types, 3, "strides");
  if (data == nullptr || begin == nullptr || end == nullptr || strides == nullptr) return false;
  const auto* p = attrs.as<StridedSliceAttrs>();
  TVM_CHECK(p->slice_mode == "end" || p->slice_mode == "size", "TypeError")
      << "slice_mode must be \"end\" or \"size\", got \"" << p->slice_mode << "\"";
  int64_t n = StaticLength(begin, "begin");
  int64_t n_end = StaticLength(end, "end");
  int64_t n_strides = StaticLength(strides, "strides");
  int64_t rank = static_cast<int64_t>(data->shape.size());
  TVM_CHECK(n <= rank, "TypeError") << "begin has " << n << " entries for data " << ShapeString(data->shape)
                                    << " of rank " << rank;
  TVM_CHECK(n_end == n && (n_strides == n || n_strides == 1), "TypeError")
      << "begin (" << n << " entries), end (" << n_end << ") and strides (" << n_strides
      << ") must have one length (strides may have one entry for all axes)";
  // The axes begin covers take run-time extents; the others are kept whole.
  Array<PrimExpr> shape;
  for (int64_t i = 0; i < rank; ++i) shape.push_back(i < n ? PrimExpr(tir::Any()) : data->shape[i]);
  reporter->Assign(types[4], TensorType(shape, data->dtype));
  return true;
}

bool SparseToDenseRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* indices = TensorArg(types, 0, "sparse_indices");
  const auto* values = TensorArg(types, 1, "sparse_values");
  const auto* deflt = TensorArg(types, 2, "default_value");
  const auto* shape = TensorArg(types, 3, "output_shape");
  if (indices == nullptr || values == nullptr || deflt == nullptr || shape == nullptr) return false;
  TVM_CHECK(indices->dtype.is_int() || indices->dtype.is_uint(), "TypeError")
      << "sparse_indices must hold integers, got " << indices->dtype;
  TVM_CHECK(indices->shape.size() <= 2, "TypeError")
      << "sparse_indices must be 0-D, 1-D or 2-D, got shape " << ShapeString(indices->shape);
  TVM_CHECK(values->shape.size() <= 1, "TypeError")
      << "sparse_values must be 0-D or 1-D, got shape " << ShapeString(values->shape);
  CheckScalar(deflt, "default_value");
  reporter->Assign(types[4], TensorType(AnyShape(StaticLength(shape, "output_shape")), values->dtype));
  return true;
}

// ---------------------------------------------------------------- topk

bool TopKRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  const auto* k = TensorArg(types, 1, "k");
  if (data == nullptr || k == nullptr) return false;
  TVM_CHECK(k->shape.empty() || (k->shape.size() == 1 && ConstDim(k->shape[0]) == 1), "TypeError")
      << "k must be a scalar or a tensor of shape (1,), got shape " << ShapeString(k->shape);
  const auto* p = attrs.as<TopKAttrs>();
  int64_t ndim = static_cast<int64_t>(data->shape.size());
  int axis = NormalizeAxis(p->axis, ndim);
  Array<PrimExpr> shape = data->shape;
  shape.Set(axis, tir::Any());
  TensorType values(shape, data->dtype), indices(shape, p->dtype);
  if (p->ret_type == "both") {
    reporter->Assign(types[2], TupleType({values, indices}));
  } else if (p->ret_type == "values") {
    reporter->Assign(types[2], values);
  } else if (p->ret_type == "indices") {
    reporter->Assign(types[2], indices);
  } else {
    TVM_CHECK(false, "TypeError") << "ret_type must be \"both\", \"values\" or \"indices\", got \"" << p->ret_type
                                  << "\"";
  }
  return true;
}

Expr Make(const char* name, Array<Expr> args, Attrs attrs) {
  return Call(Op::Get(name), std::move(args), std::move(attrs), {});
}

[[maybe_unused]] const int kRegistered = [] {
  using runtime::Registry;
  Registry::Register("relay.op.dyn._make.reshape").set_body_typed([](Expr data, Expr newshape, bool allowzero) {
    auto a = make_object<ReshapeAttrs>();
    a->allowzero = allowzero;
    return Make("dyn.reshape", {data, newshape}, Attrs(a));
  });
  Register("dyn.reshape", {"data", "newshape"}, ReshapeAttrs::_type_key, "DynamicReshape", ReshapeRel, kInjective, 3,
           "reshape to the shape held by a 1-D tensor (0, -1 and -3 as in reshape)")
      .set_attr<bool>("TReshapeOp", true);

  Registry::Register("relay.op.dyn._make.expand_dims").set_body_typed([](Expr data, Expr axis, int num_newaxis) {
    auto a = make_object<DynExpandDimsAttrs>();
    a->num_newaxis = num_newaxis;
    return Make("dyn.expand_dims", {data, axis}, Attrs(a));
  });
  Register("dyn.expand_dims", {"data", "axis"}, DynExpandDimsAttrs::_type_key, "DynamicExpandDims", ExpandDimsRel,
           kInjective, 3, "insert num_newaxis axes of extent 1 at the axis held by a scalar tensor");

  Registry::Register("relay.op.dyn._make.squeeze").set_body_typed([](Expr data, Expr axes) {
    return Make("dyn.squeeze", {data, axes}, Attrs(make_object<SqueezeAttrs>()));
  });
  Register("dyn.squeeze", {"data", "axis"}, SqueezeAttrs::_type_key, "DynamicSqueeze", SqueezeRel, kInjective, 3,
           "remove the axes of extent 1 listed in a 1-D tensor")
      .set_attr<bool>("TReshapeOp", true);

  Registry::Register("relay.op.dyn._make.broadcast_to").set_body_typed([](Expr data, Expr shape) {
    return Make("dyn.broadcast_to", {data, shape}, Attrs(make_object<InitOpAttrs>()));
  });
  Register("dyn.broadcast_to", {"data", "shape"}, InitOpAttrs::_type_key, "DynamicBroadCastTo", BroadcastToRel,
           kBroadcast, 4, "broadcast to the shape held by a 1-D tensor");

  for (const char* name : {"zeros", "ones"}) {
    std::string op = std::string("dyn.") + name;
    Registry::Register(std::string("relay.op.dyn._make.") + name).set_body_typed([op](Expr shape, DataType dtype) {
      auto a = make_object<InitOpAttrs>();
      a->dtype = dtype;
      return Call(Op::Get(op), {shape}, Attrs(a), {});
    });
    Register(op.c_str(), {"shape"}, InitOpAttrs::_type_key, "DynamicInitOp", InitOpRel, kElemWise, 3,
             "a tensor of the shape held by a 1-D tensor, filled with 0 (zeros) or 1 (ones)");
  }

  Registry::Register("relay.op.dyn._make.full").set_body_typed([](Expr fill_value, Expr shape, DataType dtype) {
    auto a = make_object<InitOpAttrs>();
    a->dtype = dtype;
    return Make("dyn.full", {fill_value, shape}, Attrs(a));
  });
  Register("dyn.full", {"fill_value", "shape"}, InitOpAttrs::_type_key, "DynamicFull", FullRel, kElemWise, 3,
           "a tensor of the shape held by a 1-D tensor, filled with a scalar");

  Registry::Register("relay.op.dyn._make.tile").set_body_typed([](Expr data, Expr reps) {
    return Make("dyn.tile", {data, reps}, Attrs(make_object<TileAttrs>()));
  });
  Register("dyn.tile", {"data", "reps"}, TileAttrs::_type_key, "DynamicTile", TileRel, kInjective, 3,
           "repeat the whole tensor the number of times held by a 1-D tensor along each axis");

  Registry::Register("relay.op.dyn._make.one_hot")
      .set_body_typed([](Expr indices, Expr on, Expr off, Expr depth, int axis, DataType dtype) {
        auto a = make_object<OneHotAttrs>();
        a->axis = axis;
        a->dtype = dtype;
        return Make("dyn.one_hot", {indices, on, off, depth}, Attrs(a));
      });
  Register("dyn.one_hot", {"indices", "on_value", "off_value", "depth"}, OneHotAttrs::_type_key, "DynOneHot",
           OneHotRel, kOutEWiseFusable, 10, "one-hot encoding whose depth is a scalar tensor");

  Registry::Register("relay.op.dyn._make.strided_slice")
      .set_body_typed([](Expr data, Expr begin, Expr end, Expr strides, String slice_mode) {
        auto a = make_object<StridedSliceAttrs>();
        a->slice_mode = slice_mode;
        return Make("dyn.strided_slice", {data, begin, end, strides}, Attrs(a));
      });
  Register("dyn.strided_slice", {"data", "begin", "end", "strides"}, StridedSliceAttrs::_type_key, "DynStridedSlice",
           StridedSliceRel, kInjective, 4, "numpy slicing with begin, end and strides held by 1-D tensors");

  // As TVM: the Python order (indices, output_shape, values, default), the call's (indices, values, default, shape).
  Registry::Register("relay.op.dyn._make.sparse_to_dense")
      .set_body_typed([](Expr indices, Expr output_shape, Expr values, Expr default_value) {
        return Make("dyn.sparse_to_dense", {indices, values, default_value, output_shape}, Attrs());
      });
  Register("dyn.sparse_to_dense", {"sparse_indices", "sparse_values", "default_value", "output_shape"}, nullptr,
           "DynSparseToDense", SparseToDenseRel, kOpaque, 3,
           "a dense tensor of the shape held by a 1-D tensor, with values at the sparse indices");

  Registry::Register("relay.op.dyn._make.topk")
      .set_body_typed([](Expr data, Expr k, int axis, String ret_type, bool is_ascend, DataType dtype) {
        auto a = make_object<TopKAttrs>();
        a->axis = axis;
        a->ret_type = ret_type;
        a->is_ascend = is_ascend;
        a->dtype = dtype;
        return Make("dyn.topk", {data, k}, Attrs(a));
      });
  Register("dyn.topk", {"data", "k"}, TopKAttrs::_type_key, "DynTopK", TopKRel, kOpaque, 6,
           "the k largest (or smallest) elements along an axis, k a scalar tensor (k < 1: all)");
  return 0;
}();

}  // namespace
}  // namespace dyn
}  // namespace relay
}  // namespace tvm
