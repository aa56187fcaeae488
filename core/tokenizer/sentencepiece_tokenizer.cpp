#include "tokenizer/sentencepiece_tokenizer.h"

#include "common/result.h"
#include "tokenizer/spm_shim_loader.h"
#include "tokenizer/tokenizer_file.h"

namespace qs {

namespace fs = std::filesystem;

namespace {

// Frees a buffer the shim allocated.
struct ShimBuffer {
    const SpmShim& shim;
    void* data = nullptr;
    ~ShimBuffer() { shim.free_buffer(data); }
};

std::optional<int32_t> reserved_id(int32_t id) {
    return id >= 0 ? std::optional<int32_t>(id) : std::nullopt;
}

class SentencePieceTokenizer final : public Tokenizer {
public:
    using ModelPtr = std::unique_ptr<qs_spm, decltype(&qs_spm_free)>;

    SentencePieceTokenizer(const SpmShim& shim, ModelPtr model, std::string source, bool add_bos)
        : shim_(shim), owned_model_(std::move(model)), model_(owned_model_.get()),
          source_(std::move(source)) {
        vocab_size_ = shim_.vocab_size(model_);
        bos_id_ = reserved_id(shim_.bos_id(model_));
        eos_id_ = reserved_id(shim_.eos_id(model_));
        adds_bos_ = add_bos && bos_id_;
    }

    // SentencePiece fails only on an unloaded model, which cannot exist here; a failure is
    // therefore an internal error and thrown.
    std::vector<int32_t> encode(std::string_view text) const override {
        int32_t* ids = nullptr;
        size_t count = 0;
        char error[512] = {};
        const int rc = shim_.encode(model_, text.data(), text.size(), &ids, &count, error,
                                    sizeof error);
        const ShimBuffer buffer{shim_, ids};
        if (rc != 0) fail(source_ + ": SentencePiece encode failed: " + error);
        return std::vector<int32_t>(ids, ids + count);
    }

    std::string decode(const std::vector<int32_t>& ids) const override {
        // SentencePiece rejects the whole call for one unknown id; such ids (e.g. padding rows
        // of an embedding matrix) decode to nothing instead, as in the byte-level BPE.
        std::vector<int32_t> known;
        known.reserve(ids.size());
        for (const int32_t id : ids)
            if (id >= 0 && id < vocab_size_) known.push_back(id);
        char* text = nullptr;
        size_t length = 0;
        char error[512] = {};
        const int rc = shim_.decode(model_, known.data(), known.size(), &text, &length, error,
                                    sizeof error);
        const ShimBuffer buffer{shim_, text};
        if (rc != 0) fail(source_ + ": SentencePiece decode failed: " + error);
        return std::string(text, length);
    }

    std::string piece(int32_t id) const override {
        size_t length = 0;
        const char* text = shim_.piece(model_, id, &length);
        return text ? std::string(text, length) : std::string();
    }

    int32_t vocab_size() const override { return vocab_size_; }
    std::optional<int32_t> bos_id() const override { return bos_id_; }
    std::optional<int32_t> eos_id() const override { return eos_id_; }
    bool adds_bos() const override { return adds_bos_; }
    std::string kind() const override { return "sentencepiece"; }
    std::string source() const override { return source_; }

private:
    const SpmShim& shim_;
    ModelPtr owned_model_;
    qs_spm* model_;
    std::string source_;
    int32_t vocab_size_ = 0;
    std::optional<int32_t> bos_id_;
    std::optional<int32_t> eos_id_;
    bool adds_bos_ = false;
};

}  // namespace

std::unique_ptr<Tokenizer> load_sentencepiece(const fs::path& path,
                                              const TokenizerConfig& config) {
    // SentencePiece's own messages for a missing or empty file are obscure.
    check_tokenizer_file(path);
    const SpmShim& shim = [&]() -> const SpmShim& {
        try {
            return spm_shim();
        } catch (const Failure& e) {
            fail(path.string() + ": " + e.what());
        }
    }();
    char error[1024] = {};
    SentencePieceTokenizer::ModelPtr model(shim.load(path.c_str(), error, sizeof error),
                                           shim.free);
    if (!model) fail(path.string() + ": not a SentencePiece model (" + error + ")");
    return std::make_unique<SentencePieceTokenizer>(shim, std::move(model), path.string(),
                                                    config.add_bos_token.value_or(true));
}

}  // namespace qs
