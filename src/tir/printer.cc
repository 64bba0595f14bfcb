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

#include <functional>
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
  explicit TIRPrinter(std::ostream& os, std::string module_name = "") : os_(os), module_name_(std::move(module_name)) {}

  void PrintFunc(const PrimFunc& f, const std::string& name, int indent) {
    const PrimFuncNode* fn = f.operator->();
    CollectBindings(f);
    scopes_.emplace_back();
    // Parameters: a buffer whose shape uses only earlier parameters is written
    // inline as `A: T.Buffer(...)`; others become `a: T.handle` + T.match_buffer.
    std::unordered_set<const Object*> earlier;
    std::unordered_map<const Object*, int> data_uses;
    for (const auto& kv : fn->buffer_map) ++data_uses[kv.second->data.get()];
    std::vector<std::pair<Var, Buffer>> matched;
    std::ostringstream sig;
    for (size_t i = 0; i < fn->params.size(); ++i) {
      if (i) sig << ", ";
      const Var& p = fn->params[i];
      auto b = fn->buffer_map.Get(p);
      // T.Buffer in a signature makes a handle parameter typed PrimType(handle).
      const auto* handle_type = p->type_annotation.as<PrimTypeNode>();
      bool plain_handle = handle_type != nullptr && handle_type->dtype.is_handle();
      if (b && plain_handle && CanInline(*b, earlier) && data_uses[(*b)->data.get()] == 1 &&
          !used_vars_.count(p.get())) {
        sig << BufferName(*b) << ": " << BufferDecl("T.Buffer", *b, /*with_data=*/false, "");
        NoteBufferDeclared(*b);
        data_owner_[(*b)->data.get()] = *b;
      } else {
        sig << VarName(p) << ": " << TypeOfVar(p);
        if (b) matched.emplace_back(p, *b);
      }
      earlier.insert(p.get());
    }
    Indent(indent);
    auto symbol = fn->GetAttr<String>(tvm::attr::kGlobalSymbol);
    os_ << (symbol ? "@T.prim_func\n" : "@T.prim_func(private=True)\n");
    Indent(indent);
    os_ << "def " << name << "(" << sig.str() << ")";
    if (const auto* prim = fn->ret_type.as<PrimTypeNode>()) os_ << " -> T." << DTypeStr(prim->dtype);
    os_ << ":\n";
    if (fn->attrs.defined()) {
      std::vector<std::pair<String, ObjectRef>> attrs;
      for (const auto& kv : fn->attrs->dict) {
        if (kv.first == tvm::attr::kGlobalSymbol && symbol && *symbol == name) continue;
        attrs.emplace_back(kv.first, kv.second);
      }
      if (!attrs.empty()) {
        Indent(indent + 4);
        os_ << "T.func_attr({";
        for (size_t i = 0; i < attrs.size(); ++i) {
          os_ << (i ? ", " : "") << Quote(attrs[i].first) << ": ";
          PrintAttrValue(attrs[i].second, os_);
        }
        os_ << "})\n";
      }
    }
    // Variables no statement binds (symbolic shapes, ...) are declared up front.
    for (const Var& v : free_vars_) {
      Indent(indent + 4);
      // T.int32() is a new variable; T.handle("float32") already is one.
      std::string type = TypeOfVar(v);
      os_ << VarName(v) << " = " << type << (type.back() == ')' ? "" : "()") << "\n";
    }
    for (const auto& [param, buffer] : matched) {
      Indent(indent + 4);
      os_ << BufferName(buffer) << " = " << BufferDecl("T.match_buffer", buffer, false, VarName(param)) << "\n";
      NoteBufferDeclared(buffer);
      data_owner_[buffer->data.get()] = buffer;
    }
    body_indent_ = indent + 4;
    PrintStmt(fn->body, indent + 4);
    scopes_.pop_back();
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
      bool annotated = !op->annotations.empty();
      switch (op->kind) {
        case ForKind::kSerial: os_ << (annotated ? "T.serial(" : "range("); break;
        case ForKind::kParallel: os_ << "T.parallel("; break;
        case ForKind::kVectorized: os_ << "T.vectorized("; break;
        case ForKind::kUnrolled: os_ << "T.unroll("; break;
        case ForKind::kThreadBinding: os_ << "T.thread_binding("; break;
      }
      if (!is_zero(op->min) || op->min.dtype() != op->loop_var.dtype()) {
        os_ << Expr(op->min) << ", " << Expr(add(op->min, op->extent));
      } else {
        os_ << Expr(op->extent);
      }
      if (op->kind == ForKind::kThreadBinding && op->thread_binding.defined()) {
        os_ << ", thread=" << Quote(op->thread_binding->thread_tag);
      }
      if (annotated) {
        os_ << ", annotations=";
        PrintAttrValue(op->annotations, os_);
      }
      os_ << "):\n";
      Nested(op->body, indent);
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
      Nested(op->then_case, indent);
      if (op->else_case.defined()) {
        Indent(indent);
        os_ << "else:\n";
        Nested(op->else_case, indent);
      }
    } else if (const auto* op = s.as<AllocateNode>()) {
      PrintAllocate(op, indent);
    } else if (const auto* op = s.as<DeclBufferNode>()) {
      Indent(indent);
      NoteBufferDeclared(op->buffer);
      os_ << BufferName(op->buffer) << " = " << BufferDecl("T.decl_buffer", op->buffer, true, "") << "\n";
      PrintStmt(op->body, indent);
    } else if (const auto* op = s.as<BufferRealizeNode>()) {
      Indent(indent);
      os_ << "T.realize(" << BufferName(op->buffer) << "[" << Region(op->bounds) << "], \"\"";
      if (!is_one(op->condition)) os_ << ", " << Expr(op->condition);
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
      Nested(op->body, indent);
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

  /*! \brief A body one level in: a new Python scope, whose buffer declarations end with it. */
  void Nested(const Stmt& body, int indent) {
    scopes_.emplace_back();
    PrintStmt(body, indent + 4);
    for (const Object* b : scopes_.back()) declared_buffers_.erase(b);
    scopes_.pop_back();
  }

  void NoteBufferDeclared(const Buffer& b) {
    declared_buffers_.insert(b.get());
    if (!scopes_.empty()) scopes_.back().push_back(b.get());
  }

  // --- bindings ------------------------------------------------------------

  /*!
   * \brief Find the variables the text binds (parameters, loop variables, lets,
   *  allocations, thread launches) and those it must declare with `v = T.int32()`:
   *  every other variable the function uses.
   */
  void CollectBindings(const PrimFunc& f) {
    std::unordered_set<const Object*> bound;
    std::unordered_set<const Object*> declare_anyway;
    for (const Var& p : f->params) bound.insert(p.get());
    for (const auto& kv : f->buffer_map) bound.insert(kv.second->data.get());
    std::vector<Var> used;
    std::unordered_set<const Object*> seen;
    auto use = [&](const ObjectRef& n) {
      if (const auto* v = n.as<VarNode>()) {
        if (seen.insert(v).second) used.push_back(GetRef<Var>(v));
        used_vars_.insert(v);
      }
    };
    std::function<void(const Buffer&)> use_buffer = [&](const Buffer& b) {
      if (!seen_buffers_.insert(b.get()).second) return;
      for (const PrimExpr& e : b->shape) PostOrderVisit(e, use);
      for (const PrimExpr& e : b->strides) PostOrderVisit(e, use);
      PostOrderVisit(b->elem_offset, use);
      use(b->data);
    };
    for (const auto& kv : f->buffer_map) use_buffer(kv.second);
    for (const auto& kv : f->buffer_map) used_vars_.erase(kv.first.get());
    PostOrderVisit(f->body, [&](const ObjectRef& n) {
      use(n);
      if (const auto* loop = n.as<ForNode>()) bound.insert(loop->loop_var.get());
      if (const auto* let = n.as<LetStmtNode>()) bound.insert(let->var.get());
      if (const auto* alloc = n.as<AllocateNode>()) bound.insert(alloc->buffer_var.get());
      if (const auto* attr = n.as<AttrStmtNode>()) {
        if (const auto* iv = attr->node.as<IterVarNode>()) {
          use(iv->var);
          if (IsLaunchThread(attr)) {
            bound.insert(iv->var.get());
          } else {
            // Named by T.iter_var before the loop that binds it: declared up front.
            declare_anyway.insert(iv->var.get());
          }
        } else if (const auto* b = attr->node.as<BufferNode>()) {
          use_buffer(GetRef<Buffer>(b));
        }
      }
      if (const auto* load = n.as<BufferLoadNode>()) use_buffer(load->buffer);
      if (const auto* store = n.as<BufferStoreNode>()) use_buffer(store->buffer);
      if (const auto* decl = n.as<DeclBufferNode>()) use_buffer(decl->buffer);
      if (const auto* realize = n.as<BufferRealizeNode>()) use_buffer(realize->buffer);
      if (const auto* prefetch = n.as<PrefetchNode>()) use_buffer(prefetch->buffer);
    });
    for (const Var& v : used) {
      if (!bound.count(v.get()) || declare_anyway.count(v.get())) free_vars_.push_back(v);
    }
  }

  /*! \brief Whether T.Buffer(...) in the signature can express b, given the parameters before it. */
  bool CanInline(const Buffer& b, const std::unordered_set<const Object*>& earlier) {
    bool ok = true;
    auto check = [&](const PrimExpr& e) {
      PostOrderVisit(e, [&](const ObjectRef& n) {
        if (n.as<VarNode>() && !earlier.count(n.get())) ok = false;
      });
    };
    for (const PrimExpr& e : b->shape) check(e);
    for (const PrimExpr& e : b->strides) check(e);
    check(b->elem_offset);
    return ok;
  }

  static bool IsLaunchThread(const AttrStmtNode* op) {
    const auto* iv = op->node.as<IterVarNode>();
    if (iv == nullptr || iv->iter_type != kThreadIndex || !iv->dom.defined() || iv->thread_tag.empty()) return false;
    std::string key = iv->thread_tag == "vthread" ? attr::virtual_thread : attr::thread_extent;
    if (op->attr_key != key) return false;
    const auto* min = iv->dom->min.as<IntImmNode>();
    return min != nullptr && min->value == 0 && iv->dom->min.dtype() == op->value.dtype() &&
           iv->dom->extent.same_as(op->value);
  }

  // --- names ---------------------------------------------------------------

  std::string UniqueName(const Object* obj, const std::string& hint) {
    auto it = names_.find(obj);
    if (it != names_.end()) return it->second;
    std::string base = hint.empty() ? "v" : hint;
    for (char& c : base) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) c = '_';
    }
    if (std::isdigit(static_cast<unsigned char>(base[0])) || IsReserved(base)) base = "v_" + base;
    std::string name = base;
    int& count = name_count_[base];
    if (count > 0) name = base + "_" + std::to_string(count);
    while (used_names_.count(name)) name = base + "_" + std::to_string(++count);
    ++count;
    used_names_.insert(name);
    names_[obj] = name;
    return name;
  }

  /*! \brief Names the text cannot use for its own variables. */
  bool IsReserved(const std::string& name) const {
    static const std::unordered_set<std::string> kReserved = {
        "T", "I", "tvm", "range", "and", "or", "not", "if", "else", "elif", "for", "while", "in", "is",
        "def", "class", "return", "pass", "with", "as", "assert", "lambda", "None", "True", "False",
        "import", "from", "global", "nonlocal", "del", "try", "except", "finally", "raise", "yield",
        "break", "continue", "async", "await"};
    return kReserved.count(name) > 0 || name == module_name_;
  }

  std::string VarName(const Var& v) { return UniqueName(v.get(), v->name_hint); }
  std::string BufferName(const Buffer& b) { return UniqueName(b.get(), b->name); }

  std::string TypeOfVar(const Var& v) {
    if (const auto* ptr = v->type_annotation.as<PointerTypeNode>()) {
      if (const auto* prim = ptr->element_type.as<PrimTypeNode>()) {
        bool global = ptr->storage_scope.empty() || ptr->storage_scope == "global";
        std::string scope = global ? "" : ", " + Quote(ptr->storage_scope);
        // A pointer to void is T.handle("void"); bare T.handle is PrimType(handle).
        return "T.handle(" + Quote(prim->dtype.is_void() ? "void" : DTypeStr(prim->dtype)) + scope + ")";
      }
      return "T.handle";
    }
    if (v.dtype().is_handle()) return "T.handle";
    return "T." + DTypeStr(v.dtype());
  }

  /*!
   * \brief `ctor(shape, dtype, ...)` with every field of b that differs from
   *  what ctor would create by default. first_arg: the handle of a match_buffer.
   */
  std::string BufferDecl(const std::string& ctor, const Buffer& b, bool with_data, const std::string& first_arg) {
    std::ostringstream os;
    os << ctor << "(";
    if (!first_arg.empty()) os << first_arg << ", ";
    os << "(";
    for (size_t i = 0; i < b->shape.size(); ++i) os << (i ? ", " : "") << Expr(b->shape[i]);
    os << (b->shape.size() == 1 ? ",)" : ")") << ", " << Quote(DTypeStr(b->dtype));
    if (with_data) os << ", data=" << DataName(b);
    if (!b->strides.empty()) {
      os << ", strides=(";
      for (size_t i = 0; i < b->strides.size(); ++i) os << (i ? ", " : "") << Expr(b->strides[i]);
      os << (b->strides.size() == 1 ? ",)" : ")");
    }
    bool zero_offset = is_zero(b->elem_offset) && b->elem_offset.dtype() == IndexType(b);
    if (!zero_offset) os << ", elem_offset=" << Expr(b->elem_offset);
    String scope = b.scope();
    if (scope != "global") os << ", scope=" << Quote(scope);
    if (b->data_alignment != std::max(1, b->dtype.bytes())) os << ", align=" << b->data_alignment;
    if (b->offset_factor != 1) os << ", offset_factor=" << b->offset_factor;
    if (b->buffer_type == kAutoBroadcast) os << ", buffer_type=\"auto\"";
    if (!b->axis_separators.empty()) {
      os << ", axis_separators=[";
      for (size_t i = 0; i < b->axis_separators.size(); ++i) os << (i ? ", " : "") << b->axis_separators[i]->value;
      os << "]";
    }
    os << ")";
    return os.str();
  }

  static DataType IndexType(const Buffer& b) { return b->shape.empty() ? DataType::Int(32) : b->shape[0].dtype(); }

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
        NoteBufferDeclared(b);
        fresh.push_back(b);
      }
    };
    if (const auto* store = s.as<BufferStoreNode>()) note(store->buffer);
    if (const auto* realize = s.as<BufferRealizeNode>()) note(realize->buffer);
    if (const auto* prefetch = s.as<PrefetchNode>()) note(prefetch->buffer);
    if (const auto* attr = s.as<AttrStmtNode>()) {
      if (const auto* b = attr->node.as<BufferNode>()) note(GetRef<Buffer>(b));
    }
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
      exprs.push_back(assert_stmt->message);
    } else if (const auto* attr = s.as<AttrStmtNode>()) {
      exprs.push_back(attr->value);
      if (const auto* e = attr->node.as<PrimExprNode>()) exprs.push_back(GetRef<PrimExpr>(e));
    } else if (const auto* loop = s.as<WhileNode>()) {
      exprs.push_back(loop->condition);
    } else if (const auto* alloc = s.as<AllocateNode>()) {
      for (const PrimExpr& e : alloc->extents) exprs.push_back(e);
      exprs.push_back(alloc->condition);
    }
    for (const PrimExpr& e : exprs) {
      PostOrderVisit(e, [&](const ObjectRef& n) {
        if (const auto* load = n.as<BufferLoadNode>()) note(load->buffer);
      });
    }
    for (const Buffer& b : fresh) {
      Indent(indent);
      os_ << BufferName(b) << " = " << BufferDecl("T.Buffer", b, /*with_data=*/true, "") << "\n";
    }
  }

  void PrintAllocate(const AllocateNode* op, int indent) {
    // Allocate + DeclBuffer of its memory is one T.decl_buffer without data.
    if (const auto* decl = op->body.as<DeclBufferNode>()) {
      const Buffer& b = decl->buffer;
      bool same_shape = b->shape.size() == op->extents.size();
      for (size_t i = 0; same_shape && i < b->shape.size(); ++i) same_shape = b->shape[i].same_as(op->extents[i]);
      if (b->data.same_as(op->buffer_var) && b->dtype == op->dtype && same_shape && is_one(op->condition) &&
          op->annotations.empty() && b->dtype.is_bool() == false && PointerMatches(op)) {
        Indent(indent);
        NoteBufferDeclared(b);
        data_owner_[b->data.get()] = b;
        os_ << BufferName(b) << " = " << BufferDecl("T.decl_buffer", b, false, "") << "\n";
        PrintStmt(decl->body, indent);
        return;
      }
    }
    Indent(indent);
    std::string scope = "global";
    if (const auto* ptr = op->buffer_var->type_annotation.as<PointerTypeNode>()) {
      if (!ptr->storage_scope.empty()) scope = ptr->storage_scope;
    }
    os_ << VarName(op->buffer_var) << " = T.allocate([";
    for (size_t i = 0; i < op->extents.size(); ++i) os_ << (i ? ", " : "") << Expr(op->extents[i]);
    os_ << "], " << Quote(DTypeStr(op->dtype)) << ", " << Quote(scope);
    if (!is_one(op->condition)) os_ << ", condition=" << Expr(op->condition);
    if (!op->annotations.empty()) {
      os_ << ", annotations=";
      PrintAttrValue(op->annotations, os_);
    }
    os_ << ")\n";
    PrintStmt(op->body, indent);
  }

  /*! \brief Whether the allocation's pointer has the type T.decl_buffer gives a new buffer. */
  static bool PointerMatches(const AllocateNode* op) {
    const auto* ptr = op->buffer_var->type_annotation.as<PointerTypeNode>();
    const auto* prim = ptr ? ptr->element_type.as<PrimTypeNode>() : nullptr;
    return prim != nullptr && prim->dtype == op->dtype;
  }

  // --- attributes ----------------------------------------------------------

  void PrintAttrValue(const ObjectRef& v, std::ostream& os) {
    if (!v.defined()) {
      os << "None";
    } else if (const auto* s = v.as<runtime::StringObj>()) {
      os << Quote(s->data);
    } else if (const auto* e = v.as<PrimExprNode>()) {
      PrintExpr(GetRef<PrimExpr>(e), os, 0);
    } else if (const auto* arr = v.as<runtime::ArrayNode>()) {
      os << "[";
      for (size_t i = 0; i < arr->size(); ++i) {
        if (i) os << ", ";
        PrintAttrValue(arr->data[i], os);
      }
      os << "]";
    } else if (const auto* map = v.as<runtime::MapNode>()) {
      os << "{";
      bool first = true;
      for (const auto& kv : map->items) {
        if (!first) os << ", ";
        first = false;
        PrintAttrValue(kv.first, os);
        os << ": ";
        PrintAttrValue(kv.second, os);
      }
      os << "}";
    } else if (v->GetTypeKey() == std::string("Target")) {
      os << "T.target(" << Quote(AsRepr(v)) << ")";
    } else {
      os << AsRepr(v);
    }
  }

  std::string IterVarText(const IterVarNode* iv) {
    std::ostringstream os;
    os << "T.iter_var(" << VarName(iv->var) << ", ";
    if (iv->dom.defined()) {
      os << "T.Range(" << Expr(iv->dom->min) << ", " << Expr(add(iv->dom->min, iv->dom->extent)) << ")";
    } else {
      os << "None";
    }
    os << ", " << Quote(IterVarType2String(iv->iter_type)) << ", " << Quote(iv->thread_tag) << ")";
    return os.str();
  }

  /*! \brief T.comm_reducer(lambda x, y: x + y, [identity]): the combiner over its own parameters. */
  std::string ReducerText(const CommReducerNode* r) {
    std::ostringstream os;
    os << "T.comm_reducer(lambda ";
    bool first = true;
    for (const Array<Var>* vars : {&r->lhs, &r->rhs}) {
      for (const Var& v : *vars) {
        os << (first ? "" : ", ") << VarName(v);
        first = false;
      }
    }
    os << ": ";
    if (r->result.size() == 1) {
      PrintExpr(r->result[0], os, 0);
    } else {
      os << "(";
      for (size_t i = 0; i < r->result.size(); ++i) {
        if (i) os << ", ";
        PrintExpr(r->result[i], os, 0);
      }
      os << ")";
    }
    os << ", [";
    for (size_t i = 0; i < r->identity_element.size(); ++i) {
      if (i) os << ", ";
      PrintExpr(r->identity_element[i], os, 0);
    }
    os << "])";
    return os.str();
  }

  void PrintAttrStmt(const AttrStmtNode* op, int indent) {
    if (IsLaunchThread(op)) {
      const auto* iv = op->node.as<IterVarNode>();
      Indent(indent);
      if (launched_.count(iv)) {
        // The same thread axis launched again: name its variable, not a new one.
        os_ << "T.launch_thread(" << VarName(iv->var) << ", " << Expr(op->value) << ")\n";
      } else {
        launched_.insert(iv);
        os_ << VarName(iv->var) << " = T.launch_thread(" << Quote(iv->thread_tag) << ", " << Expr(op->value) << ")\n";
      }
      PrintStmt(op->body, indent);
      return;
    }
    if (op->attr_key == "realize_scope") {
      if (const auto* realize = op->body.as<BufferRealizeNode>()) {
        const auto* scope = op->value.as<StringImmNode>();
        if (scope != nullptr && realize->buffer.same_as(op->node)) {
          Indent(indent);
          os_ << "T.realize(" << BufferName(realize->buffer) << "[" << Region(realize->bounds) << "], "
              << Quote(scope->value);
          if (!is_one(realize->condition)) os_ << ", " << Expr(realize->condition);
          os_ << ")\n";
          PrintStmt(realize->body, indent);
          return;
        }
      }
    }
    Indent(indent);
    os_ << "with T.attr(";
    if (const auto* e = op->node.as<PrimExprNode>()) {
      os_ << Expr(GetRef<PrimExpr>(e));
    } else if (const auto* iv = op->node.as<IterVarNode>()) {
      os_ << IterVarText(iv);
    } else if (const auto* reducer = op->node.as<CommReducerNode>()) {
      os_ << ReducerText(reducer);
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
    Nested(op->body, indent);
  }

  // --- expressions ---------------------------------------------------------

  std::string Indices(const Array<PrimExpr>& indices) {
    std::ostringstream os;
    for (size_t i = 0; i < indices.size(); ++i) {
      if (i) os << ", ";
      if (const auto* ramp = indices[i].as<RampNode>(); ramp != nullptr && is_one(ramp->stride) &&
                                                          ramp->stride.dtype() == ramp->base.dtype()) {
        os << Expr(ramp->base) << ":" << Expr(add(ramp->base, make_const(ramp->base.dtype(), ramp->lanes)));
      } else {
        os << Expr(indices[i]);
      }
    }
    if (indices.empty()) os << "()";
    return os.str();
  }

  std::string Region(const Array<Range>& bounds) {
    std::ostringstream os;
    for (size_t i = 0; i < bounds.size(); ++i) {
      os << (i ? ", " : "") << Expr(bounds[i]->min) << ":" << Expr(add(bounds[i]->min, bounds[i]->extent));
    }
    if (bounds.empty()) os << "()";
    return os.str();
  }

  /*!
   * \brief What the operator builder makes of the operands (to tell whether it
   *  reproduces the node); undefined when it refuses them (a division by a
   *  constant zero), so that such a node still prints.
   */
  template <typename F>
  static PrimExpr Rebuilt(F build) {
    try {
      return build();
    } catch (const runtime::Error&) {
      return PrimExpr();
    }
  }

  /*!
   * \brief a op b as Python's operator when the parser, applying that operator
   *  (which folds constants and promotes types), gets this very node back;
   *  otherwise the node's constructor T.<Node>(a, b).
   */
  template <typename Node>
  void Binary(const Node* node, const PrimExpr& rebuilt, const char* op, const char* ctor, Prec prec,
              std::ostream& os, int parent) {
    const auto* same = rebuilt.as<Node>();
    if (same == nullptr || !same->a.same_as(node->a) || !same->b.same_as(node->b) || same->dtype != node->dtype) {
      CallLike(ctor, {node->a, node->b}, os);
      return;
    }
    bool paren = prec < parent;
    if (paren) os << "(";
    PrintExpr(node->a, os, prec);
    os << " " << op << " ";
    // Left-associative: a right operand of equal precedence needs parentheses.
    PrintExpr(node->b, os, prec + 1);
    if (paren) os << ")";
  }

  /*! \brief A comparison or logic node: the parser builds these without folding. */
  void Compare(const PrimExpr& a, const char* op, const PrimExpr& b, const char* ctor, Prec prec, std::ostream& os,
               int parent) {
    // Two bare int literals would compare as Python numbers.
    if (IsPlainInt(a) && IsPlainInt(b)) {
      CallLike(ctor, {a, b}, os);
      return;
    }
    bool paren = prec <= parent && parent != 0;
    if (paren) os << "(";
    PrintExpr(a, os, prec + 1);
    os << " " << op << " ";
    PrintExpr(b, os, prec + 1);
    if (paren) os << ")";
  }

  static bool IsPlainInt(const PrimExpr& e) {
    return e.as<IntImmNode>() != nullptr && e.dtype() == DataType::Int(32);
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
        if (op->value < 0 && parent >= kUnary) {
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
      Binary(op, add(op->a, op->b), "+", "T.Add", kAdd, os, parent);
    } else if (const auto* op = e.as<SubNode>()) {
      Binary(op, sub(op->a, op->b), "-", "T.Sub", kAdd, os, parent);
    } else if (const auto* op = e.as<MulNode>()) {
      Binary(op, mul(op->a, op->b), "*", "T.Mul", kMul, os, parent);
    } else if (const auto* op = e.as<FloorDivNode>()) {
      Binary(op, Rebuilt([&] { return floordiv(op->a, op->b); }), "//", "T.FloorDiv", kMul, os, parent);
    } else if (const auto* op = e.as<FloorModNode>()) {
      Binary(op, Rebuilt([&] { return floormod(op->a, op->b); }), "%", "T.FloorMod", kMul, os, parent);
    } else if (const auto* op = e.as<DivNode>()) {
      if (op->dtype.is_float()) {
        Binary(op, Rebuilt([&] { return div(op->a, op->b); }), "/", "T.Div", kMul, os, parent);
      } else {
        CallLike("T.Div", {op->a, op->b}, os);
      }
    } else if (const auto* op = e.as<ModNode>()) {
      CallLike(Rebuilt([&] { return truncmod(op->a, op->b); }).same_as(e) ? "T.truncmod" : "T.Mod", {op->a, op->b}, os);
    } else if (const auto* op = e.as<MinNode>()) {
      PrimExpr r = min(op->a, op->b);
      const auto* same = r.as<MinNode>();
      CallLike(same && same->a.same_as(op->a) && same->b.same_as(op->b) ? "T.min" : "T.Min", {op->a, op->b}, os);
    } else if (const auto* op = e.as<MaxNode>()) {
      PrimExpr r = max(op->a, op->b);
      const auto* same = r.as<MaxNode>();
      CallLike(same && same->a.same_as(op->a) && same->b.same_as(op->b) ? "T.max" : "T.Max", {op->a, op->b}, os);
    } else if (const auto* op = e.as<EQNode>()) {
      Compare(op->a, "==", op->b, "T.EQ", kCompare, os, parent);
    } else if (const auto* op = e.as<NENode>()) {
      Compare(op->a, "!=", op->b, "T.NE", kCompare, os, parent);
    } else if (const auto* op = e.as<LTNode>()) {
      Compare(op->a, "<", op->b, "T.LT", kCompare, os, parent);
    } else if (const auto* op = e.as<LENode>()) {
      Compare(op->a, "<=", op->b, "T.LE", kCompare, os, parent);
    } else if (const auto* op = e.as<GTNode>()) {
      Compare(op->a, ">", op->b, "T.GT", kCompare, os, parent);
    } else if (const auto* op = e.as<GENode>()) {
      Compare(op->a, ">=", op->b, "T.GE", kCompare, os, parent);
    } else if (const auto* op = e.as<AndNode>()) {
      Logic(op->a, "and", op->b, "T.And", kAnd, os, parent);
    } else if (const auto* op = e.as<OrNode>()) {
      Logic(op->a, "or", op->b, "T.Or", kOr, os, parent);
    } else if (const auto* op = e.as<NotNode>()) {
      if (op->dtype.lanes() > 1) {
        CallLike("T.Not", {op->a}, os);
        return;
      }
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

  void Logic(const PrimExpr& a, const char* op, const PrimExpr& b, const char* ctor, Prec prec, std::ostream& os,
             int parent) {
    if (a.dtype().lanes() > 1) {
      CallLike(ctor, {a, b}, os);
      return;
    }
    bool paren = prec < parent;
    if (paren) os << "(";
    PrintExpr(a, os, prec);
    os << " " << op << " ";
    PrintExpr(b, os, prec + 1);
    if (paren) os << ")";
  }

  /*!
   * \brief How T.<name>(...) rebuilds a call: the dtype it gives (empty: that of
   *  the first argument), whether the dtype comes first, and whether it folds
   *  or converts constant arguments (then only non-constant calls use it).
   */
  struct CallSugar {
    const char* dtype;
    bool dtype_first;
    bool folds;
  };

  static const CallSugar* FindSugar(const std::string& name) {
    static const std::unordered_map<std::string, CallSugar> kSugar = {
        {"call_extern", {"", true, false}},
        {"reinterpret", {"", true, false}},
        {"call_pure_extern", {"", true, false}},
        {"call_llvm_intrin", {"", true, false}},
        {"call_llvm_pure_intrin", {"", true, false}},
        {"address_of", {"handle", false, false}},
        {"isnullptr", {"bool", false, false}},
        {"tvm_access_ptr", {"handle", false, false}},
        {"tvm_stack_alloca", {"handle", false, false}},
        {"tvm_stack_make_shape", {"handle", false, false}},
        {"tvm_stack_make_array", {"handle", false, false}},
        {"tvm_tuple", {"handle", false, false}},
        {"tvm_struct_set", {"int32", false, false}},
        {"tvm_throw_last_error", {"handle", false, false}},
        {"tvm_check_return", {"int32", false, false}},
        {"tvm_call_packed", {"int32", false, false}},
        {"tvm_call_cpacked", {"int32", false, false}},
        {"tvm_call_packed_lowered", {"int32", false, false}},
        {"tvm_call_cpacked_lowered", {"int32", false, false}},
        {"tvm_thread_allreduce", {"handle", false, false}},
        {"assume", {"bool", false, false}},
        {"undef", {"int32", false, false}},
        {"start_profile_intrinsic", {"handle", false, false}},
        {"end_profile_intrinsic", {"handle", false, false}},
        {"lookup_param", {"handle", false, false}},
        {"popcount", {"", false, false}},
        {"ret", {"", false, false}},
        {"likely", {"", false, true}},
        {"if_then_else", {"*", false, true}},
        {"exp", {"", false, true}},      {"exp2", {"", false, true}},  {"exp10", {"", false, true}},
        {"log", {"", false, true}},      {"log2", {"", false, true}},  {"log10", {"", false, true}},
        {"log1p", {"", false, true}},    {"sqrt", {"", false, true}},  {"rsqrt", {"", false, true}},
        {"tanh", {"", false, true}},     {"sigmoid", {"", false, true}}, {"erf", {"", false, true}},
        {"sin", {"", false, true}},      {"cos", {"", false, true}},   {"tan", {"", false, true}},
        {"asin", {"", false, true}},     {"acos", {"", false, true}},  {"atan", {"", false, true}},
        {"sinh", {"", false, true}},     {"cosh", {"", false, true}},  {"asinh", {"", false, true}},
        {"acosh", {"", false, true}},    {"atanh", {"", false, true}}, {"atan2", {"", false, true}},
        {"floor", {"", false, true}},    {"ceil", {"", false, true}},  {"round", {"", false, true}},
        {"nearbyint", {"", false, true}}, {"trunc", {"", false, true}}, {"fabs", {"", false, true}},
        {"pow", {"", false, true}},      {"fmod", {"", false, true}},  {"copysign", {"", false, true}},
        {"hypot", {"", false, true}},    {"nextafter", {"", false, true}},
        {"bitwise_and", {"", false, true}}, {"bitwise_or", {"", false, true}},
        {"bitwise_xor", {"", false, true}}, {"bitwise_not", {"", false, true}},
        {"shift_left", {"", false, true}},  {"shift_right", {"", false, true}},
    };
    auto it = kSugar.find(name);
    return it == kSugar.end() ? nullptr : &it->second;
  }

  void PrintCall(const CallNode* op, std::ostream& os) {
    if (const auto* gv = op->op.as<GlobalVarNode>()) {
      os << (module_name_.empty() ? "" : module_name_ + ".") << gv->name_hint << "(";
      for (size_t i = 0; i < op->args.size(); ++i) {
        if (i) os << ", ";
        PrintExpr(op->args[i], os, 0);
      }
      os << ")";
      return;
    }
    const auto* o = op->op.as<OpNode>();
    std::string full = o ? std::string(o->name) : AsRepr(op->op);
    std::string name = full.rfind("tir.", 0) == 0 ? full.substr(4) : full;
    if (name == "type_annotation" && op->args.empty()) {
      os << "T.type_annotation(" << Quote(DTypeStr(op->dtype)) << ")";
      return;
    }
    if (name == "tvm_struct_get" && op->args.size() == 3) {
      os << "T.tvm_struct_get(";
      for (const PrimExpr& a : op->args) {
        PrintExpr(a, os, 0);
        os << ", ";
      }
      os << Quote(DTypeStr(op->dtype)) << ")";
      return;
    }
    const CallSugar* sugar = FindSugar(name);
    bool ok = sugar != nullptr && full.rfind("tir.", 0) == 0;
    if (ok && !sugar->dtype_first) {
      std::string expected = sugar->dtype;
      if (expected == "*") {
        ok = op->args.size() == 3 && op->args[1].dtype() == op->dtype && op->args[0].dtype().is_bool();
      } else if (expected.empty()) {
        ok = !op->args.empty() && op->args[0].dtype() == op->dtype;
        for (const PrimExpr& a : op->args) ok = ok && a.dtype() == op->dtype;
      } else {
        ok = DTypeStr(op->dtype) == expected;
      }
      if (sugar->folds) {
        // These fold when their (leading) arguments are constants.
        auto is_const = [](const PrimExpr& a) { return a.as<IntImmNode>() || a.as<FloatImmNode>(); };
        bool all_const = true;
        for (const PrimExpr& a : op->args) all_const = all_const && is_const(a);
        if (name == "if_then_else" || name == "likely") {
          ok = ok && !is_const(op->args[0]);
        } else {
          ok = ok && !all_const;
        }
        bool integer_op = name.rfind("bitwise", 0) == 0 || name.rfind("shift", 0) == 0;
        if (std::string(sugar->dtype).empty() && name != "likely" && !integer_op) ok = ok && op->dtype.is_float();
      }
    }
    if (!ok) {
      // Any op, exactly: T.call_intrin(dtype, "tir.name", args...).
      os << "T.call_intrin(" << Quote(DTypeStr(op->dtype)) << ", " << Quote(full);
      for (const PrimExpr& a : op->args) {
        os << ", ";
        PrintExpr(a, os, 0);
      }
      os << ")";
      return;
    }
    os << "T." << name << "(";
    bool first = true;
    if (sugar->dtype_first) {
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
  std::string module_name_;
  int body_indent_{0};
  std::unordered_map<const Object*, std::string> names_;
  std::unordered_map<std::string, int> name_count_;
  std::unordered_set<std::string> used_names_;
  std::unordered_set<const Object*> declared_buffers_;
  std::vector<std::vector<const Object*>> scopes_;
  std::unordered_map<const Object*, Buffer> data_owner_;
  std::unordered_set<const Object*> used_vars_;
  std::unordered_set<const Object*> seen_buffers_;
  std::unordered_set<const Object*> launched_;
  std::vector<Var> free_vars_;
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
      TIRPrinter(os, "Module").PrintFunc(GetRef<PrimFunc>(f), kv.first->name_hint, 4);
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
void PrintAsScript(const ObjectRef& node, ReprPrinter* p) {
  // A module holding Relay functions prints in the Relay text format (registered by
  // the relay layer, found by name so that tir does not depend on it).
  if (const auto* mod = node.as<IRModuleNode>()) {
    for (const auto& kv : mod->functions) {
      if (kv.second->IsInstance<PrimFuncNode>()) continue;
      if (const runtime::PackedFunc* f = runtime::Registry::Get("relay.ir.AsText")) {
        p->stream << (*f)(node, false).operator std::string();
        return;
      }
    }
  }
  p->stream << AsTIRScript(node);
}

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
