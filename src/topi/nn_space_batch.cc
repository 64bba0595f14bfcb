/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_space_batch.cc
 * \brief space_to_batch_nd and batch_to_space_nd (TensorFlow's semantics): the
 *  M spatial dimensions after the batch are tiled by block_shape and the tile
 *  offsets move into (or out of) the batch, offset-major.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn.h>
#include <tvm/topi/nn/nn_utils.h>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

namespace {
std::vector<int64_t> Blocks(const Array<Integer>& block_shape, const Tensor& x, const std::string& op) {
  TVM_CHECK(!block_shape.empty() && block_shape.size() < x->shape.size(), "ValueError")
      << op << ": block_shape needs 1 to " << x->shape.size() - 1 << " values for data "
      << ShapeString(x->shape) << ", got " << block_shape.size();
  std::vector<int64_t> r;
  for (const Integer& b : block_shape) {
    TVM_CHECK(b->value >= 1, "ValueError") << op << ": block_shape values must be positive";
    r.push_back(b->value);
  }
  return r;
}
}  // namespace

Tensor space_to_batch_nd(const Tensor& x, const Array<Integer>& block_shape, const Array<Integer>& pad_before,
                         const Array<Integer>& pad_after, PrimExpr pad_value) {
  const std::string op = "space_to_batch_nd";
  std::vector<int64_t> block = Blocks(block_shape, x, op);
  size_t m = block.size();
  TVM_CHECK(pad_before.size() == m && pad_after.size() == m, "ValueError")
      << op << ": pad_before and pad_after need " << m << " values each";
  Array<PrimExpr> before(std::vector<PrimExpr>(x->shape.size(), PrimExpr(0))), after = before;
  int64_t nblock = 1;
  Array<PrimExpr> out_shape{x->shape[0]};
  for (size_t i = 0; i < m; ++i) {
    before.Set(1 + i, static_cast<int>(pad_before[i]->value));
    after.Set(1 + i, static_cast<int>(pad_after[i]->value));
    if (auto size = as_const_int(x->shape[1 + i])) {
      int64_t padded = *size + pad_before[i]->value + pad_after[i]->value;
      TVM_CHECK(padded % block[i] == 0, "ValueError")
          << op << ": padded spatial size " << padded << " of axis " << 1 + i << " is not divisible by block "
          << block[i];
      out_shape.push_back(static_cast<int>(padded / block[i]));
    } else {  // relay.Any(): divided at run time
      PrimExpr padded = x->shape[1 + i] + static_cast<int>(pad_before[i]->value + pad_after[i]->value);
      out_shape.push_back(indexdiv(padded, static_cast<int>(block[i])));
    }
    nblock *= block[i];
  }
  for (size_t i = 1 + m; i < x->shape.size(); ++i) out_shape.push_back(x->shape[i]);
  out_shape.Set(0, x->shape[0] * static_cast<int>(nblock));
  Tensor padded = topi::pad(x, before, after, pad_value, "space_to_batch_pad");
  PrimExpr batch = x->shape[0];
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        PrimExpr n = indexmod(idx[0], batch);
        PrimExpr rest = indexdiv(idx[0], batch);  // the tile offset, row-major over block
        std::vector<PrimExpr> offset(m);
        for (size_t i = m; i-- > 0;) {
          offset[i] = indexmod(rest, static_cast<int>(block[i]));
          rest = indexdiv(rest, static_cast<int>(block[i]));
        }
        Array<PrimExpr> src{n};
        // Axes of relay.Any() extent are int64, static ones int32.
        for (size_t i = 0; i < m; ++i) {
          src.push_back(idx[1 + i] * static_cast<int>(block[i]) + cast(idx[1 + i].dtype(), offset[i]));
        }
        for (size_t i = 1 + m; i < idx.size(); ++i) src.push_back(idx[i]);
        return padded(src);
      },
      "space_to_batch_nd", kTagInjective);
}

Tensor batch_to_space_nd(const Tensor& x, const Array<Integer>& block_shape, const Array<Integer>& crop_begin,
                         const Array<Integer>& crop_end) {
  const std::string op = "batch_to_space_nd";
  std::vector<int64_t> block = Blocks(block_shape, x, op);
  size_t m = block.size();
  TVM_CHECK(crop_begin.size() == m && crop_end.size() == m, "ValueError")
      << op << ": crop_begin and crop_end need " << m << " values each";
  int64_t nblock = 1;
  for (int64_t b : block) nblock *= b;
  PrimExpr batch = indexdiv(x->shape[0], static_cast<int>(nblock));  // relay.Any(): divided at run time
  if (auto in_batch = as_const_int(x->shape[0])) {
    TVM_CHECK(*in_batch % nblock == 0, "ValueError")
        << op << ": batch " << *in_batch << " is not divisible by the block size " << nblock;
    batch = static_cast<int>(*in_batch / nblock);
  }
  Array<PrimExpr> out_shape{batch};
  for (size_t i = 0; i < m; ++i) {
    int64_t crop = crop_begin[i]->value + crop_end[i]->value;
    if (auto extent = as_const_int(x->shape[1 + i])) {
      int64_t size = *extent * block[i] - crop;
      TVM_CHECK(size >= 1, "ValueError") << op << ": crops leave nothing of axis " << 1 + i;
      out_shape.push_back(static_cast<int>(size));
    } else {
      out_shape.push_back(x->shape[1 + i] * static_cast<int>(block[i]) - static_cast<int>(crop));
    }
  }
  for (size_t i = 1 + m; i < x->shape.size(); ++i) out_shape.push_back(x->shape[i]);
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        // The tile number in the batch axis's index type (int64 for relay.Any()).
        PrimExpr tile = make_zero(idx[0].dtype());
        Array<PrimExpr> src{PrimExpr()};
        for (size_t i = 0; i < m; ++i) {
          PrimExpr y = idx[1 + i] + static_cast<int>(crop_begin[i]->value);
          tile = tile * static_cast<int>(block[i]) + cast(idx[0].dtype(), indexmod(y, static_cast<int>(block[i])));
          src.push_back(indexdiv(y, static_cast<int>(block[i])));
        }
        src.Set(0, tile * batch + idx[0]);
        for (size_t i = 1 + m; i < idx.size(); ++i) src.push_back(idx[i]);
        return x(src);
      },
      "batch_to_space_nd", kTagInjective);
}

TVM_REGISTER_GLOBAL("topi.nn.space_to_batch_nd")
    .set_body_typed([](Tensor x, Array<Integer> block, Array<Integer> before, Array<Integer> after, PrimExpr value) {
      return space_to_batch_nd(x, block, before, after, value);
    });
TVM_REGISTER_GLOBAL("topi.nn.batch_to_space_nd")
    .set_body_typed([](Tensor x, Array<Integer> block, Array<Integer> begin, Array<Integer> end) {
      return batch_to_space_nd(x, block, begin, end);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
