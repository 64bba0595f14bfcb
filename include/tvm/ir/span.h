/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
/*!
 * \file tvm/ir/span.h
 * \brief Where in the user's source a node came from: the text parser and the
 *  frontends set it, and errors about the node quote it.
 */
#ifndef TVM_IR_SPAN_H_
#define TVM_IR_SPAN_H_

#include <tvm/ir/reflection.h>

#include <string>

namespace tvm {

/*! \brief The name of a source: a file, "from_string", or a model's node. */
class SourceNameNode : public Object {
 public:
  String name;
  void VisitAttrs(AttrVisitor* v) { v->Visit("name", &name); }
  static constexpr const char* _type_key = "SourceName";
  static constexpr bool _type_final = true;
  using _type_parent = Object;
};

class SourceName : public ObjectRef {
 public:
  using ContainerType = SourceNameNode;
  using ObjectRef::ObjectRef;
  SourceName() = default;
  /*! \brief The one SourceName of `name` (names are interned). */
  TVM_DLL static SourceName Get(const String& name);
  const SourceNameNode* operator->() const { return static_cast<const SourceNameNode*>(get()); }
};

/*! \brief A range of a source: lines and columns count from 1 (0 when unknown, as in a model's node). */
class SpanNode : public Object {
 public:
  SourceName source_name;
  int line{0};
  int column{0};
  int end_line{0};
  int end_column{0};
  void VisitAttrs(AttrVisitor* v) {
    v->Visit("source_name", &source_name);
    v->Visit("line", &line);
    v->Visit("column", &column);
    v->Visit("end_line", &end_line);
    v->Visit("end_column", &end_column);
  }
  static constexpr const char* _type_key = "Span";
  // Not final: SequentialSpanNode derives from it.
  static constexpr bool _type_final = false;
  using _type_parent = Object;
};

class Span : public ObjectRef {
 public:
  using ContainerType = SpanNode;
  using ObjectRef::ObjectRef;
  Span() = default;
  TVM_DLL Span(SourceName source_name, int line, int end_line, int column, int end_column);
  /*! \brief For messages: "name:line:column", or "name" when the line is unknown (a frontend's node);
   *  a sequential span lists its parts, separated by ", ". */
  TVM_DLL std::string ToString() const;
  /*! \brief "name:line:column" (a sequential span: its parts joined by ","), as the text printer writes it. */
  TVM_DLL std::string Location() const;
  const SpanNode* operator->() const { return static_cast<const SpanNode*>(get()); }
};

/*!
 * \brief The spans of the several source nodes one expression came from (a frontend
 *  converter that maps two nodes to one call, a pass that merges expressions).
 *  A nested sequential span is flattened into its parts; the position fields stay 0.
 */
class SequentialSpanNode : public SpanNode {
 public:
  Array<Span> spans;
  void VisitAttrs(AttrVisitor* v) {
    SpanNode::VisitAttrs(v);
    v->Visit("spans", &spans);
  }
  static constexpr const char* _type_key = "SequentialSpan";
  static constexpr bool _type_final = true;
  using _type_parent = SpanNode;
};

class SequentialSpan : public Span {
 public:
  using ContainerType = SequentialSpanNode;
  using Span::Span;
  SequentialSpan() = default;
  TVM_DLL explicit SequentialSpan(Array<Span> spans);
  const SequentialSpanNode* operator->() const { return static_cast<const SequentialSpanNode*>(get()); }
};

}  // namespace tvm
#endif  // TVM_IR_SPAN_H_
