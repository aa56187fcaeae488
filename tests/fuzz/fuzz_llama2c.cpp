// The llama2.c checkpoint header: any file must load or fail with a Failure, and every tensor
// it serves (including the RoPE-permuted wq/wk copies) must lie inside the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/result.h"
#include "formats/llama2c_source.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string path = qs::fuzz::write_file(
        "model.bin", std::string_view(reinterpret_cast<const char*>(data), size));
    try {
        const qs::Llama2cSource source(path);
        for (const std::string& name : source.names()) {
            const qs::Buffer b = source.fp32(name);
            qs::fuzz::touch(b.data, b.bytes);
        }
    } catch (const qs::Failure&) {
    }
    return 0;
}
