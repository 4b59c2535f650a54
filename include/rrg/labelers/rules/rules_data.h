// The rule files of data/rules/, compiled into rrg so the rule-based labeler works from any
// directory without installing data. The definition is generated at build time by
// cmake/RrgEmbedRules.cmake into <build>/generated/rules_data.cpp; editing a file under
// data/rules/ regenerates it on the next build.
#pragma once

#include <vector>

#include "rrg/labelers/rules/rule_set.h"

namespace rrg::labelers {

// Every file of data/rules/ (names relative to it, e.g. "cue/negation_pre.txt"), sorted by name.
const std::vector<RuleFile>& embedded_rule_files();

}  // namespace rrg::labelers
