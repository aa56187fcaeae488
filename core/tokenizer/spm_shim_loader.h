#pragma once
// Finds and opens libqs_spm_shim.so, the SentencePiece bridge (see spm_shim/spm_shim.h for why
// it exists). Core reaches SentencePiece only through the function pointers here.
#include <string>

#include "common/result.h"
#include "tokenizer/spm_shim/spm_shim.h"

namespace qs {

struct SpmShim {
    std::string path;  // the file it was opened from, for error messages
    decltype(&qs_spm_load) load;
    decltype(&qs_spm_free) free;
    decltype(&qs_spm_encode) encode;
    decltype(&qs_spm_decode) decode;
    decltype(&qs_spm_free_buffer) free_buffer;
    decltype(&qs_spm_vocab_size) vocab_size;
    decltype(&qs_spm_piece) piece;
    decltype(&qs_spm_bos_id) bos_id;
    decltype(&qs_spm_eos_id) eos_id;
    decltype(&qs_spm_train) train;
};

// Where the shim is looked for: $QS_SPM_SHIM when set (and then nowhere else); else
// <directory of the executable>/../lib/quantscope/libqs_spm_shim.so when that exists (the
// build tree's bin/ and the installed /usr/bin layout); else the path the build wrote it to.
std::string spm_shim_path();

// Opens the shim at path with RTLD_DEEPBIND and resolves every function. Not cached; the
// library stays loaded for the life of the process (it is never dlclose'd: unloading a
// library that registered protobuf descriptors is not safe).
Result<SpmShim> open_spm_shim(const std::string& path);

// The process-wide shim, opened from spm_shim_path() on first use (thread-safe); later calls
// return the same shim or the same error. Throws Failure naming the shim when unavailable.
const SpmShim& spm_shim();

}  // namespace qs
