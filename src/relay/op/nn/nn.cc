/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/nn.cc
 * \brief The dense-layer, activation and normalisation operators of relay.nn:
 *  their type relations (each checks every shape it relates and names the
 *  operator, the argument and the shapes when they disagree), their call
 *  builders (relay.op.nn._make.*) and their registrations.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <array>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(SoftmaxAttrs);
TVM_REGISTER_NODE_TYPE(BiasAddAttrs);
TVM_REGISTER_NODE_TYPE(DenseAttrs);
TVM_REGISTER_NODE_TYPE(MatmulAttrs);
TVM_REGISTER_NODE_TYPE(DensePackAttrs);
TVM_REGISTER_NODE_TYPE(BatchMatmulAttrs);
TVM_REGISTER_NODE_TYPE(LeakyReluAttrs);
TVM_REGISTER_NODE_TYPE(PReluAttrs);
TVM_REGISTER_NODE_TYPE(DropoutAttrs);
TVM_REGISTER_NODE_TYPE(BatchNormAttrs);
TVM_REGISTER_NODE_TYPE(InstanceNormAttrs);
TVM_REGISTER_NODE_TYPE(LayerNormAttrs);
TVM_REGISTER_NODE_TYPE(GroupNormAttrs);
TVM_REGISTER_NODE_TYPE(LRNAttrs);
TVM_REGISTER_NODE_TYPE(L2NormalizeAttrs);
TVM_REGISTER_NODE_TYPE(SubPixelAttrs);
TVM_REGISTER_NODE_TYPE(MirrorPadAttrs);
TVM_REGISTER_NODE_TYPE(DilateAttrs);
TVM_REGISTER_NODE_TYPE(NLLLossAttrs);

/*! \brief The output has the input's type (activations, softmax, lrn, ...). */
static bool IdentityRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  reporter->Assign(types[num_inputs], types[0]);
  return true;
}

// ---------------------------------------------------------------- dense, matmul

/*! \brief Output shape of x @ w (w's layout given by where its reduction axis is). */
static bool MatmulLikeRel(const Array<Type>& types, PrimExpr units, DataType out_dtype, bool transpose_a, bool transpose_b, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  TVM_CHECK(!data->shape.empty() && (!transpose_a || data->shape.size() >= 2), "TypeError")
      << "data must have rank " << (transpose_a ? 2 : 1) << " or more, got shape " << ShapeString(data->shape);
  size_t nd = data->shape.size();
  PrimExpr reduce = transpose_a ? data->shape[nd - 2] : data->shape[nd - 1];
  Array<PrimExpr> oshape = data->shape;
  if (transpose_a) oshape.Set(nd - 2, data->shape[nd - 1]);
  const auto* weight = TensorArg(types, 1, "weight");
  if (weight == nullptr) {
    // The weight's shape follows from units when the user gave it.
    if (!units.defined()) return false;
    Array<PrimExpr> wshape = transpose_b ? Array<PrimExpr>{units, reduce} : Array<PrimExpr>{reduce, units};
    reporter->Assign(types[1], TensorType(wshape, data->dtype));
    oshape.Set(nd - 1, units);
  } else {
    TVM_CHECK(weight->shape.size() == 2, "TypeError")
        << "weight must be 2-D, got shape " << ShapeString(weight->shape) << " (data "
        << ShapeString(data->shape) << ")";
    PrimExpr wreduce = transpose_b ? weight->shape[1] : weight->shape[0];
    PrimExpr wunits = transpose_b ? weight->shape[0] : weight->shape[1];
    TVM_CHECK(DimsMayMatch(reporter, reduce, wreduce), "TypeError")
        << "the reduction axis of data " << ShapeString(data->shape) << " (" << reduce
        << ") does not match that of weight " << ShapeString(weight->shape) << " (" << wreduce << ")";
    if (units.defined()) {
      TVM_CHECK(DimsMayMatch(reporter, units, wunits), "TypeError")
          << "units=" << units << " but weight " << ShapeString(weight->shape) << " has " << wunits
          << " output units";
    }
    oshape.Set(nd - 1, units.defined() && !IsAny(wunits) ? units : wunits);
  }
  reporter->Assign(types[2], TensorType(oshape, OutDtypeOr(out_dtype, data->dtype)));
  return true;
}

static bool DenseRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* p = attrs.as<DenseAttrs>();
  return MatmulLikeRel(types, p->units, p->out_dtype, false, true, reporter);
}

static bool MatmulRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* p = attrs.as<MatmulAttrs>();
  return MatmulLikeRel(types, p->units, p->out_dtype, p->transpose_a, p->transpose_b, reporter);
}

/*!
 * \brief nn.contrib_dense_pack: data (..., K) and a weight packed as (N / n, K, n) ("NC<n>n")
 *  give (..., N), N = (N / n) * n.
 */
static bool DensePackRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* p = attrs.as<DensePackAttrs>();
  const auto* data = TensorArg(types, 0, "data");
  const auto* weight = TensorArg(types, 1, "weight");
  if (data == nullptr || weight == nullptr) return false;
  TVM_CHECK(!data->shape.empty(), "TypeError") << "data must have rank 1 or more, got shape "
                                               << ShapeString(data->shape);
  TVM_CHECK(weight->shape.size() == 3, "TypeError")
      << "weight must be packed 3-D (N/n, K, n) for weight_layout " << p->weight_layout << ", got shape "
      << ShapeString(weight->shape) << " (data " << ShapeString(data->shape) << ")";
  PrimExpr reduce = data->shape[data->shape.size() - 1];
  TVM_CHECK(DimsMayMatch(reporter, reduce, weight->shape[1]), "TypeError")
      << "the reduction axis of data " << ShapeString(data->shape) << " (" << reduce
      << ") does not match that of the packed weight " << ShapeString(weight->shape) << " (" << weight->shape[1]
      << ")";
  PrimExpr units = weight->shape[0] * weight->shape[2];
  auto c0 = ConstDim(weight->shape[0]), c2 = ConstDim(weight->shape[2]);
  if (c0 && c2) units = IntImm(weight->shape[0].dtype(), *c0 * *c2);
  if (p->units.defined()) {
    TVM_CHECK(DimsMayMatch(reporter, p->units, units), "TypeError")
        << "units=" << p->units << " but the packed weight " << ShapeString(weight->shape) << " has " << units
        << " output units";
  }
  Array<PrimExpr> oshape = data->shape;
  oshape.Set(oshape.size() - 1, units);
  reporter->Assign(types[2], TensorType(oshape, OutDtypeOr(p->out_dtype, data->dtype)));
  return true;
}

static bool BatchMatmulRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* p = attrs.as<BatchMatmulAttrs>();
  const auto* x = TensorArg(types, 0, "tensor_a");
  const auto* y = TensorArg(types, 1, "tensor_b");
  if (x == nullptr || y == nullptr) return false;
  TVM_CHECK(x->shape.size() == 3 && y->shape.size() == 3, "TypeError")
      << "both inputs must be 3-D, got tensor_a " << ShapeString(x->shape) << " and tensor_b "
      << ShapeString(y->shape);
  PrimExpr xb = x->shape[0], yb = y->shape[0];
  PrimExpr m = p->transpose_a ? x->shape[2] : x->shape[1];
  PrimExpr xk = p->transpose_a ? x->shape[1] : x->shape[2];
  PrimExpr yk = p->transpose_b ? y->shape[2] : y->shape[1];
  PrimExpr n = p->transpose_b ? y->shape[1] : y->shape[2];
  auto cx = ConstDim(xb), cy = ConstDim(yb);
  bool batch_ok = (cx && *cx == 1) || (cy && *cy == 1) || DimsMayMatch(reporter, xb, yb);
  TVM_CHECK(batch_ok, "TypeError") << "batch sizes of tensor_a " << ShapeString(x->shape)
                                   << " and tensor_b " << ShapeString(y->shape) << " differ and neither is 1";
  TVM_CHECK(DimsMayMatch(reporter, xk, yk), "TypeError")
      << "reduction axes differ: tensor_a " << ShapeString(x->shape) << " (transpose_a="
      << p->transpose_a << ") and tensor_b " << ShapeString(y->shape) << " (transpose_b=" << p->transpose_b << ")";
  PrimExpr batch = (cx && *cx == 1) ? yb : xb;
  reporter->Assign(types[2], TensorType({batch, m, n}, OutDtypeOr(p->out_dtype, x->dtype)));
  return true;
}

TVM_REGISTER_GLOBAL("relay.op.nn._make.dense").set_body_typed([](Expr data, Expr weight, PrimExpr units,
                                                                  DataType out_dtype) {
  auto attrs = make_object<DenseAttrs>();
  attrs->units = units;
  attrs->out_dtype = out_dtype;
  return MakeOpCall("nn.dense", {data, weight}, Attrs(attrs));
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.matmul")
    .set_body_typed([](Expr a, Expr b, PrimExpr units, DataType out_dtype, bool transpose_a, bool transpose_b) {
      auto attrs = make_object<MatmulAttrs>();
      attrs->units = units;
      attrs->out_dtype = out_dtype;
      attrs->transpose_a = transpose_a;
      attrs->transpose_b = transpose_b;
      return MakeOpCall("nn.matmul", {a, b}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.contrib_dense_pack")
    .set_body_typed([](Expr data, Expr weight, String weight_layout, PrimExpr units, DataType out_dtype) {
      auto attrs = make_object<DensePackAttrs>();
      attrs->units = units;
      attrs->out_dtype = out_dtype;
      attrs->weight_layout = weight_layout;
      return MakeOpCall("nn.contrib_dense_pack", {data, weight}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.batch_matmul")
    .set_body_typed([](Expr a, Expr b, DataType out_dtype, bool transpose_a, bool transpose_b) {
      auto attrs = make_object<BatchMatmulAttrs>();
      attrs->out_dtype = out_dtype;
      attrs->transpose_a = transpose_a;
      attrs->transpose_b = transpose_b;
      return MakeOpCall("nn.batch_matmul", {a, b}, Attrs(attrs));
    });

RELAY_REGISTER_OP("nn.dense")
    .describe("y = x W^T: x is (..., K), weight is (units, K)")
    .set_num_inputs(2)
    .add_argument("data", "Tensor", "the input")
    .add_argument("weight", "Tensor", "the weight, (units, K)")
    .set_attrs_type<DenseAttrs>()
    .set_support_level(1)
    .add_type_rel("Dense", DenseRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.matmul")
    .describe("y = op(a) op(b), op transposing when transpose_a/transpose_b")
    .set_num_inputs(2)
    .add_argument("tensor_a", "Tensor", "the first input")
    .add_argument("tensor_b", "Tensor", "the second input")
    .set_attrs_type<MatmulAttrs>()
    .set_support_level(1)
    .add_type_rel("Matmul", MatmulRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.contrib_dense_pack")
    .describe("y = x W^T with W packed as (units / n, K, n) (weight_layout \"NC<n>n\")")
    .set_num_inputs(2)
    .add_argument("data", "Tensor", "the input, (..., K)")
    .add_argument("weight", "3D Tensor", "the packed weight, (units / n, K, n)")
    .set_attrs_type<DensePackAttrs>()
    .set_support_level(10)
    .add_type_rel("DensePack", DensePackRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.batch_matmul")
    .describe("batched matrix product of (B, M, K) and (B, N, K) (transpose_b) tensors")
    .set_num_inputs(2)
    .add_argument("tensor_a", "3D Tensor", "the first input")
    .add_argument("tensor_b", "3D Tensor", "the second input")
    .set_attrs_type<BatchMatmulAttrs>()
    .set_support_level(10)
    .add_type_rel("BatchMatmul", BatchMatmulRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);

// ---------------------------------------------------------------- bias_add, prelu

/*! \brief A per-channel vector argument: 1-D of data's extent along axis (assigned when unknown). */
static void CheckChannelVector(const char* arg, const Array<Type>& types, size_t index, const TensorTypeNode* data, int axis, const TypeReporter& reporter) {
  PrimExpr c = data->shape[axis];
  const auto* vec = TensorArg(types, index, arg);
  if (vec != nullptr) {
    TVM_CHECK(vec->shape.size() == 1 && DimsMayMatch(reporter, vec->shape[0], c), "TypeError")
        << arg << " must have shape (" << c << ",) to match axis " << axis << " of data "
        << ShapeString(data->shape) << ", got " << ShapeString(vec->shape);
  }
  reporter->Assign(types[index], TensorType({c}, data->dtype));
}

static bool BiasAddRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  int axis = NormalizeAxis(attrs.as<BiasAddAttrs>()->axis, data->shape.size());
  CheckChannelVector("bias", types, 1, data, axis, reporter);
  reporter->Assign(types[2], types[0]);
  return true;
}

static bool PReluRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  int axis = NormalizeAxis(attrs.as<PReluAttrs>()->axis, data->shape.size());
  CheckChannelVector("alpha", types, 1, data, axis, reporter);
  reporter->Assign(types[2], types[0]);
  return true;
}

TVM_REGISTER_GLOBAL("relay.op.nn._make.bias_add").set_body_typed([](Expr data, Expr bias, int axis) {
  auto attrs = make_object<BiasAddAttrs>();
  attrs->axis = axis;
  return MakeOpCall("nn.bias_add", {data, bias}, Attrs(attrs));
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.prelu").set_body_typed([](Expr data, Expr alpha, int axis) {
  auto attrs = make_object<PReluAttrs>();
  attrs->axis = axis;
  return MakeOpCall("nn.prelu", {data, alpha}, Attrs(attrs));
});

RELAY_REGISTER_OP("nn.bias_add")
    .describe("data + bias broadcast along axis")
    .set_num_inputs(2)
    .add_argument("data", "Tensor", "the input")
    .add_argument("bias", "1D Tensor", "the bias")
    .set_attrs_type<BiasAddAttrs>()
    .set_support_level(1)
    .add_type_rel("BiasAdd", BiasAddRel)
    .set_attr<TOpPattern>("TOpPattern", kBroadcast);
RELAY_REGISTER_OP("nn.prelu")
    .describe("x if x > 0 else alpha[c] * x, c the index along axis")
    .set_num_inputs(2)
    .add_argument("data", "Tensor", "the input")
    .add_argument("alpha", "1D Tensor", "the slopes")
    .set_attrs_type<PReluAttrs>()
    .set_support_level(3)
    .add_type_rel("PRelu", PReluRel)
    .set_attr<TOpPattern>("TOpPattern", kBroadcast);

// ---------------------------------------------------------------- activations

static bool SoftmaxRel(const Array<Type>& types, int num_inputs, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  NormalizeAxis(attrs.as<SoftmaxAttrs>()->axis, data->shape.size());
  reporter->Assign(types[1], types[0]);
  return true;
}


TVM_REGISTER_GLOBAL("relay.op.nn._make.softmax").set_body_typed([](Expr data, int axis) {
  auto attrs = make_object<SoftmaxAttrs>();
  attrs->axis = axis;
  return MakeOpCall("nn.softmax", {data}, Attrs(attrs));
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.log_softmax").set_body_typed([](Expr data, int axis) {
  auto attrs = make_object<SoftmaxAttrs>();
  attrs->axis = axis;
  return MakeOpCall("nn.log_softmax", {data}, Attrs(attrs));
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.relu").set_body_typed([](Expr data) {
  return MakeOpCall("nn.relu", {data});
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.leaky_relu").set_body_typed([](Expr data, double alpha) {
  auto attrs = make_object<LeakyReluAttrs>();
  attrs->alpha = alpha;
  return MakeOpCall("nn.leaky_relu", {data}, Attrs(attrs));
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.lrn")
    .set_body_typed([](Expr data, int size, int axis, double bias, double alpha, double beta) {
      auto attrs = make_object<LRNAttrs>();
      attrs->size = size;
      attrs->axis = axis;
      attrs->bias = bias;
      attrs->alpha = alpha;
      attrs->beta = beta;
      return MakeOpCall("nn.lrn", {data}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.l2_normalize").set_body_typed([](Expr data, double eps, Array<Integer> axis) {
  auto attrs = make_object<L2NormalizeAttrs>();
  attrs->eps = eps;
  attrs->axis = axis;
  return MakeOpCall("nn.l2_normalize", {data}, Attrs(attrs));
});

static bool LRNRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<LRNAttrs>();
  NormalizeAxis(p->axis, data->shape.size());
  TVM_CHECK(p->size > 0, "TypeError") << "size must be positive, got "
                                                         << p->size;
  reporter->Assign(types[1], types[0]);
  return true;
}

static bool L2NormalizeRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<L2NormalizeAttrs>();
  for (const Integer& a : p->axis) NormalizeAxis(a->value, data->shape.size());
  reporter->Assign(types[1], types[0]);
  return true;
}

static bool LogSoftmaxRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  NormalizeAxis(attrs.as<SoftmaxAttrs>()->axis, data->shape.size());
  reporter->Assign(types[1], types[0]);
  return true;
}

RELAY_REGISTER_OP("nn.softmax")
    .describe("exp(x) / sum(exp(x)) along axis")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<SoftmaxAttrs>()
    .set_support_level(1)
    .add_type_rel("Softmax", SoftmaxRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.log_softmax")
    .describe("x - log(sum(exp(x))) along axis")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<SoftmaxAttrs>()
    .set_support_level(1)
    .add_type_rel("LogSoftmax", LogSoftmaxRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.relu")
    .describe("max(x, 0)")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_support_level(1)
    .add_type_rel("Identity", IdentityRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);
RELAY_REGISTER_OP("nn.leaky_relu")
    .describe("x if x > 0 else alpha * x")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<LeakyReluAttrs>()
    .set_support_level(3)
    .add_type_rel("Identity", IdentityRel)
    .set_attr<TOpPattern>("TOpPattern", kElemWise);
RELAY_REGISTER_OP("nn.lrn")
    .describe("local response normalisation across axis")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<LRNAttrs>()
    .set_support_level(2)
    .add_type_rel("LRN", LRNRel)
    .set_attr<TOpPattern>("TOpPattern", kOpaque);
RELAY_REGISTER_OP("nn.l2_normalize")
    .describe("x / sqrt(max(sum(x^2, axis), eps))")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<L2NormalizeAttrs>()
    .set_support_level(2)
    .add_type_rel("L2Normalize", L2NormalizeRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);

// ---------------------------------------------------------------- dropout, normalisation

static bool DropoutRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  double rate = attrs.as<DropoutAttrs>()->rate;
  TVM_CHECK(rate >= 0.0 && rate <= 1.0, "TypeError") << "rate must be in [0, 1], got " << rate;
  // (output, mask): the mask has the data's shape.
  reporter->Assign(types[1], TupleType({types[0], TensorType(data->shape, data->dtype)}));
  return true;
}

TVM_REGISTER_GLOBAL("relay.op.nn._make.dropout").set_body_typed([](Expr data, double rate) {
  auto attrs = make_object<DropoutAttrs>();
  attrs->rate = rate;
  return MakeOpCall("nn.dropout", {data}, Attrs(attrs));
});
RELAY_REGISTER_OP("nn.dropout")
    .describe("training-time dropout; at inference the identity. Returns (output, mask).")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<DropoutAttrs>()
    .set_support_level(1)
    .add_type_rel("Dropout", DropoutRel)
    .set_attr<TOpPattern>("TOpPattern", kOpaque)
    // Random at training time: passes must not fold, merge or drop it (SimplifyInference removes it).
    .set_attr<TOpIsStateful>("TOpIsStateful", true);

/*!
 * \brief batch_norm(data, gamma, beta, moving_mean, moving_var) ->
 *  (normalised data, new mean, new var): four vectors of data's axis extent.
 */
static bool BatchNormRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  int axis = NormalizeAxis(attrs.as<BatchNormAttrs>()->axis, data->shape.size());
  const char* names[] = {"gamma", "beta", "moving_mean", "moving_var"};
  for (int i = 0; i < 4; ++i) CheckChannelVector(names[i], types, i + 1, data, axis, reporter);
  TensorType vec({data->shape[axis]}, data->dtype);
  reporter->Assign(types[5], TupleType({TensorType(data->shape, data->dtype), vec, vec}));
  return true;
}

/*! \brief layer/instance/group norm: gamma and beta match data's axis; the output is data's type. */
template <typename AttrsT>
static bool NormRel(const char* op, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  int axis = NormalizeAxis(attrs.as<AttrsT>()->axis, data->shape.size());
  CheckChannelVector("gamma", types, 1, data, axis, reporter);
  CheckChannelVector("beta", types, 2, data, axis, reporter);
  reporter->Assign(types[3], TensorType(data->shape, data->dtype));
  return true;
}
static bool LayerNormRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  return NormRel<LayerNormAttrs>("nn.layer_norm", types, attrs, reporter);
}
static bool InstanceNormRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data != nullptr) {
    TVM_CHECK(data->shape.size() >= 2, "TypeError")
        << "data must have rank 2 or more, got " << ShapeString(data->shape);
  }
  return NormRel<InstanceNormAttrs>("nn.instance_norm", types, attrs, reporter);
}
static bool GroupNormRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<GroupNormAttrs>();
  int axis = NormalizeAxis(p->axis, data->shape.size());
  TVM_CHECK(p->num_groups > 0, "TypeError") << "num_groups must be positive, got " << p->num_groups;
  if (auto c = ConstDim(data->shape[axis])) {
    TVM_CHECK(*c % p->num_groups == 0, "TypeError")
        << "the " << *c << " channels of data " << ShapeString(data->shape)
        << " do not divide into num_groups=" << p->num_groups;
  }
  return NormRel<GroupNormAttrs>("nn.group_norm", types, attrs, reporter);
}

template <typename AttrsT>
static Expr MakeNorm(const char* op, Expr data, Expr gamma, Expr beta, int axis, double epsilon, bool center,
                     bool scale) {
  auto attrs = make_object<AttrsT>();
  attrs->axis = axis;
  attrs->epsilon = epsilon;
  attrs->center = center;
  attrs->scale = scale;
  return MakeOpCall(op, {data, gamma, beta}, Attrs(attrs));
}

TVM_REGISTER_GLOBAL("relay.op.nn._make.batch_norm")
    .set_body_typed([](Expr data, Expr gamma, Expr beta, Expr mean, Expr var, int axis, double epsilon, bool center,
                       bool scale) {
      auto attrs = make_object<BatchNormAttrs>();
      attrs->axis = axis;
      attrs->epsilon = epsilon;
      attrs->center = center;
      attrs->scale = scale;
      return MakeOpCall("nn.batch_norm", {data, gamma, beta, mean, var}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.layer_norm")
    .set_body_typed([](Expr data, Expr gamma, Expr beta, int axis, double epsilon, bool center, bool scale) {
      return MakeNorm<LayerNormAttrs>("nn.layer_norm", data, gamma, beta, axis, epsilon, center, scale);
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.instance_norm")
    .set_body_typed([](Expr data, Expr gamma, Expr beta, int axis, double epsilon, bool center, bool scale) {
      return MakeNorm<InstanceNormAttrs>("nn.instance_norm", data, gamma, beta, axis, epsilon, center, scale);
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.group_norm")
    .set_body_typed([](Expr data, Expr gamma, Expr beta, int num_groups, int axis, double epsilon, bool center,
                       bool scale) {
      auto attrs = make_object<GroupNormAttrs>();
      attrs->num_groups = num_groups;
      attrs->axis = axis;
      attrs->epsilon = epsilon;
      attrs->center = center;
      attrs->scale = scale;
      return MakeOpCall("nn.group_norm", {data, gamma, beta}, Attrs(attrs));
    });

RELAY_REGISTER_OP("nn.batch_norm")
    .describe("(x - mean) / sqrt(var + epsilon) * gamma + beta along axis; returns (out, mean, var)")
    .set_num_inputs(5)
    .add_argument("data", "Tensor", "the input")
    .add_argument("gamma", "Tensor", "scale")
    .add_argument("beta", "Tensor", "offset")
    .add_argument("moving_mean", "Tensor", "running mean")
    .add_argument("moving_var", "Tensor", "running variance")
    .set_attrs_type<BatchNormAttrs>()
    .set_support_level(1)
    .add_type_rel("BatchNorm", BatchNormRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.layer_norm")
    .describe("normalise over axis with gamma and beta")
    .set_num_inputs(3)
    .add_argument("data", "Tensor", "the input")
    .add_argument("gamma", "Tensor", "scale")
    .add_argument("beta", "Tensor", "offset")
    .set_attrs_type<LayerNormAttrs>()
    .set_support_level(1)
    .add_type_rel("LayerNorm", LayerNormRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.instance_norm")
    .describe("normalise each instance and channel over the spatial axes")
    .set_num_inputs(3)
    .add_argument("data", "Tensor", "the input")
    .add_argument("gamma", "Tensor", "scale")
    .add_argument("beta", "Tensor", "offset")
    .set_attrs_type<InstanceNormAttrs>()
    .set_support_level(1)
    .add_type_rel("InstanceNorm", InstanceNormRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.group_norm")
    .describe("normalise over groups of channels")
    .set_num_inputs(3)
    .add_argument("data", "Tensor", "the input")
    .add_argument("gamma", "Tensor", "scale")
    .add_argument("beta", "Tensor", "offset")
    .set_attrs_type<GroupNormAttrs>()
    .set_support_level(1)
    .add_type_rel("GroupNorm", GroupNormRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);

// ---------------------------------------------------------------- batch_flatten, depth/space

static bool BatchFlattenRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  TVM_CHECK(!data->shape.empty(), "TypeError") << "data must have rank 1 or more, got a scalar";
  PrimExpr rest = Integer(1);
  bool any = false;
  for (size_t i = 1; i < data->shape.size(); ++i) {
    any = any || IsAny(data->shape[i]);
    rest = rest * data->shape[i];
  }
  if (any) rest = tir::Any();
  reporter->Assign(types[1], TensorType({data->shape[0], rest}, data->dtype));
  return true;
}
TVM_REGISTER_GLOBAL("relay.op.nn._make.batch_flatten").set_body_typed([](Expr data) {
  return MakeOpCall("nn.batch_flatten", {data});
});
RELAY_REGISTER_OP("nn.batch_flatten")
    .describe("(N, d1, d2, ...) -> (N, d1 * d2 * ...)")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_support_level(2)
    .add_type_rel("BatchFlatten", BatchFlattenRel)
    .set_attr<TOpPattern>("TOpPattern", kInjective);

/*! \brief Positions of N, C, H, W in a 4-D layout string ("NCHW" or "NHWC"). */
static std::array<int, 4> NCHWPositions(const std::string& layout) {
  TVM_CHECK(layout == "NCHW" || layout == "NHWC", "TypeError")
      << "layout must be NCHW or NHWC, got " << layout;
  return layout == "NCHW" ? std::array<int, 4>{0, 1, 2, 3} : std::array<int, 4>{0, 3, 1, 2};
}

static bool SubPixelRel(bool to_depth, const Array<Type>& types, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<SubPixelAttrs>();
  TVM_CHECK(data->shape.size() == 4, "TypeError") << "data must be 4-D, got " << ShapeString(data->shape);
  TVM_CHECK(p->block_size > 0, "TypeError") << "block_size must be positive, got " << p->block_size;
  auto pos = NCHWPositions(p->layout);
  if (!to_depth) {
    // "CDR" is read as CRD, as TVM does (its own tests write it so).
    TVM_CHECK(p->mode == "DCR" || p->mode == "CRD" || p->mode == "CDR", "TypeError")
        << "mode must be DCR or CRD, got " << p->mode;
  }
  PrimExpr b = Integer(p->block_size), bb = Integer(p->block_size * p->block_size);
  Array<PrimExpr> oshape = data->shape;
  PrimExpr c = data->shape[pos[1]], h = data->shape[pos[2]], w = data->shape[pos[3]];
  if (to_depth) {
    for (const PrimExpr& d : {h, w}) {
      if (auto v = ConstDim(d)) {
        TVM_CHECK(*v % p->block_size == 0, "TypeError") << "spatial extents of data " << ShapeString(data->shape)
                                                        << " must be multiples of block_size=" << p->block_size;
      }
    }
    oshape.Set(pos[1], c * bb);
    oshape.Set(pos[2], indexdiv(h, b));
    oshape.Set(pos[3], indexdiv(w, b));
  } else {
    if (auto v = ConstDim(c)) {
      TVM_CHECK(*v % (p->block_size * p->block_size) == 0, "TypeError")
          << "the channels of data " << ShapeString(data->shape) << " must be a multiple of block_size^2="
          << p->block_size * p->block_size;
    }
    oshape.Set(pos[1], indexdiv(c, bb));
    oshape.Set(pos[2], h * b);
    oshape.Set(pos[3], w * b);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}
TVM_REGISTER_GLOBAL("relay.op.nn._make.depth_to_space")
    .set_body_typed([](Expr data, int block_size, std::string layout, std::string mode) {
      auto attrs = make_object<SubPixelAttrs>();
      attrs->block_size = block_size;
      attrs->layout = layout;
      attrs->mode = mode;
      return MakeOpCall("nn.depth_to_space", {data}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.space_to_depth")
    .set_body_typed([](Expr data, int block_size, std::string layout) {
      auto attrs = make_object<SubPixelAttrs>();
      attrs->block_size = block_size;
      attrs->layout = layout;
      return MakeOpCall("nn.space_to_depth", {data}, Attrs(attrs));
    });
RELAY_REGISTER_OP("nn.depth_to_space")
    .describe("move channel blocks into spatial blocks")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<SubPixelAttrs>()
    .set_support_level(5)
    .add_type_rel("DepthToSpace",
                  [](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) { return SubPixelRel(false, t, a, r); })
    .set_attr<TOpPattern>("TOpPattern", kInjective);
RELAY_REGISTER_OP("nn.space_to_depth")
    .describe("move spatial blocks into channels")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<SubPixelAttrs>()
    .set_support_level(5)
    .add_type_rel("SpaceToDepth",
                  [](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) { return SubPixelRel(true, t, a, r); })
    .set_attr<TOpPattern>("TOpPattern", kInjective);

// ---------------------------------------------------------------- mirror_pad, dilate, losses

static bool MirrorPadRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<MirrorPadAttrs>();
  TVM_CHECK(p->mode == "SYMMETRIC" || p->mode == "REFLECT", "TypeError")
      << "mode must be SYMMETRIC or REFLECT, got " << p->mode;
  TVM_CHECK(p->pad_width.size() == data->shape.size(), "TypeError")
      << "pad_width has " << p->pad_width.size() << " (before, after) pairs but data " << ShapeString(data->shape)
      << " has rank " << data->shape.size();
  Array<PrimExpr> oshape;
  for (size_t i = 0; i < data->shape.size(); ++i) {
    const auto& pair = p->pad_width[i];
    TVM_CHECK(pair.size() == 2, "TypeError") << "pad_width[" << i << "] must be a (before, after) pair";
    auto before = ConstDim(pair[0]), after = ConstDim(pair[1]), d = ConstDim(data->shape[i]);
    // SYMMETRIC may repeat the whole axis; REFLECT leaves out the edge.
    int64_t limit = d ? (p->mode == "SYMMETRIC" ? *d : *d - 1) : INT64_MAX;
    TVM_CHECK(before && after && *before >= 0 && *after >= 0 && *before <= limit && *after <= limit, "TypeError")
        << "pad_width[" << i << "] = (" << pair[0] << ", " << pair[1] << ") must be within [0, " << limit
        << "] for axis " << i << " of data " << ShapeString(data->shape) << " in " << p->mode << " mode";
    oshape.push_back(IsAny(data->shape[i]) ? data->shape[i] : data->shape[i] + pair[0] + pair[1]);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

static bool DilateRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<DilateAttrs>();
  TVM_CHECK(p->strides.size() == data->shape.size(), "TypeError")
      << "strides " << ShapeString(p->strides) << " must have one entry per axis of data " << ShapeString(data->shape);
  Array<PrimExpr> oshape;
  for (size_t i = 0; i < data->shape.size(); ++i) {
    const PrimExpr& d = data->shape[i];
    oshape.push_back(IsAny(d) ? d : (d - 1) * p->strides[i] + 1);
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

static bool NLLLossRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* pred = TensorArg(types, 0, "predictions");
  const auto* target = TensorArg(types, 1, "targets");
  const auto* weights = TensorArg(types, 2, "weights");
  if (pred == nullptr || target == nullptr) return false;
  const auto* p = attrs.as<NLLLossAttrs>();
  TVM_CHECK(p->reduction == "mean" || p->reduction == "sum" || p->reduction == "none", "TypeError")
      << "reduction must be mean, sum or none, got " << p->reduction;
  // predictions (N, C, d...), targets (N, d...), weights (C,).
  bool ok = pred->shape.size() >= 1 && target->shape.size() + 1 == pred->shape.size();
  for (size_t i = 0; ok && i < target->shape.size(); ++i) {
    ok = DimsMayMatch(reporter, target->shape[i], pred->shape[i == 0 ? 0 : i + 1]);
  }
  TVM_CHECK(ok, "TypeError") << "targets " << ShapeString(target->shape) << " must be predictions "
                             << ShapeString(pred->shape) << " without its class axis 1";
  TVM_CHECK(target->dtype.is_int() || target->dtype.is_uint(), "TypeError")
      << "targets must have an integer dtype, got " << target->dtype;
  if (weights != nullptr && pred->shape.size() >= 2) {
    TVM_CHECK(weights->shape.size() == 1 && DimsMayMatch(reporter, weights->shape[0], pred->shape[1]), "TypeError")
        << "weights " << ShapeString(weights->shape) << " must have one entry per class of predictions "
        << ShapeString(pred->shape);
  }
  Array<PrimExpr> oshape = p->reduction == "none" ? target->shape : Array<PrimExpr>();
  reporter->Assign(types[3], TensorType(oshape, pred->dtype));
  return true;
}

static bool CrossEntropyRel(const Array<Type>& types, int, const Attrs&, const TypeReporter& reporter) {
  const auto* x = TensorArg(types, 0, "predictions");
  const auto* y = TensorArg(types, 1, "targets");
  if (x == nullptr || y == nullptr) return false;
  bool same = x->shape.size() == y->shape.size();
  for (size_t i = 0; same && i < x->shape.size(); ++i) same = DimsMayMatch(reporter, x->shape[i], y->shape[i]);
  TVM_CHECK(same, "TypeError") << "predictions " << ShapeString(x->shape) << " and targets "
                               << ShapeString(y->shape) << " must have the same shape";
  reporter->Assign(types[2], TensorType({}, x->dtype));
  return true;
}

TVM_REGISTER_GLOBAL("relay.op.nn._make.mirror_pad")
    .set_body_typed([](Expr data, Array<Array<PrimExpr>> pad_width, std::string mode) {
      auto attrs = make_object<MirrorPadAttrs>();
      attrs->pad_width = pad_width;
      attrs->mode = mode;
      return MakeOpCall("nn.mirror_pad", {data}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.dilate")
    .set_body_typed([](Expr data, Array<PrimExpr> strides, double dilation_value) {
      auto attrs = make_object<DilateAttrs>();
      attrs->strides = strides;
      attrs->dilation_value = dilation_value;
      return MakeOpCall("nn.dilate", {data}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.nll_loss")
    .set_body_typed([](Expr pred, Expr target, Expr weights, std::string reduction, int ignore_index) {
      auto attrs = make_object<NLLLossAttrs>();
      attrs->reduction = reduction;
      attrs->ignore_index = ignore_index;
      return MakeOpCall("nn.nll_loss", {pred, target, weights}, Attrs(attrs));
    });
TVM_REGISTER_GLOBAL("relay.op.nn._make.cross_entropy").set_body_typed([](Expr pred, Expr target) {
  return MakeOpCall("nn.cross_entropy", {pred, target});
});
TVM_REGISTER_GLOBAL("relay.op.nn._make.cross_entropy_with_logits").set_body_typed([](Expr pred, Expr target) {
  return MakeOpCall("nn.cross_entropy_with_logits", {pred, target});
});

RELAY_REGISTER_OP("nn.mirror_pad")
    .describe("pad by mirroring the edges (SYMMETRIC or REFLECT)")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<MirrorPadAttrs>()
    .set_support_level(2)
    .add_type_rel("MirrorPad", MirrorPadRel)
    .set_attr<TOpPattern>("TOpPattern", kInjective);
RELAY_REGISTER_OP("nn.dilate")
    .describe("insert dilation_value between neighbouring elements")
    .set_num_inputs(1)
    .add_argument("data", "Tensor", "the input")
    .set_attrs_type<DilateAttrs>()
    .set_support_level(2)
    .add_type_rel("Dilate", DilateRel)
    .set_attr<TOpPattern>("TOpPattern", kInjective);
RELAY_REGISTER_OP("nn.nll_loss")
    .describe("negative log likelihood of class predictions")
    .set_num_inputs(3)
    .add_argument("predictions", "Tensor", "log probabilities (N, C, ...)")
    .add_argument("targets", "Tensor", "class indices (N, ...)")
    .add_argument("weights", "Tensor", "per-class weights (C,)")
    .set_attrs_type<NLLLossAttrs>()
    .set_support_level(10)
    .add_type_rel("NLLLoss", NLLLossRel)
    .set_attr<TOpPattern>("TOpPattern", kOutEWiseFusable);
RELAY_REGISTER_OP("nn.cross_entropy")
    .describe("-sum(targets * log(predictions)) / batch")
    .set_num_inputs(2)
    .add_argument("predictions", "Tensor", "probabilities")
    .add_argument("targets", "Tensor", "target probabilities")
    .set_support_level(10)
    .add_type_rel("CrossEntropy", CrossEntropyRel)
    .set_attr<TOpPattern>("TOpPattern", kOpaque);
RELAY_REGISTER_OP("nn.cross_entropy_with_logits")
    .describe("-sum(targets * predictions) / batch, predictions being log probabilities")
    .set_num_inputs(2)
    .add_argument("predictions", "Tensor", "log probabilities")
    .add_argument("targets", "Tensor", "target probabilities")
    .set_support_level(10)
    .add_type_rel("CrossEntropy", CrossEntropyRel)
    .set_attr<TOpPattern>("TOpPattern", kOpaque);

}  // namespace relay
}  // namespace tvm
