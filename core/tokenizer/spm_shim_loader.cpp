#include "tokenizer/spm_shim_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <filesystem>
#include <system_error>

#if defined(__SANITIZE_ADDRESS__)
#define QS_ASAN_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QS_ASAN_BUILD 1
#endif
#endif
#ifndef QS_ASAN_BUILD
#define QS_ASAN_BUILD 0
#endif

namespace qs {

namespace fs = std::filesystem;

namespace {

constexpr const char* kShimName = "libqs_spm_shim.so";

std::string dl_error() {
    const char* message = dlerror();
    return message ? message : "unknown dlopen error";
}

template <class Fn>
void resolve(void* handle, const std::string& path, const char* name, Fn& out) {
    void* symbol = dlsym(handle, name);
    if (!symbol) fail("SentencePiece shim " + path + " lacks " + name + ": " + dl_error());
    out = reinterpret_cast<Fn>(symbol);
}

}  // namespace

std::string spm_shim_path() {
    if (const char* env = std::getenv("QS_SPM_SHIM"); env && *env) return env;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path beside =
            (exe.parent_path() / ".." / "lib" / "quantscope" / kShimName).lexically_normal();
        if (fs::exists(beside, ec)) return beside.string();
    }
    return QS_SPM_SHIM_BUILD_PATH;
}

Result<SpmShim> open_spm_shim(const std::string& path) {
    return guarded([&] {
        // DEEPBIND makes the shim and its libsentencepiece resolve their own (protobuf)
        // symbols before the process's global ones, i.e. before libtorch's libprotobuf.
        // AddressSanitizer refuses DEEPBIND (its interceptors would be bypassed), so sanitizer
        // builds load the shim into a namespace of its own instead, where libtorch's protobuf
        // is not visible at all; the shim itself is not instrumented.
#if QS_ASAN_BUILD
        void* handle = dlmopen(LM_ID_NEWLM, path.c_str(), RTLD_NOW | RTLD_LOCAL);
#else
        void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
#endif
        if (!handle) fail("cannot load SentencePiece shim " + path + ": " + dl_error());
        decltype(&qs_spm_abi_version) abi_version = nullptr;
        resolve(handle, path, "qs_spm_abi_version", abi_version);
        if (abi_version() != QS_SPM_SHIM_ABI_VERSION)
            fail("SentencePiece shim " + path + " has interface version " +
                 std::to_string(abi_version()) + ", expected " +
                 std::to_string(QS_SPM_SHIM_ABI_VERSION));
        SpmShim shim;
        shim.path = path;
        resolve(handle, path, "qs_spm_load", shim.load);
        resolve(handle, path, "qs_spm_free", shim.free);
        resolve(handle, path, "qs_spm_encode", shim.encode);
        resolve(handle, path, "qs_spm_decode", shim.decode);
        resolve(handle, path, "qs_spm_free_buffer", shim.free_buffer);
        resolve(handle, path, "qs_spm_vocab_size", shim.vocab_size);
        resolve(handle, path, "qs_spm_piece", shim.piece);
        resolve(handle, path, "qs_spm_bos_id", shim.bos_id);
        resolve(handle, path, "qs_spm_eos_id", shim.eos_id);
        resolve(handle, path, "qs_spm_train", shim.train);
        return shim;
    });
}

const SpmShim& spm_shim() {
    static const Result<SpmShim> shim = open_spm_shim(spm_shim_path());
    if (!shim.ok()) fail(shim.error().message);
    return shim.value();
}

}  // namespace qs
