#include "common/version.h"

#include "git_commit.h"  // generated: QS_GIT_COMMIT

namespace qs {

std::string version() { return QS_VERSION; }
std::string git_commit() { return QS_GIT_COMMIT; }
std::string build_type() { return QS_BUILD_TYPE; }

}  // namespace qs
