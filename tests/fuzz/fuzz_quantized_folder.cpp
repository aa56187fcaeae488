// A Quantscope-quantized model folder: config.json (its quantization_config section and the
// per-tensor format manifest) plus model.safetensors. Input: config.json NUL model.safetensors.
// Goes through the public Model::inspect and Model::load; a model that loads runs one forward
// pass, so packed tensors that load must also be safe to multiply by.
#include <cstddef>
#include <cstdint>

#include "common/parallel.h"
#include "fuzz_support.h"
#include "model/model.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    qs::set_num_threads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const auto parts = qs::fuzz::split_input(data, size, 2);
    qs::fuzz::write_file("config.json", parts[0]);
    qs::fuzz::write_file("model.safetensors", parts[1]);
    const std::string& dir = qs::fuzz::temp_dir();
    const auto info = qs::Model::inspect(dir);
    const auto model = qs::Model::load(dir);
    if (model && model.value()->config().vocab_size >= 2) {
        const auto logits = model.value()->logits({0, 1}, {1});
        if (!logits) __builtin_trap();  // a loaded model must run
    }
    (void)info;
    return 0;
}
