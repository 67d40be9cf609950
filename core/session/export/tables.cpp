// Codebook CSV and Markdown summary.
#include "core/session/export/tables.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "core/session/summary.h"
#include "core/tokenizer/display.h"

namespace z2z::session {

namespace {
std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string o = "\"";
  for (char c : s) o += c == '"' ? std::string("\"\"") : std::string(1, c);
  return o + "\"";
}
std::string md_cell(std::string_view s) {
  std::string o;
  for (char c : s) {
    if (c == '|')
      o += "\\|";
    else if (c == '`')
      o += "'";
    else
      o += c;
  }
  return o;
}
std::string join_ids(std::span<const TokenId> ids, const char* sep) {
  std::string o;
  for (std::size_t i = 0; i < ids.size(); ++i) fmt::format_to(std::back_inserter(o), "{}{}", i ? sep : "", ids[i]);
  return o;
}
}  // namespace

std::string codebook_csv(const Session& s, std::int64_t t) {
  std::string o = "id,created_step,length,prefix_id,last_base_id,base_ids,text,uses,last_use\n";
  for (const EntryState& e : s.codebook(t)) {
    const CodebookEntry& c = *e.entry;
    fmt::format_to(std::back_inserter(o), "{},{},{},{},{},{},{},{},{}\n", c.id, c.created_step, c.base_ids.size(),
                   c.prefix_id, c.base_ids.back(), join_ids(c.base_ids, " "), csv_field(c.text), e.uses,
                   e.last_use == EntryState::kNever ? std::string() : std::to_string(e.last_use));
  }
  return o;
}

std::string summary_markdown(const Session& s, std::int64_t t) {
  std::string o = "# zip2zip session summary\n\n";
  fmt::format_to(std::back_inserter(o), "{} · {}\n\n", md_cell(run_title(s)), md_cell(run_settings(s)));
  o += "| metric | value |\n|---|---|\n";
  for (const auto& r : metric_rows(s, t))
    fmt::format_to(std::back_inserter(o), "| {} | {} |\n", r.label, md_cell(r.value));
  auto rows = s.codebook(t);
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.uses > b.uses; });
  if (!rows.empty()) {
    o +=
        "\n## Most used codebook entries\n\n| id | text | base ids | uses | created at step |\n|---|---|---|---|---|\n";
    for (std::size_t i = 0; i < std::min<std::size_t>(rows.size(), 15); ++i) {
      const auto& c = *rows[i].entry;
      fmt::format_to(std::back_inserter(o), "| {} | `{}` | {} | {} | {} |\n", c.id,
                     md_cell(tok::visible_whitespace(c.text)), join_ids(c.base_ids, " "), rows[i].uses,
                     c.created_step < 0 ? std::string("prompt") : std::to_string(c.created_step));
    }
  }
  return o;
}

}  // namespace z2z::session
