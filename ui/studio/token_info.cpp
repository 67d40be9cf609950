// TokenInfo: the facts about one stream item, and their HTML / JSON forms.
#include "ui/studio/token_info.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include "core/tokenizer/display.h"

namespace z2z::ui {

QString visible_html(const QString& text) {
  QString s = text.toHtmlEscaped();
  s.replace(' ', QChar(0x00B7));
  s.replace('\t', QChar(0x2192));
  s.replace('\n', QChar(0x21B5));
  s.replace('\r', QChar(0x240D));
  return s;
}

QString visible_text(const QString& text) {
  return QString::fromStdString(tok::visible_whitespace(text.toStdString(), false));
}

void BaseTokenTexts::reset() {
  texts_.clear();
  steps_ = 0;
  prompt_ = false;
}

void BaseTokenTexts::record(session::TokenId id, std::string_view piece) {
  if (piece.empty() || texts_.count(id)) return;
  texts_.emplace(id, QString::fromUtf8(piece.data(), static_cast<int>(piece.size())));
}

void BaseTokenTexts::record_code(std::span<const session::TokenId> base, std::string_view text,
                                 std::span<const std::uint32_t> cuts) {
  if (base.empty() || cuts.size() + 1 != base.size()) return;  // no cuts recorded: pieces unknown
  std::size_t from = 0;
  for (std::size_t k = 0; k < base.size(); ++k) {
    const std::size_t to = k < cuts.size() ? std::min<std::size_t>(cuts[k], text.size()) : text.size();
    if (to < from) return;
    record(base[k], text.substr(from, to - from));
    from = to;
  }
}

QString BaseTokenTexts::text(const session::Session& s, session::TokenId id) {
  if (!prompt_ && s.prompt()) {
    prompt_ = true;
    const auto& pr = *s.prompt();
    for (std::size_t j = 0; j < pr.event.codes.size() && j < pr.code_text.size() && j < pr.code_cuts.size(); ++j) {
      const auto code = pr.event.codes[j];
      const auto* e = s.find_entry(code);
      const std::vector<session::TokenId> one{code};
      record_code(e ? std::span<const session::TokenId>(e->base_ids) : std::span<const session::TokenId>(one),
                  pr.code_text[j], pr.code_cuts[j]);
    }
  }
  for (; steps_ < s.steps(); ++steps_) {
    const auto st = s.step(steps_);
    if (!st.special && !st.eos) record_code(st.base_ids, st.text, st.cuts);
  }
  const auto it = texts_.find(id);
  return it == texts_.end() ? QString() : it->second;
}

QString entry_display(const session::Session& s, session::TokenId id) {
  if (const auto* e = s.find_entry(id)) return QString::fromStdString(e->text);
  return {};
}

static std::vector<session::TokenId> expansion(const session::Session& s, session::TokenId id) {
  if (const auto* e = s.find_entry(id)) return e->base_ids;
  return {id};
}

TokenInfo describe_item(const SessionContext& ctx, std::int64_t item, std::int64_t t) {
  TokenInfo info;
  info.ref = ctx.item_ref(item);
  if (!info.ref.valid()) return info;
  const auto& s = ctx.session();
  if (info.ref.prompt) {
    const auto& pr = *s.prompt();
    const auto j = static_cast<std::size_t>(info.ref.index);
    info.id = pr.event.codes[j];
    info.base_ids = expansion(s, info.id);
    info.text = j < pr.code_text.size() ? QString::fromStdString(pr.code_text[j]) : QString();
  } else {
    const auto st = s.step(info.ref.index);
    info.id = st.code;
    info.base_ids.assign(st.base_ids.begin(), st.base_ids.end());
    info.text = QString::fromUtf8(st.text.data(), static_cast<int>(st.text.size()));
    if (info.text.isEmpty() && !st.label.empty()) info.text = QString::fromUtf8(st.label.data(), int(st.label.size()));
    info.prob = s.info().source == "text" ? -1.0 : st.prob;
    info.outside_top = st.outside_top;
    info.eos = st.eos;
  }
  const bool special = s.is_special(info.id);
  const bool hyper = info.base_ids.size() > 1 || s.find_entry(info.id) != nullptr;
  info.kind = special ? "special" : hyper ? "hypertoken" : "base";
  info.bytes = info.text.toUtf8().size();
  if (const auto es = s.entry(info.id, std::max<std::int64_t>(t, info.ref.prompt ? 0 : info.ref.index + 1))) {
    info.created = es->entry->created_step;
    info.uses = es->uses;
  }
  // nesting depth: prefix hops down to a base token
  session::TokenId cur = info.id;
  for (int guard = 0; guard < 64; ++guard) {
    const auto* e = s.find_entry(cur);
    if (!e || e->prefix_id < 0) break;
    ++info.depth;
    cur = e->prefix_id;
  }
  if (hyper && info.depth == 0) info.depth = 1;
  info.base_texts.assign(info.base_ids.size(), QString());
  // Cut the token's text at its internal base-token boundaries to name each base token's text.
  if (!info.ref.prompt) {
    const auto st = s.step(info.ref.index);
    if (!st.cuts.empty() || info.base_ids.size() == 1) {
      std::size_t from = 0;
      for (std::size_t k = 0; k < info.base_ids.size(); ++k) {
        const std::size_t to = k < st.cuts.size() ? std::min<std::size_t>(st.cuts[k], st.text.size()) : st.text.size();
        if (to >= from) info.base_texts[k] = QString::fromUtf8(st.text.data() + from, int(to - from));
        from = std::min(to, st.text.size());
      }
    }
  } else {
    const auto& pr = *s.prompt();
    const auto j = static_cast<std::size_t>(info.ref.index);
    if (j < pr.code_cuts.size() && j < pr.code_text.size()) {
      const std::string& tx = pr.code_text[j];
      const auto& cuts = pr.code_cuts[j];
      std::size_t from = 0;
      for (std::size_t k = 0; k < info.base_ids.size(); ++k) {
        const std::size_t to = k < cuts.size() ? std::min<std::size_t>(cuts[k], tx.size()) : tx.size();
        if (to >= from) info.base_texts[k] = QString::fromUtf8(tx.data() + from, int(to - from));
        from = std::min(to, tx.size());
      }
    }
  }
  return info;
}

QString info_html(const TokenInfo& i) {
  if (!i.ref.valid()) return QStringLiteral("<i>no token selected</i>");
  QString h;
  h += QString("<b>#%1</b> · %2%3<br>").arg(i.id).arg(i.kind).arg(i.ref.prompt ? " · prompt" : "");
  h += QString("<code>%1</code><br>").arg(visible_html(i.text));
  QStringList parts;
  for (std::size_t k = 0; k < i.base_ids.size(); ++k) {
    const QString t =
        k < i.base_texts.size() && !i.base_texts[k].isEmpty() ? " '" + visible_html(i.base_texts[k]) + "'" : "";
    parts << QString("%1%2").arg(i.base_ids[k]).arg(t);
  }
  h += QString("base ids: %1<br>").arg(parts.join(" + "));
  h += QString("length %1 · nesting depth %2 · %3 bytes<br>").arg(i.base_ids.size()).arg(i.depth).arg(i.bytes);
  if (i.created >= -1)
    h += QString("created at %1 · used %2×<br>")
             .arg(i.created < 0 ? QString("prompt") : "step " + QString::number(i.created))
             .arg(i.uses);
  if (!i.ref.prompt) {
    h += QString("step %1").arg(i.ref.index);
    if (i.prob >= 0) h += QString(" · p = %1%").arg(100.0 * i.prob, 0, 'f', 1);
    if (i.outside_top) h += " · <b>outside top-k</b>";
    if (i.eos) h += " · EOS";
  }
  return h;
}

QString info_ids(const TokenInfo& i) {
  QStringList parts;
  for (auto b : i.base_ids) parts << QString::number(b);
  return QString::number(i.id) + " = " + parts.join(' ');
}

QString info_json(const TokenInfo& i) {
  QJsonObject o;
  o["id"] = i.id;
  o["kind"] = i.kind;
  o["prompt"] = i.ref.prompt;
  o["index"] = static_cast<qint64>(i.ref.index);
  QJsonArray b;
  for (auto x : i.base_ids) b.append(x);
  o["base_ids"] = b;
  o["text"] = i.text;
  o["depth"] = i.depth;
  o["bytes"] = static_cast<qint64>(i.bytes);
  if (i.created >= -1) {
    o["created_step"] = static_cast<qint64>(i.created);
    o["uses"] = static_cast<qint64>(i.uses);
  }
  if (i.prob >= 0) o["prob"] = i.prob;
  return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

}  // namespace z2z::ui
