// SessionContext: the shared session, cursor, selection and branch history of the studio.
#include "ui/studio/session_context.h"

#include <algorithm>

namespace z2z::ui {

SessionContext::SessionContext(QObject* parent) : QObject(parent) {
  grew_timer_.setSingleShot(true);
  grew_timer_.setInterval(30);
  connect(&grew_timer_, &QTimer::timeout, this, &SessionContext::flush);
}

SessionContext::~SessionContext() = default;

void SessionContext::set_session(std::shared_ptr<session::Session> s, const QString& title, bool keep_history) {
  if (keep_history && session_) {
    undo_.push_back({session_, title_});
    redo_.clear();
  }
  session_ = std::move(s);
  title_ = title;
  cursor_ = steps();
  following_ = true;
  selected_ = -1;
  highlight_ = -1;
  grew_pending_ = false;
  Q_EMIT loaded();
  Q_EMIT cursorChanged(cursor_);
  Q_EMIT selectionChanged();
  Q_EMIT historyChanged();
}

void SessionContext::clear() {
  session_.reset();
  title_.clear();
  cursor_ = 0;
  selected_ = -1;
  highlight_ = -1;
  Q_EMIT loaded();
  Q_EMIT cursorChanged(0);
  Q_EMIT selectionChanged();
}

void SessionContext::append_prompt(const gen::PromptEvent& e) {
  if (!session_) return;
  session_->append_prompt(e);
  schedule_grew();
}

void SessionContext::append_step(const gen::StepEvent& e) {
  if (!session_) return;
  session_->append_step(e);
  if (following_) cursor_ = steps();
  schedule_grew();
}

void SessionContext::append_finish(const gen::FinishEvent& e) {
  if (!session_) return;
  session_->append_finish(e);
  flush();
}

void SessionContext::schedule_grew() {
  grew_pending_ = true;
  if (!grew_timer_.isActive()) grew_timer_.start();
}

void SessionContext::flush() {
  grew_timer_.stop();
  if (!grew_pending_) return;
  grew_pending_ = false;
  Q_EMIT grew();
  if (following_) Q_EMIT cursorChanged(cursor_);
}

std::int64_t SessionContext::prompt_codes() const {
  if (!session_ || !session_->prompt()) return 0;
  return static_cast<std::int64_t>(session_->prompt()->event.codes.size());
}

ItemRef SessionContext::item_ref(std::int64_t item) const {
  const std::int64_t p = prompt_codes();
  if (item < 0 || item >= p + steps()) return {};
  if (item < p) return {true, item};
  return {false, item - p};
}

session::TokenId SessionContext::item_code(std::int64_t item) const {
  const ItemRef r = item_ref(item);
  if (!r.valid()) return -1;
  if (r.prompt) return session_->prompt()->event.codes[static_cast<std::size_t>(r.index)];
  return session_->step(r.index).code;
}

void SessionContext::set_cursor(std::int64_t t) {
  t = std::clamp<std::int64_t>(t, 0, steps());
  following_ = generating_ && t == steps();
  if (t == cursor_) return;
  cursor_ = t;
  Q_EMIT cursorChanged(cursor_);
}

void SessionContext::set_following(bool f) {
  following_ = f;
  if (f && cursor_ != steps()) {
    cursor_ = steps();
    Q_EMIT cursorChanged(cursor_);
  }
}

void SessionContext::set_selected_item(std::int64_t item) {
  if (item >= item_count()) item = -1;
  if (item == selected_) return;
  selected_ = item;
  Q_EMIT selectionChanged();
}

void SessionContext::set_highlight_id(session::TokenId id) {
  if (id == highlight_) return;
  highlight_ = id;
  Q_EMIT selectionChanged();
}

std::int64_t SessionContext::focus_step() const {
  const ItemRef r = item_ref(selected_);
  if (r.valid() && !r.prompt) return r.index;
  return cursor_ > 0 ? cursor_ - 1 : -1;
}

void SessionContext::set_generating(bool g) {
  if (g == generating_) return;
  generating_ = g;
  if (!g) flush();
  Q_EMIT generatingChanged(g);
}

void SessionContext::undo() {
  if (undo_.empty() || generating_) return;
  redo_.push_back({session_, title_});
  Snapshot s = std::move(undo_.back());
  undo_.pop_back();
  auto keep_redo = std::move(redo_);
  set_session(s.session, s.title, false);
  redo_ = std::move(keep_redo);
  Q_EMIT historyChanged();
}

void SessionContext::redo() {
  if (redo_.empty() || generating_) return;
  undo_.push_back({session_, title_});
  Snapshot s = std::move(redo_.back());
  redo_.pop_back();
  auto keep_redo = std::move(redo_);
  set_session(s.session, s.title, false);
  redo_ = std::move(keep_redo);
  Q_EMIT historyChanged();
}

}  // namespace z2z::ui
