#include "quant/buffer.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace qs {

Buffer Buffer::allocate(size_t bytes) {
    const size_t rounded = (bytes + 63) / 64 * 64;
    void* p = std::aligned_alloc(64, rounded == 0 ? 64 : rounded);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, rounded == 0 ? 64 : rounded);
    return Buffer{p, bytes, std::shared_ptr<const void>(p, [](const void* q) {
                      std::free(const_cast<void*>(q));
                  })};
}

}  // namespace qs
