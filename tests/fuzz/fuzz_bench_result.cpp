// The benchmark result JSON import (Open run / compare): any text must parse or give an Error,
// and a result that parses must write back out and read in again.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bench/benchmark.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    const auto result = qs::bench::result_from_json(text);
    if (!result) return 0;
    const std::string written = qs::bench::result_to_json(result.value());
    if (!qs::bench::result_from_json(written)) __builtin_trap();
    return 0;
}
