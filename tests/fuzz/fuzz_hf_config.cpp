// config.json of a Hugging Face model folder: any text must parse or fail with a Failure.
#include <cstddef>
#include <cstdint>
#include <string>

#include "common/result.h"
#include "formats/hf_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const qs::ModelConfig config = qs::parse_hf_config_text(text, "config.json");
        (void)config;
    } catch (const qs::Failure&) {
    }
    return 0;
}
