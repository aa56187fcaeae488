#pragma once
// Version and build identity, recorded in every result.
#include <string>

namespace qs {

std::string version();     // e.g. "0.1.0"
std::string git_commit();  // short hash of the source tree at build time, "-dirty" when it had
                           // uncommitted changes, or "unknown" outside a git checkout
std::string build_type();  // CMake build type

}  // namespace qs
