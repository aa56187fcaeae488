#include "formats/dtype.h"

#include <cstring>

#include "common/parallel.h"
#include "common/result.h"

namespace qs {

size_t dtype_element_size(const std::string& dtype) {
    if (dtype == "F64" || dtype == "I64" || dtype == "U64") return 8;
    if (dtype == "F32" || dtype == "I32" || dtype == "U32") return 4;
    if (dtype == "F16" || dtype == "BF16" || dtype == "I16" || dtype == "U16") return 2;
    if (dtype == "I8" || dtype == "U8" || dtype == "BOOL") return 1;
    return 0;
}

bool is_float_weight_dtype(const std::string& dtype) {
    return dtype == "F32" || dtype == "F16" || dtype == "BF16";
}

float bf16_to_float(uint16_t b) {
    uint32_t bits = static_cast<uint32_t>(b) << 16;
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

float half_to_float(uint16_t h) {
    // Exact IEEE binary16 -> binary32, including subnormals, infinities and NaN.
    const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ffu;
    uint32_t bits;
    if (exp == 0) {
        if (mant == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int e = -1;
            do {
                ++e;
                mant <<= 1;
            } while ((mant & 0x400u) == 0);
            bits = sign | static_cast<uint32_t>(127 - 15 - e) << 23 | (mant & 0x3ffu) << 13;
        }
    } else if (exp == 31) {
        bits = sign | 0x7f800000u | mant << 13;
    } else {
        bits = sign | (exp + 127 - 15) << 23 | mant << 13;
    }
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}

void convert_to_fp32(const std::string& dtype, const void* src, size_t count, float* dst) {
    if (dtype == "F32") {
        std::memcpy(dst, src, count * 4);
        return;
    }
    const bool bf16 = dtype == "BF16";
    if (!bf16 && dtype != "F16") fail("cannot convert dtype " + dtype + " to FP32");
    const auto* in = static_cast<const uint8_t*>(src);  // may be unaligned inside the file
    parallel_for(0, static_cast<int64_t>(count), 1 << 16, [&](int64_t b, int64_t e) {
        for (int64_t i = b; i < e; ++i) {
            uint16_t v;
            std::memcpy(&v, in + 2 * i, 2);
            dst[i] = bf16 ? bf16_to_float(v) : half_to_float(v);
        }
    });
}

}  // namespace qs
