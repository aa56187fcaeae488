#pragma once
// Internal: the concrete PackedLinear formats, built from their stored tensors (the runtime
// layout is the saved layout, but for int4's rows: see kern::Int4View), plus what
// format_spec() needs to describe them.
#include <cstdint>
#include <memory>
#include <string>

#include "quant/formats.h"
#include "quant/packed_linear.h"

namespace qs::detail {

// Activation rows prepared for a format's GEMV kernels (m < kGemmMinRows rows): quantized for
// the int8 and int4 formats, the rows themselves for the float formats.
class GemvInput {
public:
    virtual ~GemvInput() = default;
};

// The float formats' GemvInput: the activation rows, used in place.
struct FloatRows final : GemvInput {
    explicit FloatRows(const float* rows) : x(rows) {}
    const float* x;
};

// Every format of this file derives from this, so format_spec() can describe it.
class FormatLinear : public PackedLinear {
public:
    // Compact JSON object text: {"format": "int4", "group_size": 32, ...}.
    virtual std::string spec_json() const = 0;

    // The GEMV path in two steps, so that matrices reading the same x prepare it once and share
    // one parallel region (forward_shared_input). Matrices whose gemv_input_kind() is equal
    // accept each other's prepared input.
    virtual std::string gemv_input_kind() const = 0;
    virtual std::unique_ptr<GemvInput> prepare_gemv(const float* x, int64_t m) const = 0;
    // Output rows [n0, n1) of y (row stride ldy) for the m prepared activation rows.
    virtual void gemv_rows(const GemvInput& in, int64_t m, int64_t n0, int64_t n1, float* y,
                           int64_t ldy) const = 0;
    // Weight bytes streamed per output row: sizes the split across threads.
    virtual int64_t gemv_row_bytes() const = 0;

protected:
    using PackedLinear::PackedLinear;

    // forward() for m < kGemmMinRows: prepare x, then split the output rows over the threads.
    void forward_gemv(const float* x, int64_t m, float* y) const;
};

std::unique_ptr<PackedLinear> fp32_from(Buffer w, int64_t out, int64_t in);
std::unique_ptr<PackedLinear> half_from(Buffer w, int64_t out, int64_t in, bool bf16);
std::unique_ptr<PackedLinear> int8_from(Buffer q, Buffer scale, int64_t out, int64_t in,
                                        Int8Mode mode);
std::unique_ptr<PackedLinear> int4_from(Buffer q, Buffer scale, Buffer min, int64_t out,
                                        int64_t in, const Int4Options& options);

}  // namespace qs::detail
