/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Building loop-IR expressions: type promotion, constant folding and the math
// intrinsics (the functions of tvm/tir/op.h), plus their Python globals.
//
// Every helper first makes its operands agree on one type, then folds what is
// constant, and only then builds a node, so `2 + 3` is IntImm 5 and `x + 0` is
// x. Promotion, in order:
//   - equal types: nothing to do;
//   - a literal (IntImm/FloatImm) takes the type of a non-literal other side
//     when it can hold the value: int8 x + 1 stays int8, float16 y * 0.5 stays
//     float16;
//   - an integer side meets a float side: the integer is cast to the float;
//   - two floats, or two integers of one signedness: the wider type;
//   - int meets uint: the signed type of the larger width; bool meets an
//     integer: the bool is cast to it;
//   - a scalar meets a vector: the scalar is broadcast.
// Deeper rewriting (x - x, (x + 1) - 1) is the simplifier's job (arith), not
// done here.
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/builtin.h>
#include <tvm/tir/op.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <string>

namespace tvm {

using namespace tir;  // NOLINT(build/namespaces)
using runtime::Error;

namespace {

std::string Str(DataType t) { return runtime::DLDataType2String(t); }

/*! \brief int, uint or bool. */
bool IsIntegral(DataType t) { return t.is_int() || t.is_uint(); }
bool IsFloating(DataType t) { return t.is_float() || t.is_bfloat16(); }

void CheckDefined(const PrimExpr& e, const char* op) {
  TVM_CHECK(e.defined(), "ValueError") << op << ": an operand is undefined (None)";
}

/*!
 * \brief v reduced to the width of integer type t (two's complement), or
 *  nothing when an IntImm cannot hold the result (uint64 at or above 2^63).
 */
std::optional<int64_t> WrapToType(DataType t, int64_t v) {
  if (t.is_bool()) return v & 1;
  int bits = t.bits();
  if (bits >= 64) {
    if (t.is_uint() && v < 0) return std::nullopt;
    return v;
  }
  uint64_t mask = (uint64_t{1} << bits) - 1;
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if (t.is_int() && ((u >> (bits - 1)) & 1) != 0) u |= ~mask;
  return static_cast<int64_t>(u);
}

bool FitsIn(DataType t, int64_t v) {
  auto w = WrapToType(t, v);
  return w.has_value() && *w == v;
}

/*! \brief IntImm of t holding v wrapped to t's width, if representable. */
std::optional<PrimExpr> FoldedInt(DataType t, int64_t v) {
  auto w = WrapToType(t, v);
  if (!w.has_value()) return std::nullopt;
  return PrimExpr(IntImm(t, *w));
}

int64_t WrappingAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b));
}
int64_t WrappingSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b));
}
int64_t WrappingMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b));
}

int64_t FloorDivInt(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorModInt(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

/*! \brief Whether e is the constant `value` (an immediate or a broadcast of one). */
bool IsConstValue(const PrimExpr& e, double value) {
  if (const auto* i = e.as<IntImmNode>()) return static_cast<double>(i->value) == value;
  if (const auto* f = e.as<FloatImmNode>()) return f->value == value;
  if (const auto* b = e.as<BroadcastNode>()) return IsConstValue(b->value, value);
  return false;
}

bool IsLiteral(const PrimExpr& e) { return e.as<IntImmNode>() != nullptr || e.as<FloatImmNode>() != nullptr; }

/*! \brief The type a literal takes from the other operand, when it adopts one. */
std::optional<DataType> AdoptedType(const PrimExpr& literal, const PrimExpr& other) {
  if (IsLiteral(other)) return std::nullopt;
  DataType to = other.dtype().element_of();
  if (const auto* i = literal.as<IntImmNode>()) {
    if (to.is_bool()) return std::nullopt;
    if (IsIntegral(to)) return FitsIn(to, i->value) ? std::optional<DataType>(to) : std::nullopt;
    if (IsFloating(to)) return to;
    return std::nullopt;
  }
  if (literal.as<FloatImmNode>() != nullptr && IsFloating(to)) return to;
  return std::nullopt;
}

DataType PromotedElementType(const PrimExpr& a, const PrimExpr& b, const char* op) {
  if (auto t = AdoptedType(a, b)) return *t;
  if (auto t = AdoptedType(b, a)) return *t;
  DataType ea = a.dtype().element_of(), eb = b.dtype().element_of();
  if (IsFloating(ea) && IsFloating(eb)) {
    if (ea.bits() != eb.bits()) return ea.bits() > eb.bits() ? ea : eb;
    // float16 with bfloat16: neither holds the other.
    return DataType::Float(std::max(32, ea.bits()));
  }
  if (IsFloating(ea) && IsIntegral(eb)) return ea;
  if (IsIntegral(ea) && IsFloating(eb)) return eb;
  if (IsIntegral(ea) && IsIntegral(eb)) {
    if (ea.is_bool()) return eb;
    if (eb.is_bool()) return ea;
    if (ea.code() == eb.code()) return ea.bits() >= eb.bits() ? ea : eb;
    return DataType::Int(std::max(ea.bits(), eb.bits()));
  }
  throw Error("TypeError", std::string(op) + ": cannot combine operands of types " + Str(a.dtype()) + " and " +
                               Str(b.dtype()));
}

/*! \brief Make a and b one type (see the rules at the top of this file). */
void BinaryOpMatchTypes(PrimExpr& a, PrimExpr& b, const char* op) {  // NOLINT(runtime/references)
  CheckDefined(a, op);
  CheckDefined(b, op);
  DataType ta = a.dtype(), tb = b.dtype();
  if (ta == tb) return;
  int la = ta.lanes(), lb = tb.lanes();
  TVM_CHECK(la == lb || la == 1 || lb == 1, "TypeError")
      << op << ": cannot combine vectors of " << la << " and " << lb << " lanes (" << Str(ta) << " and " << Str(tb)
      << ")";
  if (ta.element_of() != tb.element_of()) {
    DataType target = PromotedElementType(a, b, op);
    if (ta.element_of() != target) a = cast(target.with_lanes(la), a);
    if (tb.element_of() != target) b = cast(target.with_lanes(lb), b);
  }
  if (la != lb) {
    if (la == 1) {
      a = Broadcast(a, lb);
    } else {
      b = Broadcast(b, la);
    }
  }
}

/*! \brief The operands as scalar immediates, when they are. */
struct Immediates {
  const IntImmNode* ia;
  const IntImmNode* ib;
  const FloatImmNode* fa;
  const FloatImmNode* fb;
  bool ints() const { return ia != nullptr && ib != nullptr; }
  bool floats() const { return fa != nullptr && fb != nullptr; }
};

Immediates ImmediatesOf(const PrimExpr& a, const PrimExpr& b) {
  return Immediates{a.as<IntImmNode>(), b.as<IntImmNode>(), a.as<FloatImmNode>(), b.as<FloatImmNode>()};
}

/*! \brief Throws ZeroDivisionError when the divisor is a constant zero. */
void CheckDivisor(const PrimExpr& a, const PrimExpr& b, const char* op) {
  if (IsConstValue(b, 0)) {
    std::ostringstream os;
    os << op << ": division by zero in " << op << "(" << a << ", " << b << ")";
    throw Error("ZeroDivisionError", os.str());
  }
}

void CheckIntegerOperands(const PrimExpr& a, const PrimExpr& b, const char* op, const char* hint) {
  if (IsIntegral(a.dtype()) && IsIntegral(b.dtype())) return;
  std::ostringstream os;
  os << op << " needs integer operands, got " << Str(a.dtype()) << " and " << Str(b.dtype()) << hint;
  throw Error("TypeError", os.str());
}

/*! \brief A boolean operand of a logical operator (an integer constant converts to bool). */
PrimExpr AsBoolOperand(PrimExpr x, const char* op) {
  CheckDefined(x, op);
  if (x.dtype().is_bool()) return x;
  if (const auto* i = x.as<IntImmNode>()) return make_const(DataType::Bool(), i->value != 0);
  std::ostringstream os;
  os << op << " needs boolean operands, got " << Str(x.dtype()) << " (compare it with 0 first)";
  throw Error("TypeError", os.str());
}

/*! \brief value (a scalar immediate) converted to scalar type t, if it folds. */
std::optional<PrimExpr> FoldScalarCast(DataType t, const PrimExpr& value) {
  if (const auto* i = value.as<IntImmNode>()) {
    if (t.is_bool()) return make_const(t, i->value != 0);
    if (IsIntegral(t)) return FoldedInt(t, i->value);
    if (IsFloating(t)) return PrimExpr(FloatImm(t, static_cast<double>(i->value)));
    return std::nullopt;
  }
  if (const auto* f = value.as<FloatImmNode>()) {
    if (IsFloating(t)) return PrimExpr(FloatImm(t, f->value));
    if (t.is_bool()) return make_const(t, f->value != 0.0);
    if (IsIntegral(t) && std::isfinite(f->value)) {
      double truncated = std::trunc(f->value);
      if (truncated >= -9.2e18 && truncated <= 9.2e18 && FitsIn(t, static_cast<int64_t>(truncated))) {
        return PrimExpr(IntImm(t, static_cast<int64_t>(truncated)));
      }
    }
    return std::nullopt;
  }
  return std::nullopt;
}

/*! \brief A uint64 constant too large for IntImm, as large_uint_imm(low, high). */
PrimExpr LargeUIntImm(DataType t, uint64_t value) {
  return Call(t, builtin::large_uint_imm(),
              {make_const(DataType::UInt(32), static_cast<int64_t>(value & 0xFFFFFFFFu)),
               make_const(DataType::UInt(32), static_cast<int64_t>(value >> 32))});
}

Op MathOp(const char* name) { return Op::Get(std::string("tir.") + name); }

/*! \brief A one-operand float intrinsic that leaves integers unchanged (floor, ceil, ...). */
PrimExpr RoundingIntrinsic(PrimExpr x, const char* name, double (*fold)(double)) {
  CheckDefined(x, name);
  if (IsIntegral(x.dtype())) return x;
  TVM_CHECK(IsFloating(x.dtype()), "TypeError") << name << " needs a numeric operand, got " << Str(x.dtype());
  if (const auto* f = x.as<FloatImmNode>()) return FloatImm(x.dtype(), fold(f->value));
  return Call(x.dtype(), MathOp(name), {x});
}

}  // namespace

// ---------------------------------------------------------------------------
// Constants

PrimExpr make_const(DataType t, int64_t value) {
  if (t.lanes() > 1) return Broadcast(make_const(t.element_of(), value), t.lanes());
  if (t.is_bool()) return IntImm(t, value != 0);
  if (IsIntegral(t)) return IntImm(t, value);
  if (IsFloating(t)) return FloatImm(t, static_cast<double>(value));
  throw Error("TypeError", "make_const: cannot make a constant of type " + Str(t));
}

PrimExpr make_const(DataType t, double value) {
  if (t.lanes() > 1) return Broadcast(make_const(t.element_of(), value), t.lanes());
  if (t.is_bool()) return IntImm(t, value != 0.0);
  if (t.is_uint() && t.bits() == 64 && value >= 9223372036854775808.0) {
    TVM_CHECK(value < 18446744073709551616.0, "ValueError") << "make_const: " << value << " does not fit in uint64";
    return LargeUIntImm(t, static_cast<uint64_t>(value));
  }
  if (IsIntegral(t)) {
    TVM_CHECK(std::isfinite(value) && value >= -9223372036854775808.0 && value < 9223372036854775808.0,
              "ValueError")
        << "make_const: " << value << " does not fit in " << Str(t);
    return IntImm(t, static_cast<int64_t>(value));
  }
  if (IsFloating(t)) return FloatImm(t, value);
  throw Error("TypeError", "make_const: cannot make a constant of type " + Str(t));
}

PrimExpr make_zero(DataType t) {
  if (t.is_handle()) return reinterpret(t, make_const(DataType::UInt(64), int64_t{0}));
  return make_const(t, int64_t{0});
}

PrimExpr const_true(int lanes) { return make_const(DataType::Bool(lanes), int64_t{1}); }
PrimExpr const_false(int lanes) { return make_const(DataType::Bool(lanes), int64_t{0}); }

PrimExpr max_value(const DataType& dtype) {
  if (dtype.lanes() > 1) return Broadcast(max_value(dtype.element_of()), dtype.lanes());
  int bits = dtype.bits();
  if (dtype.is_bool()) return make_const(dtype, int64_t{1});
  if (dtype.is_int()) {
    return IntImm(dtype, bits >= 64 ? std::numeric_limits<int64_t>::max() : (int64_t{1} << (bits - 1)) - 1);
  }
  if (dtype.is_uint()) {
    if (bits >= 64) return LargeUIntImm(dtype, std::numeric_limits<uint64_t>::max());
    return IntImm(dtype, (int64_t{1} << bits) - 1);
  }
  if (dtype.is_bfloat16()) return FloatImm(dtype, 3.38953138925153547590470800371487866880e+38);
  if (dtype.is_float()) {
    if (bits == 64) return FloatImm(dtype, std::numeric_limits<double>::max());
    if (bits == 32) return FloatImm(dtype, static_cast<double>(std::numeric_limits<float>::max()));
    if (bits == 16) return FloatImm(dtype, 65504.0);
  }
  throw Error("TypeError", "max_value: no maximum for type " + Str(dtype));
}

PrimExpr min_value(const DataType& dtype) {
  if (dtype.lanes() > 1) return Broadcast(min_value(dtype.element_of()), dtype.lanes());
  int bits = dtype.bits();
  if (dtype.is_bool()) return make_const(dtype, int64_t{0});
  if (dtype.is_int()) {
    return IntImm(dtype, bits >= 64 ? std::numeric_limits<int64_t>::min() : -(int64_t{1} << (bits - 1)));
  }
  if (dtype.is_uint()) return IntImm(dtype, 0);
  if (IsFloating(dtype)) {
    const auto* m = max_value(dtype).as<FloatImmNode>();
    return FloatImm(dtype, -m->value);
  }
  throw Error("TypeError", "min_value: no minimum for type " + Str(dtype));
}

PrimExpr infinity(const DataType& dtype) {
  if (dtype.lanes() > 1) return Broadcast(infinity(dtype.element_of()), dtype.lanes());
  TVM_CHECK(IsFloating(dtype), "TypeError") << "infinity: type " << Str(dtype) << " has no infinity (only floats)";
  return FloatImm(dtype, std::numeric_limits<double>::infinity());
}

std::optional<int64_t> as_const_int(const PrimExpr& x) {
  if (!x.defined()) return std::nullopt;
  if (const auto* i = x.as<IntImmNode>()) return i->value;
  if (const auto* b = x.as<BroadcastNode>()) return as_const_int(b->value);
  return std::nullopt;
}

bool is_const_number(const PrimExpr& x) {
  if (!x.defined()) return false;
  if (IsLiteral(x)) return true;
  if (const auto* b = x.as<BroadcastNode>()) return IsLiteral(b->value);
  return false;
}

bool is_no_op(const Stmt& stmt) {
  if (!stmt.defined()) return true;
  if (const auto* e = stmt.as<EvaluateNode>()) return is_const_number(e->value);
  if (const auto* s = stmt.as<SeqStmtNode>()) return s->seq.empty();
  return false;
}

// ---------------------------------------------------------------------------
// Casts

PrimExpr cast(const DataType& t, PrimExpr value) {
  CheckDefined(value, "cast");
  if (value.dtype() == t) return value;
  if (t.lanes() == 1) {
    TVM_CHECK(value.dtype().lanes() == 1, "TypeError")
        << "cast: cannot cast the vector " << Str(value.dtype()) << " to the scalar type " << Str(t);
    if (auto folded = FoldScalarCast(t, value)) return *folded;
    return Cast(t, value);
  }
  DataType elem = t.element_of();
  if (value.dtype().lanes() == 1) return Broadcast(cast(elem, value), t.lanes());
  if (const auto* b = value.as<BroadcastNode>()) {
    TVM_CHECK(b->lanes == t.lanes(), "TypeError")
        << "cast: cannot change the number of lanes (" << Str(value.dtype()) << " to " << Str(t) << ")";
    return Broadcast(cast(elem, b->value), t.lanes());
  }
  return Cast(t, value);
}

PrimExpr reinterpret(const DataType& t, PrimExpr value) {
  CheckDefined(value, "reinterpret");
  if (value.dtype() == t) return value;
  TVM_CHECK(value.dtype().bits() * value.dtype().lanes() == t.bits() * t.lanes(), "TypeError")
      << "reinterpret: " << Str(value.dtype()) << " and " << Str(t) << " differ in size";
  return Call(t, builtin::reinterpret(), {value});
}

// ---------------------------------------------------------------------------
// Arithmetic

PrimExpr add(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "add");
  DataType t = a.dtype();
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    if (auto r = FoldedInt(t, WrappingAdd(c.ia->value, c.ib->value))) return *r;
  }
  if (c.floats()) return FloatImm(t, c.fa->value + c.fb->value);
  if (IsConstValue(a, 0)) return b;
  if (IsConstValue(b, 0)) return a;
  return Add(a, b);
}

PrimExpr sub(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "sub");
  DataType t = a.dtype();
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    if (auto r = FoldedInt(t, WrappingSub(c.ia->value, c.ib->value))) return *r;
  }
  if (c.floats()) return FloatImm(t, c.fa->value - c.fb->value);
  if (IsConstValue(b, 0)) return a;
  return Sub(a, b);
}

PrimExpr neg(PrimExpr a) {
  CheckDefined(a, "neg");
  DataType t = a.dtype();
  if (const auto* i = a.as<IntImmNode>()) {
    if (auto r = FoldedInt(t, WrappingSub(0, i->value))) return *r;
  }
  if (const auto* f = a.as<FloatImmNode>()) return FloatImm(t, -f->value);
  return Sub(make_zero(t), a);
}

PrimExpr mul(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "mul");
  DataType t = a.dtype();
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    if (auto r = FoldedInt(t, WrappingMul(c.ia->value, c.ib->value))) return *r;
  }
  if (c.floats()) return FloatImm(t, c.fa->value * c.fb->value);
  if (IsConstValue(a, 1)) return b;
  if (IsConstValue(b, 1)) return a;
  // x * 0 is 0 for integers only: for floats it is NaN when x is infinite.
  if (IsIntegral(t) && (IsConstValue(a, 0) || IsConstValue(b, 0))) return make_zero(t);
  return Mul(a, b);
}

PrimExpr div(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "div");
  DataType t = a.dtype();
  TVM_CHECK(!IsIntegral(t), "TypeError")
      << "div (/) of integers " << a << " and " << b
      << " is ambiguous: use floordiv (//) for floor division or truncdiv for C-style division";
  CheckDivisor(a, b, "div");
  Immediates c = ImmediatesOf(a, b);
  if (c.floats()) return FloatImm(t, c.fa->value / c.fb->value);
  if (IsConstValue(b, 1)) return a;
  return Div(a, b);
}

PrimExpr truncdiv(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "truncdiv");
  CheckIntegerOperands(a, b, "truncdiv", "; use div (/) for floats");
  DataType t = a.dtype();
  CheckDivisor(a, b, "truncdiv");
  Immediates c = ImmediatesOf(a, b);
  if (c.ints() && !(c.ia->value == std::numeric_limits<int64_t>::min() && c.ib->value == -1)) {
    if (auto r = FoldedInt(t, c.ia->value / c.ib->value)) return *r;
  }
  if (IsConstValue(b, 1)) return a;
  return Div(a, b);
}

PrimExpr truncmod(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "truncmod");
  CheckIntegerOperands(a, b, "truncmod", "; use fmod for floats");
  DataType t = a.dtype();
  CheckDivisor(a, b, "truncmod");
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    if (c.ib->value == -1) return make_zero(t);
    if (auto r = FoldedInt(t, c.ia->value % c.ib->value)) return *r;
  }
  if (IsConstValue(b, 1)) return make_zero(t);
  return Mod(a, b);
}

PrimExpr floordiv(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "floordiv");
  DataType t = a.dtype();
  if (IsFloating(t)) return floor(div(a, b));
  CheckIntegerOperands(a, b, "floordiv", "");
  CheckDivisor(a, b, "floordiv");
  Immediates c = ImmediatesOf(a, b);
  if (c.ints() && !(c.ia->value == std::numeric_limits<int64_t>::min() && c.ib->value == -1)) {
    if (auto r = FoldedInt(t, FloorDivInt(c.ia->value, c.ib->value))) return *r;
  }
  if (IsConstValue(b, 1)) return a;
  return FloorDiv(a, b);
}

PrimExpr floormod(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "floormod");
  DataType t = a.dtype();
  if (IsFloating(t)) return sub(a, mul(floor(div(a, b)), b));
  CheckIntegerOperands(a, b, "floormod", "");
  CheckDivisor(a, b, "floormod");
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    if (c.ib->value == -1) return make_zero(t);
    if (auto r = FoldedInt(t, FloorModInt(c.ia->value, c.ib->value))) return *r;
  }
  if (IsConstValue(b, 1)) return make_zero(t);
  return FloorMod(a, b);
}

PrimExpr indexdiv(PrimExpr a, PrimExpr b) { return floordiv(std::move(a), std::move(b)); }
PrimExpr indexmod(PrimExpr a, PrimExpr b) { return floormod(std::move(a), std::move(b)); }

PrimExpr ceildiv(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "ceildiv");
  CheckIntegerOperands(a, b, "ceildiv", "");
  CheckDivisor(a, b, "ceildiv");
  Immediates c = ImmediatesOf(a, b);
  if (c.ints() && c.ia->value != std::numeric_limits<int64_t>::min()) {
    if (auto r = FoldedInt(a.dtype(), -FloorDivInt(-c.ia->value, c.ib->value))) return *r;
  }
  if (IsConstValue(b, 1)) return a;
  // ceil(a / b) = floor((a + b - 1) / b); with a constant b the offset folds to one constant.
  if (auto bv = as_const_int(b); bv && *bv > 0) return floordiv(add(a, make_const(a.dtype(), *bv - 1)), b);
  return floordiv(sub(add(a, b), make_const(a.dtype(), int64_t{1})), b);
}

PrimExpr min(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "min");
  DataType t = a.dtype();
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) return IntImm(t, std::min(c.ia->value, c.ib->value));
  if (c.floats()) return FloatImm(t, std::min(c.fa->value, c.fb->value));
  return Min(a, b);
}

PrimExpr max(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "max");
  DataType t = a.dtype();
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) return IntImm(t, std::max(c.ia->value, c.ib->value));
  if (c.floats()) return FloatImm(t, std::max(c.fa->value, c.fb->value));
  return Max(a, b);
}

// ---------------------------------------------------------------------------
// Comparisons and logic

namespace {
/*! \brief Folds a comparison of two immediates; `cmp` sees them as doubles or int64s. */
template <typename Node, typename Cmp>
PrimExpr Compare(PrimExpr a, PrimExpr b, const char* op, Cmp cmp) {
  BinaryOpMatchTypes(a, b, op);
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) return make_const(DataType::Bool(), cmp(c.ia->value, c.ib->value));
  if (c.floats()) return make_const(DataType::Bool(), cmp(c.fa->value, c.fb->value));
  return Node(a, b);
}
}  // namespace

PrimExpr greater(PrimExpr a, PrimExpr b) {
  return Compare<GT>(a, b, "greater (>)", [](auto x, auto y) { return x > y; });
}
PrimExpr greater_equal(PrimExpr a, PrimExpr b) {
  return Compare<GE>(a, b, "greater_equal (>=)", [](auto x, auto y) { return x >= y; });
}
PrimExpr less(PrimExpr a, PrimExpr b) {
  return Compare<LT>(a, b, "less (<)", [](auto x, auto y) { return x < y; });
}
PrimExpr less_equal(PrimExpr a, PrimExpr b) {
  return Compare<LE>(a, b, "less_equal (<=)", [](auto x, auto y) { return x <= y; });
}
PrimExpr equal(PrimExpr a, PrimExpr b) {
  return Compare<EQ>(a, b, "equal (==)", [](auto x, auto y) { return x == y; });
}
PrimExpr not_equal(PrimExpr a, PrimExpr b) {
  return Compare<NE>(a, b, "not_equal (!=)", [](auto x, auto y) { return x != y; });
}

PrimExpr logical_and(PrimExpr a, PrimExpr b) {
  a = AsBoolOperand(a, "logical_and (&&)");
  b = AsBoolOperand(b, "logical_and (&&)");
  BinaryOpMatchTypes(a, b, "logical_and (&&)");
  if (auto v = as_const_int(a)) return *v != 0 ? b : a;
  if (auto v = as_const_int(b)) return *v != 0 ? a : b;
  return And(a, b);
}

PrimExpr logical_or(PrimExpr a, PrimExpr b) {
  a = AsBoolOperand(a, "logical_or (||)");
  b = AsBoolOperand(b, "logical_or (||)");
  BinaryOpMatchTypes(a, b, "logical_or (||)");
  if (auto v = as_const_int(a)) return *v != 0 ? a : b;
  if (auto v = as_const_int(b)) return *v != 0 ? b : a;
  return Or(a, b);
}

PrimExpr logical_not(PrimExpr a) {
  a = AsBoolOperand(a, "logical_not (!)");
  if (const auto* i = a.as<IntImmNode>()) return make_const(DataType::Bool(), i->value == 0);
  if (const auto* n = a.as<NotNode>()) return n->a;
  return Not(a);
}

// ---------------------------------------------------------------------------
// Bitwise operations (builtin calls; codegen emits the machine operation)

namespace {
template <typename Fold>
PrimExpr BitwiseBinary(PrimExpr a, PrimExpr b, const char* op, const Op& builtin_op, Fold fold) {
  BinaryOpMatchTypes(a, b, op);
  CheckIntegerOperands(a, b, op, "");
  DataType t = a.dtype();
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    if (auto r = FoldedInt(t, fold(c.ia->value, c.ib->value))) return *r;
  }
  return Call(t, builtin_op, {a, b});
}

void CheckShiftAmount(const PrimExpr& a, const PrimExpr& b, const char* op) {
  if (const auto* i = b.as<IntImmNode>()) {
    TVM_CHECK(i->value >= 0 && i->value < a.dtype().bits(), "ValueError")
        << op << ": shift amount " << i->value << " is not in [0, " << a.dtype().bits() << ") for "
        << Str(a.dtype());
  }
}
}  // namespace

PrimExpr bitwise_and(PrimExpr a, PrimExpr b) {
  return BitwiseBinary(a, b, "bitwise_and (&)", builtin::bitwise_and(), [](int64_t x, int64_t y) { return x & y; });
}
PrimExpr bitwise_or(PrimExpr a, PrimExpr b) {
  return BitwiseBinary(a, b, "bitwise_or (|)", builtin::bitwise_or(), [](int64_t x, int64_t y) { return x | y; });
}
PrimExpr bitwise_xor(PrimExpr a, PrimExpr b) {
  return BitwiseBinary(a, b, "bitwise_xor (^)", builtin::bitwise_xor(), [](int64_t x, int64_t y) { return x ^ y; });
}

PrimExpr bitwise_neg(PrimExpr a) {
  CheckDefined(a, "bitwise_not (~)");
  TVM_CHECK(IsIntegral(a.dtype()), "TypeError")
      << "bitwise_not (~) needs an integer operand, got " << Str(a.dtype());
  if (const auto* i = a.as<IntImmNode>()) {
    if (auto r = FoldedInt(a.dtype(), ~i->value)) return *r;
  }
  return Call(a.dtype(), builtin::bitwise_not(), {a});
}

PrimExpr left_shift(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "left_shift (<<)");
  CheckIntegerOperands(a, b, "left_shift (<<)", "");
  CheckShiftAmount(a, b, "left_shift (<<)");
  Immediates c = ImmediatesOf(a, b);
  if (c.ints()) {
    uint64_t shifted = static_cast<uint64_t>(c.ia->value) << c.ib->value;
    if (auto r = FoldedInt(a.dtype(), static_cast<int64_t>(shifted))) return *r;
  }
  if (IsConstValue(b, 0)) return a;
  return Call(a.dtype(), builtin::shift_left(), {a, b});
}

PrimExpr right_shift(PrimExpr a, PrimExpr b) {
  BinaryOpMatchTypes(a, b, "right_shift (>>)");
  CheckIntegerOperands(a, b, "right_shift (>>)", "");
  CheckShiftAmount(a, b, "right_shift (>>)");
  Immediates c = ImmediatesOf(a, b);
  // Immediates of int types are sign-extended and of uint types non-negative,
  // so >> on int64 is arithmetic for int and logical for uint, as in C.
  if (c.ints()) {
    if (auto r = FoldedInt(a.dtype(), c.ia->value >> c.ib->value)) return *r;
  }
  if (IsConstValue(b, 0)) return a;
  return Call(a.dtype(), builtin::shift_right(), {a, b});
}

// ---------------------------------------------------------------------------
// Selection

PrimExpr if_then_else(PrimExpr cond, PrimExpr true_value, PrimExpr false_value) {
  cond = AsBoolOperand(cond, "if_then_else");
  TVM_CHECK(cond.dtype().lanes() == 1, "TypeError")
      << "if_then_else: the condition must be a scalar bool, got " << Str(cond.dtype());
  BinaryOpMatchTypes(true_value, false_value, "if_then_else");
  if (auto v = as_const_int(cond)) return *v != 0 ? true_value : false_value;
  return Call(true_value.dtype(), builtin::if_then_else(), {cond, true_value, false_value});
}

PrimExpr likely(PrimExpr cond) {
  CheckDefined(cond, "likely");
  if (is_const_number(cond)) return cond;
  return Call(cond.dtype(), builtin::likely(), {cond});
}

// ---------------------------------------------------------------------------
// Math

PrimExpr abs(PrimExpr x) {
  CheckDefined(x, "abs");
  DataType t = x.dtype();
  if (t.is_int()) {
    if (const auto* i = x.as<IntImmNode>()) {
      if (auto r = FoldedInt(t, i->value < 0 ? WrappingSub(0, i->value) : i->value)) return *r;
    }
    return Select(greater_equal(x, make_zero(t)), x, neg(x));
  }
  if (t.is_uint()) return x;
  TVM_CHECK(IsFloating(t), "TypeError") << "abs needs a numeric operand, got " << Str(t);
  if (const auto* f = x.as<FloatImmNode>()) return FloatImm(t, std::fabs(f->value));
  return Call(t, MathOp("fabs"), {x});
}

PrimExpr pow(PrimExpr x, PrimExpr y) {
  BinaryOpMatchTypes(x, y, "pow");
  TVM_CHECK(IsFloating(x.dtype()), "TypeError")
      << "pow (**) needs float operands, got " << Str(x.dtype()) << "; cast with astype(\"float32\") first";
  Immediates c = ImmediatesOf(x, y);
  if (c.floats()) return FloatImm(x.dtype(), std::pow(c.fa->value, c.fb->value));
  if (IsConstValue(y, 1)) return x;
  return Call(x.dtype(), MathOp("pow"), {x, y});
}

PrimExpr fmod(PrimExpr x, PrimExpr y) {
  BinaryOpMatchTypes(x, y, "fmod");
  TVM_CHECK(IsFloating(x.dtype()), "TypeError")
      << "fmod needs float operands, got " << Str(x.dtype()) << "; use truncmod or floormod (%) for integers";
  Immediates c = ImmediatesOf(x, y);
  if (c.floats() && c.fb->value != 0.0) return FloatImm(x.dtype(), std::fmod(c.fa->value, c.fb->value));
  return Call(x.dtype(), MathOp("fmod"), {x, y});
}

PrimExpr isnan(PrimExpr x) {
  CheckDefined(x, "isnan");
  DataType result = DataType::Bool(x.dtype().lanes());
  if (IsIntegral(x.dtype())) return make_const(result, int64_t{0});
  TVM_CHECK(IsFloating(x.dtype()), "TypeError") << "isnan needs a numeric operand, got " << Str(x.dtype());
  if (const auto* f = x.as<FloatImmNode>()) return make_const(result, std::isnan(f->value));
  return Call(result, builtin::isnan(), {x});
}

PrimExpr isinf(PrimExpr x) {
  CheckDefined(x, "isinf");
  DataType result = DataType::Bool(x.dtype().lanes());
  if (IsIntegral(x.dtype())) return make_const(result, int64_t{0});
  TVM_CHECK(IsFloating(x.dtype()), "TypeError") << "isinf needs a numeric operand, got " << Str(x.dtype());
  if (const auto* f = x.as<FloatImmNode>()) return make_const(result, std::isinf(f->value));
  // NaN compares unequal to infinity, so no separate NaN test is needed.
  return equal(abs(x), infinity(x.dtype()));
}

PrimExpr isfinite(PrimExpr x) {
  CheckDefined(x, "isfinite");
  DataType result = DataType::Bool(x.dtype().lanes());
  if (IsIntegral(x.dtype())) return make_const(result, int64_t{1});
  TVM_CHECK(IsFloating(x.dtype()), "TypeError") << "isfinite needs a numeric operand, got " << Str(x.dtype());
  if (const auto* f = x.as<FloatImmNode>()) return make_const(result, std::isfinite(f->value));
  return logical_and(logical_not(isinf(x)), logical_not(isnan(x)));
}

PrimExpr floor(PrimExpr x) { return RoundingIntrinsic(std::move(x), "floor", [](double v) { return std::floor(v); }); }
PrimExpr ceil(PrimExpr x) { return RoundingIntrinsic(std::move(x), "ceil", [](double v) { return std::ceil(v); }); }
PrimExpr round(PrimExpr x) { return RoundingIntrinsic(std::move(x), "round", [](double v) { return std::round(v); }); }
PrimExpr nearbyint(PrimExpr x) {
  return RoundingIntrinsic(std::move(x), "nearbyint", [](double v) { return std::nearbyint(v); });
}
PrimExpr trunc(PrimExpr x) { return RoundingIntrinsic(std::move(x), "trunc", [](double v) { return std::trunc(v); }); }

PrimExpr q_multiply_shift(PrimExpr x, PrimExpr y, PrimExpr q, PrimExpr s) {
  CheckDefined(x, "q_multiply_shift");
  CheckDefined(y, "q_multiply_shift");
  CheckDefined(q, "q_multiply_shift");
  CheckDefined(s, "q_multiply_shift");
  TVM_CHECK(IsIntegral(x.dtype()) && IsIntegral(y.dtype()), "TypeError")
      << "q_multiply_shift needs integer operands, got " << Str(x.dtype()) << " and " << Str(y.dtype());
  return Call(DataType::Int(32, x.dtype().lanes()), builtin::q_multiply_shift(), {x, y, q, s});
}

namespace {
/*! \brief Intrinsics defined on floats only (their argument 0). */
bool NeedsFloatArgument(const std::string& name) {
  static const char* const kNames[] = {
      "exp",  "exp2",  "exp10", "log",   "log2",  "log10", "log1p",    "sqrt",  "rsqrt", "tanh",
      "sigmoid", "erf", "sin",  "cos",   "tan",   "asin",  "acos",     "atan",  "atan2", "sinh",
      "cosh", "asinh", "acosh", "atanh", "floor", "ceil",  "round",    "nearbyint", "trunc", "fabs",
      "pow",  "fmod",  "isinf", "isfinite", "copysign", "hypot", "ldexp", "nextafter"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

/*! \brief Two-operand intrinsics whose operands must share one type. */
bool IsSameTypeBinary(const std::string& name) {
  return name == "atan2" || name == "pow" || name == "fmod" || name == "copysign" || name == "hypot" ||
         name == "nextafter";
}
}  // namespace

PrimExpr CallIntrinsic(const std::string& name, Array<PrimExpr> args) {
  const Op& op = Op::Get("tir." + name);
  TVM_CHECK(!args.empty(), "ValueError") << name << " needs at least one argument";
  TVM_CHECK(op->num_inputs < 0 || static_cast<int>(args.size()) == op->num_inputs, "ValueError")
      << name << " takes " << op->num_inputs << " argument(s), got " << args.size();
  for (const PrimExpr& a : args) CheckDefined(a, name.c_str());
  if (IsSameTypeBinary(name) && args.size() == 2) {
    PrimExpr a = args[0], b = args[1];
    BinaryOpMatchTypes(a, b, name.c_str());
    args = {a, b};
  }
  DataType t = args[0].dtype();
  if (NeedsFloatArgument(name)) {
    TVM_CHECK(IsFloating(t), "TypeError") << name << " needs a float argument, got " << Str(t)
                                          << "; cast it first, e.g. " << name << "(x.astype(\"float32\"))";
  } else if (name == "clz" || name == "popcount") {
    TVM_CHECK(IsIntegral(t), "TypeError") << name << " needs an integer argument, got " << Str(t);
  }
  DataType result = t;
  if (name == "isinf" || name == "isfinite" || name == "isnan") result = DataType::Bool(t.lanes());
  return Call(result, op, args);
}

// ---------------------------------------------------------------------------
// Python globals (TVM's names). Binary and unary helpers accept, and ignore, a
// trailing span argument as TVM's Python code passes one.

namespace {

PrimExpr ExprArg(const runtime::TVMArgs& args, int i, const char* name) {
  try {
    // An IterVar stands for its variable (as in TE bodies: k + 1 for a reduce axis k).
    if (args[i].type_code() == kTVMObjectHandle && args[i].IsObjectRef<IterVar>()) {
      return args[i].AsType<IterVar>()->var;
    }
    return args[i].AsType<PrimExpr>();
  } catch (const Error& e) {
    throw Error(e.kind(), std::string(name) + ": argument " + std::to_string(i) + ": " + e.what());
  }
}

void CheckArity(const runtime::TVMArgs& args, int n, const char* name) {
  TVM_CHECK(args.num_args == n || args.num_args == n + 1, "TypeError")
      << name << " takes " << n << " argument(s), got " << args.num_args;
}

using BinaryFn = PrimExpr (*)(PrimExpr, PrimExpr);
using UnaryFn = PrimExpr (*)(PrimExpr);

void RegisterBinary(const char* name, BinaryFn f) {
  runtime::Registry::Register(name).set_body([f, name](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
    CheckArity(args, 2, name);
    *rv = f(ExprArg(args, 0, name), ExprArg(args, 1, name));
  });
}

void RegisterUnary(const char* name, UnaryFn f) {
  runtime::Registry::Register(name).set_body([f, name](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
    CheckArity(args, 1, name);
    *rv = f(ExprArg(args, 0, name));
  });
}

using TypeFn = PrimExpr (*)(const DataType&);

void RegisterOfType(const char* name, TypeFn f) {
  runtime::Registry::Register(name).set_body([f, name](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
    CheckArity(args, 1, name);
    *rv = f(args[0].operator DataType());
  });
}

int RegisterOpGlobals() {
  const std::pair<const char*, BinaryFn> binary[] = {
      {"tir._OpAdd", add},
      {"tir._OpSub", sub},
      {"tir._OpMul", mul},
      {"tir._OpDiv", div},
      {"tir._OpMod", truncmod},
      {"tir._OpFloorDiv", floordiv},
      {"tir._OpFloorMod", floormod},
      {"tir._OpTruncDiv", truncdiv},
      {"tir._OpTruncMod", truncmod},
      {"tir._OpIndexDiv", indexdiv},
      {"tir._OpIndexMod", indexmod},
      {"tir._OpCeilDiv", ceildiv},
      {"tir._OpPow", pow},
      {"tir._OpMin", min},
      {"tir._OpMax", max},
      {"tir._OpEQ", equal},
      {"tir._OpNE", not_equal},
      {"tir._OpLT", less},
      {"tir._OpLE", less_equal},
      {"tir._OpGT", greater},
      {"tir._OpGE", greater_equal},
      {"tir._OpAnd", logical_and},
      {"tir._OpOr", logical_or},
      {"tir.bitwise_and", bitwise_and},
      {"tir.bitwise_or", bitwise_or},
      {"tir.bitwise_xor", bitwise_xor},
      {"tir.left_shift", left_shift},
      {"tir.right_shift", right_shift},
      {"tir.fmod", fmod},
      {"tir.ceildiv", ceildiv},
  };
  for (const auto& [name, f] : binary) RegisterBinary(name, f);

  const std::pair<const char*, UnaryFn> unary[] = {
      {"tir._OpNot", logical_not},  {"tir.bitwise_not", bitwise_neg}, {"tir.abs", abs},
      {"tir._OpNeg", neg},
      {"tir.isnan", isnan},         {"tir.isinf", isinf},             {"tir.isfinite", isfinite},
      {"tir.floor", floor},         {"tir.ceil", ceil},               {"tir.round", round},
      {"tir.nearbyint", nearbyint}, {"tir.trunc", trunc},             {"tir.likely", likely},
  };
  for (const auto& [name, f] : unary) RegisterUnary(name, f);

  RegisterOfType("tir.max_value", max_value);
  RegisterOfType("tir.min_value", min_value);
  RegisterOfType("tir.infinity", infinity);
  return 0;
}

[[maybe_unused]] const int kOpGlobalsRegistered = RegisterOpGlobals();

}  // namespace

TVM_REGISTER_GLOBAL("tir._OpIfThenElse").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  CheckArity(args, 3, "tir._OpIfThenElse");
  *rv = if_then_else(ExprArg(args, 0, "if_then_else"), ExprArg(args, 1, "if_then_else"),
                     ExprArg(args, 2, "if_then_else"));
});

TVM_REGISTER_GLOBAL("tir._cast").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  CheckArity(args, 2, "tir._cast");
  *rv = cast(args[0].operator DataType(), ExprArg(args, 1, "cast"));
});

TVM_REGISTER_GLOBAL("tir.reinterpret").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  CheckArity(args, 2, "tir.reinterpret");
  *rv = reinterpret(args[0].operator DataType(), ExprArg(args, 1, "reinterpret"));
});

TVM_REGISTER_GLOBAL("tir.q_multiply_shift").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  CheckArity(args, 4, "tir.q_multiply_shift");
  *rv = q_multiply_shift(ExprArg(args, 0, "q_multiply_shift"), ExprArg(args, 1, "q_multiply_shift"),
                         ExprArg(args, 2, "q_multiply_shift"), ExprArg(args, 3, "q_multiply_shift"));
});

// const(dtype, value): value is a Python bool, int or float.
TVM_REGISTER_GLOBAL("tir.const").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  CheckArity(args, 2, "tir.const");
  DataType t = args[0].operator DataType();
  if (args[1].type_code() == kDLInt) {
    *rv = make_const(t, args[1].operator int64_t());
  } else if (args[1].type_code() == kDLFloat) {
    *rv = make_const(t, args[1].operator double());
  } else {
    throw Error("TypeError", "const: the value must be a bool, int or float, got " + args[1].TypeName());
  }
});

TVM_REGISTER_GLOBAL("tir.CallIntrinsic").set_body_typed([](String name, Array<PrimExpr> args) {
  return CallIntrinsic(name, args);
});

TVM_REGISTER_GLOBAL("tir.is_no_op").set_body_typed([](Stmt stmt) { return is_no_op(stmt); });

}  // namespace tvm
