#include "formats/safetensors_reader.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/result.h"
#include "formats/dtype.h"

namespace qs {

namespace {

// The reference implementation refuses headers above 100 MB; so do we.
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;

int64_t checked_numel(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0) return -1;
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / d) return -1;
        n *= d;
    }
    return n;
}

TensorView parse_entry(const std::string& path, const std::string& name,
                       const nlohmann::json& entry, uint64_t data_size) {
    auto bad = [&](const std::string& what) { fail(path + ": tensor '" + name + "' " + what); };
    if (!entry.is_object()) bad("is not a JSON object");
    if (!entry.contains("dtype") || !entry["dtype"].is_string()) bad("has no dtype");
    if (!entry.contains("shape") || !entry["shape"].is_array()) bad("has no shape");
    if (!entry.contains("data_offsets") || !entry["data_offsets"].is_array() ||
        entry["data_offsets"].size() != 2)
        bad("has no data_offsets pair");

    TensorView view;
    view.name = name;
    view.dtype = entry["dtype"].get<std::string>();
    const size_t element = dtype_element_size(view.dtype);
    if (element == 0) bad("has unknown dtype '" + view.dtype + "'");
    for (const auto& d : entry["shape"]) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0) bad("has an invalid shape");
        view.shape.push_back(d.get<int64_t>());
    }
    const auto& offsets = entry["data_offsets"];
    if (!offsets[0].is_number_unsigned() || !offsets[1].is_number_unsigned())
        bad("has invalid data_offsets (expected two non-negative integers)");
    const uint64_t begin = offsets[0].get<uint64_t>();
    const uint64_t end = offsets[1].get<uint64_t>();
    if (begin > end) bad("has data_offsets that end before they begin");
    if (end > data_size)
        bad("has data_offsets [" + std::to_string(begin) + ", " + std::to_string(end) +
            ") beyond the " + std::to_string(data_size) + " data bytes in the file (truncated?)");
    const int64_t numel = checked_numel(view.shape);
    if (numel < 0 || static_cast<uint64_t>(numel) > data_size / element + 1)
        bad("has a shape too large for the file");
    if (static_cast<uint64_t>(numel) * element != end - begin)
        bad("has shape and dtype needing " + std::to_string(numel * element) +
            " bytes but data_offsets span " + std::to_string(end - begin));
    view.bytes = end - begin;
    view.file_offset = begin;  // relative for now; made absolute by the caller
    return view;
}

}  // namespace

int64_t TensorView::numel() const { return checked_numel(shape); }

std::shared_ptr<SafetensorsFile> SafetensorsFile::open(const std::string& path) {
    auto result = std::shared_ptr<SafetensorsFile>(new SafetensorsFile());
    result->file_ = MappedFile::open(path);
    const MappedFile& file = *result->file_;
    if (file.size() == 0) fail(path + ": file is empty");
    if (file.size() < 8) fail(path + ": file is too short to be safetensors");
    uint64_t header_len = 0;
    for (int i = 7; i >= 0; --i) header_len = header_len << 8 | file.data()[i];
    if (header_len > kMaxHeaderBytes)
        fail(path + ": header length " + std::to_string(header_len) +
             " is larger than the 100 MB safetensors limit");
    if (header_len > file.size() - 8)
        fail(path + ": header length " + std::to_string(header_len) + " exceeds the file size " +
             std::to_string(file.size()));
    if (header_len < 2) fail(path + ": header is empty");

    const char* text = reinterpret_cast<const char*>(file.data() + 8);
    // A JSON object keeps one value per key; the format forbids repeats, so they are caught
    // while parsing (which of the two entries the file meant is unknowable).
    std::set<std::string> keys;
    std::string repeated;
    const auto note_keys = [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        if (event == nlohmann::json::parse_event_t::key && depth == 1 && repeated.empty() &&
            !keys.insert(parsed.get<std::string>()).second)
            repeated = parsed.get<std::string>();
        return true;
    };
    nlohmann::json header = nlohmann::json::parse(text, text + header_len, note_keys, false);
    if (header.is_discarded()) fail(path + ": header is not valid JSON");
    if (!header.is_object()) fail(path + ": header is not a JSON object");
    if (!repeated.empty()) fail(path + ": tensor '" + repeated + "' appears twice in the header");

    const uint64_t data_start = 8 + header_len;
    const uint64_t data_size = file.size() - data_start;
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") {
            if (!it.value().is_object()) fail(path + ": __metadata__ is not an object");
            for (auto m = it.value().begin(); m != it.value().end(); ++m)
                if (m.value().is_string())
                    result->metadata_[m.key()] = m.value().get<std::string>();
            continue;
        }
        TensorView view = parse_entry(path, it.key(), it.value(), data_size);
        view.data = file.data() + data_start + view.file_offset;
        view.file_offset += data_start;
        view.file = result->file_;
        result->tensors_.emplace(it.key(), std::move(view));
    }

    // Overlapping ranges would let one tensor alias another; refuse them. Empty tensors hold
    // no bytes and may sit anywhere.
    std::vector<const TensorView*> by_offset;
    for (const auto& [name, view] : result->tensors_)
        if (view.bytes > 0) by_offset.push_back(&view);
    std::sort(by_offset.begin(), by_offset.end(), [](const TensorView* a, const TensorView* b) {
        return a->file_offset < b->file_offset;
    });
    for (size_t i = 1; i < by_offset.size(); ++i) {
        const TensorView* prev = by_offset[i - 1];
        if (by_offset[i]->file_offset < prev->file_offset + prev->bytes)
            fail(path + ": tensors '" + prev->name + "' and '" + by_offset[i]->name +
                 "' overlap");
    }
    return result;
}

const TensorView* SafetensorsFile::find(const std::string& name) const {
    auto it = tensors_.find(name);
    return it == tensors_.end() ? nullptr : &it->second;
}

}  // namespace qs
