/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// Source names and spans.
#include <tvm/ir/repr_printer.h>
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

SequentialSpan::SequentialSpan(Array<Span> spans) {
  auto n = make_object<SequentialSpanNode>();
  Array<Span> flat;
  for (const Span& s : spans) {
    if (const auto* seq = s.as<SequentialSpanNode>()) {
      for (const Span& part : seq->spans) flat.push_back(part);
    } else {
      flat.push_back(s);
    }
  }
  n->spans = std::move(flat);
  data_ = std::move(n);
}

namespace {
std::string NameOf(const SpanNode* n) {
  return n->source_name.defined() ? std::string(n->source_name->name) : std::string("<source>");
}

template <typename F>
std::string JoinParts(const SequentialSpanNode* seq, const char* sep, F part) {
  std::string text;
  for (size_t i = 0; i < seq->spans.size(); ++i) {
    if (i) text += sep;
    text += seq->spans[i].defined() ? part(seq->spans[i]) : std::string("<unknown>");
  }
  return text;
}
}  // namespace

std::string Span::ToString() const {
  if (!defined()) return "<unknown>";
  if (const auto* seq = as<SequentialSpanNode>()) {
    return JoinParts(seq, ", ", [](const Span& s) { return s.ToString(); });
  }
  const SpanNode* n = operator->();
  // A frontend's span names a model node and has no position.
  if (n->line == 0 && n->column == 0) return NameOf(n);
  return NameOf(n) + ":" + std::to_string(n->line) + ":" + std::to_string(n->column);
}

std::string Span::Location() const {
  if (!defined()) return "";
  if (const auto* seq = as<SequentialSpanNode>()) {
    return JoinParts(seq, ",", [](const Span& s) { return s.Location(); });
  }
  const SpanNode* n = operator->();
  std::string name = n->source_name.defined() ? std::string(n->source_name->name) : std::string();
  return name + ":" + std::to_string(n->line) + ":" + std::to_string(n->column);
}

static int reg_span_repr = ReprPrinter::Register<SpanNode>([](const ObjectRef& node, ReprPrinter* p) {
  const auto* n = static_cast<const SpanNode*>(node.get());
  p->stream << "Span(" << (n->source_name.defined() ? std::string(n->source_name->name) : std::string("None"))
            << ", " << n->line << ", " << n->end_line << ", " << n->column << ", " << n->end_column << ")";
});

static int reg_sequential_span_repr =
    ReprPrinter::Register<SequentialSpanNode>([](const ObjectRef& node, ReprPrinter* p) {
      const auto* n = static_cast<const SequentialSpanNode*>(node.get());
      p->stream << "SequentialSpan([";
      for (size_t i = 0; i < n->spans.size(); ++i) {
        if (i) p->stream << ", ";
        p->Print(n->spans[i]);
      }
      p->stream << "])";
    });

TVM_REGISTER_NODE_TYPE(SourceNameNode);
TVM_REGISTER_NODE_TYPE(SpanNode);
TVM_REGISTER_NODE_TYPE(SequentialSpanNode);

TVM_REGISTER_GLOBAL("ir.SourceName").set_body_typed([](String name) { return SourceName::Get(name); });
TVM_REGISTER_GLOBAL("ir.Span").set_body_typed([](SourceName source, int line, int end_line, int column, int end_column) {
  return Span(source, line, end_line, column, end_column);
});

TVM_REGISTER_GLOBAL("ir.SequentialSpan").set_body_typed([](Array<Span> spans) { return SequentialSpan(spans); });

}  // namespace tvm
