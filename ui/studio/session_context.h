// SessionContext — what every studio panel views: the current Session (append-only log), the cursor
// step t (panels draw the session "as of" t), the selected stream item and the highlighted token id,
// plus the undo/redo history of sessions (branches). Panels connect to its signals and only read
// (RenderDoc's CaptureContext role). Live appends are applied at once; the `grew` signal is coalesced
// to at most one per ~30 ms so a fast model never floods the views.
// Not the generator (generation_worker.h), not a widget; GUI thread only.
#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/session/session.h"

namespace z2z::ui {

// A stream item: prompt codes first, then steps. index < prompt codes -> prompt code, else step.
struct ItemRef {
  bool prompt = false;
  std::int64_t index = -1;  // prompt code index or step index
  bool valid() const { return index >= 0; }
};

class SessionContext : public QObject {
  Q_OBJECT
 public:
  explicit SessionContext(QObject* parent = nullptr);
  ~SessionContext() override;

  bool has_session() const { return session_ != nullptr; }
  const session::Session& session() const { return *session_; }
  std::shared_ptr<const session::Session> session_ptr() const { return session_; }
  QString title() const { return title_; }

  // Replace the session (loaded file, new run, teaching text). Pushes the old one on the undo stack
  // when `keep_history`. Cursor goes to the end.
  void set_session(std::shared_ptr<session::Session> s, const QString& title, bool keep_history = false);
  void clear();

  // Live appends (from the worker's queued signals). Throw z2z::Error on inconsistent events.
  void append_prompt(const gen::PromptEvent& e);
  void append_step(const gen::StepEvent& e);
  void append_finish(const gen::FinishEvent& e);
  void flush();  // emit a pending `grew` now (tests, end of run)

  std::int64_t steps() const { return session_ ? session_->steps() : 0; }
  std::int64_t prompt_codes() const;
  std::int64_t item_count() const { return prompt_codes() + steps(); }
  ItemRef item_ref(std::int64_t item) const;
  std::int64_t item_of_step(std::int64_t step) const { return prompt_codes() + step; }
  session::TokenId item_code(std::int64_t item) const;

  // The cursor: step t in [0, steps()]. `following` = it tracks the end while generating.
  std::int64_t cursor() const { return cursor_; }
  bool following() const { return following_; }
  void set_cursor(std::int64_t t);
  void set_following(bool f);

  // Selected stream item (-1 none) and highlighted token id (-1 none; stream highlights occurrences).
  std::int64_t selected_item() const { return selected_; }
  void set_selected_item(std::int64_t item);
  session::TokenId highlight_id() const { return highlight_; }
  void set_highlight_id(session::TokenId id);
  // The step the alternatives/inspector describe: the selected item if it is a step, else t - 1.
  std::int64_t focus_step() const;

  bool generating() const { return generating_; }
  void set_generating(bool g);

  // History of sessions (branches): undo restores the previous one, redo the next.
  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  void undo();
  void redo();

 Q_SIGNALS:
  void loaded();                 // a new session replaced the old one (or cleared)
  void grew();                   // steps were appended (coalesced)
  void cursorChanged(qint64 t);  // the cursor moved
  void selectionChanged();       // selected item or highlighted id changed
  void generatingChanged(bool on);
  void historyChanged();

 private:
  void schedule_grew();

  std::shared_ptr<session::Session> session_;
  QString title_;
  std::int64_t cursor_ = 0;
  bool following_ = true;
  std::int64_t selected_ = -1;
  session::TokenId highlight_ = -1;
  bool generating_ = false;
  QTimer grew_timer_;
  bool grew_pending_ = false;
  struct Snapshot {
    std::shared_ptr<session::Session> session;
    QString title;
  };
  std::vector<Snapshot> undo_, redo_;
};

}  // namespace z2z::ui
