#include "formats/safetensors_source.h"

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "common/result.h"
#include "formats/dtype.h"
#include "formats/resident_copy.h"

namespace qs {
namespace fs = std::filesystem;

namespace {

// Shard file names listed by model.safetensors.index.json, validated to stay in the folder.
std::vector<std::string> shard_files(const std::string& index_path) {
    std::ifstream in(index_path, std::ios::binary);
    if (!in) fail(index_path + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) fail(index_path + ": not valid JSON");
    if (!j.contains("weight_map") || !j["weight_map"].is_object())
        fail(index_path + ": missing \"weight_map\"");
    std::set<std::string> files;
    for (auto it = j["weight_map"].begin(); it != j["weight_map"].end(); ++it) {
        if (!it.value().is_string()) fail(index_path + ": weight_map entries must be file names");
        const std::string file = it.value().get<std::string>();
        if (file.empty() || file.find('/') != std::string::npos || file == "..")
            fail(index_path + ": invalid shard file name \"" + file + "\"");
        files.insert(file);
    }
    if (files.empty()) fail(index_path + ": weight_map is empty");
    return {files.begin(), files.end()};
}

}  // namespace

SafetensorsSource::SafetensorsSource(const std::string& folder, ModelConfig config) {
    config_ = std::move(config);
    const fs::path dir(folder);
    std::vector<std::string> paths;
    if (fs::exists(dir / "model.safetensors.index.json")) {
        for (const std::string& f : shard_files((dir / "model.safetensors.index.json").string())) {
            if (!fs::exists(dir / f))
                fail((dir / "model.safetensors.index.json").string() + ": shard " + f +
                     " is missing");
            paths.push_back((dir / f).string());
        }
    } else if (fs::exists(dir / "model.safetensors")) {
        paths.push_back((dir / "model.safetensors").string());
    } else {
        fail(folder + ": no model.safetensors or model.safetensors.index.json");
    }
    for (const std::string& p : paths) {
        files_.push_back(SafetensorsFile::open(p));
        for (const auto& [name, view] : files_.back()->tensors()) {
            if (index_.count(name)) fail(p + ": tensor '" + name + "' also appears in another shard");
            index_[name] = &view;
        }
    }
}

std::string SafetensorsSource::description() const {
    return files_.size() == 1 ? "Hugging Face safetensors"
                              : "Hugging Face safetensors (" + std::to_string(files_.size()) +
                                    " shards)";
}

std::string SafetensorsSource::stored_dtype() const {
    // The dtype holding the most bytes: norms may be F32 in an otherwise BF16 checkpoint.
    std::map<std::string, size_t> bytes;
    for (const auto& [name, view] : index_) bytes[view->dtype] += view->bytes;
    std::string best;
    size_t most = 0;
    for (const auto& [dtype, n] : bytes)
        if (n > most) most = n, best = dtype;
    return best;
}

int64_t SafetensorsSource::stored_bytes() const {
    int64_t total = 0;
    for (const auto& [name, view] : index_) total += static_cast<int64_t>(view->bytes);
    return total;
}

std::vector<std::string> SafetensorsSource::names() const {
    std::vector<std::string> out;
    for (const auto& [name, view] : index_) out.push_back(name);
    return out;
}

bool SafetensorsSource::has(const std::string& name) const { return index_.count(name) > 0; }

const TensorView& SafetensorsSource::view(const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) fail(files_.front()->path() + ": tensor '" + name + "' is missing");
    return *it->second;
}

std::string SafetensorsSource::dtype(const std::string& name) const {
    return view(name).dtype;
}

std::vector<int64_t> SafetensorsSource::shape(const std::string& name) const {
    return view(name).shape;
}

std::string SafetensorsSource::location(const std::string& name) const {
    auto it = index_.find(name);
    return it == index_.end() ? files_.front()->path() : it->second->file->path();
}

Buffer SafetensorsSource::fp32(const std::string& name) const {
    const TensorView& v = view(name);
    if (!is_float_weight_dtype(v.dtype))
        fail(v.file->path() + ": tensor '" + name + "' has dtype " + v.dtype +
             " (supported: F32, F16, BF16)");
    const size_t count = static_cast<size_t>(v.numel());
    if (v.dtype == "F32") return resident_copy(*v.file, v.file_offset, v.bytes);
    Buffer out = Buffer::allocate_for_overwrite(count * sizeof(float));
    convert_to_fp32(v.dtype, v.data, count, out.mutable_as<float>());
    return out;
}

StoredTensor SafetensorsSource::stored(const std::string& name) const {
    const TensorView& v = view(name);
    return StoredTensor{"", v.dtype, v.shape, Buffer::borrow(v.data, v.bytes, v.file)};
}

StoredTensor SafetensorsSource::resident(const std::string& name) const {
    const TensorView& v = view(name);
    return StoredTensor{"", v.dtype, v.shape, resident_copy(*v.file, v.file_offset, v.bytes)};
}

void SafetensorsSource::release(const std::string& name) const {
    const TensorView& v = view(name);
    v.file->release(v.file_offset, v.bytes);
}

}  // namespace qs
