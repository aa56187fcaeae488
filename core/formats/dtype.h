#pragma once
// Safetensors dtypes and conversions of stored floating-point tensors to FP32.
#include <cstddef>
#include <cstdint>
#include <string>

namespace qs {

// Element size of a safetensors dtype name, 0 when unknown.
size_t dtype_element_size(const std::string& dtype);

// Whether a model weight may be stored in this dtype (computed in FP32 either way).
bool is_float_weight_dtype(const std::string& dtype);  // F32, F16, BF16

// Converts count elements of a stored float dtype (F32, F16, BF16; little-endian) to FP32.
void convert_to_fp32(const std::string& dtype, const void* src, size_t count, float* dst);

float half_to_float(uint16_t h);
float bf16_to_float(uint16_t b);

}  // namespace qs
