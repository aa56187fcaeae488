#pragma once
// Public model API of core (no torch, no Qt). A Model is loaded from a spec — a Hugging Face
// folder, a llama2.c .bin, a Quantscope-quantized folder, or "synthetic:NAME" — optionally
// quantized in memory on the way in, and runs through Sessions that own a KV cache.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/progress.h"
#include "common/result.h"
#include "model/model_config.h"
#include "quant/method.h"

namespace qs {

class Tokenizer;

struct LoadOptions {
    QuantOptions quant;     // method applied while loading (fp32: none)
    std::string tokenizer;  // explicit tokenizer path; empty: found beside the model
    bool require_tokenizer = false;
};

struct TensorInfo {
    std::string name;
    std::vector<int64_t> shape;
    std::string format;  // e.g. "fp32", "int8 per-channel symmetric", "int4 asymmetric g32 ..."
    int64_t bytes = 0;
};

struct ModelInfo {
    std::string spec;         // what the user gave
    std::string path;         // resolved file or folder ("" for synthetic)
    std::string source;       // "huggingface", "llama2.c", "synthetic", "quantscope"
    std::string description;  // e.g. "Hugging Face safetensors (2 shards)"
    bool synthetic = false;
    ModelConfig config;
    std::string stored_dtype;      // dtype of the weights on disk / as generated
    int64_t parameters = 0;
    int64_t stored_weight_bytes = 0;  // bytes as stored by the source
    int64_t weight_bytes = 0;         // bytes of the weights as held in memory for inference
    // Weight bytes one decode step streams from memory: every projection, norm and bias, the
    // LM head, and a single row of the embedding (only the token's row is read).
    int64_t decode_bytes_per_token = 0;
    Method method = Method::fp32;     // what the weights are now
    QuantOptions quant;               // options that produced them
    std::string method_detail;        // e.g. "int4 asymmetric g32 with scale search"
    std::vector<TensorInfo> tensors;  // every weight, in model order
    std::vector<std::string> kernels; // distinct kernels used at decode, "name: kernel"
    std::string tokenizer_path;       // "" when there is none
    double load_seconds = 0;          // wall time of load (incl. in-memory quantization)
};

class Session;

class Model : public std::enable_shared_from_this<Model> {
public:
    static Result<std::shared_ptr<Model>> load(const std::string& spec,
                                               const LoadOptions& options = {},
                                               const Control& control = {});
    // What a model is, from its metadata only (no weights are read or generated): tensors with
    // their stored dtype and bytes, weight_bytes = bytes as stored.
    static Result<ModelInfo> inspect(const std::string& spec, const std::string& tokenizer = {});
    ~Model();

    const ModelInfo& info() const;
    const ModelConfig& config() const;
    const Tokenizer* tokenizer() const;  // null when the model has none (e.g. synthetic)

    // Whether prompts start with BOS: the tokenizer says so (Llama SentencePiece: yes, Qwen: no).
    bool adds_bos() const;
    std::optional<int32_t> bos_id() const;
    bool is_eos(int32_t id) const;
    int64_t max_positions() const;

    // Tokens of a prompt as the model expects them (BOS first when adds_bos()).
    Result<std::vector<int32_t>> encode_prompt(const std::string& text) const;

    // One forward pass over ids from position 0; calls sink(position, logits) for each
    // requested position (ascending), logits holding vocab_size floats valid during the call.
    Status forward(const std::vector<int32_t>& ids, const std::vector<int64_t>& positions,
                   const std::function<void(int64_t, const float*)>& sink) const;
    // Convenience: the logits rows of the requested positions.
    Result<std::vector<std::vector<float>>> logits(const std::vector<int32_t>& ids,
                                                   const std::vector<int64_t>& positions) const;

    // A KV-cached session for up to capacity positions (capped at max_positions()).
    Result<std::unique_ptr<Session>> new_session(int64_t capacity) const;

    struct Impl;

private:
    explicit Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
    friend class Session;
    friend Status save_model(const Model&, const std::string&, bool, const Control&);
};

class Session {
public:
    ~Session();
    // Appends ids (a batched prefill when there are several) and computes the logits of the
    // last one, available through last_logits() (unspecified after a failed append).
    Status append(const std::vector<int32_t>& ids);
    const std::vector<float>& last_logits() const { return logits_; }
    int64_t length() const;
    int64_t capacity() const;
    int64_t kv_cache_bytes() const;
    void reset();

    struct State;

private:
    friend class Model;
    Session(std::shared_ptr<const Model> model, std::unique_ptr<State> state);
    std::shared_ptr<const Model> model_;
    std::unique_ptr<State> state_;
    std::vector<float> logits_;
};

}  // namespace qs
