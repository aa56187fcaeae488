#pragma once
// Internal, no torch. What a model's configuration says its weights must be, checked against a
// source's metadata before anything is built or allocated: every tensor present, with the
// implied shape and a float dtype (or, in a quantized folder, rebuildable from its stored
// parts). Model::inspect and Model::load both run it, so a folder whose card the studio shows
// is one that loads, and a config that lies about sizes fails on the shapes, not in malloc.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "formats/weight_source.h"
#include "quant/packed_linear.h"

namespace qs {

// Per-matrix format descriptions of a Quantscope-quantized folder (name -> format_spec JSON).
using QuantizedManifest = std::map<std::string, std::string>;

struct ExpectedTensor {
    std::string name;
    std::vector<int64_t> shape;  // [out, in] for matrices, [n] for norms and biases
    bool matrix = false;
    bool embedding_or_head = false;
};

// Calls fn for every tensor of the model in load order; stops early when fn returns false
// (a config may claim billions of layers: callers stop at the first problem).
void for_each_expected_tensor(const ModelConfig& config,
                              const std::function<bool(const ExpectedTensor&)>& fn);

// Throws Failure naming the file and tensor at the first inconsistency.
void check_weights(const WeightSource& source, const QuantizedManifest* manifest);

// The stored tensors of matrix `name`: itself and its `name.<part>` tensors (scales, ...).
std::vector<std::string> stored_parts(const WeightSource& source, const std::string& name);

// A stored quantized matrix rebuilt from `name` and its `name.<part>` tensors: borrowed from
// the file to check them, copied into memory of its own (`resident`) for a model to keep.
// Throws Failure naming the file and tensor when parts are missing or inconsistent.
enum class StoredCopy { borrowed, resident };
std::unique_ptr<PackedLinear> load_stored_matrix(const WeightSource& source, const std::string& name,
                                                 const std::string& spec, int64_t out, int64_t in,
                                                 StoredCopy copy);

}  // namespace qs
