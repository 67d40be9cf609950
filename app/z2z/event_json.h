// JSON (one object per line) for generation events — the `--jsonl` stream of `z2z generate`.
// Schema: docs/events.md.
#pragma once

#include <string>

#include "core/generate/events.h"

namespace z2z::cli {

std::string prompt_event_json(const gen::PromptEvent& e);
std::string step_event_json(const gen::StepEvent& e);
std::string finish_event_json(const gen::FinishEvent& e);

}  // namespace z2z::cli
