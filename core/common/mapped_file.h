#pragma once
// A read-only memory mapping of a whole file. Model weights are read through this, one tensor
// at a time; what a model keeps is copied out and dropped from the mapping
// (formats/resident_copy.h), so the file never counts in RSS next to its copy.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace qs {

class MappedFile {
public:
    // Throws Failure naming the file when it cannot be opened or mapped.
    static std::shared_ptr<MappedFile> open(const std::string& path);
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    const uint8_t* data() const { return data_; }
    size_t size() const { return size_; }
    const std::string& path() const { return path_; }

    // Tells the kernel a byte range will not be needed again (e.g. after copying or converting
    // weights), so the page cache copy does not count twice in RSS.
    void release(size_t offset, size_t length) const;

private:
    MappedFile() = default;
    std::string path_;
    const uint8_t* data_ = nullptr;
    size_t size_ = 0;
};

}  // namespace qs
