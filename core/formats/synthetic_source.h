#pragma once
// Built-in synthetic models: the exact shapes of real models with deterministic random weights
// made in memory, for measuring speed and memory at real scale without any download. They model
// nothing, so every place that shows them says "synthetic".
#include <map>
#include <string>
#include <vector>

#include "formats/weight_source.h"

namespace qs {

// Names accepted after "synthetic:" — "tiny", "qwen2.5-0.5b", "qwen2.5-1.5b".
const std::vector<std::string>& synthetic_model_names();

class SyntheticSource : public WeightSource {
public:
    explicit SyntheticSource(const std::string& name);  // throws Failure on unknown names

    std::string description() const override;
    std::string stored_dtype() const override { return "F32"; }
    int64_t stored_bytes() const override;
    std::vector<std::string> names() const override;
    bool has(const std::string& name) const override;
    std::vector<int64_t> shape(const std::string& name) const override;
    std::string dtype(const std::string& name) const override;
    std::string location(const std::string&) const override { return "synthetic:" + name_; }
    // Generated on each call: matrices ~N(0, 0.02^2), biases ~N(0, 0.02^2), norms 1.
    Buffer fp32(const std::string& name) const override;
    StoredTensor stored(const std::string& name) const override;

private:
    std::string name_;
    std::map<std::string, std::vector<int64_t>> shapes_;
};

}  // namespace qs
