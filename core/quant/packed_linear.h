#pragma once
// One weight matrix W [out_features, in_features] (PyTorch's nn.Linear layout) in one storage
// format, with the kernels that multiply by it. The transformer holds every projection, the
// LM head and the token embedding as a PackedLinear, so methods differ only here.
// No torch, no Qt: raw float buffers in, raw float buffers out.
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "quant/buffer.h"

namespace qs {

// A named raw tensor of a format, as written to (and read from) safetensors.
struct StoredTensor {
    std::string suffix;      // appended to the weight's name: "" (the values), ".scale", ...
    std::string dtype;       // safetensors dtype: "F32", "F16", "BF16", "I8", "U8", "I32"
    std::vector<int64_t> shape;
    Buffer buffer;
};

// "[896, 4864]": a shape as error messages print it.
inline std::string shape_text(const std::vector<int64_t>& shape) {
    std::string t = "[";
    for (size_t i = 0; i < shape.size(); ++i) t += (i ? ", " : "") + std::to_string(shape[i]);
    return t + "]";
}

class PackedLinear {
public:
    virtual ~PackedLinear() = default;

    int64_t out_features() const { return out_; }
    int64_t in_features() const { return in_; }

    // y[m][out] = sum_k x[m][k] * W[out][k] for m rows of x (row-major, contiguous).
    // Thread-safe for concurrent calls on different x/y; splits work with qs::parallel_for.
    virtual void forward(const float* x, int64_t m, float* y) const = 0;

    // Writes row r of W (dequantized) to out[in_features]; the embedding lookup uses it.
    virtual void dequantize_row(int64_t r, float* out) const = 0;

    // Bytes of everything this format stores for the matrix (values, scales, ...).
    virtual int64_t weight_bytes() const = 0;

    // "fp32", "fp16", "bf16", "int8", "int4"; and a one-line description of the numbers
    // stored, e.g. "int4 asymmetric g32, fp16 scale+min, scale search".
    virtual std::string format() const = 0;
    virtual std::string describe() const = 0;

    // The kernel forward() uses for m rows on this CPU, e.g. "avx512-vnni int8 gemv".
    virtual std::string kernel_name(int64_t m) const = 0;

    // Exactly the tensors to save; from_stored() of the same format rebuilds an identical object.
    virtual std::vector<StoredTensor> stored_tensors() const = 0;

protected:
    PackedLinear(int64_t out, int64_t in) : out_(out), in_(in) {}

private:
    int64_t out_;
    int64_t in_;
};

// One product of forward_shared_input: y = x W^T for the matrix `linear`.
struct LinearOutput {
    const PackedLinear* linear;
    float* y;
};

// The products of several matrices that read the same m rows x (a layer's q/k/v, gate/up).
// Each output equals linear->forward(x, m, y) bit for bit. At decode time (few rows) and when
// the formats prepare x the same way, x is prepared (quantized) once and all products share one
// parallel region: no thread waits at a join between them, and a matrix too small to be split
// on its own (k/v) is split as part of the whole.
void forward_shared_input(const float* x, int64_t m, std::initializer_list<LinearOutput> outputs);

}  // namespace qs
