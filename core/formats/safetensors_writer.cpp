#include "formats/safetensors_writer.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string_view>

#include "common/atomic_output.h"
#include "common/result.h"
#include "formats/dtype.h"

namespace qs {

size_t dtype_size(const std::string& dtype) { return dtype_element_size(dtype); }

namespace {

std::string header_json(const std::vector<const TensorToWrite*>& sorted,
                        const std::map<std::string, std::string>& metadata) {
    // nlohmann's ordered output is alphabetical for std::map-backed json, which is exactly the
    // order safetensors files written by the reference implementation use.
    nlohmann::json header = nlohmann::json::object();
    if (!metadata.empty()) header["__metadata__"] = metadata;
    size_t offset = 0;
    for (const TensorToWrite* t : sorted) {
        header[t->name] = {{"dtype", t->dtype},
                           {"shape", t->shape},
                           {"data_offsets", {offset, offset + t->bytes}}};
        offset += t->bytes;
    }
    std::string text = header.dump();
    text.append((8 - text.size() % 8) % 8, ' ');
    return text;
}

}  // namespace

void write_safetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                       const std::map<std::string, std::string>& metadata) {
    std::vector<const TensorToWrite*> sorted;
    for (const TensorToWrite& t : tensors) {
        const size_t element = dtype_size(t.dtype);
        if (element == 0) fail(path + ": tensor " + t.name + " has unknown dtype " + t.dtype);
        size_t count = 1;
        for (int64_t d : t.shape) count *= static_cast<size_t>(d);
        if (count * element != t.bytes)
            fail(path + ": tensor " + t.name + " has " + std::to_string(t.bytes) +
                 " bytes but its shape and dtype need " + std::to_string(count * element));
        sorted.push_back(&t);
    }
    std::sort(sorted.begin(), sorted.end(),
              [](const TensorToWrite* a, const TensorToWrite* b) { return a->name < b->name; });
    for (size_t i = 1; i < sorted.size(); ++i)
        if (sorted[i]->name == sorted[i - 1]->name)
            fail(path + ": tensor " + sorted[i]->name + " is given twice");

    const std::string header = header_json(sorted, metadata);
    std::string prefix;
    const uint64_t n = header.size();
    for (int i = 0; i < 8; ++i) prefix.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    prefix += header;
    // Streamed tensor by tensor: a copy of the whole file in memory would double the peak
    // memory of saving and cost a page fault per 4 KB of it.
    std::vector<std::string_view> parts{prefix};
    for (const TensorToWrite* t : sorted)
        parts.emplace_back(static_cast<const char*>(t->data), t->bytes);
    write_file_atomically(path, parts);
}

}  // namespace qs
