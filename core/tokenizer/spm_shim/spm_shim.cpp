// Implementation of the shim's C API over sentencepiece::SentencePieceProcessor. Every entry
// point catches everything: an exception unwinding into core through dlsym'ed C functions
// would be undefined behaviour.
#include "spm_shim.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

struct qs_spm {
    sentencepiece::SentencePieceProcessor processor;
};

namespace {

void write_error(char* error, size_t error_len, const std::string& message) {
    if (!error || error_len == 0) return;
    const size_t n = std::min(message.size(), error_len - 1);
    std::memcpy(error, message.data(), n);
    error[n] = '\0';
}

// Runs fn and turns an exception into a non-zero return code with its message.
template <class Fn>
int guarded(char* error, size_t error_len, Fn&& fn) {
    try {
        return fn();
    } catch (const std::bad_alloc&) {
        write_error(error, error_len, "out of memory");
    } catch (const std::exception& e) {
        write_error(error, error_len, e.what());
    } catch (...) {
        write_error(error, error_len, "unknown error in sentencepiece");
    }
    return 1;
}

}  // namespace

int qs_spm_abi_version() { return QS_SPM_SHIM_ABI_VERSION; }

qs_spm* qs_spm_load(const char* path, char* error, size_t error_len) {
    qs_spm* model = nullptr;
    const int rc = guarded(error, error_len, [&] {
        auto loaded = std::make_unique<qs_spm>();
        const auto status = loaded->processor.Load(path);
        if (!status.ok()) {
            write_error(error, error_len, status.ToString());
            return 1;
        }
        model = loaded.release();
        return 0;
    });
    return rc == 0 ? model : nullptr;
}

void qs_spm_free(qs_spm* model) { delete model; }

int qs_spm_encode(const qs_spm* model, const char* text, size_t text_len, int32_t** ids,
                  size_t* count, char* error, size_t error_len) {
    *ids = nullptr;
    *count = 0;
    return guarded(error, error_len, [&] {
        std::vector<int> out;
        const auto status =
            model->processor.Encode(absl::string_view(text, text_len), &out);
        if (!status.ok()) {
            write_error(error, error_len, status.ToString());
            return 1;
        }
        if (out.empty()) return 0;
        auto* buffer = static_cast<int32_t*>(std::malloc(out.size() * sizeof(int32_t)));
        if (!buffer) throw std::bad_alloc();
        for (size_t i = 0; i < out.size(); ++i) buffer[i] = out[i];
        *ids = buffer;
        *count = out.size();
        return 0;
    });
}

int qs_spm_decode(const qs_spm* model, const int32_t* ids, size_t count, char** text,
                  size_t* text_len, char* error, size_t error_len) {
    *text = nullptr;
    *text_len = 0;
    return guarded(error, error_len, [&] {
        const std::vector<int> in(ids, ids + count);
        std::string out;
        const auto status = model->processor.Decode(in, &out);
        if (!status.ok()) {
            write_error(error, error_len, status.ToString());
            return 1;
        }
        // malloc(0) may return null; one spare byte keeps "empty" and "failed" apart.
        auto* buffer = static_cast<char*>(std::malloc(out.size() + 1));
        if (!buffer) throw std::bad_alloc();
        std::memcpy(buffer, out.data(), out.size());
        *text = buffer;
        *text_len = out.size();
        return 0;
    });
}

void qs_spm_free_buffer(void* buffer) { std::free(buffer); }

int32_t qs_spm_vocab_size(const qs_spm* model) { return model->processor.GetPieceSize(); }

const char* qs_spm_piece(const qs_spm* model, int32_t id, size_t* len) {
    *len = 0;
    if (id < 0 || id >= model->processor.GetPieceSize()) return nullptr;
    const std::string& piece = model->processor.IdToPiece(id);
    *len = piece.size();
    return piece.c_str();
}

int32_t qs_spm_bos_id(const qs_spm* model) { return model->processor.bos_id(); }
int32_t qs_spm_eos_id(const qs_spm* model) { return model->processor.eos_id(); }

int qs_spm_train(const char* flags, char* error, size_t error_len) {
    return guarded(error, error_len, [&] {
        const auto status = sentencepiece::SentencePieceTrainer::Train(flags);
        if (!status.ok()) {
            write_error(error, error_len, status.ToString());
            return 1;
        }
        return 0;
    });
}
