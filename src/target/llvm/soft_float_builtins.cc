/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// 16-bit float conversion builtins in LLVM IR; see soft_float_builtins.h.
//
// Each conversion works on the bit pattern in an integer as wide as the
// wider format. Narrowing rounds to nearest even, in three regimes chosen by
// the magnitude: the destination's normal range (re-bias the exponent, round
// away the dropped mantissa bits; a carry may reach infinity, as it should),
// its subnormal range (shift the significand with its implicit bit right,
// round), and overflow (infinity); NaNs stay NaNs, made quiet. Widening is
// exact: normals re-bias, subnormals of a narrower exponent range normalise.
#include "soft_float_builtins.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include <cstdint>

namespace tvm {
namespace codegen {

namespace {

struct FloatFormat {
  int bits;
  int exp_bits;
  int mant_bits;
  llvm::Type* type;
  int64_t bias() const { return (int64_t{1} << (exp_bits - 1)) - 1; }
  /*! \brief Bit pattern of +infinity. */
  uint64_t inf() const { return ((uint64_t{1} << exp_bits) - 1) << mant_bits; }
};

/*! \brief Start `name` (weak, hidden, no side effects) with one argument; null when the module already has it. */
llvm::Function* StartBuiltin(llvm::Module* module, const char* name, llvm::Type* ret, llvm::Type* arg,
                             llvm::IRBuilder<>* b) {
  if (module->getFunction(name) != nullptr) return nullptr;
  auto* type = llvm::FunctionType::get(ret, {arg}, false);
  llvm::Function* f = llvm::Function::Create(type, llvm::Function::WeakAnyLinkage, name, module);
  f->setVisibility(llvm::GlobalValue::HiddenVisibility);
  f->addFnAttr(llvm::Attribute::NoUnwind);
  f->setDoesNotAccessMemory();
  b->SetInsertPoint(llvm::BasicBlock::Create(module->getContext(), "entry", f));
  return f;
}

/*! \brief Narrow `src` to `dst` (fewer exponent and/or mantissa bits), rounding to nearest even. */
void DefineTruncate(llvm::Module* module, const char* name, const FloatFormat& src, const FloatFormat& dst) {
  llvm::IRBuilder<> b(module->getContext());
  llvm::Function* f = StartBuiltin(module, name, dst.type, src.type, &b);
  if (f == nullptr) return;
  const int w = src.bits;
  llvm::Type* it = b.getIntNTy(w);
  auto c = [&](uint64_t v) { return llvm::ConstantInt::get(it, v); };
  const int shift = src.mant_bits - dst.mant_bits;
  const uint64_t sign_mask = uint64_t{1} << (w - 1);
  const uint64_t bias_diff = static_cast<uint64_t>(src.bias() - dst.bias());

  llvm::Value* bits = b.CreateBitCast(f->getArg(0), it);
  llvm::Value* sign = b.CreateAnd(bits, c(sign_mask));
  llvm::Value* abs = b.CreateAnd(bits, c(~sign_mask));

  // Rounds `value >> amount` to nearest even (amount >= 1).
  auto round_shift = [&](llvm::Value* value, llvm::Value* amount) {
    llvm::Value* kept = b.CreateLShr(value, amount);
    llvm::Value* low_mask = b.CreateSub(b.CreateShl(c(1), amount), c(1));
    llvm::Value* rest = b.CreateAnd(value, low_mask);
    llvm::Value* halfway = b.CreateShl(c(1), b.CreateSub(amount, c(1)));
    llvm::Value* up = b.CreateOr(b.CreateICmpUGT(rest, halfway),
                                 b.CreateAnd(b.CreateICmpEQ(rest, halfway), b.CreateTrunc(kept, b.getInt1Ty())));
    return b.CreateAdd(kept, b.CreateZExt(up, it));
  };

  // Destination normal range: drop mantissa bits, re-bias the exponent.
  llvm::Value* normal = b.CreateSub(round_shift(abs, c(shift)), c(bias_diff << dst.mant_bits));

  // Destination subnormal range: the significand (with its implicit bit) shifted by the exponent deficit.
  llvm::Value* src_exp = b.CreateLShr(abs, c(src.mant_bits));
  llvm::Value* exp_is_zero = b.CreateICmpEQ(src_exp, c(0));
  llvm::Value* eff_exp = b.CreateSelect(exp_is_zero, c(1), src_exp);
  llvm::Value* significand = b.CreateOr(b.CreateAnd(abs, c((uint64_t{1} << src.mant_bits) - 1)),
                                        b.CreateSelect(exp_is_zero, c(0), c(uint64_t{1} << src.mant_bits)));
  llvm::Value* amount = b.CreateSub(c(bias_diff + 1 + shift), eff_exp);
  // Beyond w - 1 bits everything rounds to zero; clamping keeps the shifts defined.
  amount = b.CreateSelect(b.CreateICmpUGT(amount, c(w - 1)), c(w - 1), amount);
  llvm::Value* subnormal = round_shift(significand, amount);

  const uint64_t underflow = (bias_diff + 1) << src.mant_bits;
  const uint64_t overflow = (bias_diff + (uint64_t{1} << dst.exp_bits) - 1) << src.mant_bits;
  const uint64_t quiet_nan = dst.inf() | (uint64_t{1} << (dst.mant_bits - 1));
  llvm::Value* nan = b.CreateOr(c(quiet_nan), b.CreateAnd(b.CreateLShr(abs, c(shift)),
                                                           c((uint64_t{1} << dst.mant_bits) - 1)));
  llvm::Value* r = b.CreateSelect(b.CreateICmpUGE(abs, c(underflow)), normal, subnormal);
  r = b.CreateSelect(b.CreateICmpUGE(abs, c(overflow)), c(dst.inf()), r);
  r = b.CreateSelect(b.CreateICmpUGT(abs, c(src.inf())), nan, r);
  r = b.CreateOr(r, b.CreateLShr(sign, c(w - dst.bits)));
  b.CreateRet(b.CreateBitCast(b.CreateTrunc(r, b.getIntNTy(dst.bits)), dst.type));
}

/*! \brief Widen `src` to `dst` (at least as many exponent and mantissa bits); exact. */
void DefineExtend(llvm::Module* module, const char* name, const FloatFormat& src, const FloatFormat& dst) {
  llvm::IRBuilder<> b(module->getContext());
  llvm::Function* f = StartBuiltin(module, name, dst.type, src.type, &b);
  if (f == nullptr) return;
  const int w = dst.bits;
  llvm::Type* it = b.getIntNTy(w);
  auto c = [&](uint64_t v) { return llvm::ConstantInt::get(it, v); };
  const int shift = dst.mant_bits - src.mant_bits;
  const uint64_t bias_diff = static_cast<uint64_t>(dst.bias() - src.bias());
  const uint64_t src_mant_mask = (uint64_t{1} << src.mant_bits) - 1;

  llvm::Value* bits = b.CreateZExt(b.CreateBitCast(f->getArg(0), b.getIntNTy(src.bits)), it);
  llvm::Value* sign = b.CreateShl(b.CreateLShr(bits, c(src.bits - 1)), c(w - 1));
  llvm::Value* abs = b.CreateAnd(bits, c((uint64_t{1} << (src.bits - 1)) - 1));
  llvm::Value* src_exp = b.CreateLShr(abs, c(src.mant_bits));
  llvm::Value* mant = b.CreateAnd(abs, c(src_mant_mask));
  llvm::Value* mant_shifted = b.CreateShl(mant, c(shift));

  llvm::Value* normal = b.CreateAdd(b.CreateShl(abs, c(shift)), c(bias_diff << dst.mant_bits));
  llvm::Value* quiet = b.CreateSelect(b.CreateICmpEQ(mant, c(0)), c(0), c(uint64_t{1} << (dst.mant_bits - 1)));
  llvm::Value* inf_nan = b.CreateOr(b.CreateOr(c(dst.inf()), mant_shifted), quiet);
  llvm::Value* subnormal;
  if (dst.exp_bits == src.exp_bits) {
    subnormal = mant_shifted;  // Same exponent range: subnormals stay subnormal.
  } else {
    // Normalise: the leading one at bit p becomes the implicit bit.
    llvm::Function* ctlz = llvm::Intrinsic::getDeclaration(module, llvm::Intrinsic::ctlz, {it});
    llvm::Value* lz = b.CreateCall(ctlz, {mant, b.getFalse()});
    llvm::Value* p = b.CreateSub(c(w - 1), lz);
    llvm::Value* exp = b.CreateAdd(p, c(bias_diff + 1 - src.mant_bits));
    llvm::Value* m = b.CreateAnd(b.CreateShl(mant, b.CreateSub(c(dst.mant_bits), p)),
                                 c((uint64_t{1} << dst.mant_bits) - 1));
    subnormal = b.CreateOr(b.CreateShl(exp, c(dst.mant_bits)), m);
    subnormal = b.CreateSelect(b.CreateICmpEQ(mant, c(0)), c(0), subnormal);
  }
  llvm::Value* r = b.CreateSelect(b.CreateICmpEQ(src_exp, c(0)), subnormal, normal);
  r = b.CreateSelect(b.CreateICmpEQ(src_exp, c((uint64_t{1} << src.exp_bits) - 1)), inf_nan, r);
  b.CreateRet(b.CreateBitCast(b.CreateOr(r, sign), dst.type));
}

}  // namespace

void AddSoftFloatBuiltins(llvm::Module* module) {
  llvm::LLVMContext& ctx = module->getContext();
  const FloatFormat f16{16, 5, 10, llvm::Type::getHalfTy(ctx)};
  const FloatFormat bf16{16, 8, 7, llvm::Type::getBFloatTy(ctx)};
  const FloatFormat f32{32, 8, 23, llvm::Type::getFloatTy(ctx)};
  const FloatFormat f64{64, 11, 52, llvm::Type::getDoubleTy(ctx)};
  DefineExtend(module, "__extendhfsf2", f16, f32);
  DefineExtend(module, "__extendhfdf2", f16, f64);
  DefineExtend(module, "__extendbfsf2", bf16, f32);
  DefineTruncate(module, "__truncsfhf2", f32, f16);
  DefineTruncate(module, "__truncdfhf2", f64, f16);
  DefineTruncate(module, "__truncsfbf2", f32, bf16);
  DefineTruncate(module, "__truncdfbf2", f64, bf16);
}

}  // namespace codegen
}  // namespace tvm
