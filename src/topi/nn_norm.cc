/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/nn_norm.cc
 * \brief Normalisations (batch, layer, group, instance, lrn, l2) and the
 *  layout shuffles flatten, depth_to_space, space_to_depth. The statistics
 *  are reductions in their own stages (mean, then variance about the mean:
 *  more accurate than E[x^2] - E[x]^2); the result is element-wise.
 */
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/nn.h>
#include <tvm/topi/nn/nn_utils.h>

#include <algorithm>
#include <functional>
#include <tuple>

namespace tvm {
namespace topi {
namespace nn {

using namespace tvm::te;
using namespace tvm::tir;

namespace {

bool KnownDifferent(const PrimExpr& a, const PrimExpr& b) {
  auto x = as_const_int(a), y = as_const_int(b);
  return x && y && *x != *y;
}

/*! \brief Sorted, distinct, non-negative axes. */
std::vector<int> NormalizeAxes(const Array<Integer>& axes, size_t ndim, const std::string& op) {
  std::vector<int> r;
  for (const Integer& a : axes) r.push_back(NormalizeAxis(a->value, ndim, op));
  std::sort(r.begin(), r.end());
  TVM_CHECK(std::adjacent_find(r.begin(), r.end()) == r.end(), "ValueError") << op << ": repeated axis";
  return r;
}

/*! \brief Mean and variance of x over the `reduce` axes, keeping dimensions (reduced ones become 1). */
std::pair<Tensor, Tensor> Moments(const Tensor& x, const std::vector<int>& reduce, const std::string& prefix) {
  Array<PrimExpr> kept_shape = x->shape;
  PrimExpr count = make_const(DataType::Int(32), 1);
  for (int a : reduce) {
    kept_shape.Set(a, 1);
    count = count * x->shape[a];
  }
  auto make_axes = [&](const char* name) {
    Array<IterVar> axes;
    for (int a : reduce) axes.push_back(reduce_axis(Range(0, x->shape[a]), std::string(name) + std::to_string(a)));
    return axes;
  };
  auto read = [&](const Array<Var>& idx, const Array<IterVar>& axes) {
    Array<PrimExpr> r(idx.begin(), idx.end());
    for (size_t i = 0; i < reduce.size(); ++i) r.Set(reduce[i], axes[i]);
    return r;
  };
  DataType acc = x->dtype.is_float() && x->dtype.bits() < 32 ? DataType::Float(32) : x->dtype;
  Array<IterVar> a1 = make_axes("k");
  Tensor sum = compute(
      kept_shape, [&](const Array<Var>& idx) { return te::sum(cast(acc, x(read(idx, a1))), a1); },
      prefix + "_red", kTagCommReduce);
  Tensor mean = compute(
      kept_shape, [&](const Array<Var>& idx) { return div(sum(idx), cast(acc, count)); }, prefix + "_mean",
      kTagElemWise);
  Array<IterVar> a2 = make_axes("v");
  Tensor sq = compute(
      kept_shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> mi(idx.begin(), idx.end());
        PrimExpr d = cast(acc, x(read(idx, a2))) - mean(mi);
        return te::sum(d * d, a2);
      },
      prefix + "_sq_red", kTagCommReduce);
  Tensor var = compute(
      kept_shape, [&](const Array<Var>& idx) { return div(sq(idx), cast(acc, count)); }, prefix + "_var",
      kTagElemWise);
  return {mean, var};
}

/*! \brief idx with the given axes set to 0 (to read a kept-dims statistic). */
Array<PrimExpr> ZeroAxes(const Array<Var>& idx, const std::vector<int>& axes) {
  Array<PrimExpr> r(idx.begin(), idx.end());
  for (int a : axes) r.Set(a, 0);
  return r;
}

}  // namespace

Array<Tensor> batch_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, const Tensor& moving_mean,
                         const Tensor& moving_var, int axis, double epsilon, bool center, bool scale, bool training,
                         double momentum) {
  int ax = NormalizeAxis(axis, x->shape.size(), "batch_norm");
  const char* names[] = {"gamma", "beta", "moving_mean", "moving_var"};
  const Tensor* params[] = {&gamma, &beta, &moving_mean, &moving_var};
  for (int i = 0; i < 4; ++i) {
    const Tensor* t = params[i];
    TVM_CHECK((*t)->shape.size() == 1 && !KnownDifferent((*t)->shape[0], x->shape[ax]), "ValueError")
        << "batch_norm: " << names[i] << " of shape " << ShapeString((*t)->shape) << " does not match axis " << axis
        << " of data " << ShapeString(x->shape);
  }
  TVM_CHECK(momentum >= 0 && momentum <= 1, "ValueError")
      << "batch_norm: momentum must be in [0, 1], got " << momentum;
  DataType dt = x->dtype;
  // Statistics per channel: the moving ones, or (training) the batch's over every other axis.
  std::function<PrimExpr(PrimExpr)> mean = [&](PrimExpr c) { return moving_mean(c); };
  std::function<PrimExpr(PrimExpr)> var = [&](PrimExpr c) { return moving_var(c); };
  Tensor batch_mean, batch_var;
  std::vector<int> others;
  for (int i = 0; i < static_cast<int>(x->shape.size()); ++i) {
    if (i != ax) others.push_back(i);
  }
  auto channel_index = [&](PrimExpr c) {
    Array<PrimExpr> r(std::vector<PrimExpr>(x->shape.size(), PrimExpr(0)));
    r.Set(ax, c);
    return r;
  };
  if (training) {
    std::tie(batch_mean, batch_var) = Moments(x, others, "T_batch_norm");
    mean = [&](PrimExpr c) { return cast(dt, batch_mean(channel_index(c))); };
    var = [&](PrimExpr c) { return cast(dt, batch_var(channel_index(c))); };
  }
  Tensor out = compute(
      x->shape,
      [&](const Array<Var>& idx) {
        PrimExpr c = idx[ax];
        PrimExpr v = (x(idx) - mean(c)) / sqrt(var(c) + make_const(dt, epsilon));
        if (scale) v = v * gamma(c);
        if (center) v = v + beta(c);
        return v;
      },
      "T_batch_norm", kTagInjective);
  // New stages, not the inputs themselves, so that each output has its own buffer.
  auto update = [&](const Tensor& moving, const std::function<PrimExpr(PrimExpr)>& stat, const std::string& name) {
    return compute(
        moving->shape,
        [&](const Array<Var>& i) {
          if (!training) return moving(i);
          return make_const(dt, 1 - momentum) * moving(i) + make_const(dt, momentum) * stat(i[0]);
        },
        name, kTagInjective);
  };
  return {out, update(moving_mean, mean, "T_batch_norm_mean"), update(moving_var, var, "T_batch_norm_var")};
}

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const std::optional<Tensor>& beta,
                  const Array<Integer>& axis, double epsilon, const std::string& op) {
  std::vector<int> axes = NormalizeAxes(axis, x->shape.size(), op);
  TVM_CHECK(!axes.empty(), "ValueError") << op << ": axis must name at least one axis";
  Array<PrimExpr> param_shape;
  for (int a : axes) param_shape.push_back(x->shape[a]);
  std::vector<Tensor> params{gamma};
  if (beta.has_value()) params.push_back(*beta);
  for (const Tensor* t = params.data(); t != params.data() + params.size(); ++t) {
    bool ok = (*t)->shape.size() == param_shape.size();
    for (size_t i = 0; ok && i < param_shape.size(); ++i) ok = !KnownDifferent((*t)->shape[i], param_shape[i]);
    TVM_CHECK(ok, "ValueError") << op << ": gamma/beta of shape " << ShapeString((*t)->shape)
                                << " must have the shape " << ShapeString(param_shape) << " of the normalised axes";
  }
  auto [mean, var] = Moments(x, axes, "T_layer_norm");
  DataType acc = mean->dtype;
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> s = ZeroAxes(idx, axes), p;
        for (int a : axes) p.push_back(idx[a]);
        PrimExpr v = (cast(acc, x(idx)) - mean(s)) * rsqrt(var(s) + make_const(acc, epsilon));
        PrimExpr r = cast(x->dtype, v) * gamma(p);
        return beta.has_value() ? r + (*beta)(p) : r;
      },
      "T_" + op, kTagInjective);
}

Tensor rms_norm(const Tensor& x, const Tensor& weight, const std::optional<Tensor>& bias,
                const Array<Integer>& axis, double epsilon) {
  const std::string op = "rms_norm";
  std::vector<int> axes = NormalizeAxes(axis, x->shape.size(), op);
  TVM_CHECK(!axes.empty(), "ValueError") << op << ": axis must name at least one axis";
  Array<PrimExpr> param_shape;
  for (int a : axes) param_shape.push_back(x->shape[a]);
  std::vector<Tensor> params{weight};
  if (bias.has_value()) params.push_back(*bias);
  for (const Tensor& t : params) {
    bool ok = t->shape.size() == param_shape.size();
    for (size_t i = 0; ok && i < param_shape.size(); ++i) ok = !KnownDifferent(t->shape[i], param_shape[i]);
    TVM_CHECK(ok, "ValueError") << op << ": weight/bias of shape " << ShapeString(t->shape)
                                << " must have the shape " << ShapeString(param_shape) << " of the normalised axes";
  }
  DataType acc = x->dtype.is_float() && x->dtype.bits() < 32 ? DataType::Float(32) : x->dtype;
  Array<PrimExpr> kept = x->shape;
  PrimExpr count = make_const(DataType::Int(32), 1);
  Array<IterVar> raxes;
  for (int a : axes) {
    kept.Set(a, 1);
    count = count * x->shape[a];
    raxes.push_back(reduce_axis(Range(0, x->shape[a]), "k" + std::to_string(a)));
  }
  Tensor sq = compute(
      kept,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> r(idx.begin(), idx.end());
        for (size_t i = 0; i < axes.size(); ++i) r.Set(axes[i], raxes[i]);
        PrimExpr v = cast(acc, x(r));
        return te::sum(v * v, raxes);
      },
      "T_rms_norm_sq", kTagCommReduce);
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> p;
        for (int a : axes) p.push_back(idx[a]);
        PrimExpr scale = rsqrt(sq(ZeroAxes(idx, axes)) / cast(acc, count) + make_const(acc, epsilon));
        PrimExpr r = cast(x->dtype, cast(acc, x(idx)) * scale) * weight(p);
        return bias.has_value() ? r + (*bias)(p) : r;
      },
      "T_rms_norm", kTagInjective);
}

Tensor group_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, int num_groups, int channel_axis,
                  const Array<Integer>& axes_in, double epsilon) {
  size_t n = x->shape.size();
  int cax = NormalizeAxis(channel_axis, n, "group_norm");
  std::vector<int> axes = NormalizeAxes(axes_in, n, "group_norm");
  int64_t channels = ConstInt(x->shape[cax], "group_norm", "the channel extent");
  TVM_CHECK(num_groups >= 1 && channels % num_groups == 0, "ValueError")
      << "group_norm: " << channels << " channels of data " << ShapeString(x->shape)
      << " are not divisible by num_groups=" << num_groups;
  for (const Tensor* t : {&gamma, &beta}) {
    TVM_CHECK((*t)->shape.size() == 1 && !KnownDifferent((*t)->shape[0], x->shape[cax]), "ValueError")
        << "group_norm: gamma/beta of shape " << ShapeString((*t)->shape) << " must have " << channels
        << " elements";
  }
  // View x with the channel axis split into (group, channel in group); normalise
  // over the in-group channels and `axes`.
  int64_t per_group = channels / num_groups;
  Array<PrimExpr> split_shape;
  for (size_t i = 0; i < n; ++i) {
    if (static_cast<int>(i) == cax) {
      split_shape.push_back(num_groups);
      split_shape.push_back(static_cast<int>(per_group));
    } else {
      split_shape.push_back(x->shape[i]);
    }
  }
  auto split_pos = [&](int a) { return a > cax ? a + 1 : a; };
  Tensor xs = compute(
      split_shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> r;
        for (size_t i = 0; i < n; ++i) {
          int p = split_pos(static_cast<int>(i));
          r.push_back(static_cast<int>(i) == cax ? idx[p] * static_cast<int>(per_group) + idx[p + 1]
                                                 : PrimExpr(idx[p]));
        }
        return x(r);
      },
      "T_group_norm_split", kTagInjective);
  std::vector<int> reduce{cax + 1};
  for (int a : axes) {
    TVM_CHECK(a != cax, "ValueError") << "group_norm: axes must not contain the channel axis " << channel_axis;
    reduce.push_back(split_pos(a));
  }
  std::sort(reduce.begin(), reduce.end());
  auto [mean, var] = Moments(xs, reduce, "T_group_norm");
  DataType acc = mean->dtype;
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> s;
        for (size_t i = 0; i < n; ++i) {
          if (static_cast<int>(i) == cax) {
            s.push_back(indexdiv(idx[i], static_cast<int>(per_group)));
            s.push_back(0);
          } else {
            bool reduced = std::find(axes.begin(), axes.end(), static_cast<int>(i)) != axes.end();
            s.push_back(reduced ? PrimExpr(0) : PrimExpr(idx[i]));
          }
        }
        PrimExpr v = (cast(acc, x(idx)) - mean(s)) * rsqrt(var(s) + make_const(acc, epsilon));
        return cast(x->dtype, v) * gamma(idx[cax]) + beta(idx[cax]);
      },
      "T_group_norm", kTagInjective);
}

Tensor instance_norm(const Tensor& x, const Tensor& gamma, const std::optional<Tensor>& beta,
                     const Array<Integer>& axis, double epsilon) {
  // As TVM's TOPI: the statistics are over `axis` (the spatial axes of one
  // instance), gamma/beta have those axes' shape; per-channel affine parameters
  // are Relay's business (its instance_norm is lowered before reaching here).
  return layer_norm(x, gamma, beta, axis, epsilon, "instance_norm");
}

Tensor lrn(const Tensor& x, int size, int axis, double alpha, double beta, double bias) {
  int ax = NormalizeAxis(axis, x->shape.size(), "lrn");
  TVM_CHECK(size >= 1 && size % 2 == 1, "ValueError") << "lrn: size must be a positive odd number, got " << size;
  DataType dt = x->dtype;
  Array<PrimExpr> before(std::vector<PrimExpr>(x->shape.size(), PrimExpr(0)));
  before.Set(ax, size / 2);
  Tensor padded = topi::pad(x, before, before, make_zero(dt), "pad_data");
  IterVar k = reduce_axis(Range(0, size), "rxs");
  Tensor sqr_sum = compute(
      x->shape,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> r(idx.begin(), idx.end());
        r.Set(ax, idx[ax] + k);
        PrimExpr v = padded(r);
        return te::sum(v * v, {k});
      },
      "tensor", "sqr_sum");
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        // alpha * sum / size in that order (not a folded alpha / size): in float16 the folded
        // constant would be a subnormal and lose precision.
        PrimExpr scaled = make_const(dt, alpha) * sqr_sum(idx) / make_const(dt, size);
        PrimExpr denom = pow(make_const(dt, bias) + scaled, make_const(dt, beta));
        return x(idx) / denom;
      },
      "T_lrn", kTagElemWise);
}

Tensor l2_normalize(const Tensor& x, double eps, const Array<Integer>& axis) {
  std::vector<int> axes = NormalizeAxes(axis, x->shape.size(), "l2_normalize");
  Array<PrimExpr> kept = x->shape;
  for (int a : axes) kept.Set(a, 1);
  Array<IterVar> raxes;
  for (int a : axes) raxes.push_back(reduce_axis(Range(0, x->shape[a]), "k" + std::to_string(a)));
  Tensor sq = compute(
      kept,
      [&](const Array<Var>& idx) {
        Array<PrimExpr> r(idx.begin(), idx.end());
        for (size_t i = 0; i < axes.size(); ++i) r.Set(axes[i], raxes[i]);
        PrimExpr v = x(r);
        return te::sum(v * v, raxes);
      },
      "T_l2_sum", kTagCommReduce);
  return compute(
      x->shape,
      [&](const Array<Var>& idx) {
        return x(idx) / sqrt(tvm::max(sq(ZeroAxes(idx, axes)), make_const(x->dtype, eps)));
      },
      "T_l2_normalize", kTagElemWise);
}

Tensor flatten(const Tensor& x) {
  TVM_CHECK(!x->shape.empty(), "ValueError") << "flatten: expects a tensor of rank >= 1";
  PrimExpr inner = 1;
  for (size_t i = 1; i < x->shape.size(); ++i) inner = inner * x->shape[i];
  return compute(
      {x->shape[0], inner},
      [&](const Array<Var>& idx) {
        std::vector<PrimExpr> r(x->shape.size());
        PrimExpr rest = idx[1];
        for (size_t i = x->shape.size() - 1; i >= 1; --i) {
          r[i] = indexmod(rest, x->shape[i]);
          rest = indexdiv(rest, x->shape[i]);
        }
        r[0] = idx[0];
        return x(Array<PrimExpr>(r));
      },
      "tensor", kTagInjective);
}

namespace {
/*! \brief Positions of C, H, W in a 4-d NCHW or NHWC layout. */
std::array<int, 3> CHW(const Tensor& x, const std::string& layout, const std::string& op) {
  TVM_CHECK(layout == "NCHW" || layout == "NHWC", "ValueError")
      << op << ": layout must be NCHW or NHWC, got " << layout;
  TVM_CHECK(x->shape.size() == 4, "ValueError") << op << ": expects 4-d data, got " << ShapeString(x->shape);
  return layout == "NCHW" ? std::array<int, 3>{1, 2, 3} : std::array<int, 3>{3, 1, 2};
}
}  // namespace

Tensor depth_to_space(const Tensor& x, int block_size, const std::string& layout, const std::string& mode) {
  auto [ca, ha, wa] = CHW(x, layout, "depth_to_space");
  // "CDR" is accepted for CRD: TVM's own tests spell it so.
  TVM_CHECK(mode == "DCR" || mode == "CRD" || mode == "CDR", "ValueError")
      << "depth_to_space: mode must be DCR or CRD, got " << mode;
  int b = block_size;
  TVM_CHECK(b >= 1, "ValueError") << "depth_to_space: block_size must be positive, got " << b;
  // A relay.Any() channel count is divided at run time (its shape function checks nothing
  // more than the relation does for a static one).
  PrimExpr out_c = indexdiv(x->shape[ca], b * b);
  if (auto channels = tvm::as_const_int(x->shape[ca])) {
    TVM_CHECK(*channels % (int64_t(b) * b) == 0, "ValueError")
        << "depth_to_space: " << *channels << " channels of data " << ShapeString(x->shape)
        << " are not divisible by block_size^2 = " << int64_t(b) * b;
    out_c = static_cast<int>(*channels / (int64_t(b) * b));
  }
  Array<PrimExpr> shape = x->shape;
  shape.Set(ca, out_c);
  shape.Set(ha, x->shape[ha] * b);
  shape.Set(wa, x->shape[wa] * b);
  return compute(
      shape,
      [&](const Array<Var>& idx) {
        PrimExpr c = idx[ca], y = idx[ha], w = idx[wa];
        // Axes of relay.Any() extent are int64, static ones int32: index in the channel's type.
        PrimExpr by = cast(c.dtype(), indexmod(y, b)), bx = cast(c.dtype(), indexmod(w, b));
        // DCR: depth is (block_y, block_x, c); CRD: (c, block_y, block_x).
        PrimExpr in_c = mode == "DCR" ? (by * b + bx) * cast(c.dtype(), out_c) + c : (c * b + by) * b + bx;
        Array<PrimExpr> r(idx.begin(), idx.end());
        r.Set(ca, in_c);
        r.Set(ha, indexdiv(y, b));
        r.Set(wa, indexdiv(w, b));
        return x(r);
      },
      "depth_to_space", kTagInjective);
}

Tensor space_to_depth(const Tensor& x, int block_size, const std::string& layout) {
  auto [ca, ha, wa] = CHW(x, layout, "space_to_depth");
  int b = block_size;
  TVM_CHECK(b >= 1, "ValueError") << "space_to_depth: block_size must be positive, got " << b;
  auto h = tvm::as_const_int(x->shape[ha]), w = tvm::as_const_int(x->shape[wa]);
  TVM_CHECK((!h || *h % b == 0) && (!w || *w % b == 0), "ValueError")
      << "space_to_depth: height and width of data " << ShapeString(x->shape)
      << " must be divisible by block_size=" << block_size;
  PrimExpr in_c = x->shape[ca];
  Array<PrimExpr> shape = x->shape;
  shape.Set(ca, in_c * (b * b));
  // relay.Any() extents (int64 variables) are divided at run time.
  shape.Set(ha, h ? PrimExpr(static_cast<int>(*h / b)) : indexdiv(x->shape[ha], b));
  shape.Set(wa, w ? PrimExpr(static_cast<int>(*w / b)) : indexdiv(x->shape[wa], b));
  return compute(
      shape,
      [&](const Array<Var>& idx) {
        PrimExpr c = idx[ca];
        PrimExpr block = indexdiv(c, cast(c.dtype(), in_c));
        Array<PrimExpr> r(idx.begin(), idx.end());
        r.Set(ca, indexmod(c, cast(c.dtype(), in_c)));
        // Axes of relay.Any() extent are int64, static ones int32.
        r.Set(ha, idx[ha] * b + cast(idx[ha].dtype(), indexdiv(block, b)));
        r.Set(wa, idx[wa] * b + cast(idx[wa].dtype(), indexmod(block, b)));
        return x(r);
      },
      "space_to_depth", kTagInjective);
}

TVM_REGISTER_GLOBAL("topi.nn.batch_norm")
    .set_body_typed([](Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor var, int axis, double epsilon,
                       bool center, bool scale, bool training, double momentum) {
      return batch_norm(x, gamma, beta, mean, var, axis, epsilon, center, scale, training, momentum);
    });
TVM_REGISTER_GLOBAL("topi.nn.layer_norm")
    .set_body_typed([](Tensor x, Tensor gamma, std::optional<Tensor> beta, Array<Integer> axis, double epsilon) {
      return layer_norm(x, gamma, beta, axis, epsilon);
    });
TVM_REGISTER_GLOBAL("topi.nn.rms_norm")
    .set_body_typed([](Tensor x, Tensor weight, std::optional<Tensor> bias, Array<Integer> axis, double epsilon) {
      return rms_norm(x, weight, bias, axis, epsilon);
    });
TVM_REGISTER_GLOBAL("topi.nn.group_norm")
    .set_body_typed([](Tensor x, Tensor gamma, Tensor beta, int num_groups, int channel_axis, Array<Integer> axes,
                       double epsilon) { return group_norm(x, gamma, beta, num_groups, channel_axis, axes, epsilon); });
TVM_REGISTER_GLOBAL("topi.nn.instance_norm")
    .set_body_typed([](Tensor x, Tensor gamma, std::optional<Tensor> beta, Array<Integer> axis, double epsilon) {
      return instance_norm(x, gamma, beta, axis, epsilon);
    });
TVM_REGISTER_GLOBAL("topi.nn.lrn").set_body_typed([](Tensor x, int size, int axis, double alpha, double beta,
                                                     double bias) { return lrn(x, size, axis, alpha, beta, bias); });
TVM_REGISTER_GLOBAL("topi.nn.l2_normalize").set_body_typed([](Tensor x, double eps, Array<Integer> axis) {
  return l2_normalize(x, eps, axis);
});
TVM_REGISTER_GLOBAL("topi.nn.flatten").set_body_typed([](Tensor x) { return flatten(x); });
TVM_REGISTER_GLOBAL("topi.nn.depth_to_space")
    .set_body_typed([](Tensor x, int block_size, std::string layout, std::string mode) {
      return depth_to_space(x, block_size, layout, mode);
    });
TVM_REGISTER_GLOBAL("topi.nn.space_to_depth").set_body_typed([](Tensor x, int block_size, std::string layout) {
  return space_to_depth(x, block_size, layout);
});

}  // namespace nn
}  // namespace topi
}  // namespace tvm
