// The streaming tokenizer.json loader (nlohmann SAX) and JsonRef's accessors.
// Not the component parsers: each component parses its own JSON next to its logic.
#include "core/tokenizer/json_util.h"

#include "core/tokenizer/models/model.h"
#include "core/tokenizer/unicode.h"

namespace z2z::tok {

namespace {

using json = nlohmann::json;

// Builds a DOM like nlohmann's own parser, except for model.vocab and model.merges.
class Handler : public nlohmann::json_sax<json> {
 public:
  explicit Handler(TokenizerJson& out) : out_(out) {}

  bool null() override { return value(json(nullptr)); }
  bool boolean(bool v) override { return value(json(v)); }
  bool number_integer(number_integer_t v) override {
    if (mode_ == Mode::Vocab) return vocab_value(v);
    return value(json(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (mode_ == Mode::Vocab) return vocab_value(v > 0x7fffffffu ? -1 : static_cast<std::int64_t>(v));
    return value(json(v));
  }
  bool number_float(number_float_t v, const string_t&) override {
    if (mode_ == Mode::Vocab) return error(fmt::format("model.vocab[\"{}\"]: expected an integer id", key_));
    return value(json(v));
  }
  bool binary(binary_t&) override { return error("binary value"); }
  bool string(string_t& s) override {
    if (mode_ == Mode::Merges) {
      if (merge_depth_ == 0) {  // "a b"
        const auto sp = s.find(' ');
        if (sp == std::string::npos || s.find(' ', sp + 1) != std::string::npos)
          return error(fmt::format("model.merges[{}]: expected \"left right\", got \"{}\"", out_.merges.size(), s));
        out_.merges.emplace_back(s.substr(0, sp), s.substr(sp + 1));
        return true;
      }
      pair_[pair_n_ < 2 ? pair_n_ : 1] = std::move(s);
      ++pair_n_;
      return true;
    }
    if (mode_ == Mode::Vocab) return error("model.vocab: expected integer ids");
    return value(json(std::move(s)));
  }
  bool start_object(std::size_t) override {
    if (mode_ == Mode::Merges)
      return error(fmt::format("model.merges[{}]: expected a string or a pair", out_.merges.size()));
    if (mode_ == Mode::Vocab) return error(fmt::format("model.vocab[\"{}\"]: expected an integer id", key_));
    if (at_model_member("vocab")) {
      mode_ = Mode::Vocab;
      out_.has_vocab = true;
      return true;
    }
    return open(json::object());
  }
  bool key(string_t& k) override {
    key_ = std::move(k);
    return true;
  }
  bool end_object() override {
    if (mode_ == Mode::Vocab) {
      mode_ = Mode::None;
      return true;
    }
    stack_.pop_back();
    names_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (mode_ == Mode::Vocab) return error(fmt::format("model.vocab[\"{}\"]: expected an integer id", key_));
    if (mode_ == Mode::Merges) {
      if (merge_depth_ != 0) return error(fmt::format("model.merges[{}]: nested array", out_.merges.size()));
      merge_depth_ = 1;
      pair_n_ = 0;
      return true;
    }
    if (at_model_member("merges")) {
      mode_ = Mode::Merges;
      merge_depth_ = 0;
      out_.has_merges = true;
      return true;
    }
    return open(json::array());
  }
  bool end_array() override {
    if (mode_ == Mode::Merges) {
      if (merge_depth_ == 1) {
        if (pair_n_ != 2) return error(fmt::format("model.merges[{}]: expected a pair of strings", out_.merges.size()));
        out_.merges.emplace_back(std::move(pair_[0]), std::move(pair_[1]));
        merge_depth_ = 0;
        return true;
      }
      mode_ = Mode::None;
      return true;
    }
    stack_.pop_back();
    names_.pop_back();
    return true;
  }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception& ex) override {
    return error(fmt::format("invalid JSON at byte {}: {}", pos, ex.what()));
  }

  std::string message;

 private:
  enum class Mode { None, Vocab, Merges };

  bool error(std::string m) {
    if (message.empty()) message = std::move(m);
    return false;
  }
  // The container about to open is the member `name` of the top-level "model" object.
  bool at_model_member(const char* name) const {
    return stack_.size() == 2 && names_[1] == "model" && key_ == name && stack_[1]->is_object();
  }
  json* place(json&& v) {
    if (stack_.empty()) {
      out_.doc = std::move(v);
      return &out_.doc;
    }
    json* parent = stack_.back();
    if (parent->is_object()) {
      json& slot = (*parent)[key_];
      slot = std::move(v);
      return &slot;
    }
    parent->push_back(std::move(v));
    return &parent->back();
  }
  bool value(json&& v) {
    if (mode_ == Mode::Merges) return error(fmt::format("model.merges[{}]: expected strings", out_.merges.size()));
    place(std::move(v));
    return true;
  }
  bool open(json&& v) {
    std::string name = stack_.empty() ? std::string() : (stack_.back()->is_object() ? key_ : std::string());
    stack_.push_back(place(std::move(v)));
    names_.push_back(std::move(name));
    return true;
  }
  bool vocab_value(std::int64_t v) {
    if (v < 0 || v > kMaxTokenId)
      return error(fmt::format("model.vocab[\"{}\"]: id {} out of range (ids are 0..{})", key_, v, kMaxTokenId));
    out_.vocab.emplace_back(std::move(key_), static_cast<std::int32_t>(v));
    return true;
  }

  TokenizerJson& out_;
  std::vector<json*> stack_;
  std::vector<std::string> names_;
  std::string key_;
  Mode mode_ = Mode::None;
  int merge_depth_ = 0;
  int pair_n_ = 0;
  std::string pair_[2];
};

}  // namespace

TokenizerJson parse_tokenizer_json(std::string_view text, const std::string& source) {
  TokenizerJson out;
  Handler h(out);
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &h);
  } catch (const nlohmann::json::exception& e) {
    z2z::fail("{}: invalid JSON: {}", source, e.what());
  }
  if (!ok) z2z::fail("{}: {}", source, h.message.empty() ? std::string("invalid JSON") : h.message);
  if (!out.doc.is_object()) z2z::fail("{}: expected a JSON object at the top level", source);
  return out;
}

bool JsonRef::has(std::string_view key) const {
  return j_->is_object() && j_->contains(key) && !(*j_)[std::string(key)].is_null();
}

JsonRef JsonRef::at(std::string_view key) const {
  if (!j_->is_object()) fail("expected an object");
  auto it = j_->find(key);
  if (it == j_->end()) fail_at(key, "missing");
  return JsonRef(*it, path_of(key));
}

std::optional<JsonRef> JsonRef::find(std::string_view key) const {
  if (!j_->is_object()) fail("expected an object");
  auto it = j_->find(key);
  if (it == j_->end() || it->is_null()) return std::nullopt;
  return JsonRef(*it, path_of(key));
}

JsonRef JsonRef::at(std::size_t index) const {
  if (!j_->is_array()) fail("expected an array");
  if (index >= j_->size()) fail("index {} out of range", index);
  return JsonRef((*j_)[index], fmt::format("{}[{}]", path_, index));
}

std::size_t JsonRef::array_size() const {
  if (!j_->is_array()) fail("expected an array");
  return j_->size();
}

std::string JsonRef::as_string() const {
  if (!j_->is_string()) fail("expected a string, got {}", j_->type_name());
  return j_->get<std::string>();
}

std::int64_t JsonRef::as_integer() const {
  if (!j_->is_number_integer()) fail("expected an integer, got {}", j_->type_name());
  return j_->get<std::int64_t>();
}

std::string JsonRef::str(std::string_view key) const { return at(key).as_string(); }

std::string JsonRef::str_or(std::string_view key, std::string fallback) const {
  auto v = find(key);
  return v ? v->as_string() : fallback;
}

bool JsonRef::boolean_or(std::string_view key, bool fallback) const {
  auto v = find(key);
  if (!v) return fallback;
  if (!v->json().is_boolean()) fail_at(key, "expected true or false, got {}", v->json().type_name());
  return v->json().get<bool>();
}

std::int64_t JsonRef::integer(std::string_view key) const { return at(key).as_integer(); }

std::int64_t JsonRef::integer_or(std::string_view key, std::int64_t fallback) const {
  auto v = find(key);
  return v ? v->as_integer() : fallback;
}

std::string JsonRef::type() const {
  if (!j_->is_object()) fail("expected an object with a \"type\"");
  return str("type");
}

std::string single_char(const JsonRef& node, std::string_view key) {
  std::string s = node.str(key);
  if (s.empty() || utf8_first_invalid(s) != std::string::npos || utf8_count(s) != 1)
    node.fail_at(key, "expected exactly one character, got \"{}\"", s);
  return s;
}

}  // namespace z2z::tok
