/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/topi/broadcast.cc
 * \brief Broadcasting binary operators (tvm/topi/broadcast.h) and their Python
 *  bindings. The bindings take a tensor or a scalar (expression or Python
 *  number) on either side; two scalars give a scalar expression.
 */
#include <tvm/arith/analyzer.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/operation.h>
#include <tvm/topi/broadcast.h>
#include <tvm/topi/detail/broadcast.h>

#include <functional>
#include <sstream>
#include <string>
#include <unordered_map>

namespace tvm {
namespace topi {

using te::Tensor;
using tir::Var;

namespace detail {

namespace {
std::string ShapeText(const Array<PrimExpr>& shape) {
  std::ostringstream os;
  os << "(";
  for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
  os << (shape.size() == 1 ? ",)" : ")");
  return os.str();
}
}  // namespace

Array<PrimExpr> BroadcastShape(const Array<PrimExpr>& a, const Array<PrimExpr>& b, const std::string& op) {
  size_t n = std::max(a.size(), b.size());
  std::vector<PrimExpr> out(n);
  arith::Analyzer analyzer;
  for (size_t k = 0; k < n; ++k) {
    bool has_a = k < a.size(), has_b = k < b.size();
    PrimExpr da = has_a ? a[a.size() - 1 - k] : PrimExpr(), db = has_b ? b[b.size() - 1 - k] : PrimExpr();
    PrimExpr r;
    if (!has_a) {
      r = db;
    } else if (!has_b) {
      r = da;
    } else if (tvm::is_one(da)) {
      r = db;
    } else if (tvm::is_one(db)) {
      r = da;
    } else {
      auto ca = tvm::as_const_int(da), cb = tvm::as_const_int(db);
      if (ca && cb) {
        TVM_CHECK(*ca == *cb, "ValueError") << op << ": shapes " << ShapeText(a) << " and " << ShapeText(b)
                                            << " do not broadcast (dimension " << *ca << " against " << *cb
                                            << "; Invalid broadcast shapes)";
        r = da;
      } else if (ca) {
        r = da;  // a symbolic dimension meeting a constant one other than 1 must be it
      } else if (cb) {
        r = db;
      } else if (analyzer.CanProve(da == db)) {
        r = da;
      } else {
        // Two unknown extents (relay.Any() dims of different inputs): each is 1 or the result's
        // extent, which the shape function checks at run time; BroadcastIndex reads a 1 at 0.
        r = tvm::max(da, db);
      }
    }
    out[n - 1 - k] = r;
  }
  return Array<PrimExpr>(out.begin(), out.end());
}

Array<PrimExpr> BroadcastIndex(const Tensor& t, const Array<PrimExpr>& out_shape, const Array<Var>& out_index) {
  size_t nd = t->shape.size(), no = out_index.size();
  ICHECK(nd <= no) << "broadcast of rank " << nd << " to rank " << no;
  Array<PrimExpr> index;
  for (size_t k = 0; k < nd; ++k) {
    size_t o = no - nd + k;
    const PrimExpr& extent = t->shape[k];
    bool stretched = tvm::is_one(extent) && !tvm::is_one(out_shape[o]);
    if (stretched) {
      index.push_back(tvm::make_zero(out_index[o].dtype()));
    } else if (!tvm::as_const_int(extent) && !extent.same_as(out_shape[o]) &&
               !arith::Analyzer().CanProve(extent == out_shape[o])) {
      // A symbolic extent may be 1 at run time and then broadcasts (numpy's rule).
      PrimExpr i = out_index[o];
      index.push_back(tir::Select(extent == tvm::make_const(extent.dtype(), 1), tvm::make_zero(i.dtype()), i));
    } else {
      index.push_back(out_index[o]);
    }
  }
  return index;
}

}  // namespace detail

// ---------------------------------------------------------------------------
// Scalar forms

namespace {

bool IsFloat(const PrimExpr& e) { return e.dtype().is_float() || e.dtype().is_bfloat16(); }

PrimExpr AsBool(const PrimExpr& e) {
  return e.dtype().is_bool() ? e : PrimExpr(e != tvm::make_zero(e.dtype()));
}

void RequireIntegers(const std::string& op, const PrimExpr& a, const PrimExpr& b) {
  bool ok = (a.dtype().is_int() || a.dtype().is_uint() || a.dtype().is_bool()) &&
            (b.dtype().is_int() || b.dtype().is_uint() || b.dtype().is_bool());
  TVM_CHECK(ok, "TypeError") << "topi." << op << " needs integer operands, got " << a.dtype() << " and "
                             << b.dtype();
}

using BinaryFn = std::function<PrimExpr(PrimExpr, PrimExpr)>;

const std::unordered_map<std::string, BinaryFn>& ScalarOps() {
  static const std::unordered_map<std::string, BinaryFn> ops = {
      {"add", [](PrimExpr a, PrimExpr b) { return a + b; }},
      {"subtract", [](PrimExpr a, PrimExpr b) { return a - b; }},
      {"multiply", [](PrimExpr a, PrimExpr b) { return a * b; }},
      // Integer division truncates, as C and TVM's topi.divide do (tvm::div refuses to guess).
      {"divide", [](PrimExpr a, PrimExpr b) { return IsFloat(a) ? tvm::div(a, b) : tvm::truncdiv(a, b); }},
      {"trunc_divide",
       [](PrimExpr a, PrimExpr b) { return IsFloat(a) ? tvm::trunc(tvm::div(a, b)) : tvm::truncdiv(a, b); }},
      {"trunc_mod",
       [](PrimExpr a, PrimExpr b) { return IsFloat(a) ? tvm::fmod(a, b) : tvm::truncmod(a, b); }},
      {"floor_divide",
       [](PrimExpr a, PrimExpr b) { return IsFloat(a) ? tvm::floor(tvm::div(a, b)) : tvm::floordiv(a, b); }},
      {"floor_mod",
       [](PrimExpr a, PrimExpr b) {
         return IsFloat(a) ? PrimExpr(a - tvm::floor(tvm::div(a, b)) * b) : tvm::floormod(a, b);
       }},
      {"mod", [](PrimExpr a, PrimExpr b) { return IsFloat(a) ? tvm::fmod(a, b) : tvm::truncmod(a, b); }},
      {"power", [](PrimExpr a, PrimExpr b) { return tvm::pow(a, b); }},
      {"maximum", [](PrimExpr a, PrimExpr b) { return tvm::max(a, b); }},
      {"minimum", [](PrimExpr a, PrimExpr b) { return tvm::min(a, b); }},
      {"logical_and", [](PrimExpr a, PrimExpr b) { return tvm::logical_and(AsBool(a), AsBool(b)); }},
      {"logical_or", [](PrimExpr a, PrimExpr b) { return tvm::logical_or(AsBool(a), AsBool(b)); }},
      {"logical_xor", [](PrimExpr a, PrimExpr b) { return tvm::not_equal(AsBool(a), AsBool(b)); }},
      {"bitwise_and",
       [](PrimExpr a, PrimExpr b) {
         RequireIntegers("bitwise_and", a, b);
         return tvm::bitwise_and(a, b);
       }},
      {"bitwise_or",
       [](PrimExpr a, PrimExpr b) {
         RequireIntegers("bitwise_or", a, b);
         return tvm::bitwise_or(a, b);
       }},
      {"bitwise_xor",
       [](PrimExpr a, PrimExpr b) {
         RequireIntegers("bitwise_xor", a, b);
         return tvm::bitwise_xor(a, b);
       }},
      {"left_shift",
       [](PrimExpr a, PrimExpr b) {
         RequireIntegers("left_shift", a, b);
         return tvm::left_shift(a, b);
       }},
      {"right_shift",
       [](PrimExpr a, PrimExpr b) {
         RequireIntegers("right_shift", a, b);
         return tvm::right_shift(a, b);
       }},
      {"equal", [](PrimExpr a, PrimExpr b) { return tvm::equal(a, b); }},
      {"not_equal", [](PrimExpr a, PrimExpr b) { return tvm::not_equal(a, b); }},
      {"less", [](PrimExpr a, PrimExpr b) { return tvm::less(a, b); }},
      {"less_equal", [](PrimExpr a, PrimExpr b) { return tvm::less_equal(a, b); }},
      {"greater", [](PrimExpr a, PrimExpr b) { return tvm::greater(a, b); }},
      {"greater_equal", [](PrimExpr a, PrimExpr b) { return tvm::greater_equal(a, b); }},
  };
  return ops;
}

const BinaryFn& LookupOp(const std::string& op) {
  auto it = ScalarOps().find(op);
  ICHECK(it != ScalarOps().end()) << "unknown broadcast operator " << op;
  return it->second;
}

void CheckDtypes(const std::string& op, const Tensor& a, const Tensor& b) {
  TVM_CHECK(a->dtype == b->dtype, "TypeError") << "topi." << op << ": operands " << a.op()->name << " ("
                                               << a->dtype << ") and " << b.op()->name << " (" << b->dtype
                                               << ") have different dtypes";
}

// A constant scalar takes the tensor's dtype (Python numbers arrive as int32 /
// float32 constants); other expressions meet the element under the usual type
// promotion of TIR's operators (float32 tensor + int32 variable is float32).
PrimExpr ScalarFor(const std::string& op, const PrimExpr& s, const Tensor& t) {
  TVM_CHECK(s.defined(), "ValueError") << "topi." << op << ": the scalar operand is None";
  if (s.dtype() == t->dtype || !tvm::is_const_number(s)) return s;
  return tvm::cast(t->dtype, s);
}

}  // namespace

PrimExpr BinaryScalar(const std::string& op, PrimExpr a, PrimExpr b) { return LookupOp(op)(a, b); }

namespace {

Tensor BroadcastBinary(const std::string& op, const Tensor& a, const Tensor& b, const std::string& name,
                       const std::string& tag) {
  CheckDtypes(op, a, b);
  const BinaryFn& f = LookupOp(op);
  Array<PrimExpr> shape = detail::BroadcastShape(a->shape, b->shape, "topi." + op);
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        return f(a(detail::BroadcastIndex(a, shape, i)), b(detail::BroadcastIndex(b, shape, i)));
      },
      name, tag);
}

Tensor TensorScalar(const std::string& op, const Tensor& a, const PrimExpr& b, const std::string& name,
                    const std::string& tag) {
  const BinaryFn& f = LookupOp(op);
  PrimExpr s = ScalarFor(op, b, a);
  return te::compute(a->shape, [&](const Array<Var>& i) { return f(a(i), s); }, name, tag);
}

Tensor ScalarTensor(const std::string& op, const PrimExpr& a, const Tensor& b, const std::string& name,
                    const std::string& tag) {
  const BinaryFn& f = LookupOp(op);
  PrimExpr s = ScalarFor(op, a, b);
  return te::compute(b->shape, [&](const Array<Var>& i) { return f(s, b(i)); }, name, tag);
}

}  // namespace

#define TOPI_BINARY(NAME)                                                                         \
  Tensor NAME(const Tensor& a, const Tensor& b, std::string name, std::string tag) {              \
    return BroadcastBinary(#NAME, a, b, name, tag);                                               \
  }                                                                                               \
  Tensor NAME(const Tensor& a, const PrimExpr& b, std::string name, std::string tag) {            \
    return TensorScalar(#NAME, a, b, name, tag);                                                  \
  }                                                                                               \
  Tensor NAME(const PrimExpr& a, const Tensor& b, std::string name, std::string tag) {            \
    return ScalarTensor(#NAME, a, b, name, tag);                                                  \
  }

TOPI_BINARY(add)
TOPI_BINARY(subtract)
TOPI_BINARY(multiply)
TOPI_BINARY(divide)
TOPI_BINARY(floor_divide)
TOPI_BINARY(floor_mod)
TOPI_BINARY(trunc_divide)
TOPI_BINARY(trunc_mod)
TOPI_BINARY(mod)
TOPI_BINARY(power)
TOPI_BINARY(maximum)
TOPI_BINARY(minimum)
TOPI_BINARY(logical_and)
TOPI_BINARY(logical_or)
TOPI_BINARY(logical_xor)
TOPI_BINARY(bitwise_and)
TOPI_BINARY(bitwise_or)
TOPI_BINARY(bitwise_xor)
TOPI_BINARY(left_shift)
TOPI_BINARY(right_shift)
TOPI_BINARY(equal)
TOPI_BINARY(not_equal)
TOPI_BINARY(less)
TOPI_BINARY(less_equal)
TOPI_BINARY(greater)
TOPI_BINARY(greater_equal)
#undef TOPI_BINARY

Tensor broadcast_to(const Tensor& x, const Array<PrimExpr>& output_shape, std::string name, std::string tag) {
  TVM_CHECK(output_shape.size() >= x->shape.size(), "ValueError")
      << "topi.broadcast_to: " << x.op()->name << " of shape " << x->shape << " has more dimensions than "
      << output_shape;
  Array<PrimExpr> shape = detail::BroadcastShape(x->shape, output_shape, "topi.broadcast_to");
  for (size_t k = 0; k < shape.size(); ++k) {
    auto want = tvm::as_const_int(output_shape[k]), got = tvm::as_const_int(shape[k]);
    TVM_CHECK(!(want && got) || *want == *got, "ValueError")
        << "topi.broadcast_to: " << x.op()->name << " of shape " << x->shape << " cannot be broadcast to "
        << output_shape;
  }
  return te::compute(
      output_shape, [&](const Array<Var>& i) { return x(detail::BroadcastIndex(x, output_shape, i)); }, name, tag);
}

Tensor where(const Tensor& condition, const Tensor& x, const Tensor& y, std::string name, std::string tag) {
  TVM_CHECK(x->dtype == y->dtype, "TypeError") << "topi.where: x (" << x->dtype << ") and y (" << y->dtype
                                               << ") have different dtypes";
  Array<PrimExpr> shape = detail::BroadcastShape(x->shape, y->shape, "topi.where");
  shape = detail::BroadcastShape(condition->shape, shape, "topi.where");
  return te::compute(
      shape,
      [&](const Array<Var>& i) {
        PrimExpr c = condition(detail::BroadcastIndex(condition, shape, i));
        return tir::Select(AsBool(c), x(detail::BroadcastIndex(x, shape, i)), y(detail::BroadcastIndex(y, shape, i)));
      },
      name, tag);
}

// ---------------------------------------------------------------------------
// Python bindings: topi.add(a, b) with tensors, expressions or numbers.

namespace {

const int kRegisterBinary = [] {
  for (const auto& [op_name, fn] : ScalarOps()) {
    std::string op = op_name;
    runtime::Registry::Register("topi." + op).set_body([op](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
      TVM_CHECK(args.size() == 2, "TypeError") << "topi." << op << " takes 2 operands, got " << args.size();
      bool ta = args[0].IsObjectRef<Tensor>(), tb = args[1].IsObjectRef<Tensor>();
      std::string name = "T_" + op;
      if (ta && tb) {
        *rv = BroadcastBinary(op, args[0].AsType<Tensor>(), args[1].AsType<Tensor>(), name, kBroadcast);
      } else if (ta) {
        *rv = TensorScalar(op, args[0].AsType<Tensor>(), args[1].AsType<PrimExpr>(), name, kElementWise);
      } else if (tb) {
        *rv = ScalarTensor(op, args[0].AsType<PrimExpr>(), args[1].AsType<Tensor>(), name, kElementWise);
      } else {
        *rv = LookupOp(op)(args[0].AsType<PrimExpr>(), args[1].AsType<PrimExpr>());
      }
    });
  }
  return 0;
}();

}  // namespace

TVM_REGISTER_GLOBAL("topi.broadcast_to").set_body_typed([](Tensor x, Array<PrimExpr> shape) {
  return broadcast_to(x, shape);
});
TVM_REGISTER_GLOBAL("topi.where").set_body_typed([](Tensor c, Tensor x, Tensor y) { return where(c, x, y); });

}  // namespace topi
}  // namespace tvm
