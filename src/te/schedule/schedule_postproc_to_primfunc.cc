/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file src/te/schedule/schedule_postproc_to_primfunc.cc
 * \brief SchedulePostProcToPrimFunc: from the tensor-level loop nest of
 *  ScheduleOps to a PrimFunc over buffers.
 *
 * Every tensor gets one buffer: an argument's buffer (from `binds`, or a new
 * one named like the tensor), or, for an intermediate stage, a buffer whose
 * data pointer carries the stage's storage scope (ProducerRealize's
 * storage_scope; "" lets StorageFlatten choose by the enclosing threads).
 * ProducerRealize/Store/Load become BufferRealize/Store/Load, and attributes
 * that named operations or tensors (double_buffer_scope, buffer_bind_scope,
 * buffer_dim_align, prefetch_scope) name the buffers instead, so no TE object
 * is left. A "realize_scope" AttrStmt on an operation (IR built by hand the
 * older way) still sets the scope of that operation's buffers.
 *
 *   def f(A: handle, B: handle)         buffer_map: A -> A[1024], B -> B[1024]
 *     B[i] = A[i] + 1                    (BufferStore/BufferLoad)
 */
#include <tvm/ir/repr_printer.h>
#include <tvm/arith/analyzer.h>
#include <tvm/runtime/registry.h>
#include <tvm/te/schedule.h>
#include <tvm/tir/op.h>
#include <tvm/tir/stmt_functor.h>

#include <unordered_set>

#include "transform_layout.h"
#include "../operation/op_utils.h"

namespace tvm {
namespace te {

namespace {

class TensorToBuffer : public StmtExprMutator {
 public:
  /*! \brief buffers: the buffers of arguments and binds, which exist outside the function. */
  explicit TensorToBuffer(TensorMap<Buffer> buffers) : buffers_(std::move(buffers)) {
    for (const auto& kv : buffers_) external_.insert(kv.second.get());
  }

  using StmtExprMutator::operator();

  /*! \brief Record the storage scope of every realized tensor, before any visit allocates its buffer. */
  void CollectScopes(const Stmt& body) {
    PostOrderVisit(body, [this](const ObjectRef& n) {
      if (const auto* realize = n.as<ProducerRealizeNode>()) {
        if (const auto* t = realize->producer.as<TensorNode>()) {
          scopes_.emplace(GetRef<Tensor>(t), realize->storage_scope);
        }
      } else if (const auto* attr = n.as<AttrStmtNode>()) {
        const auto* operation = attr->node.as<OperationNode>();
        const auto* scope = attr->value.as<StringImmNode>();
        if (attr->attr_key == tir::attr::realize_scope && operation != nullptr && scope != nullptr &&
            !scope->value.empty()) {
          // A hand-written realize_scope attribute (visited after the realize inside it) wins.
          Operation op = GetRef<Operation>(operation);
          for (int i = 0; i < op->num_outputs(); ++i) scopes_[op.output(i)] = scope->value;
        }
      }
    });
  }

  Buffer GetOrAlloc(const Tensor& t) {
    auto it = buffers_.find(t);
    if (it != buffers_.end()) return it->second;
    // Whichever node reaches the tensor first (a buffer_dim_align attribute sits outside its
    // realize), the buffer gets the scope of the tensor's realize.
    auto sit = scopes_.find(t);
    std::string scope = sit != scopes_.end() ? sit->second : std::string();
    Buffer b = decl_buffer(t->shape, t->dtype, t->GetNameHint(), scope);
    buffers_[t] = b;
    return b;
  }

 protected:
  Stmt VisitStmt_(const ProducerRealizeNode* op) final {
    Tensor t = Downcast<Tensor>(op->producer);
    Buffer buffer = GetOrAlloc(t);
    Stmt body = VisitStmt(op->body);
    // An argument's storage is the caller's: nothing to realize.
    if (external_.count(buffer.get())) return body;
    Array<Range> bounds = VisitRanges(op->bounds);
    return BufferRealize(buffer, bounds, VisitExpr(op->condition), body);
  }

  Stmt VisitStmt_(const ProducerStoreNode* op) final {
    Buffer buffer = GetOrAlloc(Downcast<Tensor>(op->producer));
    return BufferStore(buffer, VisitExpr(op->value), VisitExprs(op->indices));
  }

  PrimExpr VisitExpr_(const ProducerLoadNode* op) final {
    Buffer buffer = GetOrAlloc(Downcast<Tensor>(op->producer));
    return BufferLoad(buffer, VisitExprs(op->indices));
  }

  Stmt VisitStmt_(const AttrStmtNode* op) final {
    const std::string& key = op->attr_key;
    if (key == tir::attr::realize_scope || key == tir::attr::double_buffer_scope) {
      if (const auto* node = op->node.as<OperationNode>()) {
        Operation operation = GetRef<Operation>(node);
        std::vector<Buffer> outputs;
        for (int i = 0; i < operation->num_outputs(); ++i) outputs.push_back(GetOrAlloc(operation.output(i)));
        Stmt body = VisitStmt(op->body);
        // realize_scope has done its work: the scope is in the buffers' data pointers.
        if (key == tir::attr::realize_scope) return body;
        for (size_t i = outputs.size(); i > 0; --i) body = AttrStmt(outputs[i - 1], key, op->value, body);
        return body;
      }
    } else if (key == tir::attr::buffer_bind_scope) {
      Array<ObjectRef> tuple = Downcast<Array<ObjectRef>>(op->node);
      if (const auto* t = tuple[1].as<TensorNode>()) {
        Buffer target = GetOrAlloc(GetRef<Tensor>(t));
        return AttrStmt(Array<ObjectRef>{tuple[0], target}, key, VisitExpr(op->value), VisitStmt(op->body));
      }
    } else if (key == kLayoutTransformsAttr || key == kAxisSeparatorsAttr) {
      // Resolved to buffers once the body has made them (in their storage scopes).
      layout_attrs_.push_back(op);
      return VisitStmt(op->body);
    } else if (key == tir::attr::buffer_dim_align || key == tir::attr::prefetch_scope) {
      if (const auto* t = op->node.as<TensorNode>()) {
        Buffer buffer = GetOrAlloc(GetRef<Tensor>(t));
        return AttrStmt(buffer, key, VisitExpr(op->value), VisitStmt(op->body));
      }
    }
    return StmtExprMutator::VisitStmt_(op);
  }

 public:
  /*! \brief The layout attributes as PrimFunc attributes over buffers (for ApplyLayoutTransforms). */
  PrimFunc AttachLayoutAttrs(PrimFunc func) {
    Map<Buffer, Array<tir::IndexMap>> transforms;
    Map<Buffer, Array<IntImm>> separators;
    for (const AttrStmtNode* op : layout_attrs_) {
      Array<ObjectRef> node = Downcast<Array<ObjectRef>>(op->node);
      Buffer buffer = GetOrAlloc(Downcast<Tensor>(node[0]));
      if (op->attr_key == kLayoutTransformsAttr) {
        Array<tir::IndexMap> maps;
        for (size_t i = 1; i < node.size(); ++i) maps.push_back(Downcast<tir::IndexMap>(node[i]));
        transforms.Set(buffer, maps);
      } else {
        Array<IntImm> seps;
        for (size_t i = 1; i < node.size(); ++i) seps.push_back(Downcast<IntImm>(node[i]));
        separators.Set(buffer, seps);
      }
    }
    if (!transforms.empty()) func = WithAttr(std::move(func), "layout_transform_map", transforms);
    if (!separators.empty()) func = WithAttr(std::move(func), "layout_axis_separators", separators);
    return func;
  }

 private:
  std::vector<const AttrStmtNode*> layout_attrs_;
  TensorMap<Buffer> buffers_;
  TensorMap<std::string> scopes_;
  std::unordered_set<const Object*> external_;
};

}  // namespace

PrimFunc SchedulePostProcToPrimFunc(Array<ObjectRef> arg_list, Stmt body, std::optional<Map<Tensor, Buffer>> binds) {
  TensorMap<Buffer> buffers;
  if (binds.has_value()) {
    for (const auto& kv : *binds) buffers[kv.first] = kv.second;
  }
  Array<Var> params;
  Map<Var, Buffer> buffer_map;
  for (const ObjectRef& arg : arg_list) {
    if (const auto* v = arg.as<VarNode>()) {
      params.push_back(GetRef<Var>(v));
    } else if (const auto* t = arg.as<TensorNode>()) {
      Tensor tensor = GetRef<Tensor>(t);
      Buffer buffer;
      auto it = buffers.find(tensor);
      if (it != buffers.end()) {
        buffer = it->second;
      } else {
        buffer = decl_buffer(tensor->shape, tensor->dtype, tensor->GetNameHint());
        buffers[tensor] = buffer;
      }
      Var handle(buffer->name, PrimType(DataType::Handle()));
      params.push_back(handle);
      buffer_map.Set(handle, buffer);
    } else if (const auto* b = arg.as<BufferNode>()) {
      Buffer buffer = GetRef<Buffer>(b);
      Var handle(buffer->name, PrimType(DataType::Handle()));
      params.push_back(handle);
      buffer_map.Set(handle, buffer);
    } else {
      TVM_CHECK(false, "TypeError") << "the arguments of a lowered function must be tensors, buffers or "
                                       "variables; got a "
                                    << (arg.defined() ? arg->GetTypeKey() : std::string("None"));
    }
  }
  TensorToBuffer to_buffer(std::move(buffers));
  to_buffer.CollectScopes(body);
  Stmt new_body = to_buffer(body);
  PrimFunc func = to_buffer.AttachLayoutAttrs(PrimFunc(params, new_body, TupleType::Empty(), buffer_map));
  func = WithAttr(std::move(func), tir::attr::kFromLegacyTESchedule, Bool(true));
  return func;
}

void VerifyCompactBuffer(const Stmt& stmt) {
  arith::Analyzer analyzer;
  PostOrderVisit(stmt, [&analyzer](const ObjectRef& n) {
    const auto* realize = n.as<ProducerRealizeNode>();
    if (realize == nullptr) return;
    for (size_t i = 0; i < realize->bounds.size(); ++i) {
      TVM_CHECK(!analyzer.CanProve(realize->bounds[i]->extent <= 0), "ValueError")
          << "stage " << realize->producer->GetNameHint() << " is realized with an empty extent "
          << realize->bounds[i]->extent << " in dimension " << i;
    }
  });
}

TVM_REGISTER_GLOBAL("schedule.VerifyCompactBuffer").set_body_typed([](Stmt stmt) { VerifyCompactBuffer(stmt); });
TVM_REGISTER_GLOBAL("schedule.SchedulePostProcToPrimFunc")
    .set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
      TVM_CHECK(args.size() == 2 || args.size() == 3, "TypeError")
          << "SchedulePostProcToPrimFunc(args, body, binds=None) takes 2 or 3 arguments, got " << args.size();
      std::optional<Map<Tensor, Buffer>> binds;
      if (args.size() == 3) binds = args[2].AsType<std::optional<Map<Tensor, Buffer>>>();
      *rv = SchedulePostProcToPrimFunc(args[0].AsType<Array<ObjectRef>>(), args[1].AsType<Stmt>(), binds);
    });

}  // namespace te
}  // namespace tvm
