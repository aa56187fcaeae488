#pragma once
// Weights from a Hugging Face folder: model.safetensors, or shards listed in
// model.safetensors.index.json.
#include <map>
#include <memory>
#include <string>

#include "formats/safetensors_reader.h"
#include "formats/weight_source.h"

namespace qs {

class SafetensorsSource : public WeightSource {
public:
    // folder holds config.json; config is already parsed from it. Throws Failure.
    SafetensorsSource(const std::string& folder, ModelConfig config);

    std::string description() const override;
    std::string stored_dtype() const override;
    int64_t stored_bytes() const override;
    std::vector<std::string> names() const override;
    bool has(const std::string& name) const override;
    std::vector<int64_t> shape(const std::string& name) const override;
    std::string dtype(const std::string& name) const override;
    std::string location(const std::string& name) const override;
    Buffer fp32(const std::string& name) const override;
    StoredTensor stored(const std::string& name) const override;
    StoredTensor resident(const std::string& name) const override;
    void release(const std::string& name) const override;

    size_t shard_count() const { return files_.size(); }

private:
    const TensorView& view(const std::string& name) const;

    std::vector<std::shared_ptr<SafetensorsFile>> files_;
    std::map<std::string, const TensorView*> index_;
};

}  // namespace qs
