/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// JSON save/load of object graphs through reflection.
//
// {"root": 1,
//  "nodes": [{"type_key": ""},                                   <- index 0 is None
//            {"type_key": "IntImm", "attrs": {"dtype": "int32", "value": "3"}},
//            {"type_key": "Array", "data": [1, 1]},
//            {"type_key": "runtime.String", "repr_str": "abc"},
//            {"type_key": "Map", "keys": ["a"], "data": [1]}],    <- string keys
//  "b64ndarrays": ["..."],
//  "attrs": {"tvm_version": "0.14.0"}}
//
// Field values are strings; object fields hold node indices, so shared
// subterms are written once and stay shared after loading.
#include <tvm/ir/op.h>
#include <tvm/ir/serialization.h>
#include <tvm/runtime/registry.h>

#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "../runtime/json.h"
#include "../support/deep_recursion.h"

namespace tvm {
namespace {

using runtime::json::Value;

std::string Base64Encode(const std::string& in) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    for (int k = 3; k >= 0; --k) out.push_back(table[(v >> (6 * k)) & 63]);
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += {table[(v >> 18) & 63], table[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += {table[(v >> 18) & 63], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

std::string Base64Decode(const std::string& in) {
  auto decode = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=' || c == '\n') continue;
    int d = decode(c);
    TVM_CHECK(d >= 0, "ValueError") << "bad base64 character in saved array";
    acc = (acc << 6) | static_cast<uint32_t>(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  return out;
}

std::string DoubleToString(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", v);
  return buf;
}

class Saver {
 public:
  explicit Saver(bool large_stack) : large_stack_(large_stack) {}

  Value Save(const ObjectRef& root) {
    nodes_ = Value::Array();
    Value null_node = Value::Object();
    null_node.Set("type_key", "");
    nodes_.push_back(null_node);
    arrays_ = Value::Array();
    int64_t root_index = Index(root);
    Value doc = Value::Object();
    doc.Set("root", root_index);
    doc.Set("nodes", nodes_);
    doc.Set("b64ndarrays", arrays_);
    Value attrs = Value::Object();
    attrs.Set("tvm_version", TVM_VERSION);
    doc.Set("attrs", attrs);
    return doc;
  }

 private:
  /*! \brief The node index of `obj`, writing it (and what it references) first if new. */
  int64_t Index(const ObjectRef& obj) {
    if (!obj.defined()) return 0;
    auto it = index_.find(obj.get());
    if (it != index_.end()) return it->second;
    support::DepthGuard guard(&depth_, large_stack_);
    Value node = Value::Object();
    node.Set("type_key", obj->GetTypeKey());
    if (const auto* s = obj.as<runtime::StringObj>()) {
      node.Set("repr_str", s->data);
    } else if (const auto* arr = obj.as<runtime::ArrayNode>()) {
      Value data = Value::Array();
      for (const ObjectRef& x : arr->data) data.push_back(Index(x));
      node.Set("data", data);
    } else if (const auto* map = obj.as<runtime::MapNode>()) {
      bool string_keys = true;
      for (const auto& kv : map->items) string_keys = string_keys && kv.first.as<runtime::StringObj>() != nullptr;
      Value keys = Value::Array(), data = Value::Array();
      for (const auto& kv : map->items) {
        if (string_keys) {
          keys.push_back(kv.first.as<runtime::StringObj>()->data);
        } else {
          data.push_back(Index(kv.first));
        }
        data.push_back(Index(kv.second));
      }
      if (string_keys) node.Set("keys", keys);
      node.Set("data", data);
    } else if (const auto* op = obj.as<OpNode>()) {
      // Operators are registry singletons: saved by name, found by name.
      node.Set("global_key", op->name.str());
    } else if (obj->IsInstance<runtime::NDArray::Container>()) {
      std::string bytes;
      runtime::SaveDLTensor(&bytes, Downcast<NDArray>(obj).operator->());
      node.Set("b64ndarray", static_cast<int64_t>(arrays_.size()));
      arrays_.push_back(Base64Encode(bytes));
    } else {
      TVM_CHECK(ReflectionVTable::Global()->Find(obj->type_index()) != nullptr, "TypeError")
          << "cannot save an object of type '" << obj->GetTypeKey() << "' to JSON (it has no reflection)";
      AttrWriter writer(this);
      ReflectionVTable::Global()->VisitAttrs(const_cast<Object*>(obj.get()), &writer);
      node.Set("attrs", writer.attrs);
    }
    int64_t index = static_cast<int64_t>(nodes_.size());
    nodes_.push_back(node);
    index_[obj.get()] = index;
    return index;
  }

  class AttrWriter final : public AttrVisitor {
   public:
    explicit AttrWriter(Saver* saver) : saver_(saver) {}
    Value attrs = Value::Object();
    void Visit(const char* key, double* v) final { attrs.Set(key, DoubleToString(*v)); }
    void Visit(const char* key, int64_t* v) final { attrs.Set(key, std::to_string(*v)); }
    void Visit(const char* key, uint64_t* v) final { attrs.Set(key, std::to_string(*v)); }
    void Visit(const char* key, int* v) final { attrs.Set(key, std::to_string(*v)); }
    void Visit(const char* key, bool* v) final { attrs.Set(key, std::to_string(static_cast<int>(*v))); }
    void Visit(const char* key, std::string* v) final { attrs.Set(key, *v); }
    void Visit(const char* key, void** v) final {
      TVM_CHECK(*v == nullptr, "TypeError") << "cannot save a raw pointer field '" << key << "' to JSON";
      attrs.Set(key, "0");
    }
    void Visit(const char* key, DataType* v) final { attrs.Set(key, runtime::DLDataType2String(*v)); }
    void Visit(const char* key, NDArray* v) final { attrs.Set(key, std::to_string(saver_->Index(*v))); }
    void Visit(const char* key, ObjectRef* v) final { attrs.Set(key, std::to_string(saver_->Index(*v))); }

   private:
    Saver* saver_;
  };

  Value nodes_, arrays_;
  std::unordered_map<const Object*, int64_t> index_;
  bool large_stack_;
  int depth_{0};
};

class Loader {
 public:
  ObjectRef Load(const std::string& text) {
    Value doc = Value::Parse(text);
    TVM_CHECK(doc.is_object(), "ValueError") << "not a saved object graph: the top level must be a JSON object";
    const Value& nodes = doc.At("nodes");
    const Value* arrays = doc.Find("b64ndarrays");
    int64_t n = static_cast<int64_t>(nodes.size());
    objs_.assign(n, ObjectRef());
    // Pass 1: create every object, so references can be wired in any order.
    for (int64_t i = 1; i < n; ++i) objs_[i] = Create(nodes.AsArray()[i], arrays);
    // Pass 2: fill in fields and elements.
    for (int64_t i = 1; i < n; ++i) Fill(nodes.AsArray()[i], objs_[i]);
    return Get(doc.At("root").AsInt());
  }

 private:
  ObjectRef Get(int64_t index) {
    TVM_CHECK(index >= 0 && index < static_cast<int64_t>(objs_.size()), "ValueError")
        << "saved object graph refers to node " << index << " of " << objs_.size();
    return objs_[index];
  }

  ObjectRef Create(const Value& node, const Value* arrays) {
    const std::string& type_key = node.At("type_key").AsString();
    if (type_key == runtime::StringObj::_type_key) return String(node.At("repr_str").AsString());
    if (type_key == runtime::ArrayNode::_type_key) return ObjectRef(make_object<runtime::ArrayNode>());
    if (type_key == runtime::MapNode::_type_key) return ObjectRef(make_object<runtime::MapNode>());
    if (type_key == runtime::NDArray::Container::_type_key) {
      TVM_CHECK(arrays != nullptr, "ValueError") << "saved object graph has arrays but no b64ndarrays";
      int64_t index = node.At("b64ndarray").AsInt();
      TVM_CHECK(index >= 0 && index < static_cast<int64_t>(arrays->size()), "ValueError")
          << "bad array index " << index;
      std::string bytes = Base64Decode(arrays->AsArray()[index].AsString());
      size_t offset = 0;
      return runtime::LoadDLTensor(bytes, &offset);
    }
    if (type_key == OpNode::_type_key) return Op::Get(node.At("global_key").AsString());
    uint32_t tindex;
    try {
      tindex = Object::TypeKey2Index(type_key);
    } catch (const runtime::Error&) {
      throw runtime::Error("ValueError", "cannot load JSON: unknown object type '" + type_key +
                                             "' (is the library that defines it loaded?)");
    }
    TVM_CHECK(ReflectionVTable::Global()->Find(tindex) != nullptr, "ValueError")
        << "cannot load JSON: type '" << type_key << "' has no reflection";
    return ObjectRef(ReflectionVTable::Global()->CreateInitObject(type_key));
  }

  void Fill(const Value& node, const ObjectRef& obj) {
    Object* raw = const_cast<Object*>(obj.get());
    if (auto* arr = const_cast<runtime::ArrayNode*>(obj.as<runtime::ArrayNode>())) {
      for (const Value& i : node.At("data").AsArray()) arr->data.push_back(Get(i.AsInt()));
    } else if (auto* map = const_cast<runtime::MapNode*>(obj.as<runtime::MapNode>())) {
      const auto& data = node.At("data").AsArray();
      if (const Value* keys = node.Find("keys")) {
        TVM_CHECK(keys->size() == data.size(), "ValueError") << "map keys and values differ in number";
        for (size_t i = 0; i < data.size(); ++i) {
          map->Set(String(keys->AsArray()[i].AsString()), Get(data[i].AsInt()));
        }
      } else {
        TVM_CHECK(data.size() % 2 == 0, "ValueError") << "map data must hold key, value pairs";
        for (size_t i = 0; i < data.size(); i += 2) map->Set(Get(data[i].AsInt()), Get(data[i + 1].AsInt()));
      }
    } else if (ReflectionVTable::Global()->Find(raw->type_index()) != nullptr && !obj->IsInstance<OpNode>()) {
      const Value* attrs = node.Find("attrs");
      if (attrs == nullptr) return;
      AttrReader reader(this, attrs, obj->GetTypeKey());
      ReflectionVTable::Global()->VisitAttrs(raw, &reader);
    }
  }

  class AttrReader final : public AttrVisitor {
   public:
    AttrReader(Loader* loader, const Value* attrs, std::string type_key)
        : loader_(loader), attrs_(attrs), type_key_(std::move(type_key)) {}
    void Visit(const char* key, double* v) final {
      if (const std::string* s = Str(key)) *v = std::strtod(s->c_str(), nullptr);
    }
    void Visit(const char* key, int64_t* v) final {
      if (const std::string* s = Str(key)) *v = ParseInt(key, *s);
    }
    void Visit(const char* key, uint64_t* v) final {
      if (const std::string* s = Str(key)) *v = std::strtoull(s->c_str(), nullptr, 10);
    }
    void Visit(const char* key, int* v) final {
      if (const std::string* s = Str(key)) *v = static_cast<int>(ParseInt(key, *s));
    }
    void Visit(const char* key, bool* v) final {
      if (const std::string* s = Str(key)) *v = ParseInt(key, *s) != 0;
    }
    void Visit(const char* key, std::string* v) final {
      if (const std::string* s = Str(key)) *v = *s;
    }
    void Visit(const char* key, void** v) final { *v = nullptr; }
    void Visit(const char* key, DataType* v) final {
      if (const std::string* s = Str(key)) *v = DataType(runtime::String2DLDataType(*s));
    }
    void Visit(const char* key, NDArray* v) final {
      if (const std::string* s = Str(key)) *v = Downcast<NDArray>(loader_->Get(ParseInt(key, *s)));
    }
    void Visit(const char* key, ObjectRef* v) final {
      if (const std::string* s = Str(key)) *v = loader_->Get(ParseInt(key, *s));
    }

   private:
    const std::string* Str(const char* key) {
      const Value* v = attrs_->Find(key);
      return v != nullptr ? &v->AsString() : nullptr;
    }
    int64_t ParseInt(const char* key, const std::string& s) {
      char* end = nullptr;
      long long v = std::strtoll(s.c_str(), &end, 10);
      TVM_CHECK(!s.empty() && *end == '\0', "ValueError")
          << "field '" << key << "' of " << type_key_ << " should be an integer, got '" << s << "'";
      return v;
    }
    Loader* loader_;
    const Value* attrs_;
    std::string type_key_;
  };

  std::vector<ObjectRef> objs_;
};

}  // namespace

std::string SaveJSON(const ObjectRef& node) {
  try {
    return Saver(false).Save(node).Dump(2);
  } catch (const support::TooDeep&) {
  }
  std::string text;
  support::RunOnLargeStack([&]() { text = Saver(true).Save(node).Dump(2); });
  return text;
}

ObjectRef LoadJSON(const std::string& json) { return Loader().Load(json); }

TVM_REGISTER_GLOBAL("node.SaveJSON").set_body_typed([](ObjectRef node) { return SaveJSON(node); });
TVM_REGISTER_GLOBAL("node.LoadJSON").set_body_typed([](std::string json) { return LoadJSON(json); });

}  // namespace tvm
