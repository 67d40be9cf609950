// Text exports of a session at step t: the codebook as CSV and a Markdown summary (run, metrics,
// hypertoken lengths, most-used entries). Return strings; writing files is the caller's job.
#pragma once

#include <cstdint>
#include <string>

#include "core/session/session.h"

namespace z2z::session {

// Header: id,created_step,length,prefix_id,last_base_id,base_ids,text,uses,last_use
// created_step -1 = created by the prompt; last_use empty = never used, -1 = in the prompt.
std::string codebook_csv(const Session& s, std::int64_t t);
std::string summary_markdown(const Session& s, std::int64_t t);

}  // namespace z2z::session
