/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_pooling.cc
 * \brief Windowed, global and adaptive max/avg pooling over the spatial axes
 *  (D, H, W) of any layout. Output sizes follow TVM: ceil_mode rounds the
 *  window count up by padding the end with stride - 1 more elements, which
 *  averaging never counts.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn.h>
#include <tvm/topi/nn/nn_utils.h>
#include <tvm/topi/nn/pooling.h>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

namespace {

/*! \brief The positions of D, H, W (those present, in that order) in layout; blocked sub-axes of
 *  N and C (NCHW16c) are allowed and, like N and C, not pooled. */
std::vector<int> SpatialAxes(const std::string& layout_text, size_t rank, const std::string& op) {
  // One letter per axis: the block factors of sub-axes dropped ("NCHW16c" -> "NCHWc").
  std::string layout;
  bool factor = false;
  for (char c : layout_text) {
    if (c >= '0' && c <= '9') {
      factor = true;
      continue;
    }
    TVM_CHECK(c == 'N' || c == 'C' || c == 'D' || c == 'H' || c == 'W' || ((c == 'n' || c == 'c') && factor),
              "ValueError")
        << op << ": Unsupported layout " << layout_text
        << " (layouts of N, C, D, H, W; only N and C may have blocked sub-axes such as 16c)";
    TVM_CHECK(factor == (c == 'n' || c == 'c'), "ValueError")
        << op << ": malformed layout " << layout_text << " (a block factor must precede each sub-axis)";
    factor = false;
    layout += c;
  }
  TVM_CHECK(layout.size() == rank, "ValueError")
      << op << ": layout " << layout_text << " does not match data of rank " << rank;
  int d = -1, h = -1, w = -1, n = -1, c = -1, nb = -1, cb = -1;
  for (size_t i = 0; i < layout.size(); ++i) {
    char a = layout[i];
    int* slot = a == 'D' ? &d : a == 'H' ? &h : a == 'W' ? &w : a == 'N' ? &n : a == 'C' ? &c : a == 'n' ? &nb : &cb;
    TVM_CHECK(*slot < 0, "ValueError") << op << ": unsupported layout \"" << layout_text << "\"";
    *slot = static_cast<int>(i);
  }
  TVM_CHECK(w >= 0, "ValueError") << op << ": layout \"" << layout << "\" has no W axis";
  std::vector<int> r;
  if (d >= 0) r.push_back(d);
  if (h >= 0) r.push_back(h);
  r.push_back(w);
  return r;
}

// The mean of a window: integer averages truncate, as TVM's pooling does.
PrimExpr Average(PrimExpr total, PrimExpr count) {
  return total.dtype().is_float() ? div(total, count) : truncdiv(total, count);
}

bool IsMax(const std::string& pool_type, const std::string& op) {
  TVM_CHECK(pool_type == "max" || pool_type == "avg", "ValueError")
      << op << ": pool_type must be \"max\" or \"avg\", got \"" << pool_type << "\"";
  return pool_type == "max";
}

/*! \brief How many k in [0, K) put base + k * d inside [lo, hi). */
PrimExpr CountInside(PrimExpr base, int64_t K, int64_t d, PrimExpr lo, PrimExpr hi) {
  PrimExpr first = tvm::max(floordiv(lo - base + static_cast<int>(d - 1), static_cast<int>(d)), 0);
  PrimExpr last = tvm::min(floordiv(hi - base + static_cast<int>(d - 1), static_cast<int>(d)), static_cast<int>(K));
  return tvm::max(last - first, 0);
}

}  // namespace

Tensor pool(const Tensor& x, const Array<PrimExpr>& kernel, const Array<PrimExpr>& stride,
            const Array<PrimExpr>& dilation, const Array<PrimExpr>& padding, const std::string& pool_type,
            bool ceil_mode, const std::string& layout, bool count_include_pad) {
  std::vector<int> axes = SpatialAxes(layout, x->shape.size(), "pool");
  size_t ns = axes.size();
  std::string op = "pool" + std::to_string(ns) + "d";
  bool is_max = IsMax(pool_type, op);
  TVM_CHECK(kernel.size() == ns && stride.size() == ns && dilation.size() == ns && padding.size() == 2 * ns,
            "ValueError")
      << op << ": expected " << ns << " kernel, stride and dilation values and " << 2 * ns
      << " padding values for layout " << layout << ", got kernel " << ShapeString(kernel) << ", stride "
      << ShapeString(stride) << ", dilation " << ShapeString(dilation) << ", padding " << ShapeString(padding);
  std::vector<int64_t> k(ns), s(ns), d(ns), pb(ns), pa(ns), pa_ext(ns);
  Array<PrimExpr> out_shape = x->shape;
  bool any_pad = false;
  for (size_t i = 0; i < ns; ++i) {
    k[i] = ConstInt(kernel[i], op, "kernel");
    s[i] = ConstInt(stride[i], op, "stride");
    d[i] = ConstInt(dilation[i], op, "dilation");
    pb[i] = ConstInt(padding[i], op, "padding");
    pa[i] = ConstInt(padding[ns + i], op, "padding");
    TVM_CHECK(k[i] >= 1 && s[i] >= 1 && d[i] >= 1 && pb[i] >= 0 && pa[i] >= 0, "ValueError")
        << op << ": kernel " << ShapeString(kernel) << ", stride " << ShapeString(stride) << " and dilation "
        << ShapeString(dilation) << " must be positive and padding " << ShapeString(padding) << " non-negative";
    int64_t span = (k[i] - 1) * d[i] + 1;
    PrimExpr in = x->shape[axes[i]];
    pa_ext[i] = pa[i];
    if (auto n = as_const_int(in)) {
      TVM_CHECK(*n + pb[i] + pa[i] >= span, "ValueError")
          << op << ": the window (" << span << ") is larger than the padded input (" << *n + pb[i] + pa[i]
          << ") on axis " << axes[i] << " of data " << ShapeString(x->shape);
      int64_t rem = (*n + pb[i] + pa[i] - span) % s[i];
      if (ceil_mode && rem != 0) pa_ext[i] += s[i] - rem;
    } else if (ceil_mode) {
      pa_ext[i] += s[i] - 1;
    }
    any_pad |= pb[i] != 0 || pa_ext[i] != 0;
    out_shape.Set(axes[i], indexdiv(in + static_cast<int>(pb[i] + pa_ext[i] - span), static_cast<int>(s[i])) + 1);
  }
  DataType dt = x->dtype;
  Tensor src = x;
  if (any_pad) {
    Array<PrimExpr> before(std::vector<PrimExpr>(x->shape.size(), PrimExpr(0)));
    Array<PrimExpr> after = before;
    for (size_t i = 0; i < ns; ++i) {
      before.Set(axes[i], static_cast<int>(pb[i]));
      after.Set(axes[i], static_cast<int>(pa_ext[i]));
    }
    src = topi::pad(x, before, after, is_max ? min_value(dt) : make_zero(dt), "pad_temp");
  }
  Array<IterVar> raxes;
  const char* names[] = {"rv0", "rv1", "rv2"};
  for (size_t i = 0; i < ns; ++i) raxes.push_back(reduce_axis(Range(0, static_cast<int>(k[i])), names[i]));
  auto window_index = [&](const Array<Var>& idx) {
    Array<PrimExpr> w(idx.begin(), idx.end());
    for (size_t i = 0; i < ns; ++i) {
      w.Set(axes[i], idx[axes[i]] * static_cast<int>(s[i]) + raxes[i] * static_cast<int>(d[i]));
    }
    return w;
  };
  if (is_max) {
    return compute(
        out_shape, [&](const Array<Var>& idx) { return te::max(src(window_index(idx)), raxes); }, "tensor",
        "pool_max");
  }
  Tensor sum = compute(
      out_shape, [&](const Array<Var>& idx) { return te::sum(src(window_index(idx)), raxes); }, "tensor",
      "pool_sum");
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        PrimExpr count = 1;
        for (size_t i = 0; i < ns; ++i) {
          // Window start in the unpadded input's coordinates.
          PrimExpr base = idx[axes[i]] * static_cast<int>(s[i]) - static_cast<int>(pb[i]);
          PrimExpr in = x->shape[axes[i]];
          PrimExpr lo = count_include_pad ? PrimExpr(-static_cast<int>(pb[i])) : PrimExpr(0);
          PrimExpr hi = count_include_pad ? in + static_cast<int>(pa[i]) : in;
          count = count * CountInside(base, k[i], d[i], lo, hi);
        }
        return Average(sum(idx), cast(dt, tvm::max(count, 1)));
      },
      "tensor", kTagElemWise);
}

Tensor global_pool(const Tensor& x, const std::string& pool_type, const std::string& layout) {
  std::vector<int> axes = SpatialAxes(layout, x->shape.size(), "global_pool");
  bool is_max = IsMax(pool_type, "global_pool");
  Array<PrimExpr> out_shape = x->shape;
  Array<IterVar> raxes;
  PrimExpr count = 1;
  for (size_t i = 0; i < axes.size(); ++i) {
    out_shape.Set(axes[i], 1);
    raxes.push_back(reduce_axis(Range(0, x->shape[axes[i]]), "rv" + std::to_string(i)));
    count = count * x->shape[axes[i]];
  }
  auto index = [&](const Array<Var>& idx) {
    Array<PrimExpr> w(idx.begin(), idx.end());
    for (size_t i = 0; i < axes.size(); ++i) w.Set(axes[i], raxes[i]);
    return w;
  };
  if (is_max) {
    return compute(
        out_shape, [&](const Array<Var>& idx) { return te::max(x(index(idx)), raxes); }, "tensor", "global_pool_max");
  }
  Tensor sum = compute(
      out_shape, [&](const Array<Var>& idx) { return te::sum(x(index(idx)), raxes); }, "tensor", "global_pool_sum");
  return compute(
      out_shape, [&](const Array<Var>& idx) { return Average(sum(idx), cast(x->dtype, count)); }, "tensor",
      kTagElemWise);
}

Tensor adaptive_pool(const Tensor& x, const Array<PrimExpr>& output_size, const std::string& pool_type,
                     const std::string& layout) {
  std::vector<int> axes = SpatialAxes(layout, x->shape.size(), "adaptive_pool");
  size_t ns = axes.size();
  std::string op = "adaptive_pool" + (ns == 2 ? std::string("") : std::to_string(ns) + "d");
  bool is_max = IsMax(pool_type, op);
  TVM_CHECK(output_size.size() == ns, "ValueError")
      << op << ": output_size " << ShapeString(output_size) << " needs " << ns << " values for layout " << layout;
  Array<PrimExpr> out_shape = x->shape;
  std::vector<int64_t> in(ns), out(ns), win(ns);
  Array<IterVar> raxes;
  for (size_t i = 0; i < ns; ++i) {
    in[i] = ConstInt(x->shape[axes[i]], op, "the input's spatial size");
    out[i] = ConstInt(output_size[i], op, "output_size");
    TVM_CHECK(out[i] >= 1, "ValueError") << op << ": output_size " << ShapeString(output_size) << " must be positive";
    // The widest window: the largest ceil((o+1)*in/out) - floor(o*in/out).
    win[i] = 1;
    for (int64_t o = 0; o < out[i]; ++o) {
      int64_t st = o * in[i] / out[i], en = ((o + 1) * in[i] + out[i] - 1) / out[i];
      win[i] = std::max(win[i], en - st);
    }
    out_shape.Set(axes[i], static_cast<int>(out[i]));
    raxes.push_back(reduce_axis(Range(0, static_cast<int>(win[i])), "rv" + std::to_string(i)));
  }
  // Windows have different widths: reduce over the widest and mask the rest.
  auto bounds = [&](const Array<Var>& idx, size_t i) {
    PrimExpr o = idx[axes[i]];
    PrimExpr start = indexdiv(o * static_cast<int>(in[i]), static_cast<int>(out[i]));
    PrimExpr end = indexdiv((o + 1) * static_cast<int>(in[i]) + static_cast<int>(out[i] - 1), static_cast<int>(out[i]));
    return std::make_pair(start, end);
  };
  auto body = [&](const Array<Var>& idx, PrimExpr* inside) {
    Array<PrimExpr> w(idx.begin(), idx.end());
    *inside = const_true();
    for (size_t i = 0; i < ns; ++i) {
      auto [start, end] = bounds(idx, i);
      PrimExpr pos = start + raxes[i];
      if (win[i] > 1) *inside = logical_and(*inside, pos < end);
      w.Set(axes[i], tvm::min(pos, static_cast<int>(in[i] - 1)));
    }
    return x(w);
  };
  DataType dt = x->dtype;
  if (is_max) {
    return compute(
        out_shape,
        [&](const Array<Var>& idx) {
          PrimExpr inside;
          PrimExpr v = body(idx, &inside);
          return te::max(if_then_else(inside, v, min_value(dt)), raxes);
        },
        "tensor", "adaptive_pool_max");
  }
  Tensor sum = compute(
      out_shape,
      [&](const Array<Var>& idx) {
        PrimExpr inside;
        PrimExpr v = body(idx, &inside);
        return te::sum(if_then_else(inside, v, make_zero(dt)), raxes);
      },
      "tensor", "adaptive_pool_sum");
  return compute(
      out_shape,
      [&](const Array<Var>& idx) {
        PrimExpr count = 1;
        for (size_t i = 0; i < ns; ++i) {
          auto [start, end] = bounds(idx, i);
          count = count * (end - start);
        }
        return Average(sum(idx), cast(dt, count));
      },
      "tensor", kTagElemWise);
}

Tensor pool_grad(const Tensor& grads, const Tensor& x, const Array<PrimExpr>& kernel, const Array<PrimExpr>& stride,
                 const Array<PrimExpr>& padding, const std::string& pool_type, bool ceil_mode,
                 const std::string& layout, bool count_include_pad) {
  std::vector<int> axes = SpatialAxes(layout, x->shape.size(), "pool_grad");
  size_t ns = axes.size();
  const std::string op = "pool_grad";
  bool is_max = IsMax(pool_type, op);
  Array<PrimExpr> ones(std::vector<PrimExpr>(ns, PrimExpr(1)));
  // The forward pooling fixes the output (= grads) shape and the window geometry.
  Tensor forward = pool(x, kernel, stride, ones, padding, pool_type, ceil_mode, layout, count_include_pad);
  TVM_CHECK(grads->shape.size() == forward->shape.size(), "ValueError")
      << op << ": grads of shape " << ShapeString(grads->shape) << " do not match the pooled shape "
      << ShapeString(forward->shape);
  for (size_t i = 0; i < grads->shape.size(); ++i) {
    auto g = as_const_int(grads->shape[i]), f = as_const_int(forward->shape[i]);
    TVM_CHECK(!g || !f || *g == *f, "ValueError")
        << op << ": grads of shape " << ShapeString(grads->shape) << " do not match the pooled shape "
        << ShapeString(forward->shape);
  }
  std::vector<int64_t> k(ns), s(ns), pb(ns), pa(ns);
  for (size_t i = 0; i < ns; ++i) {
    k[i] = ConstInt(kernel[i], op, "kernel");
    s[i] = ConstInt(stride[i], op, "stride");
    pb[i] = ConstInt(padding[i], op, "padding");
    pa[i] = ConstInt(padding[ns + i], op, "padding");
  }
  DataType dt = x->dtype;
  Tensor argmax;
  if (is_max) {
    // Per window: the flat (unpadded) input index of its first maximum, -1 if the window is all padding.
    Array<IterVar> raxes;
    for (size_t i = 0; i < ns; ++i) raxes.push_back(reduce_axis(Range(0, static_cast<int>(k[i])), "rv" + std::to_string(i)));
    Var li("li", DataType::Int(32)), ri("ri", DataType::Int(32)), lv("lv", dt), rv("rv", dt);
    CommReducer first_max({li, lv}, {ri, rv},
                          {if_then_else(lv >= rv, li, ri), if_then_else(lv >= rv, lv, rv)},
                          {make_const(DataType::Int(32), -1), min_value(dt)});
    Array<Tensor> r = compute(
        forward->shape,
        [&](const Array<Var>& idx) -> Array<PrimExpr> {
          Array<PrimExpr> at(idx.begin(), idx.end());
          PrimExpr inside = const_true(), flat = 0;
          for (size_t i = 0; i < ns; ++i) {
            PrimExpr pos = idx[axes[i]] * static_cast<int>(s[i]) + raxes[i] - static_cast<int>(pb[i]);
            PrimExpr extent = x->shape[axes[i]];
            inside = logical_and(inside, logical_and(pos >= 0, pos < extent));
            at.Set(axes[i], tvm::min(tvm::max(pos, 0), extent - 1));
            flat = flat * extent + pos;
          }
          PrimExpr index = if_then_else(inside, flat, make_const(DataType::Int(32), -1));
          PrimExpr value = if_then_else(inside, x(at), min_value(dt));
          Array<PrimExpr> out;
          for (int v = 0; v < 2; ++v) {
            out.push_back(Reduce(first_max, {index, value}, raxes, const_true(), v, {}));
          }
          return out;
        },
        "argmax", "comm_reduce,pool_argmax");
    argmax = r[0];
  }
  // Each input element gathers from the windows that contain it: along an axis, windows
  // o in [(p - k + 1) / s, p / s] for padded position p.
  Array<IterVar> raxes;
  for (size_t i = 0; i < ns; ++i) {
    int64_t span = (k[i] + s[i] - 1) / s[i];
    raxes.push_back(reduce_axis(Range(0, static_cast<int>(span)), "rw" + std::to_string(i)));
  }
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> o(idx.begin(), idx.end());
        PrimExpr valid = const_true(), flat = 0, count = 1;
        for (size_t i = 0; i < ns; ++i) {
          PrimExpr p = idx[axes[i]] + static_cast<int>(pb[i]);
          PrimExpr w = indexdiv(p, static_cast<int>(s[i])) - raxes[i];
          PrimExpr out_extent = forward->shape[axes[i]];
          valid = logical_and(valid, logical_and(w >= 0, w < out_extent));
          valid = logical_and(valid, p - w * static_cast<int>(s[i]) < static_cast<int>(k[i]));
          o.Set(axes[i], tvm::min(tvm::max(w, 0), out_extent - 1));
          flat = flat * x->shape[axes[i]] + idx[axes[i]];
          if (!is_max) {
            PrimExpr base = w * static_cast<int>(s[i]) - static_cast<int>(pb[i]);
            PrimExpr in = x->shape[axes[i]];
            PrimExpr lo = count_include_pad ? PrimExpr(-static_cast<int>(pb[i])) : PrimExpr(0);
            PrimExpr hi = count_include_pad ? in + static_cast<int>(pa[i]) : in;
            count = count * CountInside(base, k[i], 1, lo, hi);
          }
        }
        PrimExpr g = grads(o);
        PrimExpr contribution = is_max ? if_then_else(argmax(o) == flat, g, make_zero(dt))
                                       : div(g, cast(dt, tvm::max(count, 1)));
        return te::sum(if_then_else(valid, contribution, make_zero(dt)), raxes);
      },
      "T_pool_grad", "pool_grad");
}

TVM_REGISTER_GLOBAL("topi.nn.pool_grad")
    .set_body_typed([](Tensor grads, Tensor x, Array<PrimExpr> kernel, Array<PrimExpr> stride,
                       Array<PrimExpr> padding, std::string pool_type, bool ceil_mode, std::string layout,
                       bool count_include_pad) {
      return pool_grad(grads, x, kernel, stride, padding, pool_type, ceil_mode, layout, count_include_pad);
    });
TVM_REGISTER_GLOBAL("topi.nn.pool")
    .set_body_typed([](Tensor x, Array<PrimExpr> kernel, Array<PrimExpr> stride, Array<PrimExpr> dilation,
                       Array<PrimExpr> padding, std::string pool_type, bool ceil_mode, std::string layout,
                       bool count_include_pad) {
      return pool(x, kernel, stride, dilation, padding, pool_type, ceil_mode, layout, count_include_pad);
    });
TVM_REGISTER_GLOBAL("topi.nn.global_pool").set_body_typed([](Tensor x, std::string pool_type, std::string layout) {
  return global_pool(x, pool_type, layout);
});
TVM_REGISTER_GLOBAL("topi.nn.adaptive_pool")
    .set_body_typed([](Tensor x, Array<PrimExpr> output_size, std::string pool_type, std::string layout) {
      return adaptive_pool(x, output_size, pool_type, layout);
    });

}  // namespace nn
}  // namespace topi
}  // namespace tvm
