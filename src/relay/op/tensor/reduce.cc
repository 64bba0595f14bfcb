/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/tensor/reduce.cc
 * \brief Reductions: sum, mean, max, min, prod, all, any, argmax, argmin and
 *  variance (std and logsumexp are built from these in Python, as in TVM).
 *  axis undefined or empty reduces every axis; exclude reduces the axes not listed;
 *  keepdims keeps reduced axes with extent 1.
 */
#include <tvm/relay/attrs/reduce.h>
#include <tvm/runtime/registry.h>

#include <string>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(ReduceAttrs);
TVM_REGISTER_NODE_TYPE(ArgReduceAttrs);
TVM_REGISTER_NODE_TYPE(VarianceAttrs);

namespace {

/*! \brief Which axes of a rank-ndim tensor are reduced. */
std::vector<bool> ReducedAxes(const Array<Integer>& axis, bool exclude, int ndim) {
  // As TVM: no axis list, or an empty one, reduces every axis whatever exclude says.
  bool all = !axis.defined() || axis.empty();
  std::vector<bool> reduced(ndim, all);
  if (!all) {
    for (const Integer& a : axis) {
      int ax = NormalizeAxis(a->value, ndim);
      TVM_CHECK(!reduced[ax], "TypeError") << "axis " << a->value << " is listed twice";
      reduced[ax] = true;
    }
    if (exclude) reduced.flip();
  }
  return reduced;
}

Array<PrimExpr> ReducedShape(const Array<PrimExpr>& shape, const std::vector<bool>& reduced, bool keepdims) {
  Array<PrimExpr> out;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (!reduced[i]) {
      out.push_back(shape[i]);
    } else if (keepdims) {
      out.push_back(Integer(1));
    }
  }
  return out;
}

template <typename AttrsT>
bool ReduceRelImpl(const char* op, bool arg, const Array<Type>& types, const Attrs& attrs,
                   const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<AttrsT>();
  auto reduced = ReducedAxes(p->axis, p->exclude, data->shape.size());
  // Indices take the dtype of the input's shape (int64 shapes give int64 indices), as in TVM.
  DataType dtype = !arg ? data->dtype : data->shape.empty() ? DataType::Int(32) : data->shape[0].dtype();
  reporter->Assign(types[1], TensorType(ReducedShape(data->shape, reduced, p->keepdims), dtype));
  return true;
}

bool VarianceRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<VarianceAttrs>();
  auto reduced = ReducedAxes(p->axis, p->exclude, data->shape.size());
  // The mean is the data reduced with keepdims (it broadcasts against data).
  Array<PrimExpr> mean_shape = ReducedShape(data->shape, reduced, true);
  const auto* mean = TensorArg(types, 1, "mean");
  if (mean != nullptr) {
    bool ok = mean->shape.size() == mean_shape.size();
    for (size_t i = 0; ok && i < mean_shape.size(); ++i) ok = DimsMayMatch(reporter, mean->shape[i], mean_shape[i]);
    TVM_CHECK(ok, "TypeError") << "mean " << ShapeString(mean->shape) << " must have shape "
                               << ShapeString(mean_shape) << " (data " << ShapeString(data->shape)
                               << " reduced with keepdims)";
  }
  reporter->Assign(types[1], TensorType(mean_shape, data->dtype));
  reporter->Assign(types[2], TensorType(ReducedShape(data->shape, reduced, p->keepdims), data->dtype));
  return true;
}

Array<Integer> IntArrayOrNull(const ObjectRef& v) {
  if (!v.defined()) return Array<Integer>(ObjectPtr<Object>(nullptr));
  if (const auto* imm = v.as<IntImmNode>()) return {Integer(imm->value)};
  return Downcast<Array<Integer>>(v);
}

void RegisterReduce(const char* name, const char* description) {
  std::string op = name;
  runtime::Registry::Register(std::string("relay.op._make.") + name)
      .set_body_typed([op](Expr data, ObjectRef axis, bool keepdims, bool exclude) {
        auto a = make_object<ReduceAttrs>();
        a->axis = IntArrayOrNull(axis);
        a->keepdims = keepdims;
        a->exclude = exclude;
        return MakeOpCall(op.c_str(), {data}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet(name)
      .describe(description)
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type<ReduceAttrs>()
      .set_support_level(4)
      .add_type_rel("Reduce",
                    [name](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return ReduceRelImpl<ReduceAttrs>(name, false, t, a, r);
                    })
      .set_attr<TOpPattern>("TOpPattern", kCommReduce);
}

void RegisterArgReduce(const char* name, const char* description) {
  std::string op = name;
  runtime::Registry::Register(std::string("relay.op._make.") + name)
      .set_body_typed([op](Expr data, ObjectRef axis, bool keepdims, bool exclude, bool select_last_index) {
        auto a = make_object<ArgReduceAttrs>();
        a->axis = IntArrayOrNull(axis);
        a->keepdims = keepdims;
        a->exclude = exclude;
        a->select_last_index = select_last_index;
        return MakeOpCall(op.c_str(), {data}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet(name)
      .describe(description)
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type<ArgReduceAttrs>()
      .set_support_level(4)
      .add_type_rel("ArgReduce",
                    [name](const Array<Type>& t, int, const Attrs& a, const TypeReporter& r) {
                      return ReduceRelImpl<ArgReduceAttrs>(name, true, t, a, r);
                    })
      .set_attr<TOpPattern>("TOpPattern", kCommReduce);
}

[[maybe_unused]] const int kRegistered = [] {
  RegisterReduce("sum", "sum over axes");
  RegisterReduce("mean", "mean over axes");
  RegisterReduce("max", "maximum over axes");
  RegisterReduce("min", "minimum over axes");
  RegisterReduce("prod", "product over axes");
  RegisterReduce("all", "logical and over axes");
  RegisterReduce("any", "logical or over axes");
  RegisterArgReduce("argmax", "index of the maximum along axes");
  RegisterArgReduce("argmin", "index of the minimum along axes");
  runtime::Registry::Register("relay.op._make._variance")
      .set_body_typed([](Expr data, Expr mean, ObjectRef axis, bool keepdims, bool exclude, bool unbiased) {
        auto a = make_object<VarianceAttrs>();
        a->axis = IntArrayOrNull(axis);
        a->keepdims = keepdims;
        a->exclude = exclude;
        a->unbiased = unbiased;
        return MakeOpCall("variance", {data, mean}, Attrs(a));
      });
  OpRegEntry::RegisterOrGet("variance")
      .describe("mean of squared deviations from mean over axes")
      .set_num_inputs(2)
      .add_argument("data", "Tensor", "the input")
      .add_argument("mean", "Tensor", "the mean (data reduced with keepdims)")
      .set_attrs_type<VarianceAttrs>()
      .set_support_level(4)
      .add_type_rel("Variance", VarianceRel)
      .set_attr<TOpPattern>("TOpPattern", kCommReduce);
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
