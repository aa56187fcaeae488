#pragma once
// Builds PackedLinear objects: from FP32 weights (quantizing), and from tensors read back from a
// saved folder (no FP32 copy is ever made). Every format's saved tensors are its runtime layout
// (int4's three arrays are interleaved row by row when loaded, the same bytes), so a reloaded
// model computes bit-identical logits.
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "quant/packed_linear.h"

namespace qs {

// How activations are treated by an int8 matrix.
enum class Int8Mode {
    weight_only,  // FP32 activations (GEMV: three int8 planes, 2^-24 of max|x|), int8 weights
    dynamic,      // activations quantized per token (symmetric int8) at run time, int32 accumulate
};

enum class Int4Scheme {
    symmetric,   // q in [-8, 7], fp16 scale per group
    asymmetric,  // q in [0, 15], fp16 scale and fp16 minimum per group
};

// Symmetric groups with the scale search by default: on the one real pretrained model at hand
// (stories260K, TinyStories sample, 512-token windows; fp32 perplexity 5.711) they measured
// 6.140 / 6.336 / 6.343 at g32 / g64 / g128 against 6.206 / 6.443 / 6.498 for asymmetric
// groups with the search, and they store 4.5 bits a weight instead of 5, so decode reads 6%
// fewer bytes. (On gaussian weights asymmetric groups have the smaller squared error:
// test_packed_linear's int4SchemeOrdering; perplexity is what users see.)
struct Int4Options {
    int group_size = 32;
    Int4Scheme scheme = Int4Scheme::symmetric;
    bool scale_search = true;  // search per-group scale/min for the least squared error
};

// FP32 matrix used in place: w must stay alive as long as the buffer's keepalive says.
std::unique_ptr<PackedLinear> make_fp32_linear(Buffer w, int64_t out, int64_t in);

// The following read w[out][in] (FP32, row-major) and keep only their own storage.
std::unique_ptr<PackedLinear> make_half_linear(const float* w, int64_t out, int64_t in, bool bf16);
std::unique_ptr<PackedLinear> make_int8_linear(const float* w, int64_t out, int64_t in,
                                               Int8Mode mode);
std::unique_ptr<PackedLinear> make_int4_linear(const float* w, int64_t out, int64_t in,
                                               const Int4Options& options);

// Describes a packed matrix in the quantization section of a saved config.json, and rebuilds
// it from that description plus its stored tensors (keyed by StoredTensor::suffix). Throws
// Failure with a message naming what is wrong when tensors are missing or inconsistent.
std::string format_spec(const PackedLinear& linear);  // compact JSON object text
std::unique_ptr<PackedLinear> load_packed_linear(const std::string& format_spec_json,
                                                 int64_t out, int64_t in,
                                                 const std::map<std::string, StoredTensor>& tensors);

}  // namespace qs
