/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
// The Relay text format, reading side: the syntax src/relay/printer writes, back to
// a module or an expression structurally equal to what was printed.
//
//   #[version = "0.0.5"]
//   def @main(%x: Tensor[(1, 3), float32]) -> Tensor[(1, 3), float32] {
//     %0 = add(%x, 1f);                 // a temporary: names a shared node
//     let %y = (%0, %x);                // a Let node
//     %y.0
//   }
//   #[metadata]
//   { ...JSON of the meta[type_key][index] objects... }
//
// Every node it creates carries a Span (source name, line, column). Errors are
// DiagnosticError naming the line and column and quoting the line with a caret.
// Sequences of bindings are parsed in a loop, so long chains of `%n = ...;` or
// `let` do not deepen the parser's recursion; only nesting written in the text does.
#include <tvm/ir/module.h>
#include <tvm/ir/serialization.h>
#include <tvm/ir/type_relation.h>
#include <tvm/relay/adt.h>
#include <tvm/relay/expr.h>
#include <tvm/relay/function.h>
#include <tvm/relay/transform.h>
#include <tvm/runtime/registry.h>
#include <tvm/tir/expr.h>

#include <cctype>
#include <cerrno>
#include <deque>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "../printer/scalar_text.h"
#include "text_format.h"

namespace tvm {
namespace relay {
namespace {

enum class Tok { kIdent, kLocal, kGlobal, kInt, kFloat, kString, kPunct, kEnd };

struct Token {
  Tok kind;
  std::string text;   // identifier/name without sigil, punctuation, string contents
  int line, col;      // 1-based start
  int end_line, end_col;
  // numbers
  int64_t ival{0};
  double fval{0};
  DataType dtype;
  bool has_suffix{false};
};

// '/' may appear inside a name (base/x) but not start one: there it is division.
bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentChar(char c) { return IdentStart(c) || c == '/' || std::isdigit(static_cast<unsigned char>(c)); }

class Parser {
 public:
  Parser(std::string source_name, std::string text, Map<String, Array<ObjectRef>> meta)
      : source_(SourceName::Get(source_name)), source_name_(std::move(source_name)) {
    // The metadata section is JSON; everything after its marker belongs to it.
    size_t pos = text.find("#[metadata]");
    if (pos != std::string::npos) {
      std::string json = text.substr(pos + 11);
      text = text.substr(0, pos);
      if (json.find_first_not_of(" \t\r\n") != std::string::npos) {
        ObjectRef loaded;
        try {
          loaded = LoadJSON(json);
        } catch (const runtime::Error& e) {
          throw runtime::Error("DiagnosticError", source_name_ + ": the #[metadata] section is not valid: " + e.what());
        }
        auto table = Downcast<Map<String, Array<ObjectRef>>>(loaded);
        for (const auto& kv : table) meta.Set(kv.first, kv.second);
      }
    }
    meta_ = meta;
    text_ = std::move(text);
    Tokenize();
  }

  IRModule ParseModule(const IRModule& init) {
    IRModule mod = init.defined() ? init : IRModule();
    if (init.defined()) {
      for (const auto& kv : mod->functions) globals_[kv.first->name_hint] = kv.first;
      for (const auto& kv : mod->type_definitions) AddKnownType(kv.first, kv.second);
    }
    SkipVersion();
    std::vector<std::pair<GlobalVar, BaseFunc>> defs;
    std::unordered_map<std::string, bool> defined;
    while (Peek().kind != Tok::kEnd) {
      const Token& t = Peek();
      if (IsWord("type") || (IsWord("extern") && Peek(1).kind == Tok::kIdent && Peek(1).text == "type")) {
        TypeData td = ParseTypeDef();
        mod.CopyOnWrite()->AddTypeDef(td->header, td, /*update=*/true);
        continue;
      }
      if (!IsWord("def")) Fail(t, "expected 'def' to start a global function, got " + Describe(t));
      const Token& def = Next();
      const Token& name = Expect(Tok::kGlobal, "the name of the function (@name)");
      GlobalVar gv = Global(name.text);
      if (defined[name.text]) Fail(name, "the function @" + name.text + " is defined twice");
      defined[name.text] = true;
      BaseFunc func;
      if (AcceptPunct("=")) {
        func = Downcast<BaseFunc>(ParseMeta());
        AcceptPunct(";");
      } else {
        func = ParseFunctionRest(def);
      }
      defs.emplace_back(gv, func);
    }
    for (const auto& kv : global_uses_) {
      bool known = defined.count(kv.first) || (init.defined() && init->ContainGlobalVar(kv.first));
      if (!known) Fail(kv.second, "the global function @" + kv.first + " is used but never defined");
    }
    for (auto& d : defs) mod.CopyOnWrite()->Add(d.first, d.second, /*update=*/true);
    return mod;
  }

  Expr ParseExprTop() {
    SkipVersion();
    PushScope();
    Expr e = ParseSeq();
    PopScope();
    if (Peek().kind != Tok::kEnd) Fail(Peek(), "expected the end of the expression, got " + Describe(Peek()));
    return e;
  }

 private:
  // ------------------------------------------------------------------ tokens
  [[noreturn]] void FailAt(int line, int col, const std::string& msg) const {
    std::ostringstream os;
    os << source_name_ << ":" << line << ":" << col << ": error: " << msg << "\n";
    std::string text_line;
    std::istringstream is(text_);
    for (int i = 0; i < line && std::getline(is, text_line); ++i) {
    }
    os << "  " << text_line << "\n  " << std::string(col > 1 ? col - 1 : 0, ' ') << "^";
    throw runtime::Error("DiagnosticError", os.str());
  }
  [[noreturn]] void Fail(const Token& t, const std::string& msg) const { FailAt(t.line, t.col, msg); }

  static std::string Describe(const Token& t) {
    switch (t.kind) {
      case Tok::kEnd: return "the end of the text";
      case Tok::kLocal: return "'%" + t.text + "'";
      case Tok::kGlobal: return "'@" + t.text + "'";
      case Tok::kString: return "the string \"" + t.text + "\"";
      default: return "'" + t.text + "'";
    }
  }

  void Tokenize() {
    size_t i = 0, n = text_.size();
    int line = 1, col = 1;
    auto adv = [&](size_t k) {
      for (size_t j = 0; j < k && i < n; ++j, ++i) {
        if (text_[i] == '\n') {
          ++line;
          col = 1;
        } else {
          ++col;
        }
      }
    };
    while (i < n) {
      char c = text_[i];
      if (std::isspace(static_cast<unsigned char>(c))) {
        adv(1);
        continue;
      }
      if (c == '/' && i + 1 < n && text_[i + 1] == '/') {
        while (i < n && text_[i] != '\n') adv(1);
        continue;
      }
      if (c == '/' && i + 1 < n && text_[i + 1] == '*') {
        int sl = line, sc = col, depth = 0;
        do {
          if (i + 1 < n && text_[i] == '/' && text_[i + 1] == '*') {
            ++depth;
            adv(2);
          } else if (i + 1 < n && text_[i] == '*' && text_[i + 1] == '/') {
            --depth;
            adv(2);
          } else {
            adv(1);
          }
        } while (depth > 0 && i < n);
        if (depth > 0) FailAt(sl, sc, "this comment is never closed (missing */)");
        continue;
      }
      Token t;
      t.line = line;
      t.col = col;
      size_t start = i;
      bool after_dot = !tokens_.empty() && tokens_.back().kind == Tok::kPunct && tokens_.back().text == ".";
      if ((c == '%' || c == '@') && i + 1 < n && IdentChar(text_[i + 1])) {
        adv(1);
        size_t s = i;
        while (i < n && IdentChar(text_[i])) adv(1);
        t.kind = c == '%' ? Tok::kLocal : Tok::kGlobal;
        t.text = text_.substr(s, i - s);
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 (c == '-' && i + 1 < n && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        LexNumber(&t, after_dot, &i, adv);
      } else if (IdentStart(c)) {
        while (i < n && IdentChar(text_[i])) adv(1);
        t.kind = Tok::kIdent;
        t.text = text_.substr(start, i - start);
      } else if (c == '"') {
        adv(1);
        std::string s;
        while (i < n && text_[i] != '"') {
          if (text_[i] == '\n') FailAt(t.line, t.col, "this string is never closed (missing \")");
          if (text_[i] == '\\' && i + 1 < n) {
            char e = text_[i + 1];
            s += e == 'n' ? '\n' : e == 't' ? '\t' : e;
            adv(2);
          } else {
            s += text_[i];
            adv(1);
          }
        }
        if (i >= n) FailAt(t.line, t.col, "this string is never closed (missing \")");
        adv(1);
        t.kind = Tok::kString;
        t.text = s;
      } else {
        static const char* two[] = {"->", "=>", "#[", "<=", ">=", "==", "!="};
        t.kind = Tok::kPunct;
        t.text = std::string(1, c);
        for (const char* p : two) {
          if (text_.compare(i, 2, p) == 0) t.text = p;
        }
        if (std::string("()[]{},;:=.?->#*/+<!").find(c) == std::string::npos) {
          FailAt(line, col, std::string("unexpected character '") + c + "'");
        }
        adv(t.text.size());
      }
      t.end_line = line;
      t.end_col = col;
      tokens_.push_back(std::move(t));
    }
    Token end;
    end.kind = Tok::kEnd;
    end.line = line;
    end.col = col;
    end.end_line = line;
    end.end_col = col;
    tokens_.push_back(end);
  }

  template <typename Adv>
  void LexNumber(Token* t, bool after_dot, size_t* ip, Adv adv) {
    size_t& i = *ip;
    size_t n = text_.size(), start = i;
    if (text_[i] == '-') adv(1);
    while (i < n && std::isdigit(static_cast<unsigned char>(text_[i]))) adv(1);
    bool is_float = false;
    if (!after_dot && i + 1 < n && text_[i] == '.' && std::isdigit(static_cast<unsigned char>(text_[i + 1]))) {
      is_float = true;
      adv(1);
      while (i < n && std::isdigit(static_cast<unsigned char>(text_[i]))) adv(1);
    }
    if (!after_dot && i < n && (text_[i] == 'e' || text_[i] == 'E')) {
      size_t j = i + 1;
      if (j < n && (text_[j] == '+' || text_[j] == '-')) ++j;
      if (j < n && std::isdigit(static_cast<unsigned char>(text_[j]))) {
        is_float = true;
        adv(j - i);
        while (i < n && std::isdigit(static_cast<unsigned char>(text_[i]))) adv(1);
      }
    }
    std::string num = text_.substr(start, i - start);
    char suffix = 0;
    int bits = 0;
    if (i < n && (text_[i] == 'f' || text_[i] == 'i' || text_[i] == 'u')) {
      suffix = text_[i];
      adv(1);
      size_t s = i;
      while (i < n && std::isdigit(static_cast<unsigned char>(text_[i]))) adv(1);
      bits = s < i ? std::atoi(text_.substr(s, i - s).c_str()) : (suffix == 'f' ? 32 : 32);
      t->has_suffix = true;
    }
    t->text = text_.substr(start, i - start);
    if (i < n && IdentChar(text_[i])) FailAt(t->line, t->col, "malformed number '" + t->text + text_[i] + "'");
    if (suffix == 'f' || (suffix == 0 && is_float)) {
      if (suffix == 0) bits = 32;
      if (bits != 16 && bits != 32 && bits != 64) FailAt(t->line, t->col, "unsupported float width in '" + t->text + "'");
      t->kind = Tok::kFloat;
      t->fval = std::strtod(num.c_str(), nullptr);
      t->dtype = DataType::Float(bits);
      double limit = bits == 16 ? 65504.0 : bits == 32 ? std::numeric_limits<float>::max() : std::numeric_limits<double>::max();
      if (!(std::fabs(t->fval) <= limit)) {
        FailAt(t->line, t->col, "the literal " + t->text + " is out of the range of " + runtime::DLDataType2String(t->dtype));
      }
      return;
    }
    if (is_float) FailAt(t->line, t->col, "'" + t->text + "' is a float written with an integer suffix");
    t->kind = Tok::kInt;
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(num.c_str(), &end, 10);
    if (errno == ERANGE) FailAt(t->line, t->col, "the integer " + num + " does not fit in 64 bits");
    t->ival = v;
    if (suffix == 0) {
      bool fits32 = v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max();
      t->dtype = DataType::Int(fits32 ? 32 : 64);
      return;
    }
    if (bits != 8 && bits != 16 && bits != 32 && bits != 64) {
      FailAt(t->line, t->col, "unsupported integer width in '" + t->text + "'");
    }
    t->dtype = suffix == 'i' ? DataType::Int(bits) : DataType::UInt(bits);
    bool ok;
    if (suffix == 'i') {
      ok = bits == 64 || (v >= -(1LL << (bits - 1)) && v < (1LL << (bits - 1)));
    } else {
      ok = v >= 0 && (bits == 64 || v < (1LL << bits));
    }
    if (!ok) FailAt(t->line, t->col, "the literal " + t->text + " does not fit in " + runtime::DLDataType2String(t->dtype));
  }

  const Token& Peek(int k = 0) const {
    size_t j = std::min(pos_ + k, tokens_.size() - 1);
    return tokens_[j];
  }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool IsPunct(const char* p, int k = 0) const { return Peek(k).kind == Tok::kPunct && Peek(k).text == p; }
  bool IsWord(const char* w, int k = 0) const { return Peek(k).kind == Tok::kIdent && Peek(k).text == w; }
  bool AcceptPunct(const char* p) {
    if (!IsPunct(p)) return false;
    Next();
    return true;
  }
  const Token& ExpectPunct(const char* p) {
    if (!IsPunct(p)) Fail(Peek(), std::string("expected '") + p + "', got " + Describe(Peek()));
    return Next();
  }
  const Token& Expect(Tok kind, const std::string& what) {
    if (Peek().kind != kind) Fail(Peek(), "expected " + what + ", got " + Describe(Peek()));
    return Next();
  }

  Span SpanFrom(const Token& start) const {
    const Token& last = tokens_[pos_ > 0 ? pos_ - 1 : 0];
    return Span(source_, start.line, last.end_line, start.col, last.end_col);
  }

  void SkipVersion() {
    if (IsPunct("#[")) {
      const Token& start = Next();
      if (!IsWord("version")) Fail(start, "expected #[version = \"0.0.5\"]");
      Next();
      ExpectPunct("=");
      const Token& v = Expect(Tok::kString, "the version string");
      if (v.text != "0.0.5") Fail(v, "unsupported text format version \"" + v.text + "\" (this parser reads 0.0.5)");
      ExpectPunct("]");
    }
  }

  // ------------------------------------------------------------------ scopes
  void PushScope() { scopes_.emplace_back(); }
  void PopScope() { scopes_.pop_back(); }
  void Bind(const std::string& name, const Expr& e) { scopes_.back()[name] = e; }

  Expr LookupLocal(const Token& t) {
    for (auto s = scopes_.rbegin(); s != scopes_.rend(); ++s) {
      auto it = s->find(t.text);
      if (it != s->end()) return it->second;
    }
    Fail(t, "unbound variable %" + t.text);
  }

  GlobalVar Global(const std::string& name) {
    auto it = globals_.find(name);
    if (it != globals_.end()) return it->second;
    GlobalVar gv(name);
    globals_[name] = gv;
    return gv;
  }

  Var DeclareVar() {
    const Token& t = Expect(Tok::kLocal, "a variable (%name)");
    if (std::isdigit(static_cast<unsigned char>(t.text[0]))) {
      Fail(t, "%" + t.text + " names a temporary; variables need a name starting with a letter");
    }
    Type ty;
    if (AcceptPunct(":")) {
      if (IsWord("_")) {
        Next();  // `%x: _` declares no type
      } else {
        ty = ParseType();
      }
    }
    Var v(t.text, ty, SpanFrom(t));
    Bind(t.text, v);
    return v;
  }

  // ------------------------------------------------------------------ expressions
  /*! \brief Bindings (let, temporaries, free_var) then the result; lets wrap the result. */
  Expr ParseSeq() {
    struct LetBinding {
      Var var;
      Expr value;
      const Token* start;
    };
    std::vector<LetBinding> lets;
    while (true) {
      if (IsWord("let")) {
        const Token& start = Next();
        Var v = DeclareVar();
        ExpectPunct("=");
        Expr value = ParseExpr();
        ExpectPunct(";");
        lets.push_back({v, value, &start});
      } else if (Peek().kind == Tok::kLocal && std::isdigit(static_cast<unsigned char>(Peek().text[0])) &&
                 IsPunct("=", 1)) {
        std::string name = Next().text;
        Next();
        Expr value = ParseExpr();
        ExpectPunct(";");
        Bind(name, value);
      } else if (IsWord("free_var")) {
        Next();
        Var v = DeclareVar();
        scopes_.front()[v->name_hint] = v;
        ExpectPunct(";");
      } else {
        // `e1; e2` evaluates e1 for its effects: a let of a variable named _.
        const Token& start = Peek();
        Expr e = ParseExpr();
        if (!IsPunct(";")) {
          Expr result = e;
          for (auto it = lets.rbegin(); it != lets.rend(); ++it) {
            result = Let(it->var, it->value, result, SpanFrom(*it->start));
          }
          return result;
        }
        Next();
        lets.push_back({Var("_", Type(), SpanFrom(start)), e, &start});
      }
    }
  }

  /*! \brief Infix operators, loosest first; each level is left associative. */
  Expr ParseExpr() {
    // Nesting written in the text recurses; past this depth, stop with an error
    // instead of exhausting the stack (printed text binds with %n = ... instead).
    constexpr int kMaxDepth = 2000;
    struct Depth {
      int* d;
      explicit Depth(int* d) : d(d) { ++*d; }
      ~Depth() { --*d; }
    } guard(&depth_);
    if (depth_ > kMaxDepth) {
      Fail(Peek(), "expressions are nested more than " + std::to_string(kMaxDepth) +
                       " levels deep; bind inner results to temporaries (%0 = ...;) instead");
    }
    return ParseBinary(0);
  }

  Expr ParseBinary(int level) {
    static const std::vector<std::vector<std::pair<const char*, const char*>>> levels = {
        {{"==", "equal"}, {"!=", "not_equal"}},
        {{"<", "less"}, {">", "greater"}, {"<=", "less_equal"}, {">=", "greater_equal"}},
        {{"+", "add"}, {"-", "subtract"}},
        {{"*", "multiply"}, {"/", "divide"}},
    };
    if (level == static_cast<int>(levels.size())) return ParsePostfix();
    const Token& start = Peek();
    Expr lhs = ParseBinary(level + 1);
    while (true) {
      const char* op_name = nullptr;
      for (const auto& kv : levels[level]) {
        if (IsPunct(kv.first)) op_name = kv.second;
      }
      if (op_name == nullptr) return lhs;
      const Token& op_tok = Next();
      Expr rhs = ParseBinary(level + 1);
      Op op = LookupOp(op_tok, op_name);
      lhs = Call(op, {lhs, rhs}, MakeAttrs(op, {}, op_tok), {}, SpanFrom(start));
    }
  }

  Expr ParsePostfix() {
    const Token& start = Peek();
    Expr e = ParsePrimary();
    while (true) {
      if (IsPunct("(")) {
        Next();
        std::vector<Expr> args;
        std::vector<std::pair<const Token*, ObjectRef>> attrs;
        while (!IsPunct(")")) {
          if (Peek().kind == Tok::kIdent && IsPunct("=", 1)) {
            const Token& key = Next();
            Next();
            attrs.emplace_back(&key, ParseAttrValue());
          } else {
            if (!attrs.empty()) Fail(Peek(), "positional argument after keyword attributes");
            args.push_back(ParseExpr());
          }
          if (!AcceptPunct(",")) break;
        }
        ExpectPunct(")");
        Attrs a = MakeAttrs(e, attrs, start);
        e = Call(e, Array<Expr>(args), a, {}, SpanFrom(start));
      } else if (IsPunct(".") && Peek(1).kind == Tok::kInt) {
        Next();
        const Token& idx = Next();
        e = TupleGetItem(e, static_cast<int>(idx.ival), SpanFrom(start));
      } else {
        return e;
      }
    }
  }

  Constant Scalar(const Token& t, const Span& span) {
    DataType dt = t.kind == Tok::kFloat ? t.dtype : t.dtype;
    runtime::NDArray arr = runtime::NDArray::Empty(runtime::ShapeTuple(std::vector<int64_t>{}), dt, {kDLCPU, 0});
    if (t.kind == Tok::kFloat) {
      if (dt.bits() == 16) {
        uint16_t h = text::FloatToHalf(static_cast<float>(t.fval));
        arr.CopyFromBytes(&h, 2);
      } else if (dt.bits() == 32) {
        float f = static_cast<float>(t.fval);
        arr.CopyFromBytes(&f, 4);
      } else {
        arr.CopyFromBytes(&t.fval, 8);
      }
    } else {
      int64_t v = t.ival;
      arr.CopyFromBytes(&v, dt.bytes());  // little endian: the low bytes
    }
    return Constant(arr, span);
  }

  Expr ParsePrimary() {
    const Token& t = Peek();
    switch (t.kind) {
      case Tok::kLocal: Next(); return LookupLocal(t);
      case Tok::kGlobal: {
        Next();
        global_uses_.emplace(t.text, t);
        return Global(t.text);
      }
      case Tok::kInt:
      case Tok::kFloat: Next(); return Scalar(t, SpanFrom(t));
      case Tok::kString: Fail(t, "a string is not a Relay expression (strings are for attributes)");
      case Tok::kEnd: Fail(t, "expected an expression, got the end of the text");
      default: break;
    }
    if (t.kind == Tok::kPunct) {
      if (t.text == "-") {
        // Minus signs before a literal fold into it (--10 is 10); before anything else, negative().
        int signs = 0;
        while (IsPunct("-")) {
          Next();
          ++signs;
        }
        if (Peek().kind == Tok::kInt || Peek().kind == Tok::kFloat) {
          Token lit = Next();
          if (signs % 2) {
            lit.ival = -lit.ival;
            lit.fval = -lit.fval;
          }
          return Scalar(lit, SpanFrom(t));
        }
        Expr e = ParsePostfix();
        for (int i = 0; i < signs; ++i) {
          Op neg = LookupOp(t, "negative");
          e = Call(neg, {e}, MakeAttrs(neg, {}, t), {}, SpanFrom(t));
        }
        return e;
      }
      if (t.text == "(") {
        Next();
        if (AcceptPunct(")")) return Tuple(Array<Expr>(), SpanFrom(t));
        PushScope();
        Expr first = ParseSeq();
        PopScope();
        if (AcceptPunct(")")) return first;
        std::vector<Expr> fields{first};
        while (AcceptPunct(",")) {
          if (IsPunct(")")) break;
          fields.push_back(ParseExpr());
        }
        ExpectPunct(")");
        return Tuple(Array<Expr>(fields), SpanFrom(t));
      }
      Fail(t, "expected an expression, got " + Describe(t));
    }
    // identifiers
    const std::string& w = t.text;
    if (w == "True" || w == "False") {
      Next();
      runtime::NDArray arr = runtime::NDArray::Empty(runtime::ShapeTuple(std::vector<int64_t>{}), DataType::Bool(), {kDLCPU, 0});
      uint8_t b = w == "True";
      arr.CopyFromBytes(&b, 1);
      return Constant(arr, SpanFrom(t));
    }
    if (w == "fn") {
      Next();
      return ParseFunctionRest(t);
    }
    if (w == "if") {
      Next();
      ExpectPunct("(");
      Expr cond = ParseExpr();
      ExpectPunct(")");
      Expr then_branch = ParseBlock();
      if (!IsWord("else")) Fail(Peek(), "expected 'else' after the true branch of 'if', got " + Describe(Peek()));
      Next();
      Expr else_branch = ParseBlock();
      return If(cond, then_branch, else_branch, SpanFrom(t));
    }
    if (w == "ref" || w == "ref_read" || w == "ref_write") {
      Next();
      ExpectPunct("(");
      Expr a = ParseExpr();
      Expr out;
      if (w == "ref_write") {
        ExpectPunct(",");
        Expr b = ParseExpr();
        ExpectPunct(")");
        return RefWrite(a, b, SpanFrom(t));
      }
      ExpectPunct(")");
      if (w == "ref") return RefCreate(a, SpanFrom(t));
      return RefRead(a, SpanFrom(t));
    }
    if (w == "meta") {
      ObjectRef obj = ParseMeta();
      if (const auto* c = obj.as<ConstantNode>()) {
        // One node per table entry, so that a constant used twice stays shared.
        auto it = meta_constants_.find(c);
        if (it == meta_constants_.end()) it = meta_constants_.emplace(c, Constant(c->data, SpanFrom(t))).first;
        return it->second;
      }
      if (!obj->IsInstance<RelayExprNode>()) {
        Fail(t, "meta[" + obj->GetTypeKey() + "] is not a Relay expression");
      }
      return Downcast<Expr>(obj);
    }
    if (w == "match") {
      Next();
      return ParseMatch(t);
    }
    if (constructors_.count(w)) {
      Next();
      const Constructor& ctor = constructors_.at(w);
      // A constructor of no fields written alone is a value of its type (Nil is Nil()).
      if (ctor->inputs.empty() && !IsPunct("(")) return Call(ctor, {}, Attrs(), {}, SpanFrom(t));
      return ctor;
    }
    if (w == "let" || w == "free_var") Fail(t, "'" + w + "' must start a statement in a block, before the result");
    // An operator name: identifiers joined by dots (nn.conv2d).
    Next();
    std::string name = w;
    while (IsPunct(".") && Peek(1).kind == Tok::kIdent) {
      Next();
      name += "." + Next().text;
    }
    return LookupOp(t, name);
  }

  Op LookupOp(const Token& t, const std::string& name) {
    auto it = ops_.find(name);
    if (it != ops_.end()) return it->second;
    Op op;
    try {
      op = Op::Get(name);
    } catch (const runtime::Error&) {
      Fail(t, "unknown operator '" + name + "'");
    }
    ops_[name] = op;
    return op;
  }

  void AddKnownType(const GlobalTypeVar& gtv, const Type& def) {
    type_globals_[gtv->name_hint] = gtv;
    if (const auto* td = def.as<TypeDataNode>()) {
      for (const Constructor& c : td->constructors) constructors_[c->name_hint] = c;
    }
  }

  /*! \brief After 'type': Name[A, B] { Ctor(field types..), Ctor2, ... } (or ';' for no constructors). */
  TypeData ParseTypeDef() {
    // `extern type T[A]` declares a type without constructors.
    bool is_extern = IsWord("extern");
    if (is_extern) Next();
    Next();  // type
    const Token& name = Expect(Tok::kIdent, "the name of the type");
    if (type_globals_.count(name.text)) Fail(name, "the type " + name.text + " is defined twice");
    GlobalTypeVar gtv(name.text, TypeKind::kAdtHandle);
    // Known before its constructors are parsed: they may refer to it (List[A]).
    type_globals_[name.text] = gtv;
    type_scopes_.emplace_back();
    Array<TypeVar> vars;
    if (AcceptPunct("[")) {
      while (!IsPunct("]")) {
        const Token& v = Expect(Tok::kIdent, "a type parameter name");
        TypeVar tv(v.text, TypeKind::kType);
        type_scopes_.back()[v.text] = tv;
        vars.push_back(tv);
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct("]");
    }
    Array<Constructor> ctors;
    if (!is_extern && !AcceptPunct(";")) {
      ExpectPunct("{");
      while (!IsPunct("}")) {
        const Token& c = Expect(Tok::kIdent, "a constructor name");
        if (constructors_.count(c.text)) Fail(c, "the constructor " + c.text + " is defined twice");
        Array<Type> inputs;
        if (AcceptPunct("(")) {
          while (!IsPunct(")")) {
            inputs.push_back(ParseType());
            if (!AcceptPunct(",")) break;
          }
          ExpectPunct(")");
        }
        Constructor ctor(c.text, inputs, gtv);
        constructors_[c.text] = ctor;
        ctors.push_back(ctor);
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct("}");
    }
    type_scopes_.pop_back();
    return TypeData(gtv, vars, ctors);
  }

  /*! \brief After 'match' / 'match?': (data) { pattern => body, ... }. */
  Expr ParseMatch(const Token& start) {
    bool complete = !AcceptPunct("?");
    // `match (%x)` and `match (%x, %y)`: the parentheses belong to the expression.
    Expr data = ParseExpr();
    ExpectPunct("{");
    Array<Clause> clauses;
    while (!IsPunct("}")) {
      PushScope();
      Pattern lhs = ParsePattern();
      ExpectPunct("=>");
      Expr rhs;
      if (IsPunct("{")) {
        rhs = ParseBlock();
      } else {
        rhs = ParseExpr();
      }
      PopScope();
      clauses.push_back(Clause(lhs, rhs));
      if (!AcceptPunct(",")) break;
    }
    ExpectPunct("}");
    return Match(data, clauses, complete, SpanFrom(start));
  }

  Pattern ParsePattern() {
    const Token& t = Peek();
    if (t.kind == Tok::kLocal) return PatternVar(DeclareVar());
    if (AcceptPunct("(")) {
      Array<Pattern> ps;
      while (!IsPunct(")")) {
        ps.push_back(ParsePattern());
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct(")");
      return PatternTuple(ps);
    }
    if (t.kind != Tok::kIdent) Fail(t, "expected a pattern (_, %var, Constructor(...) or a tuple), got " + Describe(t));
    Next();
    if (t.text == "_") return PatternWildcard::Make();
    auto it = constructors_.find(t.text);
    if (it == constructors_.end()) Fail(t, "unknown constructor '" + t.text + "' in a pattern");
    Array<Pattern> ps;
    if (AcceptPunct("(")) {
      while (!IsPunct(")")) {
        ps.push_back(ParsePattern());
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct(")");
    }
    if (ps.size() != it->second->inputs.size()) {
      Fail(t, "constructor " + t.text + " has " + std::to_string(it->second->inputs.size()) +
                  " fields, the pattern gives " + std::to_string(ps.size()));
    }
    return PatternConstructor(it->second, ps);
  }

  Expr ParseBlock() {
    ExpectPunct("{");
    PushScope();
    Expr e = ParseSeq();
    PopScope();
    ExpectPunct("}");
    return e;
  }

  /*! \brief After 'fn' or 'def @name': [type params] (params, attrs) [-> type] { body }. */
  Function ParseFunctionRest(const Token& start) {
    PushScope();
    type_scopes_.emplace_back();
    Array<TypeVar> type_params;
    if (AcceptPunct("[")) {
      while (!IsPunct("]")) {
        const Token& n = Expect(Tok::kIdent, "a type parameter name");
        TypeKind kind = TypeKind::kType;
        if (AcceptPunct(":")) {
          const Token& k = Expect(Tok::kIdent, "a type kind");
          if (k.text == "Shape") {
            kind = TypeKind::kShapeVar;
          } else if (k.text != "Type") {
            Fail(k, "unknown type kind '" + k.text + "' (Type or Shape)");
          }
        }
        TypeVar tv(n.text, kind);
        type_scopes_.back()[n.text] = tv;
        type_params.push_back(tv);
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct("]");
    }
    ExpectPunct("(");
    Array<Var> params;
    Map<String, ObjectRef> attrs;
    bool has_attrs = false;
    while (!IsPunct(")")) {
      // A function attribute's key may be dotted (relay.reshape_only=1).
      int eq = 1;
      if (Peek().kind == Tok::kIdent) {
        while (IsPunct(".", eq) && Peek(eq + 1).kind == Tok::kIdent) eq += 2;
      }
      if (Peek().kind == Tok::kIdent && IsPunct("=", eq)) {
        std::string key = Next().text;
        while (AcceptPunct(".")) key += "." + Next().text;
        Next();
        attrs.Set(key, ParseAttrValue());
        has_attrs = true;
      } else {
        params.push_back(DeclareVar());
      }
      if (!AcceptPunct(",")) break;
    }
    ExpectPunct(")");
    Type ret;
    if (AcceptPunct("->")) ret = ParseType();
    Expr body = ParseBlock();
    type_scopes_.pop_back();
    PopScope();
    return Function(params, body, ret, type_params, has_attrs ? DictAttrs(attrs) : DictAttrs(), SpanFrom(start));
  }

  ObjectRef ParseMeta() {
    const Token& t = Next();  // 'meta'
    ExpectPunct("[");
    std::string key;
    while (!IsPunct("]") && Peek().kind != Tok::kEnd) key += Next().text;
    ExpectPunct("]");
    ExpectPunct("[");
    const Token& idx = Expect(Tok::kInt, "the index into the metadata table");
    ExpectPunct("]");
    auto list = meta_.Get(key);
    if (!list.has_value()) {
      Fail(t, "meta[" + key + "] refers to the metadata section, which has no " + key +
                  " entries (was the text printed without show_meta_data?)");
    }
    if (idx.ival < 0 || idx.ival >= static_cast<int64_t>(list.value().size())) {
      Fail(idx, "meta[" + key + "][" + std::to_string(idx.ival) + "] is out of range: the metadata section has " +
                    std::to_string(list.value().size()) + " " + key + " entries");
    }
    return list.value()[idx.ival];
  }

  // ------------------------------------------------------------------ attributes
  ObjectRef ParseAttrValue() {
    const Token& t = Peek();
    if (t.kind == Tok::kInt) {
      Next();
      return IntImm(t.dtype, t.ival);
    }
    if (t.kind == Tok::kFloat) {
      Next();
      return FloatImm(t.dtype, t.fval);
    }
    if (t.kind == Tok::kString) {
      Next();
      return String(t.text);
    }
    if (t.kind == Tok::kGlobal) {
      Next();
      global_uses_.emplace(t.text, t);
      return Global(t.text);
    }
    if (IsWord("True") || IsWord("False")) {
      Next();
      return IntImm(DataType::Bool(), t.text == "True");
    }
    if (IsWord("None")) {
      Next();
      return ObjectRef();
    }
    {
      // inff, -inff, nanf: floats with no digits.
      bool minus = IsPunct("-") && Peek(1).kind == Tok::kIdent;
      double v;
      DataType dt;
      if (Peek(minus ? 1 : 0).kind == Tok::kIdent && text::ParseNonFinite(Peek(minus ? 1 : 0).text, &v, &dt)) {
        if (minus) Next();
        Next();
        return FloatImm(dt, minus ? -v : v);
      }
    }
    if (IsWord("meta")) return ParseMeta();
    if (AcceptPunct("?")) return tir::Any();
    if (IsPunct("[") || IsPunct("(")) {
      std::string close = Next().text == "[" ? "]" : ")";
      Array<ObjectRef> items;
      while (!IsPunct(close.c_str())) {
        items.push_back(ParseAttrValue());
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct(close.c_str());
      return items;
    }
    Fail(t, "expected an attribute value (number, string, True/False, None, [list], meta[...]), got " + Describe(t));
  }

  /*! \brief Sets an attrs node's fields from parsed values; what is left names unknown keys. */
  class FieldSetter : public AttrVisitor {
   public:
    FieldSetter(Parser* p, std::vector<std::pair<const Token*, ObjectRef>>* kv, std::string owner)
        : p_(p), kv_(kv), owner_(std::move(owner)) {}
    void Visit(const char* key, double* v) final {
      if (const auto* x = Take(key)) *v = Number(key, *x);
    }
    void Visit(const char* key, int64_t* v) final {
      if (const auto* x = Take(key)) *v = Int(key, *x);
    }
    void Visit(const char* key, uint64_t* v) final {
      if (const auto* x = Take(key)) *v = static_cast<uint64_t>(Int(key, *x));
    }
    void Visit(const char* key, int* v) final {
      if (const auto* x = Take(key)) *v = static_cast<int>(Int(key, *x));
    }
    void Visit(const char* key, bool* v) final {
      if (const auto* x = Take(key)) *v = Int(key, *x) != 0;
    }
    void Visit(const char* key, std::string* v) final {
      if (const auto* x = Take(key)) *v = Str(key, *x);
    }
    void Visit(const char* key, void** v) final {
      if (const auto* x = Take(key)) p_->Fail(*x->first, "attribute '" + std::string(key) + "' is a pointer and cannot be written");
    }
    void Visit(const char* key, DataType* v) final {
      if (const auto* x = Take(key)) {
        std::string s = Str(key, *x);
        *v = s.empty() ? DataType::Void() : DataType(runtime::String2DLDataType(s));
      }
    }
    void Visit(const char* key, NDArray* v) final {
      if (const auto* x = Take(key)) *v = Downcast<NDArray>(x->second);
    }
    void Visit(const char* key, ObjectRef* v) final {
      if (const auto* x = Take(key)) *v = x->second;
    }

   private:
    using Item = std::pair<const Token*, ObjectRef>;
    const Item* Take(const char* key) {
      for (auto& kv : *kv_) {
        if (kv.first != nullptr && kv.first->text == key) {
          taken_.push_back(kv);
          kv.first = nullptr;
          return &taken_.back();
        }
      }
      return nullptr;
    }
    int64_t Int(const char* key, const Item& x) {
      if (const auto* i = x.second.as<IntImmNode>()) return i->value;
      p_->Fail(*x.first, owner_ + ": attribute '" + key + "' expects an integer");
    }
    double Number(const char* key, const Item& x) {
      if (const auto* f = x.second.as<FloatImmNode>()) return f->value;
      if (const auto* i = x.second.as<IntImmNode>()) return static_cast<double>(i->value);
      p_->Fail(*x.first, owner_ + ": attribute '" + key + "' expects a number");
    }
    std::string Str(const char* key, const Item& x) {
      if (const auto* s = x.second.as<runtime::StringObj>()) return s->data;
      p_->Fail(*x.first, owner_ + ": attribute '" + key + "' expects a string");
    }
    Parser* p_;
    std::vector<Item>* kv_;
    std::deque<Item> taken_;
    std::string owner_;
  };

  Attrs MakeAttrs(const Expr& callee, std::vector<std::pair<const Token*, ObjectRef>> kv, const Token& start) {
    std::string type_key;
    const auto* op = callee.as<OpNode>();
    for (auto it = kv.begin(); it != kv.end(); ++it) {
      if (it->first->text == "attrs_type_key") {
        const auto* s = it->second.as<runtime::StringObj>();
        if (s == nullptr) Fail(*it->first, "attrs_type_key must be a string");
        type_key = s->data;
        kv.erase(it);
        break;
      }
    }
    if (type_key.empty() && op != nullptr) type_key = op->attrs_type_key;
    std::string owner = op != nullptr ? "operator '" + std::string(op->name) + "'" : "this call";
    if (type_key.empty()) {
      if (kv.empty()) return Attrs();
      Fail(*kv.front().first, owner + " takes no attributes, got '" + kv.front().first->text + "'");
    }
    if (type_key == DictAttrsNode::_type_key) {
      Map<String, ObjectRef> dict;
      for (const auto& x : kv) dict.Set(x.first->text, x.second);
      return DictAttrs(dict);
    }
    const auto* entry = ReflectionVTable::Global()->Find(Object::TypeKey2Index(type_key));
    if (entry == nullptr || entry->create == nullptr) {
      Fail(start, owner + ": its attributes type '" + type_key + "' cannot be created by reflection");
    }
    ObjectPtr<Object> node = entry->create();
    FieldSetter setter(this, &kv, owner);
    ReflectionVTable::Global()->VisitAttrs(node.get(), &setter);
    for (const auto& x : kv) {
      if (x.first == nullptr) continue;
      std::string fields;
      for (const auto& f : ReflectionVTable::Global()->ListAttrNames(node.get())) fields += (fields.empty() ? "" : ", ") + f;
      Fail(*x.first, owner + " has no attribute '" + x.first->text + "' (" + type_key + " has: " + fields + ")");
    }
    return Attrs(node);
  }

  // ------------------------------------------------------------------ types
  static bool IsDTypeName(const std::string& s) {
    // A bare int/uint/float means 32 bits, as TVM's text format reads it.
    static const std::regex re("(bool|handle|(int|uint|float)[0-9]*|bfloat[0-9]+)(x[0-9]+)?");
    return std::regex_match(s, re);
  }

  PrimExpr ParseDim() {
    const Token& t = Peek();
    if (t.kind == Tok::kInt) {
      Next();
      return IntImm(t.dtype, t.ival);
    }
    if (AcceptPunct("?")) return tir::Any();
    if (IsWord("meta")) {
      ObjectRef obj = ParseMeta();
      if (!obj->IsInstance<PrimExprNode>()) Fail(t, "a shape dimension must be an integer expression, got " + obj->GetTypeKey());
      return Downcast<PrimExpr>(obj);
    }
    Fail(t, "expected a shape dimension (an integer, ? or meta[...]), got " + Describe(t));
  }

  Type ParseType() {
    const Token& t = Peek();
    if (AcceptPunct("?")) return IncompleteType();
    if (AcceptPunct("(")) {
      Array<Type> fields;
      bool comma = false;
      while (!IsPunct(")")) {
        fields.push_back(ParseType());
        if (!AcceptPunct(",")) break;
        comma = true;
      }
      ExpectPunct(")");
      if (fields.size() == 1 && !comma) return fields[0];
      return TupleType(fields);
    }
    if (t.kind != Tok::kIdent) Fail(t, "expected a type, got " + Describe(t));
    const std::string& w = t.text;
    if (w == "meta") return Downcast<Type>(ParseMeta());
    Next();
    if (w == "Tensor") {
      ExpectPunct("[");
      ExpectPunct("(");
      Array<PrimExpr> shape;
      while (!IsPunct(")")) {
        shape.push_back(ParseDim());
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct(")");
      ExpectPunct(",");
      const Token& d = Expect(Tok::kIdent, "a data type (float32, int64, ...)");
      if (!IsDTypeName(d.text)) Fail(d, "unknown data type '" + d.text + "'");
      ExpectPunct("]");
      return TensorType(shape, DataType(runtime::String2DLDataType(d.text)));
    }
    if (w == "fn") {
      type_scopes_.emplace_back();
      Array<TypeVar> tps;
      if (AcceptPunct("[")) {
        while (!IsPunct("]")) {
          const Token& n = Expect(Tok::kIdent, "a type parameter name");
          TypeVar tv(n.text, TypeKind::kType);
          type_scopes_.back()[n.text] = tv;
          tps.push_back(tv);
          if (!AcceptPunct(",")) break;
        }
        ExpectPunct("]");
      }
      ExpectPunct("(");
      Array<Type> args;
      while (!IsPunct(")")) {
        args.push_back(ParseType());
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct(")");
      ExpectPunct("->");
      Type ret = ParseType();
      type_scopes_.pop_back();
      return FuncType(args, ret, tps, {});
    }
    if (w == "ref") {
      ExpectPunct("(");
      Type v = ParseType();
      ExpectPunct(")");
      return RelayRefType(v);
    }
    for (auto s = type_scopes_.rbegin(); s != type_scopes_.rend(); ++s) {
      auto it = s->find(w);
      if (it != s->end()) return it->second;
    }
    auto gt = type_globals_.find(w);
    if (gt != type_globals_.end()) {
      if (!AcceptPunct("[")) return gt->second;
      Array<Type> args;
      while (!IsPunct("]")) {
        args.push_back(ParseType());
        if (!AcceptPunct(",")) break;
      }
      ExpectPunct("]");
      return TypeCall(gt->second, args);
    }
    if (w == "_") return IncompleteType();
    if (IsDTypeName(w)) return TensorType(Array<PrimExpr>(), DataType(runtime::String2DLDataType(w)));
    Fail(t, "unknown type '" + w + "'");
  }

  SourceName source_;
  std::string source_name_;
  std::string text_;
  std::vector<Token> tokens_;
  size_t pos_{0};
  Map<String, Array<ObjectRef>> meta_;
  std::vector<std::unordered_map<std::string, Expr>> scopes_;
  std::vector<std::unordered_map<std::string, TypeVar>> type_scopes_;
  std::unordered_map<std::string, GlobalVar> globals_;
  std::unordered_map<std::string, GlobalTypeVar> type_globals_;
  std::unordered_map<std::string, Constructor> constructors_;
  std::unordered_map<std::string, Op> ops_;
  std::unordered_map<const Object*, Constant> meta_constants_;
  int depth_{0};
  std::unordered_map<std::string, Token> global_uses_;
};

}  // namespace

IRModule ParseModule(const std::string& source_name, const std::string& text, const IRModule& init,
                     const Map<String, Array<ObjectRef>>& meta) {
  Parser p(source_name, text, meta);
  // As in TVM, a module is type-checked as it is read: an ill-typed program is
  // refused here, and what is read carries its types (and the annotations
  // InferType fills in) so that it equals the module that was printed.
  return transform::InferType()(p.ParseModule(init));
}

Expr ParseExpr(const std::string& source_name, const std::string& text) {
  Parser p(source_name, text, {});
  return p.ParseExprTop();
}

TVM_REGISTER_GLOBAL("parser.ParseModuleInContext")
    .set_body([](runtime::TVMArgs args, runtime::TVMRetValue* rv) {
      std::string name = args[0];
      std::string text = args[1];
      IRModule init;
      if (args.size() > 2 && !args[2].IsNull()) init = Downcast<IRModule>(args[2].AsObjectRef());
      Map<String, Array<ObjectRef>> meta;
      if (args.size() > 3 && !args[3].IsNull()) meta = Downcast<Map<String, Array<ObjectRef>>>(args[3].AsObjectRef());
      *rv = ParseModule(name, text, init, meta);
    });

TVM_REGISTER_GLOBAL("parser.ParseExpr").set_body_typed([](std::string name, std::string text) {
  return ParseExpr(name, text);
});

}  // namespace relay
}  // namespace tvm
