#pragma once
// Reads a .safetensors file through mmap, validating everything before any tensor is touched:
// header length within the file (and a sane bound, so a lying header cannot make us allocate
// gigabytes), well-formed JSON, known dtypes, shapes whose byte size matches the offsets, and
// every data range inside the file and disjoint from the others.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/mapped_file.h"

namespace qs {

struct TensorView {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    const uint8_t* data = nullptr;
    size_t bytes = 0;
    size_t file_offset = 0;  // absolute offset of data in the file
    std::shared_ptr<MappedFile> file;

    int64_t numel() const;
};

class SafetensorsFile {
public:
    // Throws Failure with "<path>: <problem>" on any inconsistency.
    static std::shared_ptr<SafetensorsFile> open(const std::string& path);

    const std::string& path() const { return file_->path(); }
    const std::map<std::string, TensorView>& tensors() const { return tensors_; }
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    const TensorView* find(const std::string& name) const;
    const std::shared_ptr<MappedFile>& file() const { return file_; }

private:
    std::shared_ptr<MappedFile> file_;
    std::map<std::string, TensorView> tensors_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace qs
