#pragma once
// Where a model's tensors come from. Tensors are named as in Hugging Face Llama/Qwen2
// checkpoints (model.layers.N.self_attn.q_proj.weight, ...) whatever the file format, and are
// handed out one at a time so that building a model (FP32 or quantized) never holds a second
// full copy of the weights.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/model_config.h"
#include "quant/buffer.h"
#include "quant/packed_linear.h"

namespace qs {

class WeightSource {
public:
    virtual ~WeightSource() = default;

    const ModelConfig& config() const { return config_; }

    // e.g. "Hugging Face safetensors (2 shards)", "llama2.c checkpoint", "synthetic (random)".
    virtual std::string description() const = 0;
    // The dtype most weights are stored in ("F32", "BF16", "F16", ...).
    virtual std::string stored_dtype() const = 0;
    // Sum of the stored bytes of every tensor.
    virtual int64_t stored_bytes() const = 0;

    virtual std::vector<std::string> names() const = 0;
    virtual bool has(const std::string& name) const = 0;
    virtual std::vector<int64_t> shape(const std::string& name) const = 0;
    virtual std::string dtype(const std::string& name) const = 0;
    // The file holding a tensor, for error messages.
    virtual std::string location(const std::string& name) const = 0;

    // FP32 values of a float tensor in memory of its own (copied when stored as F32, converted
    // otherwise; see formats/resident_copy.h for why never the file mapping itself).
    // Throws Failure naming the file and tensor on unsupported dtypes.
    virtual Buffer fp32(const std::string& name) const = 0;
    // The tensor exactly as stored (used for quantized folders), possibly borrowed from the
    // file: enough to check it. Throws if absent.
    virtual StoredTensor stored(const std::string& name) const = 0;
    // The same, in memory of its own: what a loaded model keeps for compute.
    virtual StoredTensor resident(const std::string& name) const { return stored(name); }
    // Hint that a tensor's stored bytes will not be read again (drops converted-from pages).
    virtual void release(const std::string& /*name*/) const {}

protected:
    ModelConfig config_;
};

}  // namespace qs
