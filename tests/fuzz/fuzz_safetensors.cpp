// The safetensors header parser: any file must open or fail with a Failure, and every tensor
// view it hands out must lie inside the mapped file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "formats/safetensors_reader.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = qs::fuzz::write_file(
        "model.safetensors", std::string_view(reinterpret_cast<const char*>(data), size));
    try {
        const auto file = qs::SafetensorsFile::open(path);
        for (const auto& [name, view] : file->tensors()) {
            if (view.numel() < 0) __builtin_trap();
            qs::fuzz::touch(view.data, view.bytes);
        }
    } catch (const qs::Failure&) {
    }
    return 0;
}
