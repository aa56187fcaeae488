#include "common/atomic_output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include "common/result.h"

namespace qs {
namespace fs = std::filesystem;

namespace {

std::string temp_sibling(const std::string& path) {
    std::random_device rd;
    fs::path p(path);
    // Appended piece by piece: GCC 12 warns (-Wrestrict, a known false positive) on the
    // equivalent chain of operator+ starting from a literal.
    std::string name = ".";
    name.append(p.filename().string())
        .append(".tmp-")
        .append(std::to_string(getpid()))
        .append("-")
        .append(std::to_string(rd() % 1000000));
    return (p.parent_path().empty() ? fs::path(".") : p.parent_path()).append(name).string();
}

void write_all(int fd, std::string_view content, const std::string& path) {
    size_t written = 0;
    while (written < content.size()) {
        ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path + ": cannot write (" + std::strerror(errno) + ")");
        }
        written += static_cast<size_t>(n);
    }
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view content) {
    write_file_atomically(path, std::vector<std::string_view>{content});
}

void write_file_atomically(const std::string& path, const std::vector<std::string_view>& parts) {
    const std::string temp = temp_sibling(path);
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) fail(path + ": cannot create (" + std::strerror(errno) + ")");
    try {
        for (std::string_view part : parts) write_all(fd, part, path);
        if (::fsync(fd) != 0) fail(path + ": cannot flush (" + std::strerror(errno) + ")");
    } catch (...) {
        ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    if (::close(fd) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        fail(path + ": cannot write (" + std::strerror(err) + ")");
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        fail(path + ": cannot rename into place (" + std::strerror(err) + ")");
    }
}

AtomicDirectory::AtomicDirectory(std::string final_path)
    : final_path_(std::move(final_path)), temp_path_(temp_sibling(final_path_)) {
    std::error_code ec;
    for (fs::path p = fs::path(temp_path_).parent_path(); !p.empty() && !fs::exists(p, ec);
         p = p.parent_path())
        created_parents_.push_back(p.string());
    fs::create_directories(temp_path_, ec);
    if (ec) {
        remove_uncommitted();
        fail(final_path_ + ": cannot create output folder (" + ec.message() + ")");
    }
}

AtomicDirectory::~AtomicDirectory() {
    if (!committed_) remove_uncommitted();
}

void AtomicDirectory::remove_uncommitted() {
    std::error_code ec;
    fs::remove_all(temp_path_, ec);
    // fs::remove only deletes empty folders: anything else written there meanwhile stays.
    for (const std::string& dir : created_parents_) fs::remove(dir, ec);
}

void AtomicDirectory::commit() {
    std::error_code ec;
    if (fs::exists(final_path_, ec)) {
        // Move the old folder aside first so a failed rename still leaves one complete copy.
        const std::string old = temp_sibling(final_path_);
        fs::rename(final_path_, old, ec);
        if (ec) fail(final_path_ + ": cannot replace existing output (" + ec.message() + ")");
        fs::rename(temp_path_, final_path_, ec);
        if (ec) {
            fs::rename(old, final_path_);
            fail(final_path_ + ": cannot move output into place (" + ec.message() + ")");
        }
        fs::remove_all(old, ec);
    } else {
        fs::rename(temp_path_, final_path_, ec);
        if (ec) fail(final_path_ + ": cannot move output into place (" + ec.message() + ")");
    }
    committed_ = true;
}

}  // namespace qs
