#include "formats/llama2c_source.h"

#include <cstring>
#include <map>

#include "common/result.h"
#include "formats/resident_copy.h"

namespace qs {

namespace {

constexpr int64_t kMaxDim = 1 << 16;  // far above any llama2.c model; guards lying headers

}  // namespace

Llama2cSource::Llama2cSource(const std::string& path) : file_(MappedFile::open(path)) {
    if (file_->size() == 0) fail(path + ": file is empty");
    if (file_->size() < 28) fail(path + ": too short for a llama2.c checkpoint header");
    int32_t h[7];
    std::memcpy(h, file_->data(), sizeof(h));
    if (static_cast<uint32_t>(h[0]) == 0x616b3432u)  // "ak42": llama2.c's newer export format
        fail(path + ": llama2.c export version " + std::to_string(h[1]) +
             " is not supported (only the legacy version-0 format)");
    const int64_t dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kv_heads = h[4],
                  seq_len = h[6];
    const bool shared = h[5] > 0;
    const int64_t vocab = h[5] > 0 ? h[5] : -static_cast<int64_t>(h[5]);
    auto bad = [&](const std::string& what) {
        fail(path + ": not a llama2.c checkpoint (" + what + ")");
    };
    for (int64_t v : {dim, hidden, layers, heads, kv_heads, vocab, seq_len})
        if (v <= 0 || v > kMaxDim * 8) bad("header values out of range");
    if (dim % heads != 0) bad("dim is not a multiple of n_heads");
    if (heads % kv_heads != 0) bad("n_heads is not a multiple of n_kv_heads");
    const int64_t head_dim = dim / heads;
    if (head_dim % 2 != 0) bad("odd head size");
    const int64_t kv_dim = kv_heads * head_dim;
    // The size check comes before listing tensors: a lying n_layers would otherwise make us
    // list millions of them first. At most ~2^62 bytes with every value <= 2^19: no overflow.
    const int64_t floats = vocab * dim * (shared ? 1 : 2) + dim + seq_len * head_dim +
                           layers * (2 * dim + 2 * dim * dim + 2 * kv_dim * dim + 3 * hidden * dim);
    const uint64_t expected = 28 + 4 * static_cast<uint64_t>(floats);
    if (expected != file_->size())
        bad("header describes " + std::to_string(expected) + " bytes but the file has " +
            std::to_string(file_->size()));

    // run.c order; the freq_cis tables between rms_final and wcls are skipped (we compute RoPE).
    size_t offset = 28;
    auto add = [&](const std::string& name, std::vector<int64_t> shape, bool permute = false) {
        entries_[name] = Entry{offset, shape, permute};
        size_t n = 4;
        for (int64_t d : shape) n *= static_cast<size_t>(d);
        offset += n;
    };
    auto per_layer = [&](const std::string& suffix, std::vector<int64_t> shape, bool permute) {
        for (int64_t l = 0; l < layers; ++l)
            add("model.layers." + std::to_string(l) + "." + suffix, shape, permute);
    };
    add("model.embed_tokens.weight", {vocab, dim});
    per_layer("input_layernorm.weight", {dim}, false);
    per_layer("self_attn.q_proj.weight", {dim, dim}, true);
    per_layer("self_attn.k_proj.weight", {kv_dim, dim}, true);
    per_layer("self_attn.v_proj.weight", {kv_dim, dim}, false);
    per_layer("self_attn.o_proj.weight", {dim, dim}, false);
    per_layer("post_attention_layernorm.weight", {dim}, false);
    per_layer("mlp.gate_proj.weight", {hidden, dim}, false);  // w1
    per_layer("mlp.down_proj.weight", {dim, hidden}, false);  // w2
    per_layer("mlp.up_proj.weight", {hidden, dim}, false);    // w3
    add("model.norm.weight", {dim});
    offset += static_cast<size_t>(seq_len * head_dim / 2 * 2 * 4);  // freq_cis_real + imag
    if (!shared) add("lm_head.weight", {vocab, dim});

    config_.architecture = "LlamaForCausalLM";
    config_.model_type = "llama";
    config_.hidden_size = dim;
    config_.intermediate_size = hidden;
    config_.num_layers = layers;
    config_.num_heads = heads;
    config_.num_kv_heads = kv_heads;
    config_.head_dim = head_dim;
    config_.vocab_size = vocab;
    config_.max_position_embeddings = seq_len;
    config_.rope_theta = 10000.0;  // run.c hard-codes these two
    config_.rms_norm_eps = 1e-5;
    config_.tie_word_embeddings = shared;
    config_.bos_token_id = 1;
    config_.eos_token_ids = {2};
    config_.torch_dtype = "float32";
}

int64_t Llama2cSource::stored_bytes() const {
    int64_t total = 0;
    for (const auto& [name, e] : entries_) {
        int64_t n = 4;
        for (int64_t d : e.shape) n *= d;
        total += n;
    }
    return total;
}

std::vector<std::string> Llama2cSource::names() const {
    std::vector<std::string> out;
    for (const auto& [name, e] : entries_) out.push_back(name);
    return out;
}

bool Llama2cSource::has(const std::string& name) const { return entries_.count(name) > 0; }

const Llama2cSource::Entry& Llama2cSource::entry(const std::string& name) const {
    auto it = entries_.find(name);
    if (it == entries_.end()) fail(file_->path() + ": no tensor '" + name + "'");
    return it->second;
}

std::string Llama2cSource::dtype(const std::string& name) const {
    entry(name);
    return "F32";
}

std::vector<int64_t> Llama2cSource::shape(const std::string& name) const {
    return entry(name).shape;
}

Buffer Llama2cSource::fp32(const std::string& name) const {
    const Entry& e = entry(name);
    const int64_t rows = e.shape[0];
    const int64_t cols = e.shape.size() > 1 ? e.shape[1] : 1;
    const size_t bytes = static_cast<size_t>(rows * cols) * 4;
    const uint8_t* src = file_->data() + e.offset;
    if (!e.rope_permute) return resident_copy(*file_, e.offset, bytes);
    const int64_t head_dim = config_.head_dim;
    Buffer out = Buffer::allocate_for_overwrite(bytes);
    float* dst = out.mutable_as<float>();
    for (int64_t r = 0; r < rows; ++r) {
        const int64_t head = r / head_dim, i = r % head_dim;
        // destination row i of a head takes source row 2i (first half) or 2(i - d/2) + 1
        const int64_t src_i = i < head_dim / 2 ? 2 * i : 2 * (i - head_dim / 2) + 1;
        std::memcpy(dst + r * cols, src + static_cast<size_t>(head * head_dim + src_i) * cols * 4,
                    static_cast<size_t>(cols) * 4);
    }
    file_->release(e.offset, bytes);
    return out;
}

StoredTensor Llama2cSource::stored(const std::string& name) const {
    const Entry& e = entry(name);
    return StoredTensor{"", "F32", e.shape, fp32(name)};
}

}  // namespace qs
