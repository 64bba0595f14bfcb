/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The default printer: containers print like Python literals, immediates as
// numbers, and any other reflected node as TypeKey(field=value, ...).
#include <tvm/ir/attrs.h>
#include <tvm/ir/expr.h>
#include <tvm/ir/repr_printer.h>
#include <tvm/runtime/registry.h>

#include <iomanip>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "field_collector.h"

namespace tvm {
namespace {

std::vector<ReprPrinter::FPrint>& DispatchTable() {
  static std::vector<ReprPrinter::FPrint>* table = new std::vector<ReprPrinter::FPrint>();
  return *table;
}

void PrintQuoted(std::ostream& os, const std::string& s) {
  os << '"';
  for (char c : s) {
    if (c == '"' || c == '\\') os << '\\';
    if (c == '\n') {
      os << "\\n";
      continue;
    }
    os << c;
  }
  os << '"';
}

void PrintGeneric(const ObjectRef& node, ReprPrinter* p) {
  std::ostream& os = p->stream;
  if (const auto* s = node.as<runtime::StringObj>()) {
    PrintQuoted(os, s->data);
    return;
  }
  if (const auto* arr = node.as<runtime::ArrayNode>()) {
    os << '[';
    for (size_t i = 0; i < arr->size(); ++i) {
      if (i) os << ", ";
      p->Print(arr->data[i]);
    }
    os << ']';
    return;
  }
  if (const auto* map = node.as<runtime::MapNode>()) {
    os << '{';
    bool first = true;
    for (const auto& kv : map->items) {
      if (!first) os << ", ";
      first = false;
      p->Print(kv.first);
      os << ": ";
      p->Print(kv.second);
    }
    os << '}';
    return;
  }
  if (node->IsInstance<runtime::NDArray::Container>()) {
    NDArray arr = Downcast<NDArray>(node);
    os << "NDArray(shape=(";
    auto shape = arr.Shape();
    for (size_t i = 0; i < shape.size(); ++i) os << (i ? ", " : "") << shape[i];
    os << (shape.size() == 1 ? ",)" : ")") << ", dtype=" << arr.DataType() << ", device=" << runtime::DeviceName(arr.Device().device_type) << "(" << arr.Device().device_id << "))";
    return;
  }
  os << node->GetTypeKey();
  if (ReflectionVTable::Global()->Find(node->type_index()) == nullptr) {
    os << "(" << static_cast<const void*>(node.get()) << ")";
    return;
  }
  os << '(';
  bool first = true;
  for (const detail::FieldValue& f : detail::FieldCollector::Collect(node.get())) {
    if (!first) os << ", ";
    first = false;
    os << f.key << '=';
    switch (f.kind) {
      case detail::FieldValue::kFloat: os << std::setprecision(17) << f.f; break;
      case detail::FieldValue::kInt: os << f.i; break;
      case detail::FieldValue::kBool: os << (f.i ? "True" : "False"); break;
      case detail::FieldValue::kStr: PrintQuoted(os, f.s); break;
      case detail::FieldValue::kHandle: os << f.p; break;
      case detail::FieldValue::kDType: os << f.t; break;
      case detail::FieldValue::kNDArray:
      case detail::FieldValue::kObject: p->Print(f.ref); break;
    }
  }
  os << ')';
}

}  // namespace

void ReprPrinter::SetDispatch(uint32_t type_index, FPrint f) {
  auto& table = DispatchTable();
  if (table.size() <= type_index) table.resize(type_index + 1);
  table[type_index] = std::move(f);
}

void ReprPrinter::Print(const ObjectRef& node) {
  if (!node.defined()) {
    stream << "None";
    return;
  }
  const auto& table = DispatchTable();
  uint32_t index = node->type_index();
  // Use the printer of the closest registered ancestor type.
  while (true) {
    if (index < table.size() && table[index]) {
      table[index](node, this);
      return;
    }
    if (index == 0) break;
    index = Object::ParentTypeIndex(index);
  }
  PrintGeneric(node, this);
}

void ReprPrinter::PrintIndent() {
  for (int i = 0; i < indent; ++i) stream << ' ';
}

std::string AsRepr(const ObjectRef& node) {
  std::ostringstream os;
  ReprPrinter p(os);
  p.Print(node);
  return os.str();
}

namespace runtime {
std::ostream& operator<<(std::ostream& os, const ObjectRef& node) {
  ReprPrinter p(os);
  p.Print(node);
  return os;
}
}  // namespace runtime

// Immediates print as the number, with a suffix when the type is not the default.
static int reg_int_imm = ReprPrinter::Register<IntImmNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* n = static_cast<const IntImmNode*>(node.get());
  if (n->dtype.is_bool()) {
    p->stream << (n->value ? "T.bool(True)" : "T.bool(False)");
  } else if (n->dtype == DataType::Int(32)) {
    p->stream << n->value;
  } else {
    p->stream << "T." << n->dtype << "(" << n->value << ")";
  }
});

static int reg_float_imm = ReprPrinter::Register<FloatImmNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* n = static_cast<const FloatImmNode*>(node.get());
  std::ostringstream os;
  os << std::setprecision(9) << n->value;
  std::string text = os.str();
  if (text.find_first_of(".einf") == std::string::npos) text += ".0";
  if (n->dtype == DataType::Float(32)) {
    p->stream << "T.float32(" << text << ")";
  } else {
    p->stream << "T." << n->dtype << "(" << text << ")";
  }
});

static int reg_global_var = ReprPrinter::Register<GlobalVarNode>([](const ObjectRef& node, ReprPrinter* p) {
  p->stream << "I.GlobalVar(\"" << static_cast<const GlobalVarNode*>(node.get())->name_hint << "\")";
});

static int reg_range = ReprPrinter::Register<RangeNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* n = static_cast<const RangeNode*>(node.get());
  p->stream << "range(min=";
  p->Print(n->min);
  p->stream << ", ext=";
  p->Print(n->extent);
  p->stream << ")";
});

TVM_REGISTER_GLOBAL("node.AsRepr").set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
  *rv = AsRepr(args[0].AsObjectRef());
});

}  // namespace tvm
