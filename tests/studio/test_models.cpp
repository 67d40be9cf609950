// Studio models at step t: the codebook table (rows, greying, uses), the session context (cursor,
// coalesced growth, history), the dashboard numbers, the alternatives, the nesting tree and the teaching
// trace.
#include <gtest/gtest.h>

#include <QTreeWidget>
#include <functional>
#include "studio/studio_app.h"
#include "ui/models/codebook_model.h"

#include "core/tokenizer/compression.h"
#include "core/tokenizer/display.h"
#include "core/tokenizer/tokenizer.h"
#include "ui/panels/codebook_panel.h"
#include "ui/panels/dashboard_panel.h"
#include "ui/panels/teaching_panel.h"
#include "ui/studio/session_context.h"
#include "ui/studio/token_info.h"

using namespace z2z;
using namespace z2z::ui;

TEST(CodebookModel, RowsAtStepT) {
  test::studio_app();
  SessionContext ctx;
  CodebookModel model(&ctx);
  auto s = test::repetitive_session(400);
  ctx.set_session(s, "t");
  ASSERT_EQ(model.rowCount(), static_cast<int>(s->entries().size()));
  ASSERT_GT(model.rowCount(), 10);
  for (std::int64_t t : {std::int64_t(0), s->steps() / 3, s->steps()}) {
    ctx.set_cursor(t);
    int existing = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
      const auto& e = s->entries()[static_cast<std::size_t>(r)];
      const bool exists = e.created_step < t;
      existing += exists;
      // rows created after t are greyed out and show no use count
      EXPECT_EQ(model.data(model.index(r, CodebookModel::Id), Qt::ForegroundRole).isValid(), !exists)
          << r << " t=" << t;
      const QVariant uses = model.data(model.index(r, CodebookModel::Uses), Qt::UserRole);
      if (exists)
        EXPECT_EQ(uses.toLongLong(), s->entry(e.id, t)->uses);
      else
        EXPECT_EQ(uses.toLongLong(), -1);
      EXPECT_EQ(model.id_at(r), e.id);
    }
    EXPECT_EQ(existing, s->codebook_size(t));
    EXPECT_EQ(model.size_at_cursor(), s->codebook_size(t));
  }
  // entry column: prefix id + appended id
  const auto& e = s->entries().back();
  EXPECT_EQ(model.data(model.index(model.rowCount() - 1, CodebookModel::Entry), Qt::DisplayRole).toString(),
            QString("%1 + %2").arg(e.prefix_id).arg(e.base_ids.back()));
}

TEST(SessionContext, LiveAppendsAreCoalescedAndCursorFollows) {
  test::studio_app();
  auto src = test::repetitive_session(200);
  SessionContext ctx;
  CodebookModel model(&ctx);
  ctx.set_session(std::make_shared<session::Session>(src->info()), "live");
  ctx.set_generating(true);
  int grew = 0;
  QObject::connect(&ctx, &SessionContext::grew, [&grew] { ++grew; });
  for (std::int64_t i = 0; i < src->steps(); ++i) ctx.append_step(src->step_event(i));
  EXPECT_EQ(grew, 0);  // coalesced: nothing until the timer or a flush
  EXPECT_EQ(ctx.cursor(), src->steps());
  ctx.flush();
  EXPECT_EQ(grew, 1);
  EXPECT_EQ(model.rowCount(), static_cast<int>(src->entries().size()));
  // scrubbing back stops following; new steps do not move the cursor
  ctx.set_cursor(5);
  EXPECT_FALSE(ctx.following());
  EXPECT_EQ(ctx.focus_step(), 4);
}

TEST(SessionContext, BranchHistoryRollsBackTheCodebook) {
  test::studio_app();
  SessionContext ctx;
  CodebookModel model(&ctx);
  auto a = test::repetitive_session(300);
  auto b = test::repetitive_session(60);
  ctx.set_session(a, "a");
  ctx.set_session(b, "branch", /*keep_history=*/true);
  EXPECT_TRUE(ctx.can_undo());
  EXPECT_EQ(model.rowCount(), static_cast<int>(b->entries().size()));
  ctx.undo();
  EXPECT_EQ(&ctx.session(), a.get());
  EXPECT_EQ(model.rowCount(), static_cast<int>(a->entries().size()));
  EXPECT_EQ(ctx.cursor(), a->steps());
  EXPECT_TRUE(ctx.can_redo());
  ctx.redo();
  EXPECT_EQ(&ctx.session(), b.get());
  EXPECT_EQ(model.rowCount(), static_cast<int>(b->entries().size()));
  // every row of the restored session is consistent with its entries at every t
  for (int r = 0; r < model.rowCount(); ++r) EXPECT_EQ(model.id_at(r), b->entries()[std::size_t(r)].id);
}

TEST(Dashboard, NumbersRedrawAtTheCursor) {
  test::studio_app();
  SessionContext ctx;
  DashboardPanel dash(&ctx);
  auto s = test::repetitive_session(500);
  ctx.set_session(s, "d");
  EXPECT_EQ(dash.value("codes"), QString::number(s->steps()));
  EXPECT_EQ(dash.value("compression_rate"), QString::number(s->counters(s->steps()).compression_rate(), 'f', 3));
  ctx.set_cursor(10);
  EXPECT_EQ(dash.value("codes"), "10");
  EXPECT_EQ(dash.value("base_tokens"), QString::number(s->counters(10).base_tokens));
  // numbers stay after the run ends (no session change)
  ctx.set_generating(false);
  EXPECT_EQ(dash.value("codes"), "10");
}

TEST(TokenInfo, DescribesHypertokens) {
  test::studio_app();
  SessionContext ctx;
  auto s = test::repetitive_session(200);
  ctx.set_session(s, "i");
  std::int64_t hyper_step = -1;
  for (std::int64_t i = 0; i < s->steps() && hyper_step < 0; ++i)
    if (s->step(i).is_hyper) hyper_step = i;
  ASSERT_GE(hyper_step, 0);
  const TokenInfo info = describe_item(ctx, ctx.item_of_step(hyper_step), s->steps());
  EXPECT_EQ(info.kind, "hypertoken");
  EXPECT_GE(info.base_ids.size(), 2u);
  EXPECT_GE(info.depth, 1);
  EXPECT_GE(info.uses, 1);
  EXPECT_TRUE(info_json(info).contains("\"base_ids\""));
}

TEST(Teaching, TraceFollowsTheScrubber) {
  test::studio_app();
  SessionContext ctx;
  TeachingPanel panel(&ctx, QString());  // no tokenizer: UTF-8 bytes as ids
  panel.set_text("abababababababab");
  ASSERT_EQ(panel.run(), QString());
  ASSERT_TRUE(ctx.has_session());
  EXPECT_EQ(panel.trace_rows(), 16);
  EXPECT_LT(ctx.steps(), 16);  // compressed
  ctx.set_cursor(1);
  EXPECT_EQ(panel.current_row(), 1);  // 'b' read: emits code 0 ('a')
  ctx.set_cursor(ctx.steps());
  EXPECT_GT(panel.current_row(), 5);
}

// The nesting tree expands a hypertoken down to base tokens; every leaf names its base token's text
// (whitespace as the stream view shows it), also for a session loaded without its tokenizer.
TEST(CodebookPanel, NestingTreeLeavesShowBaseTokenTexts) {
  test::studio_app();
  const std::string tok_path = std::string(Z2Z_SOURCE_DIR) + "/resources/models/demo-zip2zip/tokenizer.json";
  const auto tok = tok::Tokenizer::from_file(tok_path);
  std::string text;
  for (int i = 0; i < 12; ++i) text += "    return self.value + self.other\n";
  auto s = std::make_shared<session::Session>(
      session::Session::from_text(tok, text, lzw::CompressionConfig(tok::lzw_config_for(tok, 1000, 4))));
  SessionContext ctx;
  CodebookPanel panel(&ctx);
  ctx.set_session(s, "t");
  // the longest entry: several levels of nesting
  const session::CodebookEntry* deep = nullptr;
  for (const auto& e : s->entries())
    if (!deep || e.base_ids.size() > deep->base_ids.size()) deep = &e;
  ASSERT_NE(deep, nullptr);
  ASSERT_GE(deep->base_ids.size(), 3u);
  panel.show_nesting(deep->id);
  QTreeWidget* tree = panel.tree();
  ASSERT_EQ(tree->topLevelItemCount(), 1);
  std::vector<QTreeWidgetItem*> leaves;
  std::function<void(QTreeWidgetItem*)> walk = [&](QTreeWidgetItem* it) {
    if (it->childCount() == 0) leaves.push_back(it);
    for (int i = 0; i < it->childCount(); ++i) walk(it->child(i));
  };
  walk(tree->topLevelItem(0));
  // the leaves, left to right, are the entry's base tokens
  ASSERT_EQ(leaves.size(), deep->base_ids.size());
  bool saw_space = false;
  for (std::size_t k = 0; k < leaves.size(); ++k) {
    const auto id = deep->base_ids[k];
    EXPECT_EQ(leaves[k]->data(0, Qt::UserRole).toInt(), id);
    const QString want = QString::fromStdString(tok::visible_whitespace(tok.token_bytes(id)));
    ASSERT_FALSE(want.isEmpty());
    EXPECT_EQ(leaves[k]->text(1), want) << k;
    EXPECT_EQ(leaves[k]->text(0), QString("#%1 '%2'").arg(id).arg(want)) << k;
    saw_space = saw_space || want.contains(QChar(0x00B7));
  }
  EXPECT_TRUE(saw_space);  // ' self' / ' +' leaves: the space is a visible glyph
}
