// Version and build information of this rrg build.
#pragma once

#include <string>

namespace rrg {

// Semantic version of the toolkit, e.g. "0.1.0". Appears as `version:` in every signature.
const char* version();

// Git revision the binary was built from ("unknown" outside a checkout).
const char* git_revision();

// Compiled-in optional features, e.g. "+xlsx,-torch" (ripgrep-style feature list).
std::string build_features();

}  // namespace rrg
