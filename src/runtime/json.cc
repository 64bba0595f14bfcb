/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
#include "json.h"

#include <tvm/runtime/logging.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tvm {
namespace runtime {
namespace json {

namespace {
[[noreturn]] void KindError(const char* expected, Value::Kind got) {
  static const char* names[] = {"null", "bool", "number", "string", "array", "object"};
  throw Error("ValueError", std::string("JSON: expected ") + expected + " but found " + names[got]);
}
}  // namespace

bool Value::AsBool() const {
  if (kind_ != kBool) KindError("bool", kind_);
  return number_ != 0;
}
double Value::AsDouble() const {
  if (kind_ != kNumber) KindError("number", kind_);
  return number_;
}
int64_t Value::AsInt() const {
  if (kind_ != kNumber) KindError("integer", kind_);
  if (is_int_) return int_;
  TVM_CHECK(std::floor(number_) == number_, "ValueError") << "JSON: expected an integer, found " << number_;
  return static_cast<int64_t>(number_);
}
const std::string& Value::AsString() const {
  if (kind_ != kString) KindError("string", kind_);
  return string_;
}
const std::vector<Value>& Value::AsArray() const {
  if (kind_ != kArray) KindError("array", kind_);
  return array_;
}
std::vector<Value>& Value::AsArray() {
  if (kind_ != kArray) KindError("array", kind_);
  return array_;
}
const std::vector<std::pair<std::string, Value>>& Value::AsObject() const {
  if (kind_ != kObject) KindError("object", kind_);
  return object_;
}

void Value::push_back(Value v) {
  if (kind_ != kArray) KindError("array", kind_);
  array_.push_back(std::move(v));
}

void Value::Set(const std::string& key, Value v) {
  if (kind_ != kObject) KindError("object", kind_);
  for (auto& kv : object_) {
    if (kv.first == key) {
      kv.second = std::move(v);
      return;
    }
  }
  object_.emplace_back(key, std::move(v));
}

const Value* Value::Find(const std::string& key) const {
  if (kind_ != kObject) KindError("object", kind_);
  for (const auto& kv : object_) {
    if (kv.first == key) return &kv.second;
  }
  return nullptr;
}

const Value& Value::At(const std::string& key) const {
  const Value* v = Find(key);
  TVM_CHECK(v != nullptr, "ValueError") << "JSON: missing key \"" << key << "\"";
  return *v;
}

size_t Value::size() const {
  if (kind_ == kArray) return array_.size();
  if (kind_ == kObject) return object_.size();
  return 0;
}

namespace {
void DumpString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': *out += "\\\""; break;
      case '\\': *out += "\\\\"; break;
      case '\n': *out += "\\n"; break;
      case '\t': *out += "\\t"; break;
      case '\r': *out += "\\r"; break;
      case '\b': *out += "\\b"; break;
      case '\f': *out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          *out += buf;
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

void NewLine(std::string* out, int indent, int depth) {
  if (indent < 0) return;
  out->push_back('\n');
  out->append(static_cast<size_t>(indent * depth), ' ');
}
}  // namespace

void Value::DumpTo(std::string* out, int indent, int depth) const {
  switch (kind_) {
    case kNull: *out += "null"; break;
    case kBool: *out += number_ != 0 ? "true" : "false"; break;
    case kNumber: {
      if (is_int_) {
        *out += std::to_string(int_);
      } else {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.17g", number_);
        *out += buf;
      }
      break;
    }
    case kString: DumpString(out, string_); break;
    case kArray: {
      out->push_back('[');
      for (size_t i = 0; i < array_.size(); ++i) {
        if (i) out->push_back(',');
        NewLine(out, indent, depth + 1);
        array_[i].DumpTo(out, indent, depth + 1);
      }
      if (!array_.empty()) NewLine(out, indent, depth);
      out->push_back(']');
      break;
    }
    case kObject: {
      out->push_back('{');
      for (size_t i = 0; i < object_.size(); ++i) {
        if (i) out->push_back(',');
        NewLine(out, indent, depth + 1);
        DumpString(out, object_[i].first);
        *out += indent < 0 ? ":" : ": ";
        object_[i].second.DumpTo(out, indent, depth + 1);
      }
      if (!object_.empty()) NewLine(out, indent, depth);
      out->push_back('}');
      break;
    }
  }
}

std::string Value::Dump(int indent) const {
  std::string out;
  DumpTo(&out, indent, 0);
  return out;
}

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  Value ParseDocument() {
    Value v = ParseValue(0);
    SkipSpace();
    if (pos_ != s_.size()) Fail("trailing characters");
    return v;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) {
    throw Error("ValueError", "JSON parse error at offset " + std::to_string(pos_) + ": " + what);
  }
  void SkipSpace() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void Expect(char c) {
    if (!Consume(c)) Fail(std::string("expected '") + c + "'");
  }
  bool Literal(const char* word) {
    size_t n = std::char_traits<char>::length(word);
    if (s_.compare(pos_, n, word) == 0) {
      pos_ += n;
      return true;
    }
    return false;
  }

  Value ParseValue(int depth) {
    if (depth > 512) Fail("nesting too deep");
    SkipSpace();
    if (pos_ >= s_.size()) Fail("unexpected end of input");
    char c = s_[pos_];
    if (c == '{') {
      ++pos_;
      Value obj = Value::Object();
      if (Consume('}')) return obj;
      do {
        SkipSpace();
        if (pos_ >= s_.size() || s_[pos_] != '"') Fail("expected a string key");
        std::string key = ParseString();
        Expect(':');
        obj.object_.emplace_back(std::move(key), ParseValue(depth + 1));
      } while (Consume(','));
      Expect('}');
      return obj;
    }
    if (c == '[') {
      ++pos_;
      Value arr = Value::Array();
      if (Consume(']')) return arr;
      do {
        arr.array_.push_back(ParseValue(depth + 1));
      } while (Consume(','));
      Expect(']');
      return arr;
    }
    if (c == '"') return Value(ParseString());
    if (Literal("true")) return Value(true);
    if (Literal("false")) return Value(false);
    if (Literal("null")) return Value();
    return ParseNumber();
  }

  Value ParseNumber() {
    size_t start = pos_;
    if (s_[pos_] == '-') ++pos_;
    bool is_int = true;
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c >= '0' && c <= '9') {
        ++pos_;
      } else if (c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
        is_int = false;
        ++pos_;
      } else {
        break;
      }
    }
    std::string tok = s_.substr(start, pos_ - start);
    if (tok.empty() || tok == "-") Fail("unexpected character");
    char* end = nullptr;
    if (is_int) {
      errno = 0;
      long long v = std::strtoll(tok.c_str(), &end, 10);
      if (*end == '\0' && errno == 0) return Value(static_cast<int64_t>(v));
    }
    double d = std::strtod(tok.c_str(), &end);
    if (*end != '\0') Fail("bad number '" + tok + "'");
    return Value(d);
  }

  std::string ParseString() {
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= s_.size()) Fail("unterminated string");
      char c = s_[pos_++];
      if (c == '"') break;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= s_.size()) Fail("unterminated escape");
      char e = s_[pos_++];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          if (pos_ + 4 > s_.size()) Fail("bad \\u escape");
          unsigned cp = static_cast<unsigned>(std::strtoul(s_.substr(pos_, 4).c_str(), nullptr, 16));
          pos_ += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF && pos_ + 6 <= s_.size() && s_[pos_] == '\\' && s_[pos_ + 1] == 'u') {
            unsigned lo = static_cast<unsigned>(std::strtoul(s_.substr(pos_ + 2, 4).c_str(), nullptr, 16));
            pos_ += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          // UTF-8 encode.
          if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
          } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
          }
          break;
        }
        default: Fail(std::string("bad escape '\\") + e + "'");
      }
    }
    return out;
  }

  const std::string& s_;
  size_t pos_{0};
};

Value Value::Parse(const std::string& text) { return Parser(text).ParseDocument(); }

}  // namespace json
}  // namespace runtime
}  // namespace tvm
