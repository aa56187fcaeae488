#include "common/allocator_tuning.h"

#include <malloc.h>

#include <mutex>

namespace qs {

void tune_allocator() {
    static std::once_flag once;
    std::call_once(once, [] {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum on 64-bit
        mallopt(M_TRIM_THRESHOLD, 256 << 20);
    });
}

}  // namespace qs
