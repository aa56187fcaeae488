#pragma once
// Internal: the concrete PackedLinear formats, built from their stored tensors (the runtime
// layout is the saved layout), plus what format_spec() needs to describe them.
#include <cstdint>
#include <memory>
#include <string>

#include "quant/formats.h"
#include "quant/packed_linear.h"

namespace qs::detail {

// Every format of this file derives from this, so format_spec() can describe it.
class FormatLinear : public PackedLinear {
public:
    // Compact JSON object text: {"format": "int4", "group_size": 32, ...}.
    virtual std::string spec_json() const = 0;

protected:
    using PackedLinear::PackedLinear;
};

std::unique_ptr<PackedLinear> fp32_from(Buffer w, int64_t out, int64_t in);
std::unique_ptr<PackedLinear> half_from(Buffer w, int64_t out, int64_t in, bool bf16);
std::unique_ptr<PackedLinear> int8_from(Buffer q, Buffer scale, int64_t out, int64_t in,
                                        Int8Mode mode);
std::unique_ptr<PackedLinear> int4_from(Buffer q, Buffer scale, Buffer min, int64_t out,
                                        int64_t in, const Int4Options& options);

}  // namespace qs::detail
