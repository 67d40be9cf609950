// Pre-tokenizer registry (JSON "type" -> factory) and the shared split-behaviour helpers.
#include "core/tokenizer/pre_tokenizers/pre_tokenizer.h"

#include <algorithm>

namespace z2z::tok {

PreTokenizerPtr pre_tokenizer_from_json(const JsonRef& node) {
  const std::string type = node.type();
  if (type == "Sequence") return sequence_pre_tokenizer_from_json(node);
  if (type == "Split") return split_from_json(node);
  if (type == "ByteLevel") return byte_level_pre_tokenizer_from_json(node);
  if (type == "Metaspace") return metaspace_pre_tokenizer_from_json(node);
  if (type == "Digits") return digits_from_json(node);
  if (type == "Whitespace") return whitespace_from_json(node);
  if (type == "WhitespaceSplit") return whitespace_split_from_json(node);
  node.fail_at("type",
               "unsupported \"{}\" (supported pre-tokenizers: Sequence, Split, ByteLevel, Metaspace, Digits, "
               "Whitespace, WhitespaceSplit)",
               type);
}

SplitBehavior split_behavior_from_json(const JsonRef& node, std::string_view key) {
  const std::string b = node.str(key);
  if (b == "Removed") return SplitBehavior::Removed;
  if (b == "Isolated") return SplitBehavior::Isolated;
  if (b == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (b == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (b == "Contiguous") return SplitBehavior::Contiguous;
  node.fail_at(key, "unsupported \"{}\" (Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous)", b);
}

void cover_from_matches(std::size_t size, const std::vector<std::pair<std::size_t, std::size_t>>& matches, bool invert,
                        std::vector<MatchPiece>& cover) {
  cover.clear();
  if (size == 0) {
    cover.push_back({0, 0, invert});
    return;
  }
  std::size_t prev = 0;
  for (auto [b, e] : matches) {
    if (prev != b) cover.push_back({prev, b, invert});
    cover.push_back({b, e, !invert});
    prev = e;
  }
  if (prev != size) cover.push_back({prev, size, invert});
}

void cut_split(Split&& split, const std::vector<MatchPiece>& cover, SplitBehavior behavior, std::vector<Split>& out) {
  // (begin, end, remove)
  struct Part {
    std::size_t b, e;
    bool remove;
  };
  std::vector<Part> parts;
  parts.reserve(cover.size());
  switch (behavior) {
    case SplitBehavior::Isolated:
      for (const auto& c : cover) parts.push_back({c.begin, c.end, false});
      break;
    case SplitBehavior::Removed:
      for (const auto& c : cover) parts.push_back({c.begin, c.end, c.is_match});
      break;
    case SplitBehavior::Contiguous: {
      bool prev_match = false;
      for (const auto& c : cover) {
        if (c.is_match == prev_match && !parts.empty())
          parts.back().e = c.end;
        else
          parts.push_back({c.begin, c.end, false});
        prev_match = c.is_match;
      }
      break;
    }
    case SplitBehavior::MergedWithPrevious: {
      bool prev_match = false;
      for (const auto& c : cover) {
        if (c.is_match && !prev_match && !parts.empty())
          parts.back().e = c.end;
        else
          parts.push_back({c.begin, c.end, false});
        prev_match = c.is_match;
      }
      break;
    }
    case SplitBehavior::MergedWithNext: {
      bool prev_match = false;
      for (auto it = cover.rbegin(); it != cover.rend(); ++it) {
        if (it->is_match && !prev_match && !parts.empty())
          parts.back().b = it->begin;
        else
          parts.push_back({it->begin, it->end, false});
        prev_match = it->is_match;
      }
      std::reverse(parts.begin(), parts.end());
      break;
    }
  }
  // One part covering everything: keep the split as is (no copy).
  if (parts.size() == 1 && !parts[0].remove && parts[0].b == 0 && parts[0].e == split.text.size()) {
    out.push_back(std::move(split));
    return;
  }
  for (const auto& p : parts) {
    if (p.remove || p.b == p.e) continue;
    Split s;
    s.text = split.text.slice(p.b, p.e);
    s.byte_level = split.byte_level;
    out.push_back(std::move(s));
  }
}

}  // namespace z2z::tok
