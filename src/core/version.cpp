// Version strings, taken from the generated build_info.h so one place (CMake) owns them.
#include "rrg/core/version.h"

#include "rrg/core/build_info.h"

namespace rrg {

const char* version() { return RRG_VERSION_STRING; }

const char* git_revision() { return RRG_GIT_REVISION; }

std::string build_features() { return RRG_BUILD_FEATURES; }

}  // namespace rrg
