/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file relay/backend/vm/compiler.cc
 * \brief Relay functions to VM bytecode (relay.vm.compile's code generation).
 *
 * Input: a module after the optimisation pipeline (type-inferred, fused: each
 * operator call is a call of a Primitive function). Every global function
 * becomes one VM function; parameter i lives in register i and every value
 * computed gets a new register.
 *
 *   primitive call  -> AllocTensor per output, InvokePacked (the TE compiler
 *                      lowers each distinct primitive function once; all
 *                      kernels are built into one library)
 *   global call     -> Invoke            other calls -> InvokeClosure
 *   Tuple / constructor -> AllocADT      TupleGetItem -> GetField
 *   If              -> If (test == 1) / Goto     Match -> GetTag, If per clause
 *   fn value        -> AllocClosure of a lifted function whose first
 *                      parameters are the captured variables; a function that
 *                      names its own let variable (a loop) rebuilds itself.
 *
 * Dataflow nodes are walked in post order with an explicit stack, and let
 * chains in a loop, so the depth of C++ recursion follows the nesting of
 * control flow (If, Match, fn), not the length of the program.
 * A primitive call whose result shape is not static (relay.Any()) runs its
 * shape function first: ShapeOf of the arguments it reads, InvokePacked of
 * the ..._shape_func kernel, then AllocStorage + AllocTensorReg per dynamic
 * output (static ones keep AllocTensor), then the kernel.
 */
#include <tvm/ir/module.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/relay/adt.h>
#include <tvm/relay/analysis.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/expr_functor.h>
#include <tvm/relay/function.h>
#include <tvm/runtime/registry.h>
#include <tvm/runtime/vm/executable.h>
#include <tvm/target/target.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "../te_compiler.h"

namespace tvm {
namespace relay {
namespace vm {

using runtime::vm::Executable;
using runtime::vm::Index;
using runtime::vm::Instruction;
using runtime::vm::RegName;
using runtime::vm::VMFunction;

namespace {

/*! \brief A function waiting to be compiled: a global, or a lifted closure. */
struct PendingFunction {
  Index index;
  Function func;
  /*! \brief Captured variables: the first parameters of the lifted function. */
  std::vector<Var> captured;
  /*! \brief The let variable a recursive closure calls itself by (or undefined). */
  Var self;
};

/*! \brief The names of the operators inside a primitive function, for messages. */
std::string OpNames(const Function& func) {
  std::vector<std::string> names;
  std::unordered_set<std::string> seen;
  PostOrderVisit(func->body, [&](const Expr& e) {
    if (const auto* call = e.as<CallNode>()) {
      if (const auto* op = call->op.as<OpNode>()) {
        if (seen.insert(op->name).second) names.push_back(op->name);
      }
    }
  });
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out.empty() ? std::string("a primitive function") : out;
}

// What AllocStorage asks for: the alignment of every array (NDArray's kAllocAlignment).
constexpr Index kStorageAlignment = 64;

bool IsStatic(const TensorTypeNode* t) {
  for (const PrimExpr& d : t->shape) {
    if (!d.as<IntImmNode>()) return false;
  }
  return true;
}

/*! \brief The tensor types of a (nested) tuple type, in order; false if any is not a tensor. */
bool FlattenTensorTypes(const Type& type, std::vector<const TensorTypeNode*>* out) {
  std::vector<Type> stack{type};
  while (!stack.empty()) {
    Type t = stack.back();
    stack.pop_back();
    if (const auto* tt = t.as<TensorTypeNode>()) {
      out->push_back(tt);
    } else if (const auto* tup = t.as<TupleTypeNode>()) {
      for (size_t i = tup->fields.size(); i-- > 0;) stack.push_back(tup->fields[i]);
    } else {
      return false;
    }
  }
  return true;
}

class ModuleCompiler;

/*! \brief Compiles the body of one VM function. */
class FunctionCompiler {
 public:
  FunctionCompiler(ModuleCompiler* parent, const PendingFunction& pending) : parent_(parent), pending_(pending) {}
  VMFunction Compile(const std::string& name);

 private:
  RegName NewRegister() { return next_reg_++; }
  Index Emit(Instruction instr) {
    instructions_.push_back(std::move(instr));
    return static_cast<Index>(instructions_.size()) - 1;
  }
  Index Here() const { return static_cast<Index>(instructions_.size()); }
  void Memo(const Expr& e, RegName r) {
    memo_[e.get()] = r;
    if (!scopes_.empty()) scopes_.back().push_back(e.get());
  }
  void EnterScope() { scopes_.emplace_back(); }
  void ExitScope() {
    for (const Object* e : scopes_.back()) memo_.erase(e);
    scopes_.pop_back();
  }

  /*! \brief The register holding the value of `root`, emitting what computes it. */
  RegName Visit(const Expr& root);
  std::vector<Expr> Children(const Expr& e) const;
  RegName EmitNode(const Expr& e);
  RegName EmitCall(const Call& call);
  RegName EmitPrimitiveCall(const Call& call);
  /*! \brief ShapeOf the arguments, run the shape function of `func`: a register per output shape. */
  std::vector<RegName> EmitShapeFunc(const Call& call, const Function& func);
  RegName EmitClosure(const Function& func, const Var& let_var);
  RegName EmitLet(const Let& let);
  RegName EmitIf(const If& node);
  RegName EmitMatch(const Match& node);
  /*! \brief Emit the checks of `pattern` on register `value`; jumps to patch when it fails. */
  void EmitPattern(const Pattern& pattern, RegName value, std::vector<Index>* fail_jumps);
  RegName VarRegister(const Var& var);
  /*! \brief The register of a child already visited (variables are looked up). */
  RegName Reg(const Expr& e) {
    if (const auto* v = e.as<VarNode>()) return VarRegister(GetRef<Var>(v));
    return memo_.at(e.get());
  }
  std::vector<RegName> Args(const Array<Expr>& args) {
    std::vector<RegName> regs;
    for (const Expr& a : args) regs.push_back(Visit(a));
    return regs;
  }

  ModuleCompiler* parent_;
  PendingFunction pending_;
  std::vector<Instruction> instructions_;
  RegName next_reg_{0};
  std::unordered_map<const Object*, RegName> memo_;
  std::unordered_map<const Object*, RegName> var_reg_;
  std::vector<std::vector<const Object*>> scopes_;
};

class ModuleCompiler {
 public:
  ModuleCompiler(Target target, const std::string& mod_name) : target_(target), te_compiler_(target, mod_name) {
    // TVM names the VM's kernels vm_mod_fused_<ops>.
    te_compiler_.SetKernelPrefix(mod_name == "default" ? std::string("vm_mod_") : mod_name + "_");
  }

  runtime::Module Compile(const IRModule& mod) {
    exec_ = make_object<Executable>();
    // Globals first (main first of all), so that their indices are known to every call.
    std::vector<std::pair<GlobalVar, Function>> globals;
    for (const auto& kv : mod->functions) {
      const auto* f = kv.second.as<FunctionNode>();
      if (f == nullptr) continue;
      auto compiler = f->GetAttr<String>(attr::kCompiler);
      TVM_CHECK(!compiler.has_value(), "NotImplementedError")
          << "relay.vm.compile: function '" << kv.first->name_hint << "' is for the external compiler '"
          << compiler.value() << "'; the VM compiles Relay functions for its own target only so far";
      if (f->attrs.HasNonzeroAttr(attr::kPrimitive)) continue;
      if (kv.first->name_hint == "main") {
        globals.insert(globals.begin(), {kv.first, GetRef<Function>(f)});
      } else {
        globals.push_back({kv.first, GetRef<Function>(f)});
      }
    }
    TVM_CHECK(!globals.empty() && globals[0].first->name_hint == "main", "ValueError")
        << "relay.vm.compile: the module has no Relay function named main";
    for (const auto& g : globals) {
      Index index = AddFunction(g.first->name_hint);
      global_index_[g.first.get()] = index;
      pending_.push_back({index, g.second, {}, Var()});
    }
    for (size_t k = 0; k < pending_.size(); ++k) {
      PendingFunction p = pending_[k];
      std::string name = exec_->functions[p.index].name;
      exec_->functions[p.index] = FunctionCompiler(this, p).Compile(name);
    }
    IRModule lowered = te_compiler_.LoweredModule();
    if (!exec_->primitive_names.empty()) {
      const runtime::PackedFunc* build = runtime::Registry::Get("driver.build");
      TVM_CHECK(build != nullptr, "RuntimeError") << "relay.vm.compile: driver.build is not registered";
      runtime::Module lib = (*build)(lowered, target_);
      exec_->Import(lib);
    }
    exec_->Verify();
    return runtime::Module(ObjectPtr<Object>(exec_));
  }

  Index AddFunction(const std::string& name) {
    exec_->functions.push_back(VMFunction{name, {}, {}, 0});
    return static_cast<Index>(exec_->functions.size()) - 1;
  }
  /*! \brief A closure body to compile later; returns its function index. */
  Index AddClosure(const std::string& parent_name, Function func, std::vector<Var> captured, Var self) {
    Index index = AddFunction(parent_name + "_closure" + std::to_string(closure_count_++));
    pending_.push_back({index, std::move(func), std::move(captured), std::move(self)});
    return index;
  }
  /*! \brief The VM function wrapping a constructor with fields, made on first use. */
  Index ConstructorFunction(const Constructor& ctor) {
    auto it = constructor_index_.find(ctor.get());
    if (it != constructor_index_.end()) return it->second;
    Array<Var> params;
    Array<Expr> args;
    for (size_t i = 0; i < ctor->inputs.size(); ++i) {
      Var v("field" + std::to_string(i), ctor->inputs[i]);
      params.push_back(v);
      args.push_back(v);
    }
    Index index = AddFunction(std::string("constructor_") + ctor->name_hint);
    pending_.push_back({index, Function(params, Call(ctor, args)), {}, Var()});
    constructor_index_[ctor.get()] = index;
    return index;
  }
  Index GlobalIndex(const GlobalVar& g) const {
    auto it = global_index_.find(g.get());
    TVM_CHECK(it != global_index_.end(), "ValueError")
        << "relay.vm.compile: call of the global function '" << g->name_hint << "', which the module does not define";
    return it->second;
  }
  Index AddConstant(const runtime::NDArray& data) {
    auto it = constant_index_.find(data.get());
    if (it != constant_index_.end()) return it->second;
    exec_->constants.push_back(data);
    Index i = static_cast<Index>(exec_->constants.size()) - 1;
    constant_index_[data.get()] = i;
    return i;
  }
  Index AddPrimitive(const std::string& name) {
    auto it = primitive_index_.find(name);
    if (it != primitive_index_.end()) return it->second;
    exec_->primitive_names.push_back(name);
    Index i = static_cast<Index>(exec_->primitive_names.size()) - 1;
    primitive_index_[name] = i;
    return i;
  }
  const backend::LoweredKernel& Lower(const Function& func) { return te_compiler_.Lower(func); }
  const backend::LoweredShapeFunc& LowerShapeFunc(const Function& func) { return te_compiler_.LowerShapeFunc(func); }
  const std::string& FunctionName(Index i) const { return exec_->functions[i].name; }

 private:
  Target target_;
  backend::TECompiler te_compiler_;
  ObjectPtr<Executable> exec_;
  std::vector<PendingFunction> pending_;
  std::unordered_map<const Object*, Index> global_index_;
  std::unordered_map<const Object*, Index> constant_index_;
  std::unordered_map<const Object*, Index> constructor_index_;
  std::unordered_map<std::string, Index> primitive_index_;
  int closure_count_{0};
};

VMFunction FunctionCompiler::Compile(const std::string& name) {
  VMFunction out;
  out.name = name;
  for (const Var& v : pending_.captured) {
    var_reg_[v.get()] = NewRegister();
    out.params.push_back(v->name_hint);
  }
  for (const Var& v : pending_.func->params) {
    var_reg_[v.get()] = NewRegister();
    out.params.push_back(v->name_hint);
  }
  RegName result = Visit(pending_.func->body);
  Emit(Instruction::Ret(result));
  out.instructions = std::move(instructions_);
  out.register_file_size = next_reg_;
  return out;
}

std::vector<Expr> FunctionCompiler::Children(const Expr& e) const {
  std::vector<Expr> out;
  if (const auto* call = e.as<CallNode>()) {
    bool bare_op = call->op.as<OpNode>() != nullptr;
    for (const Expr& a : call->args) {
      // A bare operator call keeps its scalar constants inside the function it is wrapped in.
      const auto* c = a.as<ConstantNode>();
      if (!(bare_op && c != nullptr && c->is_scalar())) out.push_back(a);
    }
    const Expr& op = call->op;
    const auto* f = op.as<FunctionNode>();
    bool direct = op.as<OpNode>() || op.as<GlobalVarNode>() || op.as<ConstructorNode>() ||
                  (f && f->attrs.HasNonzeroAttr(attr::kPrimitive)) ||
                  (op.as<VarNode>() && pending_.self.defined() && op.same_as(pending_.self));
    if (!direct) out.insert(out.begin(), op);
  } else if (const auto* tuple = e.as<TupleNode>()) {
    for (const Expr& f : tuple->fields) out.push_back(f);
  } else if (const auto* get = e.as<TupleGetItemNode>()) {
    out.push_back(get->tuple);
  }
  return out;
}

RegName FunctionCompiler::Visit(const Expr& root) {
  std::vector<std::pair<Expr, bool>> stack{{root, false}};
  while (!stack.empty()) {
    auto [node, expanded] = stack.back();
    stack.pop_back();
    if (memo_.count(node.get())) continue;
    if (!expanded) {
      std::vector<Expr> children = Children(node);
      if (!children.empty()) {
        stack.push_back({node, true});
        for (auto it = children.rbegin(); it != children.rend(); ++it) {
          if (!memo_.count(it->get()) && !it->as<VarNode>()) stack.push_back({*it, false});
        }
        continue;
      }
    }
    RegName r = EmitNode(node);
    // Variables are looked up, not memoised: a self-reference makes a new closure each time.
    if (!node.as<VarNode>()) Memo(node, r);
    if (node.same_as(root)) return r;
  }
  return memo_.at(root.get());
}

RegName FunctionCompiler::VarRegister(const Var& var) {
  if (pending_.self.defined() && var.same_as(pending_.self)) {
    // The closure refers to itself (a loop): rebuild it from what it captured.
    std::vector<RegName> captured;
    for (size_t i = 0; i < pending_.captured.size(); ++i) captured.push_back(static_cast<RegName>(i));
    RegName dst = NewRegister();
    Emit(Instruction::AllocClosure(pending_.index, captured, dst));
    return dst;
  }
  auto it = var_reg_.find(var.get());
  TVM_CHECK(it != var_reg_.end(), "ValueError")
      << "relay.vm.compile: the variable '" << var->name_hint << "' is used but not bound";
  return it->second;
}

RegName FunctionCompiler::EmitNode(const Expr& e) {
  if (const auto* var = e.as<VarNode>()) return VarRegister(GetRef<Var>(var));
  if (const auto* c = e.as<ConstantNode>()) {
    RegName dst = NewRegister();
    Emit(Instruction::LoadConst(parent_->AddConstant(c->data), dst));
    return dst;
  }
  if (const auto* call = e.as<CallNode>()) return EmitCall(GetRef<Call>(call));
  if (const auto* tuple = e.as<TupleNode>()) {
    std::vector<RegName> fields;
    for (const Expr& f : tuple->fields) fields.push_back(Reg(f));
    RegName dst = NewRegister();
    Emit(Instruction::AllocADT(0, fields, dst));
    return dst;
  }
  if (const auto* get = e.as<TupleGetItemNode>()) {
    TVM_CHECK(get->index >= 0, "IndexError") << "relay.vm.compile: TupleGetItem with negative index " << get->index;
    RegName dst = NewRegister();
    Emit(Instruction::GetField(Reg(get->tuple), get->index, dst));
    return dst;
  }
  if (const auto* g = e.as<GlobalVarNode>()) {
    // A global function as a value: a closure capturing nothing.
    RegName dst = NewRegister();
    Emit(Instruction::AllocClosure(parent_->GlobalIndex(GetRef<GlobalVar>(g)), {}, dst));
    return dst;
  }
  if (const auto* ctor = e.as<ConstructorNode>()) {
    RegName dst = NewRegister();
    if (ctor->inputs.empty()) {
      Emit(Instruction::AllocADT(ctor->tag, {}, dst));
    } else {
      // A constructor passed as a function (foldr(Cons, ...)): a closure of fn(x0, ...) { Ctor(x0, ...) }.
      Emit(Instruction::AllocClosure(parent_->ConstructorFunction(GetRef<Constructor>(ctor)), {}, dst));
    }
    return dst;
  }
  if (const auto* let = e.as<LetNode>()) return EmitLet(GetRef<Let>(let));
  if (const auto* node = e.as<IfNode>()) return EmitIf(GetRef<If>(node));
  if (const auto* match = e.as<MatchNode>()) return EmitMatch(GetRef<Match>(match));
  if (const auto* func = e.as<FunctionNode>()) {
    TVM_CHECK(!func->attrs.HasNonzeroAttr(attr::kPrimitive), "NotImplementedError")
        << "relay.vm.compile: a primitive function used as a value (it can only be called)";
    return EmitClosure(GetRef<Function>(func), Var());
  }
  std::string what = e->GetTypeKey();
  if (e.as<RefCreateNode>() || e.as<RefReadNode>() || e.as<RefWriteNode>()) what = "references (ref, ref_read, ref_write)";
  TVM_CHECK(false, "NotImplementedError") << "relay.vm.compile: the VM does not support " << what << " yet";
  return -1;
}

RegName FunctionCompiler::EmitCall(const Call& call_in) {
  Call call = call_in;
  if (call->op.as<OpNode>()) call = backend::WrapOperatorCall(call);
  const Expr& op = call->op;
  if (const auto* f = op.as<FunctionNode>()) {
    if (f->attrs.HasNonzeroAttr(attr::kPrimitive)) return EmitPrimitiveCall(call);
  }
  std::vector<RegName> args;
  for (const Expr& a : call->args) args.push_back(Reg(a));
  RegName dst = NewRegister();
  if (const auto* g = op.as<GlobalVarNode>()) {
    Emit(Instruction::Invoke(parent_->GlobalIndex(GetRef<GlobalVar>(g)), args, dst));
  } else if (const auto* ctor = op.as<ConstructorNode>()) {
    Emit(Instruction::AllocADT(ctor->tag, args, dst));
  } else if (pending_.self.defined() && op.same_as(pending_.self)) {
    // A loop calling itself: captured values first, then the arguments.
    std::vector<RegName> all;
    for (size_t i = 0; i < pending_.captured.size(); ++i) all.push_back(static_cast<RegName>(i));
    all.insert(all.end(), args.begin(), args.end());
    Emit(Instruction::Invoke(pending_.index, all, dst));
  } else {
    Emit(Instruction::InvokeClosure(Reg(op), args, dst));
  }
  return dst;
}

RegName FunctionCompiler::EmitPrimitiveCall(const Call& call) {
  Function func = Downcast<Function>(call->op);
  std::vector<const TensorTypeNode*> outs;
  TVM_CHECK(call->checked_type_.defined(), "ValueError")
      << "relay.vm.compile: the call of " << OpNames(func) << " has no type (run InferType first)";
  TVM_CHECK(FlattenTensorTypes(call->checked_type(), &outs), "TypeError")
      << "relay.vm.compile: " << OpNames(func) << " returns " << call->checked_type()
      << "; kernels return tensors or tuples of tensors";
  bool dynamic = false;
  for (const TensorTypeNode* t : outs) dynamic = dynamic || !IsStatic(t);
  // Outputs of a dynamic shape: the shape function computes them first (one register per output).
  std::vector<RegName> shapes = dynamic ? EmitShapeFunc(call, func) : std::vector<RegName>();
  if (backend::IsReshapeOnly(func.operator->())) {
    RegName dst = NewRegister();
    if (dynamic) {
      Emit(Instruction::ReshapeTensorReg(Reg(call->args[0]), shapes[0], dst));
      return dst;
    }
    std::vector<int64_t> shape;
    for (const PrimExpr& d : outs[0]->shape) shape.push_back(d.as<IntImmNode>()->value);
    Emit(Instruction::ReshapeTensor(Reg(call->args[0]), shape, dst));
    return dst;
  }
  const backend::LoweredKernel& kernel = parent_->Lower(func);
  std::vector<RegName> args;
  for (const Expr& a : call->args) args.push_back(Reg(a));
  for (const Constant& c : kernel.constants) {
    RegName r = NewRegister();
    Emit(Instruction::LoadConst(parent_->AddConstant(c->data), r));
    args.push_back(r);
  }
  std::vector<RegName> out_regs;
  for (size_t j = 0; j < outs.size(); ++j) {
    const TensorTypeNode* t = outs[j];
    RegName r = NewRegister();
    if (IsStatic(t)) {
      std::vector<int64_t> shape;
      for (const PrimExpr& d : t->shape) shape.push_back(d.as<IntImmNode>()->value);
      Emit(Instruction::AllocTensor(shape, t->dtype, r));
    } else {
      // Storage sized by the computed shape, then the tensor in it (both reused through the VM's pool).
      RegName storage = NewRegister();
      Emit(Instruction::AllocStorage(shapes[j], kStorageAlignment, t->dtype, storage));
      Emit(Instruction::AllocTensorReg(storage, 0, shapes[j], t->dtype, r));
    }
    out_regs.push_back(r);
  }
  args.insert(args.end(), out_regs.begin(), out_regs.end());
  Emit(Instruction::InvokePacked(parent_->AddPrimitive(kernel.name), static_cast<Index>(out_regs.size()), args));
  if (call->checked_type().as<TensorTypeNode>()) return out_regs[0];
  // Rebuild the (nested) tuple of outputs, fields in order.
  size_t next = 0;
  std::function<RegName(const Type&)> build = [&](const Type& t) -> RegName {
    if (t.as<TensorTypeNode>()) return out_regs[next++];
    std::vector<RegName> fields;
    for (const Type& f : Downcast<TupleType>(t)->fields) fields.push_back(build(f));
    RegName dst = NewRegister();
    Emit(Instruction::AllocADT(0, fields, dst));
    return dst;
  };
  return build(call->checked_type());
}

std::vector<RegName> FunctionCompiler::EmitShapeFunc(const Call& call, const Function& func) {
  const backend::LoweredShapeFunc& sf = parent_->LowerShapeFunc(func);
  std::vector<RegName> args;
  for (size_t i = 0; i < func->params.size(); ++i) {
    RegName arg = Reg(call->args[i]);
    if (sf.param_data[i]) args.push_back(arg);  // a tuple's fields are passed flattened
    if (!sf.param_shape[i]) continue;
    // The shape of every tensor of the (possibly nested tuple) argument, in order.
    std::vector<std::pair<Type, RegName>> stack{{func->params[i]->checked_type(), arg}};
    std::vector<RegName> shape_regs;
    while (!stack.empty()) {
      auto [type, reg] = stack.back();
      stack.pop_back();
      if (const auto* tuple = type.as<TupleTypeNode>()) {
        for (size_t k = tuple->fields.size(); k-- > 0;) {
          RegName field = NewRegister();
          Emit(Instruction::GetField(reg, static_cast<Index>(k), field));
          stack.push_back({tuple->fields[k], field});
        }
        continue;
      }
      RegName shape = NewRegister();
      Emit(Instruction::ShapeOf(reg, shape));
      args.push_back(shape);
    }
  }
  std::vector<RegName> out_regs;
  for (int64_t ndim : sf.output_ndims) {
    RegName r = NewRegister();
    Emit(Instruction::AllocTensor({ndim}, DLDataType{kDLInt, 64, 1}, r));
    out_regs.push_back(r);
  }
  args.insert(args.end(), out_regs.begin(), out_regs.end());
  Emit(Instruction::InvokePacked(parent_->AddPrimitive(sf.name), static_cast<Index>(out_regs.size()), args));
  return out_regs;
}

RegName FunctionCompiler::EmitClosure(const Function& func, const Var& let_var) {
  std::vector<Var> captured;
  Var self;
  for (const Var& v : FreeVars(func)) {
    if (let_var.defined() && v.same_as(let_var)) {
      self = v;
    } else {
      captured.push_back(v);
    }
  }
  std::vector<RegName> regs;
  for (const Var& v : captured) regs.push_back(VarRegister(v));
  Index index = parent_->AddClosure(parent_->FunctionName(pending_.index), func, captured, self);
  RegName dst = NewRegister();
  Emit(Instruction::AllocClosure(index, regs, dst));
  return dst;
}

RegName FunctionCompiler::EmitLet(const Let& first) {
  Expr e = first;
  // A let chain in a loop: programs in A-normal form are long chains.
  while (const auto* let = e.as<LetNode>()) {
    RegName r;
    if (const auto* f = let->value.as<FunctionNode>(); f && !f->attrs.HasNonzeroAttr(attr::kPrimitive)) {
      r = EmitClosure(GetRef<Function>(f), let->var);
    } else {
      r = Visit(let->value);
    }
    var_reg_[let->var.get()] = r;
    e = let->body;
  }
  return Visit(e);
}

RegName FunctionCompiler::EmitIf(const If& node) {
  RegName cond = Visit(node->cond);
  RegName one = NewRegister();
  Emit(Instruction::LoadConsti(1, one));
  Index branch = Emit(Instruction::If(cond, one, 1, 0));
  RegName result = NewRegister();
  EnterScope();
  Emit(Instruction::Move(Visit(node->true_branch), result));
  ExitScope();
  Index skip = Emit(Instruction::Goto(0));
  instructions_[branch].d = Here() - branch;
  EnterScope();
  Emit(Instruction::Move(Visit(node->false_branch), result));
  ExitScope();
  instructions_[skip].a = Here() - skip;
  // The join point: both branches continue here (a Move keeps the target in range).
  Emit(Instruction::Move(result, result));
  return result;
}

void FunctionCompiler::EmitPattern(const Pattern& pattern, RegName value, std::vector<Index>* fail_jumps) {
  if (pattern.as<PatternWildcardNode>()) return;
  if (const auto* pv = pattern.as<PatternVarNode>()) {
    var_reg_[pv->var.get()] = value;
    return;
  }
  if (const auto* pc = pattern.as<PatternConstructorNode>()) {
    RegName tag = NewRegister();
    Emit(Instruction::GetTag(value, tag));
    RegName expected = NewRegister();
    Emit(Instruction::LoadConsti(pc->constructor->tag, expected));
    fail_jumps->push_back(Emit(Instruction::If(tag, expected, 1, 0)));
    for (size_t i = 0; i < pc->patterns.size(); ++i) {
      if (pc->patterns[i].as<PatternWildcardNode>()) continue;
      RegName field = NewRegister();
      Emit(Instruction::GetField(value, static_cast<Index>(i), field));
      EmitPattern(pc->patterns[i], field, fail_jumps);
    }
    return;
  }
  if (const auto* pt = pattern.as<PatternTupleNode>()) {
    for (size_t i = 0; i < pt->patterns.size(); ++i) {
      if (pt->patterns[i].as<PatternWildcardNode>()) continue;
      RegName field = NewRegister();
      Emit(Instruction::GetField(value, static_cast<Index>(i), field));
      EmitPattern(pt->patterns[i], field, fail_jumps);
    }
    return;
  }
  TVM_CHECK(false, "NotImplementedError") << "relay.vm.compile: cannot match a " << pattern->GetTypeKey();
}

RegName FunctionCompiler::EmitMatch(const Match& node) {
  RegName data = Visit(node->data);
  RegName result = NewRegister();
  std::vector<Index> to_end;
  for (const Clause& clause : node->clauses) {
    std::vector<Index> fail_jumps;
    EnterScope();
    EmitPattern(clause->lhs, data, &fail_jumps);
    Emit(Instruction::Move(Visit(clause->rhs), result));
    ExitScope();
    to_end.push_back(Emit(Instruction::Goto(0)));
    for (Index j : fail_jumps) instructions_[j].d = Here() - j;
  }
  Emit(Instruction::Fatal());
  for (Index j : to_end) instructions_[j].a = Here() - j;
  Emit(Instruction::Move(result, result));
  return result;
}

}  // namespace

/*!
 * \brief relay.backend.vm.Compile(mod, target, mod_name): the VM executable of
 *  an optimised (type-inferred, fused) module, its kernels built for target.
 */
TVM_REGISTER_GLOBAL("relay.backend.vm.Compile").set_body_typed([](IRModule mod, Target target, String mod_name) {
  ModuleCompiler compiler(target, mod_name);
  return compiler.Compile(mod);
});

}  // namespace vm
}  // namespace relay
}  // namespace tvm
