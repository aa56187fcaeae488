#pragma once
// The C API of libqs_spm_shim.so, the only code that touches Debian's libsentencepiece.
// Debian's libsentencepiece carries its own protobuf copy, which crashes in a process that
// also has libtorch's libprotobuf; core therefore never links sentencepiece and instead
// dlopen()s this shim with RTLD_DEEPBIND (see spm_shim_loader.h). Only plain C types cross
// the boundary, and no C++ exception escapes a shim function.
//
// Core never calls these functions directly: it takes their types with decltype() and looks
// them up with dlsym, so a change of signature here is a compile error on both sides.
#include <cstddef>
#include <cstdint>

#define QS_SPM_API extern "C" __attribute__((visibility("default")))

// Bumped whenever a function below changes; core refuses a shim of another version (an old
// installed shim found beside a newer binary).
#define QS_SPM_SHIM_ABI_VERSION 1

struct qs_spm;  // one loaded SentencePiece model

QS_SPM_API int qs_spm_abi_version();

// Loads a `.model` file; returns null and writes a message into error on failure.
QS_SPM_API qs_spm* qs_spm_load(const char* path, char* error, size_t error_len);
QS_SPM_API void qs_spm_free(qs_spm* model);

// Raw SentencePiece EncodeAsIds (no BOS/EOS). On success returns 0 and a buffer of *count ids
// to be released with qs_spm_free_buffer (null when *count is 0).
QS_SPM_API int qs_spm_encode(const qs_spm* model, const char* text, size_t text_len,
                             int32_t** ids, size_t* count, char* error, size_t error_len);
// SentencePiece DecodeIds. On success returns 0 and a buffer of *text_len bytes (not
// NUL-terminated) to be released with qs_spm_free_buffer. Every id must be in range.
QS_SPM_API int qs_spm_decode(const qs_spm* model, const int32_t* ids, size_t count, char** text,
                             size_t* text_len, char* error, size_t error_len);
QS_SPM_API void qs_spm_free_buffer(void* buffer);

QS_SPM_API int32_t qs_spm_vocab_size(const qs_spm* model);
// The piece of id (null when out of range); valid as long as the model lives.
QS_SPM_API const char* qs_spm_piece(const qs_spm* model, int32_t id, size_t* len);
// Reserved ids, -1 when the model defines none.
QS_SPM_API int32_t qs_spm_bos_id(const qs_spm* model);
QS_SPM_API int32_t qs_spm_eos_id(const qs_spm* model);

// SentencePieceTrainer::Train with a flag string ("--input=... --model_prefix=...
// --vocab_size=..."). Returns 0 on success.
QS_SPM_API int qs_spm_train(const char* flags, char* error, size_t error_len);
