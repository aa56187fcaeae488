#include "common/progress.h"

#include "common/result.h"

namespace qs {

void Control::check() const {
    if (cancelled()) throw Cancelled();
}

}  // namespace qs
