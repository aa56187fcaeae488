#include "formats/resident_copy.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/result.h"

namespace qs {

namespace {

// Largest single read: Linux transfers at most 0x7ffff000 bytes per read call.
constexpr size_t kMaxRead = size_t(1) << 30;

}  // namespace

// The bytes are read with pread, not copied out of the mapping: touching the mapping faults it
// in 4 KB at a time, and copying a 2 GB FP32 model that way took 4.4 s more than reading it.
Buffer resident_copy(const MappedFile& file, size_t offset, size_t bytes) {
    Buffer out = Buffer::allocate_for_overwrite(bytes);
    auto* dst = static_cast<uint8_t*>(const_cast<void*>(out.data));
    const int fd = ::open(file.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(file.path() + ": cannot open (" + std::strerror(errno) + ")");
    for (size_t done = 0; done < bytes;) {
        const size_t want = bytes - done < kMaxRead ? bytes - done : kMaxRead;
        const ssize_t got = ::pread(fd, dst + done, want, off_t(offset + done));
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            const std::string why = got < 0 ? std::strerror(errno) : "file shorter than its header says";
            ::close(fd);
            fail(file.path() + ": cannot read (" + why + ")");
        }
        done += size_t(got);
    }
    ::close(fd);
    // Pages a check read through the mapping are not needed there any more.
    file.release(offset, bytes);
    return out;
}

}  // namespace qs
