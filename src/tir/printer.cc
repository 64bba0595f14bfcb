/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The text form of the loop IR, in the style of TVMScript (what
// tvm.lower(..., simple_mode=True) and print(mod) show):
//
//   @T.prim_func
//   def main(A: T.Buffer((1024,), "float32"), B: T.Buffer((1024,), "float32")):
//       T.func_attr({"global_symbol": "main", "tir.noalias": T.bool(True)})
//       for i_outer in T.parallel(32):
//           for i_inner in T.vectorized(32):
//               B[i_outer * 32 + i_inner] = A[i_outer * 32 + i_inner] + T.float32(1.0)
//
// Distinct variables (and buffers) that share a name get suffixes _1, _2, ...
// so the text is unambiguous; buffers that are not parameters are declared
// just before their first use.
#include <tvm/ir/module.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/function.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <iomanip>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace tvm {
namespace tir {
namespace {

// Operator precedence, loosest first (Python's).
enum Prec : int { kOr = 1, kAnd, kNot, kCompare, kBitOr, kBitXor, kBitAnd, kShift, kAdd, kMul, kUnary, kAtom };

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string DTypeStr(DataType t) { return runtime::DLDataType2String(t); }

class TIRPrinter {
 public:
  explicit TIRPrinter(std::ostream& os) : os_(os) {}

  void PrintFunc(const PrimFunc& f, const std::string& name, int indent) {
    const PrimFuncNode* fn = f.operator->();
    for (const Var& p : fn->params) {
      if (auto b = fn->buffer_map.Get(p)) declared_buffers_.insert(b->get());
    }
    Indent(indent);
    os_ << "@T.prim_func\n";
    Indent(indent);
    os_ << "def " << name << "(";
    for (size_t i = 0; i < fn->params.size(); ++i) {
      if (i) os_ << ", ";
      const Var& p = fn->params[i];
      if (auto b = fn->buffer_map.Get(p)) {
        os_ << BufferName(*b) << ": " << BufferType(*b, /*in_signature=*/true);
      } else {
        os_ << VarName(p) << ": " << TypeOfVar(p);
      }
    }
    os_ << "):\n";
    if (fn->attrs.defined() && !fn->attrs->dict.empty()) {
      Indent(indent + 4);
      os_ << "T.func_attr({";
      bool first = true;
      for (const auto& kv : fn->attrs->dict) {
        if (!first) os_ << ", ";
        first = false;
        os_ << Quote(kv.first) << ": ";
        PrintAttrValue(kv.second);
      }
      os_ << "})\n";
    }
    // Parameters' buffers may be referred to by their data variables.
    for (const auto& kv : fn->buffer_map) data_owner_[kv.second->data.get()] = kv.second;
    PrintStmt(fn->body, indent + 4);
  }

  void PrintStmt(const Stmt& s, int indent) {
    if (const auto* seq = s.as<SeqStmtNode>()) {
      for (const Stmt& x : seq->seq) PrintStmt(x, indent);
      return;
    }
    DeclareBuffersIn(s, indent);
    if (const auto* op = s.as<ForNode>()) {
      Indent(indent);
      os_ << "for " << VarName(op->loop_var) << " in ";
      std::string extent_end;
      switch (op->kind) {
        case ForKind::kSerial: os_ << "range("; break;
        case ForKind::kParallel: os_ << "T.parallel("; break;
        case ForKind::kVectorized: os_ << "T.vectorized("; break;
        case ForKind::kUnrolled: os_ << "T.unroll("; break;
        case ForKind::kThreadBinding: os_ << "T.thread_binding("; break;
      }
      if (!is_zero(op->min)) {
        os_ << Expr(op->min) << ", " << Expr(add(op->min, op->extent));
      } else {
        os_ << Expr(op->extent);
      }
      if (op->kind == ForKind::kThreadBinding && op->thread_binding.defined()) {
        os_ << ", thread=" << Quote(op->thread_binding->thread_tag);
      }
      if (!op->annotations.empty()) {
        os_ << ", annotations={";
        bool first = true;
        for (const auto& kv : op->annotations) {
          if (!first) os_ << ", ";
          first = false;
          os_ << Quote(kv.first) << ": ";
          PrintAttrValue(kv.second);
        }
        os_ << "}";
      }
      os_ << "):\n";
      PrintStmt(op->body, indent + 4);
    } else if (const auto* op = s.as<BufferStoreNode>()) {
      Indent(indent);
      os_ << BufferName(op->buffer) << "[" << Indices(op->indices) << "] = " << Expr(op->value) << "\n";
    } else if (const auto* op = s.as<ProducerStoreNode>()) {
      Indent(indent);
      os_ << op->producer->GetNameHint() << "[" << Indices(op->indices) << "] = " << Expr(op->value) << "\n";
    } else if (const auto* op = s.as<LetStmtNode>()) {
      Indent(indent);
      os_ << VarName(op->var) << ": " << TypeOfVar(op->var) << " = " << Expr(op->value) << "\n";
      PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<AttrStmtNode>()) {
      PrintAttrStmt(op, indent);
    } else if (const auto* op = s.as<AssertStmtNode>()) {
      Indent(indent);
      os_ << "assert " << Expr(op->condition) << ", " << Expr(op->message) << "\n";
      if (op->body.defined()) PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<IfThenElseNode>()) {
      Indent(indent);
      os_ << "if " << Expr(op->condition) << ":\n";
      PrintStmt(op->then_case, indent + 4);
      if (op->else_case.defined()) {
        Indent(indent);
        os_ << "else:\n";
        PrintStmt(op->else_case, indent + 4);
      }
    } else if (const auto* op = s.as<AllocateNode>()) {
      Indent(indent);
      std::string scope = "global";
      if (const auto* ptr = op->buffer_var->type_annotation.as<PointerTypeNode>()) {
        if (!ptr->storage_scope.empty()) scope = ptr->storage_scope;
      }
      os_ << VarName(op->buffer_var) << " = T.allocate([";
      for (size_t i = 0; i < op->extents.size(); ++i) os_ << (i ? ", " : "") << Expr(op->extents[i]);
      os_ << "], " << Quote(DTypeStr(op->dtype)) << ", " << Quote(scope);
      if (!is_one(op->condition)) os_ << ", condition=" << Expr(op->condition);
      os_ << ")\n";
      PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<DeclBufferNode>()) {
      Indent(indent);
      declared_buffers_.insert(op->buffer.get());
      os_ << BufferName(op->buffer) << " = T.decl_buffer" << BufferArgs(op->buffer) << "\n";
      PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<BufferRealizeNode>()) {
      Indent(indent);
      os_ << "T.realize(" << BufferName(op->buffer) << "[" << Region(op->bounds) << "]";
      if (!is_one(op->condition)) os_ << ", condition=" << Expr(op->condition);
      os_ << ")\n";
      PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<ProducerRealizeNode>()) {
      Indent(indent);
      os_ << "T.realize(" << op->producer->GetNameHint() << "[" << Region(op->bounds) << "], "
          << Quote(op->storage_scope) << ")\n";
      PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<EvaluateNode>()) {
      Indent(indent);
      if (op->value.as<CallNode>()) {
        os_ << Expr(op->value) << "\n";
      } else {
        os_ << "T.evaluate(" << Expr(op->value) << ")\n";
      }
    } else if (const auto* op = s.as<WhileNode>()) {
      Indent(indent);
      os_ << "while " << Expr(op->condition) << ":\n";
      PrintStmt(op->body, indent + 4);
    } else if (const auto* op = s.as<PrefetchNode>()) {
      Indent(indent);
      os_ << "T.prefetch(" << BufferName(op->buffer) << "[" << Region(op->bounds) << "])\n";
    } else {
      Indent(indent);
      os_ << AsRepr(s) << "\n";
    }
  }

  std::string Expr(const PrimExpr& e) {
    std::ostringstream saved;
    PrintExpr(e, saved, 0);
    return saved.str();
  }

 private:
  void Indent(int n) { os_ << std::string(n, ' '); }

  // --- names ---------------------------------------------------------------

  std::string UniqueName(const Object* obj, const std::string& hint) {
    auto it = names_.find(obj);
    if (it != names_.end()) return it->second;
    std::string base = hint.empty() ? "v" : hint;
    for (char& c : base) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) c = '_';
    }
    std::string name = base;
    int& count = name_count_[base];
    if (count > 0) name = base + "_" + std::to_string(count);
    while (used_names_.count(name)) name = base + "_" + std::to_string(++count);
    ++count;
    used_names_.insert(name);
    names_[obj] = name;
    return name;
  }

  std::string VarName(const Var& v) { return UniqueName(v.get(), v->name_hint); }
  std::string BufferName(const Buffer& b) { return UniqueName(b.get(), b->name); }

  std::string TypeOfVar(const Var& v) {
    if (const auto* ptr = v->type_annotation.as<PointerTypeNode>()) {
      if (const auto* prim = ptr->element_type.as<PrimTypeNode>()) {
        if (!prim->dtype.is_void()) {
          std::string scope = ptr->storage_scope.empty() ? "" : ", " + Quote(ptr->storage_scope);
          return "T.handle(" + Quote(DTypeStr(prim->dtype)) + scope + ")";
        }
      }
      return "T.handle";
    }
    return "T." + DTypeStr(v.dtype());
  }

  std::string BufferArgs(const Buffer& b) {
    std::ostringstream os;
    os << "((";
    for (size_t i = 0; i < b->shape.size(); ++i) os << (i ? ", " : "") << Expr(b->shape[i]);
    os << (b->shape.size() == 1 ? ",)" : ")") << ", " << Quote(DTypeStr(b->dtype));
    return os.str();
  }

  std::string BufferType(const Buffer& b, bool in_signature) {
    std::ostringstream os;
    os << "T.Buffer" << BufferArgs(b);
    if (!in_signature) os << ", data=" << DataName(b);
    if (!b->strides.empty()) {
      os << ", strides=(";
      for (size_t i = 0; i < b->strides.size(); ++i) os << (i ? ", " : "") << Expr(b->strides[i]);
      os << (b->strides.size() == 1 ? ",)" : ")");
    }
    if (!is_zero(b->elem_offset)) os << ", elem_offset=" << Expr(b->elem_offset);
    String scope = b.scope();
    if (scope != "global") os << ", scope=" << Quote(scope);
    os << ")";
    return os.str();
  }

  std::string DataName(const Buffer& b) {
    auto it = data_owner_.find(b->data.get());
    if (it != data_owner_.end() && !it->second.same_as(b)) return BufferName(it->second) + ".data";
    return VarName(b->data);
  }

  /*! \brief Declare buffers used by `s` (at its top level) that have no declaration yet. */
  void DeclareBuffersIn(const Stmt& s, int indent) {
    std::vector<Buffer> fresh;
    auto note = [&](const Buffer& b) {
      if (!declared_buffers_.count(b.get())) {
        declared_buffers_.insert(b.get());
        fresh.push_back(b);
      }
    };
    if (const auto* store = s.as<BufferStoreNode>()) note(store->buffer);
    if (const auto* realize = s.as<BufferRealizeNode>()) note(realize->buffer);
    if (const auto* prefetch = s.as<PrefetchNode>()) note(prefetch->buffer);
    // Loads in the statement's own expressions (not in nested statements).
    std::vector<PrimExpr> exprs;
    if (const auto* store = s.as<BufferStoreNode>()) {
      exprs.push_back(store->value);
      for (const PrimExpr& i : store->indices) exprs.push_back(i);
    } else if (const auto* eval = s.as<EvaluateNode>()) {
      exprs.push_back(eval->value);
    } else if (const auto* let = s.as<LetStmtNode>()) {
      exprs.push_back(let->value);
    } else if (const auto* cond = s.as<IfThenElseNode>()) {
      exprs.push_back(cond->condition);
    } else if (const auto* loop = s.as<ForNode>()) {
      exprs.push_back(loop->min);
      exprs.push_back(loop->extent);
    } else if (const auto* assert_stmt = s.as<AssertStmtNode>()) {
      exprs.push_back(assert_stmt->condition);
    }
    for (const PrimExpr& e : exprs) {
      PostOrderVisit(e, [&](const ObjectRef& n) {
        if (const auto* load = n.as<BufferLoadNode>()) note(load->buffer);
      });
    }
    for (const Buffer& b : fresh) {
      Indent(indent);
      os_ << BufferName(b) << " = " << BufferType(b, /*in_signature=*/false) << "\n";
    }
  }

  // --- attributes ----------------------------------------------------------

  void PrintAttrValue(const ObjectRef& v) {
    if (const auto* s = v.as<runtime::StringObj>()) {
      os_ << Quote(s->data);
    } else if (const auto* e = v.as<PrimExprNode>()) {
      os_ << Expr(GetRef<PrimExpr>(e));
    } else {
      os_ << AsRepr(v);
    }
  }

  void PrintAttrStmt(const AttrStmtNode* op, int indent) {
    if (op->attr_key == attr::thread_extent || op->attr_key == attr::virtual_thread) {
      if (const auto* iv = op->node.as<IterVarNode>()) {
        Indent(indent);
        os_ << VarName(iv->var) << " = T.launch_thread(" << Quote(iv->thread_tag) << ", " << Expr(op->value)
            << ")\n";
        PrintStmt(op->body, indent);
        return;
      }
    }
    Indent(indent);
    os_ << "with T.attr(";
    if (const auto* e = op->node.as<PrimExprNode>()) {
      os_ << Expr(GetRef<PrimExpr>(e));
    } else if (const auto* iv = op->node.as<IterVarNode>()) {
      os_ << VarName(iv->var);
    } else if (const auto* b = op->node.as<BufferNode>()) {
      os_ << BufferName(GetRef<Buffer>(b));
    } else if (const auto* p = op->node.as<DataProducerNode>()) {
      os_ << p->GetNameHint();
    } else if (!op->node.defined()) {
      os_ << "None";
    } else if (const auto* s = op->node.as<runtime::StringObj>()) {
      os_ << Quote(s->data);
    } else {
      os_ << op->node->GetTypeKey();
    }
    os_ << ", " << Quote(op->attr_key) << ", " << (op->value.defined() ? Expr(op->value) : "None") << "):\n";
    PrintStmt(op->body, indent + 4);
  }

  // --- expressions ---------------------------------------------------------

  std::string Indices(const Array<PrimExpr>& indices) {
    std::ostringstream os;
    for (size_t i = 0; i < indices.size(); ++i) {
      if (i) os << ", ";
      if (const auto* ramp = indices[i].as<RampNode>(); ramp != nullptr && is_one(ramp->stride)) {
        os << Expr(ramp->base) << ":" << Expr(add(ramp->base, make_const(ramp->base.dtype(), ramp->lanes)));
      } else {
        os << Expr(indices[i]);
      }
    }
    return os.str();
  }

  std::string Region(const Array<Range>& bounds) {
    std::ostringstream os;
    for (size_t i = 0; i < bounds.size(); ++i) {
      os << (i ? ", " : "") << Expr(bounds[i]->min) << ":" << Expr(add(bounds[i]->min, bounds[i]->extent));
    }
    return os.str();
  }

  void Binary(const PrimExpr& a, const char* op, const PrimExpr& b, Prec prec, std::ostream& os, int parent) {
    bool paren = prec < parent;
    if (paren) os << "(";
    PrintExpr(a, os, prec);
    os << " " << op << " ";
    // Left-associative: a right operand of equal precedence needs parentheses.
    PrintExpr(b, os, prec + 1);
    if (paren) os << ")";
  }

  void CallLike(const std::string& name, std::initializer_list<PrimExpr> args, std::ostream& os) {
    os << name << "(";
    bool first = true;
    for (const PrimExpr& a : args) {
      if (!first) os << ", ";
      first = false;
      PrintExpr(a, os, 0);
    }
    os << ")";
  }

  void PrintExpr(const PrimExpr& e, std::ostream& os, int parent) {
    if (!e.defined()) {
      os << "None";
      return;
    }
    if (const auto* op = e.as<IntImmNode>()) {
      if (op->dtype.is_bool()) {
        os << (op->value ? "T.bool(True)" : "T.bool(False)");
      } else if (op->dtype == DataType::Int(32)) {
        if (op->value < 0 && parent > kUnary) {
          os << "(" << op->value << ")";
        } else {
          os << op->value;
        }
      } else {
        os << "T." << DTypeStr(op->dtype) << "(" << op->value << ")";
      }
    } else if (const auto* op = e.as<FloatImmNode>()) {
      std::ostringstream v;
      v << std::setprecision(17) << op->value;
      std::string text = v.str();
      if (text.find_first_of(".en") == std::string::npos) text += ".0";
      if (std::isinf(op->value)) text = op->value > 0 ? "\"inf\"" : "\"-inf\"";
      if (std::isnan(op->value)) text = "\"nan\"";
      os << "T." << DTypeStr(op->dtype) << "(" << text << ")";
    } else if (const auto* op = e.as<StringImmNode>()) {
      os << Quote(op->value);
    } else if (const auto* op = e.as<VarNode>()) {
      // A parameter buffer's data pointer reads as that buffer's field.
      auto owner = data_owner_.find(op);
      if (owner != data_owner_.end()) {
        os << BufferName(owner->second) << ".data";
      } else {
        os << VarName(GetRef<Var>(op));
      }
    } else if (const auto* op = e.as<AddNode>()) {
      Binary(op->a, "+", op->b, kAdd, os, parent);
    } else if (const auto* op = e.as<SubNode>()) {
      Binary(op->a, "-", op->b, kAdd, os, parent);
    } else if (const auto* op = e.as<MulNode>()) {
      Binary(op->a, "*", op->b, kMul, os, parent);
    } else if (const auto* op = e.as<FloorDivNode>()) {
      Binary(op->a, "//", op->b, kMul, os, parent);
    } else if (const auto* op = e.as<FloorModNode>()) {
      Binary(op->a, "%", op->b, kMul, os, parent);
    } else if (const auto* op = e.as<DivNode>()) {
      if (op->dtype.is_float()) {
        Binary(op->a, "/", op->b, kMul, os, parent);
      } else {
        CallLike("T.Div", {op->a, op->b}, os);
      }
    } else if (const auto* op = e.as<ModNode>()) {
      CallLike("T.truncmod", {op->a, op->b}, os);
    } else if (const auto* op = e.as<MinNode>()) {
      CallLike("T.min", {op->a, op->b}, os);
    } else if (const auto* op = e.as<MaxNode>()) {
      CallLike("T.max", {op->a, op->b}, os);
    } else if (const auto* op = e.as<EQNode>()) {
      Binary(op->a, "==", op->b, kCompare, os, parent);
    } else if (const auto* op = e.as<NENode>()) {
      Binary(op->a, "!=", op->b, kCompare, os, parent);
    } else if (const auto* op = e.as<LTNode>()) {
      Binary(op->a, "<", op->b, kCompare, os, parent);
    } else if (const auto* op = e.as<LENode>()) {
      Binary(op->a, "<=", op->b, kCompare, os, parent);
    } else if (const auto* op = e.as<GTNode>()) {
      Binary(op->a, ">", op->b, kCompare, os, parent);
    } else if (const auto* op = e.as<GENode>()) {
      Binary(op->a, ">=", op->b, kCompare, os, parent);
    } else if (const auto* op = e.as<AndNode>()) {
      Binary(op->a, "and", op->b, kAnd, os, parent);
    } else if (const auto* op = e.as<OrNode>()) {
      Binary(op->a, "or", op->b, kOr, os, parent);
    } else if (const auto* op = e.as<NotNode>()) {
      bool paren = kNot < parent;
      if (paren) os << "(";
      os << "not ";
      PrintExpr(op->a, os, kNot);
      if (paren) os << ")";
    } else if (const auto* op = e.as<SelectNode>()) {
      CallLike("T.Select", {op->condition, op->true_value, op->false_value}, os);
    } else if (const auto* op = e.as<CastNode>()) {
      os << "T.Cast(" << Quote(DTypeStr(op->dtype)) << ", ";
      PrintExpr(op->value, os, 0);
      os << ")";
    } else if (const auto* op = e.as<BufferLoadNode>()) {
      os << BufferName(op->buffer) << "[" << Indices(op->indices) << "]";
    } else if (const auto* op = e.as<ProducerLoadNode>()) {
      os << op->producer->GetNameHint() << "[" << Indices(op->indices) << "]";
    } else if (const auto* op = e.as<RampNode>()) {
      os << "T.Ramp(";
      PrintExpr(op->base, os, 0);
      os << ", ";
      PrintExpr(op->stride, os, 0);
      os << ", " << op->lanes << ")";
    } else if (const auto* op = e.as<BroadcastNode>()) {
      os << "T.Broadcast(";
      PrintExpr(op->value, os, 0);
      os << ", " << op->lanes << ")";
    } else if (const auto* op = e.as<LetNode>()) {
      os << "T.Let(";
      PrintExpr(op->body, os, 0);
      os << ", where={" << VarName(op->var) << ": ";
      PrintExpr(op->value, os, 0);
      os << "})";
    } else if (const auto* op = e.as<CallNode>()) {
      PrintCall(op, os);
    } else if (const auto* op = e.as<ShuffleNode>()) {
      os << "T.Shuffle([";
      for (size_t i = 0; i < op->vectors.size(); ++i) {
        if (i) os << ", ";
        PrintExpr(op->vectors[i], os, 0);
      }
      os << "], [";
      for (size_t i = 0; i < op->indices.size(); ++i) {
        if (i) os << ", ";
        PrintExpr(op->indices[i], os, 0);
      }
      os << "])";
    } else if (const auto* op = e.as<ReduceNode>()) {
      os << "T.reduce(" << AsRepr(op->combiner) << ", source=[";
      for (size_t i = 0; i < op->source.size(); ++i) {
        if (i) os << ", ";
        PrintExpr(op->source[i], os, 0);
      }
      os << "], axis=[";
      for (size_t i = 0; i < op->axis.size(); ++i) {
        if (i) os << ", ";
        os << VarName(op->axis[i]->var);
      }
      os << "]";
      if (!is_one(op->condition)) {
        os << ", where=";
        PrintExpr(op->condition, os, 0);
      }
      os << ", value_index=" << op->value_index << ")";
    } else if (e.as<AnyNode>()) {
      os << "T.Any()";
    } else {
      os << AsRepr(e);
    }
  }

  void PrintCall(const CallNode* op, std::ostream& os) {
    std::string name;
    if (const auto* o = op->op.as<OpNode>()) {
      name = o->name;
      if (name.rfind("tir.", 0) == 0) name = name.substr(4);
    } else if (const auto* gv = op->op.as<GlobalVarNode>()) {
      name = gv->name_hint;
    }
    bool needs_dtype = name == "call_extern" || name == "call_pure_extern" || name == "call_llvm_intrin" ||
                       name == "call_llvm_pure_intrin" || name == "reinterpret" || name == "type_annotation";
    if (name == "type_annotation") {
      os << "T.type_annotation(" << Quote(DTypeStr(op->dtype)) << ")";
      return;
    }
    os << "T." << name << "(";
    bool first = true;
    if (needs_dtype) {
      os << Quote(DTypeStr(op->dtype));
      first = false;
    }
    for (const PrimExpr& a : op->args) {
      if (!first) os << ", ";
      first = false;
      PrintExpr(a, os, 0);
    }
    os << ")";
  }

  std::ostream& os_;
  std::unordered_map<const Object*, std::string> names_;
  std::unordered_map<std::string, int> name_count_;
  std::unordered_set<std::string> used_names_;
  std::unordered_set<const Object*> declared_buffers_;
  std::unordered_map<const Object*, Buffer> data_owner_;
};

void PrintModule(const IRModule& mod, std::ostream& os) {
  os << "# from tvm.script import ir as I\n# from tvm.script import tir as T\n\n@I.ir_module\nclass Module:\n";
  bool first = true;
  bool any = false;
  if (mod->attrs.defined() && !mod->attrs->dict.empty()) {
    os << "    I.module_attrs({";
    bool first_attr = true;
    for (const auto& kv : mod->attrs->dict) {
      os << (first_attr ? "" : ", ") << Quote(kv.first) << ": ";
      first_attr = false;
      if (const auto* s = kv.second.as<runtime::StringObj>()) {
        os << Quote(s->data);
      } else {
        os << AsRepr(kv.second);
      }
    }
    os << "})\n";
    any = true;
    first = false;
  }
  for (const auto& kv : mod->functions) {
    if (!first) os << "\n";
    first = false;
    if (const auto* f = kv.second.as<PrimFuncNode>()) {
      TIRPrinter(os).PrintFunc(GetRef<PrimFunc>(f), kv.first->name_hint, 4);
    } else {
      os << "    # " << kv.first->name_hint << " = " << AsRepr(kv.second) << "\n";
    }
    any = true;
  }
  if (!any) os << "    pass\n";
}

}  // namespace

/*! \brief The script text of a PrimFunc, IRModule, statement or expression. */
std::string AsTIRScript(const ObjectRef& node) {
  std::ostringstream os;
  if (const auto* mod = node.as<IRModuleNode>()) {
    PrintModule(GetRef<IRModule>(mod), os);
  } else if (const auto* f = node.as<PrimFuncNode>()) {
    std::string name = "main";
    if (auto sym = f->GetAttr<String>(tvm::attr::kGlobalSymbol)) name = *sym;
    os << "# from tvm.script import tir as T\n\n";
    TIRPrinter(os).PrintFunc(GetRef<PrimFunc>(f), name, 0);
  } else if (const auto* s = node.as<StmtNode>()) {
    TIRPrinter(os).PrintStmt(GetRef<Stmt>(s), 0);
  } else if (const auto* e = node.as<PrimExprNode>()) {
    os << TIRPrinter(os).Expr(GetRef<PrimExpr>(e));
  }
  std::string text = os.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

namespace {
void PrintAsScript(const ObjectRef& node, ReprPrinter* p) { p->stream << AsTIRScript(node); }

template <typename T>
int RegisterScriptPrinter() {
  return ReprPrinter::Register<T>(PrintAsScript);
}

[[maybe_unused]] const int kRegistered[] = {
    RegisterScriptPrinter<PrimExprNode>(), RegisterScriptPrinter<StmtNode>(), RegisterScriptPrinter<PrimFuncNode>(),
    RegisterScriptPrinter<IRModuleNode>(),
};

// Buffers and IterVars print as their names and domains, not as whole records.
const int kBufferPrinter = ReprPrinter::Register<BufferNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* b = static_cast<const BufferNode*>(node.get());
  p->stream << "T.Buffer(" << b->name << ", [";
  for (size_t i = 0; i < b->shape.size(); ++i) p->stream << (i ? ", " : "") << AsTIRScript(b->shape[i]);
  p->stream << "], \"" << runtime::DLDataType2String(b->dtype) << "\")";
});

const int kIterVarPrinter = ReprPrinter::Register<IterVarNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* iv = static_cast<const IterVarNode*>(node.get());
  p->stream << "T.iter_var(" << iv->var->name_hint << ", ";
  if (iv->dom.defined()) {
    p->stream << "T.Range(" << AsTIRScript(iv->dom->min) << ", "
              << AsTIRScript(add(iv->dom->min, iv->dom->extent)) << ")";
  } else {
    p->stream << "None";
  }
  p->stream << ", \"" << IterVarType2String(iv->iter_type) << "\", \"" << iv->thread_tag << "\")";
});
}  // namespace

TVM_REGISTER_GLOBAL("tir.AsScript").set_body_typed([](ObjectRef node) { return AsTIRScript(node); });

}  // namespace tir
}  // namespace tvm
