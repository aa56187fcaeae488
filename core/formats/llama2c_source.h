#pragma once
// Weights of a llama2.c legacy (version 0) checkpoint: a 7 x int32 header (dim, hidden_dim,
// n_layers, n_heads, n_kv_heads, vocab_size — negative when the classifier is not shared —
// seq_len), then FP32 tensors in run.c order.
//
// llama2.c rotates adjacent pairs (x[2i], x[2i+1]); Hugging Face's rotate_half pairs x[i] with
// x[i + d/2]. We serve wq and wk with the rows of every head permuted (even rows first, then odd
// rows) — the same permutation Hugging Face's Llama conversion applies — so the one rotate_half
// RoPE computes exactly llama2.c's attention scores and the model needs no second code path.
#include <map>
#include <memory>
#include <string>

#include "common/mapped_file.h"
#include "formats/weight_source.h"

namespace qs {

class Llama2cSource : public WeightSource {
public:
    explicit Llama2cSource(const std::string& path);  // throws Failure

    std::string description() const override { return "llama2.c checkpoint"; }
    std::string stored_dtype() const override { return "F32"; }
    int64_t stored_bytes() const override;
    std::vector<std::string> names() const override;
    bool has(const std::string& name) const override;
    std::vector<int64_t> shape(const std::string& name) const override;
    std::string dtype(const std::string& name) const override;
    std::string location(const std::string&) const override { return file_->path(); }
    Buffer fp32(const std::string& name) const override;
    StoredTensor stored(const std::string& name) const override;

private:
    struct Entry {
        size_t offset = 0;  // byte offset in the file
        std::vector<int64_t> shape;
        bool rope_permute = false;  // wq/wk: interleaved pairs -> halves
    };
    const Entry& entry(const std::string& name) const;

    std::shared_ptr<MappedFile> file_;
    std::map<std::string, Entry> entries_;
};

}  // namespace qs
