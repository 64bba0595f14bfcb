/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file transform_compute.cc
 * \brief The computes (FTVMCompute) and schedules (FTVMSchedule: the target's
 *  injective schedule) of the injective operators whose compute is one TOPI
 *  call: where, clip, cast, cast_like, the fills (full, zeros, ones and their
 *  _like forms), reshape and its relatives (contrib_reverse_reshape, squeeze,
 *  expand_dims), transpose, layout_transform, concatenate, strided_slice, reverse,
 *  split, broadcast_to and broadcast_to_like.
 *
 * They are C++ so a program with no Python interpreter can compile (and fold
 * constants through) them. Shapes the type relation settled are read from the
 * output type; a relay.Any() extent is derived from the input shapes
 * (reshape's special values included), since the output type's size variable
 * is bound only when the tensor is an output of the fused kernel.
 */
#include <tvm/relay/attrs/elemwise.h>
#include <tvm/relay/attrs/transform.h>
#include <tvm/tir/op.h>
#include <tvm/topi/broadcast.h>
#include <tvm/topi/elemwise.h>
#include <tvm/topi/transform.h>

#include <algorithm>
#include <functional>
#include <vector>

#include "../op_schedules.h"

namespace tvm {
namespace relay {

namespace {

using te::Tensor;

// An integer as the Python bindings pass one: int32 when it fits, else int64.
Integer AsInteger(int64_t v) { return Downcast<Integer>(PrimExpr(v)); }

Array<Integer> AsIntegers(const Array<Integer>& values) {
  Array<Integer> out;
  for (const Integer& v : values) out.push_back(AsInteger(v->value));
  return out;
}

PrimExpr I64(const PrimExpr& v) { return v.dtype() == DataType::Int(64) ? v : cast(DataType::Int(64), v); }
PrimExpr I64(int64_t v) { return make_const(DataType::Int(64), v); }

// floor(a / b) that cannot trap on a zero divisor (a select evaluates both arms).
PrimExpr SafeDiv(const PrimExpr& a, const PrimExpr& b) {
  return floordiv(I64(a), max(I64(b), make_const(DataType::Int(64), 1)));
}

// reshape's output extents for TVM's special values (0 copies, -1 infers, -2 copies the rest,
// -3 merges two, -4 splits one into the next two values). An undefined entry: none derived.
Array<PrimExpr> ReshapeDims(const Array<PrimExpr>& in, const std::vector<int64_t>& newshape, bool allowzero) {
  std::vector<PrimExpr> out;
  int infer_at = -1;
  size_t src = 0;
  for (size_t i = 0; i < newshape.size(); ++i) {
    int64_t v = newshape[i];
    if (v > 0 || (v == 0 && allowzero)) {
      out.push_back(I64(v));
      ++src;
    } else if (v == 0) {
      out.push_back(in[src++]);
    } else if (v == -1) {
      TVM_CHECK(infer_at < 0, "ValueError") << "reshape: more than one -1 in newshape";
      infer_at = static_cast<int>(out.size());
      out.push_back(PrimExpr());
      ++src;
    } else if (v == -2) {
      for (; src < in.size(); ++src) out.push_back(in[src]);
    } else if (v == -3) {
      out.push_back(in[src] * in[src + 1]);
      src += 2;
    } else if (v == -4) {
      TVM_CHECK(i + 2 < newshape.size(), "ValueError") << "reshape: -4 needs two values after it";
      int64_t a = newshape[i + 1], b = newshape[i + 2];
      PrimExpr d = in[src++];
      out.push_back(a == -1 ? SafeDiv(d, I64(b)) : I64(a));
      out.push_back(b == -1 ? SafeDiv(d, I64(a)) : I64(b));
      i += 2;
    } else {
      TVM_CHECK(false, "ValueError") << "reshape: " << v << " is not a valid newshape entry";
    }
  }
  if (infer_at >= 0) {
    PrimExpr known = make_const(DataType::Int(64), 1);
    for (size_t k = 0; k < out.size(); ++k) {
      if (static_cast<int>(k) != infer_at) known = known * I64(out[k]);
    }
    PrimExpr total = make_const(DataType::Int(64), 1);
    for (const PrimExpr& d : in) total = total * I64(d);
    out[infer_at] = SafeDiv(total, known);
  }
  return Array<PrimExpr>(out.begin(), out.end());
}

// The output type's static extents, and `derived` where an extent is relay.Any().
Array<PrimExpr> OutputShape(const Type& out_type, const std::function<Array<PrimExpr>()>& derive) {
  const auto* tt = out_type.as<TensorTypeNode>();
  ICHECK(tt != nullptr) << "a tensor result";
  bool all_static = true;
  for (const PrimExpr& d : tt->shape) all_static = all_static && d.as<IntImmNode>() != nullptr;
  if (all_static) return tt->shape;
  Array<PrimExpr> derived = derive();
  Array<PrimExpr> out;
  for (size_t k = 0; k < tt->shape.size() && k < derived.size(); ++k) {
    out.push_back(tt->shape[k].as<IntImmNode>() ? tt->shape[k] : derived[k]);
  }
  return out;
}

std::vector<int64_t> Values(const Array<Integer>& a) {
  std::vector<int64_t> out;
  for (const Integer& v : a) out.push_back(v->value);
  return out;
}

const TensorTypeNode* TensorTypeOf(const Type& t) {
  const auto* tt = t.as<TensorTypeNode>();
  ICHECK(tt != nullptr) << "a tensor result";
  return tt;
}

Array<Tensor> Where(const Attrs&, const Array<Tensor>& in, const Type&) {
  return {topi::where(in[0], in[1], in[2])};
}

Array<Tensor> Clip(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<ClipAttrs>();
  return {topi::clip(in[0], PrimExpr(p->a_min), PrimExpr(p->a_max))};
}

Array<Tensor> Cast(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  return {topi::cast(in[0], TensorTypeOf(out_type)->dtype)};
}

Array<Tensor> FullOf(double value, const Type& out_type) {
  const TensorTypeNode* tt = TensorTypeOf(out_type);
  return {topi::full(tt->shape, tt->dtype, PrimExpr(value))};
}

Array<Tensor> Reshape(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type, bool reverse) {
  const auto* p = attrs.as<ReshapeAttrs>();
  Array<PrimExpr> shape = OutputShape(out_type, [&]() {
    Array<PrimExpr> dims = in[0]->shape;
    std::vector<int64_t> newshape = Values(p->newshape);
    if (!reverse) return ReshapeDims(dims, newshape, p->allowzero);
    std::vector<PrimExpr> rev(dims.begin(), dims.end());
    std::reverse(rev.begin(), rev.end());
    std::reverse(newshape.begin(), newshape.end());
    Array<PrimExpr> out = ReshapeDims(Array<PrimExpr>(rev.begin(), rev.end()), newshape, p->allowzero);
    std::vector<PrimExpr> back(out.begin(), out.end());
    std::reverse(back.begin(), back.end());
    return Array<PrimExpr>(back.begin(), back.end());
  });
  return {topi::reshape(in[0], shape)};
}

Array<Tensor> Squeeze(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* p = attrs.as<SqueezeAttrs>();
  Array<PrimExpr> shape = OutputShape(out_type, [&]() {
    Array<PrimExpr> data = in[0]->shape, out;
    int64_t ndim = static_cast<int64_t>(data.size());
    std::vector<bool> drop(data.size(), false);
    if (p->axis.defined()) {
      for (const Integer& a : p->axis) drop[((a->value % ndim) + ndim) % ndim] = true;
    } else {
      for (size_t k = 0; k < data.size(); ++k) {
        const auto* imm = data[k].as<IntImmNode>();
        drop[k] = imm != nullptr && imm->value == 1;
      }
    }
    for (size_t k = 0; k < data.size(); ++k) {
      if (!drop[k]) out.push_back(data[k]);
    }
    return out;
  });
  return {topi::reshape(in[0], shape)};
}

Array<Tensor> ExpandDims(const Attrs& attrs, const Array<Tensor>& in, const Type& out_type) {
  const auto* p = attrs.as<ExpandDimsAttrs>();
  Array<PrimExpr> shape = OutputShape(out_type, [&]() {
    Array<PrimExpr> data = in[0]->shape, out;
    int axis = p->axis < 0 ? p->axis + static_cast<int>(data.size()) + 1 : p->axis;
    for (int k = 0; k < axis; ++k) out.push_back(data[k]);
    for (int k = 0; k < p->num_newaxis; ++k) out.push_back(PrimExpr(1));
    for (size_t k = axis; k < data.size(); ++k) out.push_back(data[k]);
    return out;
  });
  return {topi::reshape(in[0], shape)};
}

Array<Tensor> Transpose(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<TransposeAttrs>();
  std::optional<Array<Integer>> axes;
  if (p->axes.defined() && !p->axes.empty()) axes = AsIntegers(p->axes);
  return {topi::transpose(in[0], axes)};
}

Array<Tensor> LayoutTransform(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<LayoutTransformAttrs>();
  return {topi::layout_transform(in[0], p->src_layout, p->dst_layout)};
}

Array<Tensor> Concatenate(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  return {topi::concatenate(in, attrs.as<ConcatenateAttrs>()->axis)};
}

Array<Tensor> StridedSlice(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<StridedSliceAttrs>();
  Array<Integer> strides = p->strides.defined() ? AsIntegers(p->strides) : Array<Integer>();
  std::optional<Array<Integer>> axes;
  if (p->axes.defined()) axes = AsIntegers(p->axes);
  return {topi::strided_slice(in[0], AsIntegers(p->begin), AsIntegers(p->end), strides, axes, p->slice_mode)};
}

Array<Tensor> Reverse(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  return {topi::reverse(in[0], {AsInteger(attrs.as<ReverseAttrs>()->axis->value)})};
}

Array<Tensor> Split(const Attrs& attrs, const Array<Tensor>& in, const Type&) {
  const auto* p = attrs.as<SplitAttrs>();
  if (const auto* sections = p->indices_or_sections.as<IntImmNode>()) {
    return topi::split_sections(in[0], static_cast<int>(sections->value), p->axis);
  }
  Array<PrimExpr> indices;
  for (const Integer& v : Downcast<Array<Integer>>(p->indices_or_sections)) indices.push_back(AsInteger(v->value));
  return topi::split(in[0], indices, p->axis);
}

// broadcast_to / broadcast_to_like: the type relation's shape.
Array<Tensor> BroadcastTo(const Attrs&, const Array<Tensor>& in, const Type& out_type) {
  return {topi::broadcast_to(in[0], TensorTypeOf(out_type)->shape)};
}

void Set(const char* name, FTVMCompute compute) {
  OpRegEntry::RegisterOrGet(name)
      .set_attr<FTVMCompute>("FTVMCompute", compute)
      .set_attr<FTVMSchedule>("FTVMSchedule", ScheduleInjective);
}

[[maybe_unused]] const bool registered = [] {
  Set("where", Where);
  Set("clip", Clip);
  Set("cast", Cast);
  Set("cast_like", Cast);
  Set("zeros", [](const Attrs&, const Array<Tensor>&, const Type& t) { return FullOf(0.0, t); });
  Set("ones", [](const Attrs&, const Array<Tensor>&, const Type& t) { return FullOf(1.0, t); });
  Set("zeros_like", [](const Attrs&, const Array<Tensor>& in, const Type&) {
    return Array<Tensor>{topi::full_like(in[0], PrimExpr(0.0))};
  });
  Set("ones_like", [](const Attrs&, const Array<Tensor>& in, const Type&) {
    return Array<Tensor>{topi::full_like(in[0], PrimExpr(1.0))};
  });
  // The fill value is a scalar tensor argument: its one element.
  Set("full", [](const Attrs&, const Array<Tensor>& in, const Type& t) {
    const TensorTypeNode* tt = TensorTypeOf(t);
    return Array<Tensor>{topi::full(tt->shape, tt->dtype, in[0](Array<PrimExpr>{}))};
  });
  Set("full_like", [](const Attrs&, const Array<Tensor>& in, const Type&) {
    return Array<Tensor>{topi::full_like(in[0], in[1](Array<PrimExpr>{}))};
  });
  Set("reshape", [](const Attrs& a, const Array<Tensor>& in, const Type& t) { return Reshape(a, in, t, false); });
  Set("contrib_reverse_reshape",
      [](const Attrs& a, const Array<Tensor>& in, const Type& t) { return Reshape(a, in, t, true); });
  Set("squeeze", Squeeze);
  Set("expand_dims", ExpandDims);
  Set("transpose", Transpose);
  Set("layout_transform", LayoutTransform);
  Set("concatenate", Concatenate);
  Set("strided_slice", StridedSlice);
  Set("reverse", Reverse);
  Set("split", Split);
  Set("broadcast_to", BroadcastTo);
  Set("broadcast_to_like", BroadcastTo);
  return true;
}();

}  // namespace

}  // namespace relay
}  // namespace tvm
