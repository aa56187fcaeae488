#pragma once
// Writes a .safetensors file: 8-byte little-endian header length, a JSON header (tensors sorted
// by name, `__metadata__` first, padded with spaces to a multiple of 8 so every tensor starts
// 8-byte aligned), then the raw little-endian tensor bytes. Written atomically (temp + rename).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace qs {

struct TensorToWrite {
    std::string name;
    std::string dtype;  // "F32", "F16", "BF16", "I8", "U8", "I32", "I64"
    std::vector<int64_t> shape;
    const void* data = nullptr;
    size_t bytes = 0;  // must equal product(shape) * element size of dtype
};

// Throws Failure naming the path on I/O errors or on a tensor whose byte size disagrees with
// its shape and dtype.
void write_safetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata = {{"format", "pt"}});

// Size in bytes of one element of a safetensors dtype, or 0 for an unknown dtype.
size_t dtype_size(const std::string& dtype);

}  // namespace qs
