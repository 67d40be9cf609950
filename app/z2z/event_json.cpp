// Event -> JSON line. Uses nlohmann::ordered_json so keys keep a stable, documented order.
#include "app/z2z/event_json.h"

#include <nlohmann/json.hpp>

namespace z2z::cli {

namespace {
using json = nlohmann::ordered_json;

json entries_json(const std::vector<gen::Entry>& es) {
  json a = json::array();
  for (const auto& e : es) a.push_back(json{{"id", e.id}, {"base_ids", e.base_ids}});
  return a;
}
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }
}  // namespace

std::string prompt_event_json(const gen::PromptEvent& e) {
  json j{{"type", "prompt"},          {"text", e.text},   {"base_ids", e.base_ids},
         {"codes", e.codes},          {"inserted", entries_json(e.inserted)},
         {"prefill_ms", e.prefill_ms}, {"encoder_ms", e.encoder_ms}};
  return dump(j);
}

std::string step_event_json(const gen::StepEvent& e) {
  json top = json::array();
  for (const auto& c : e.top)
    top.push_back(json{{"id", c.id}, {"prob", c.prob}, {"is_hyper", c.is_hyper}, {"base_ids", c.base_ids}, {"text", c.text}});
  json j{{"type", "step"},
         {"step", e.step},
         {"code", e.code},
         {"is_hyper", e.is_hyper},
         {"base_ids", e.base_ids},
         {"text", e.text},
         {"prob", e.prob},
         {"top", top},
         {"outside_top", e.outside_top},
         {"eos", e.eos},
         {"inserted", entries_json(e.inserted)},
         {"timings_ms", json{{"sample", e.sample_ms}, {"forward", e.forward_ms}, {"encoder", e.encoder_ms}}}};
  return dump(j);
}

std::string finish_event_json(const gen::FinishEvent& e) {
  json j{{"type", "finish"},
         {"reason", e.reason},
         {"steps", e.steps},
         {"base_tokens", e.base_tokens},
         {"prompt_base_tokens", e.prompt_base_tokens},
         {"prompt_codes", e.prompt_codes},
         {"codebook_size", e.codebook_size},
         {"compression_rate", e.base_tokens ? static_cast<double>(e.steps) / static_cast<double>(e.base_tokens) : 1.0},
         {"prefill_ms", e.prefill_ms},
         {"total_ms", e.total_ms}};
  return dump(j);
}

}  // namespace z2z::cli
