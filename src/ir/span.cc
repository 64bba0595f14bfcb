/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Source names and spans.
#include <tvm/ir/span.h>
#include <tvm/runtime/registry.h>

#include <mutex>
#include <unordered_map>

namespace tvm {

SourceName SourceName::Get(const String& name) {
  static std::mutex mu;
  static std::unordered_map<std::string, SourceName>* table = new std::unordered_map<std::string, SourceName>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = table->find(name);
  if (it != table->end()) return it->second;
  auto n = make_object<SourceNameNode>();
  n->name = name;
  SourceName sn(ObjectPtr<Object>(std::move(n)));
  table->emplace(name, sn);
  return sn;
}

Span::Span(SourceName source_name, int line, int end_line, int column, int end_column) {
  auto n = make_object<SpanNode>();
  n->source_name = std::move(source_name);
  n->line = line;
  n->end_line = end_line;
  n->column = column;
  n->end_column = end_column;
  data_ = std::move(n);
}

std::string Span::ToString() const {
  if (!defined()) return "<unknown>";
  const SpanNode* n = operator->();
  std::string name = n->source_name.defined() ? std::string(n->source_name->name) : "<source>";
  return name + ":" + std::to_string(n->line) + ":" + std::to_string(n->column);
}

TVM_REGISTER_NODE_TYPE(SourceNameNode);
TVM_REGISTER_NODE_TYPE(SpanNode);

TVM_REGISTER_GLOBAL("ir.SourceName").set_body_typed([](String name) { return SourceName::Get(name); });
TVM_REGISTER_GLOBAL("ir.Span").set_body_typed([](SourceName source, int line, int end_line, int column, int end_column) {
  return Span(source, line, end_line, column, end_column);
});

}  // namespace tvm
