/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/relay/op/nn/space_batch.cc
 * \brief nn.space_to_batch_nd and nn.batch_to_space_nd: the spatial axes after the
 *  batch are tiled by block_shape and the tile offsets moved into (or out of) the
 *  batch. The relations check that padded extents divide by the blocks and that
 *  the batch divides by their product.
 */
#include <tvm/relay/attrs/nn.h>
#include <tvm/runtime/registry.h>

#include <utility>
#include <vector>

#include "../type_check.h"

namespace tvm {
namespace relay {

TVM_REGISTER_NODE_TYPE(SpaceToBatchNDAttrs);
TVM_REGISTER_NODE_TYPE(BatchToSpaceNDAttrs);

namespace {

/*! \brief The (before, after) pairs of paddings or crops, one per block axis. */
std::vector<std::pair<int64_t, int64_t>> Pairs(const Array<Array<PrimExpr>>& pairs, size_t m, const char* what) {
  TVM_CHECK(pairs.size() == m, "TypeError") << what << " must have one (before, after) pair per entry of "
                                            << "block_shape (" << m << "), got " << pairs.size();
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& p : pairs) {
    TVM_CHECK(p.size() == 2, "TypeError") << what << " must be (before, after) pairs, got one of " << p.size();
    auto a = ConstDim(p[0]), b = ConstDim(p[1]);
    TVM_CHECK(a && b && *a >= 0 && *b >= 0, "TypeError") << what << " must hold non-negative integers";
    out.emplace_back(*a, *b);
  }
  return out;
}

std::vector<int64_t> Blocks(const Array<Integer>& block_shape, const TensorTypeNode* data) {
  TVM_CHECK(!block_shape.empty() && block_shape.size() < data->shape.size(), "TypeError")
      << "block_shape needs 1 to " << data->shape.size() - 1 << " entries for data " << ShapeString(data->shape)
      << ", got " << block_shape.size();
  std::vector<int64_t> blocks;
  for (const Integer& b : block_shape) {
    TVM_CHECK(b->value > 0, "TypeError") << "block_shape entries must be positive, got " << b->value;
    blocks.push_back(b->value);
  }
  return blocks;
}

bool SpaceToBatchNDRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<SpaceToBatchNDAttrs>();
  auto blocks = Blocks(p->block_shape, data);
  auto pads = Pairs(p->paddings, blocks.size(), "paddings");
  Array<PrimExpr> oshape = data->shape;
  int64_t product = 1;
  for (size_t i = 0; i < blocks.size(); ++i) {
    product *= blocks[i];
    const PrimExpr& d = data->shape[i + 1];
    if (auto dv = ConstDim(d)) {
      int64_t padded = *dv + pads[i].first + pads[i].second;
      TVM_CHECK(padded % blocks[i] == 0, "TypeError")
          << "axis " << i + 1 << " of data " << ShapeString(data->shape) << " padded by (" << pads[i].first << ", "
          << pads[i].second << ") is " << padded << ", not a multiple of block " << blocks[i];
      oshape.Set(i + 1, Integer(padded / blocks[i]));
    } else if (!IsAny(d)) {
      oshape.Set(i + 1, indexdiv(d + Integer(pads[i].first + pads[i].second), Integer(blocks[i])));
    }
  }
  if (!IsAny(data->shape[0])) oshape.Set(0, data->shape[0] * Integer(product));
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

bool BatchToSpaceNDRel(const Array<Type>& types, int, const Attrs& attrs, const TypeReporter& reporter) {
  const auto* data = TensorArg(types, 0, "data");
  if (data == nullptr) return false;
  const auto* p = attrs.as<BatchToSpaceNDAttrs>();
  auto blocks = Blocks(p->block_shape, data);
  auto crops = Pairs(p->crops, blocks.size(), "crops");
  Array<PrimExpr> oshape = data->shape;
  int64_t product = 1;
  for (size_t i = 0; i < blocks.size(); ++i) {
    product *= blocks[i];
    const PrimExpr& d = data->shape[i + 1];
    if (auto dv = ConstDim(d)) {
      int64_t extent = *dv * blocks[i] - crops[i].first - crops[i].second;
      TVM_CHECK(extent > 0, "TypeError") << "crops (" << crops[i].first << ", " << crops[i].second
                                         << ") leave nothing of axis " << i + 1 << " of data "
                                         << ShapeString(data->shape) << " times block " << blocks[i];
      oshape.Set(i + 1, Integer(extent));
    } else if (!IsAny(d)) {
      oshape.Set(i + 1, d * Integer(blocks[i]) - Integer(crops[i].first + crops[i].second));
    }
  }
  if (auto bv = ConstDim(data->shape[0])) {
    TVM_CHECK(*bv % product == 0, "TypeError") << "the batch of data " << ShapeString(data->shape)
                                               << " is not a multiple of the block size " << product;
    oshape.Set(0, Integer(*bv / product));
  } else if (!IsAny(data->shape[0])) {
    oshape.Set(0, indexdiv(data->shape[0], Integer(product)));
  }
  reporter->Assign(types[1], TensorType(oshape, data->dtype));
  return true;
}

OpRegEntry& Register(const char* name, const char* attrs_key, const char* rel_name,
                     bool (*rel)(const Array<Type>&, int, const Attrs&, const TypeReporter&), const char* doc) {
  return OpRegEntry::RegisterOrGet(name)
      .describe(doc)
      .set_num_inputs(1)
      .add_argument("data", "Tensor", "the input")
      .set_attrs_type_key(attrs_key)
      .set_support_level(5)
      .add_type_rel(rel_name, rel)
      .set_attr<TOpPattern>("TOpPattern", kInjective);
}

[[maybe_unused]] const int kRegistered = [] {
  runtime::Registry::Register("relay.op.nn._make.space_to_batch_nd")
      .set_body_typed([](Expr data, Array<Integer> block_shape, Array<Array<PrimExpr>> paddings, double pad_value) {
        auto a = make_object<SpaceToBatchNDAttrs>();
        a->block_shape = block_shape;
        a->paddings = paddings;
        a->pad_value = pad_value;
        return MakeOpCall("nn.space_to_batch_nd", {data}, Attrs(a));
      });
  Register("nn.space_to_batch_nd", SpaceToBatchNDAttrs::_type_key, "SpaceToBatchND", SpaceToBatchNDRel,
           "pad and tile the spatial axes, tile offsets into the batch");
  runtime::Registry::Register("relay.op.nn._make.batch_to_space_nd")
      .set_body_typed([](Expr data, Array<Integer> block_shape, Array<Array<PrimExpr>> crops) {
        auto a = make_object<BatchToSpaceNDAttrs>();
        a->block_shape = block_shape;
        a->crops = crops;
        return MakeOpCall("nn.batch_to_space_nd", {data}, Attrs(a));
      });
  Register("nn.batch_to_space_nd", BatchToSpaceNDAttrs::_type_key, "BatchToSpaceND", BatchToSpaceNDRel,
           "batch blocks back into the spatial axes, then cropped");
  return 0;
}();

}  // namespace
}  // namespace relay
}  // namespace tvm
