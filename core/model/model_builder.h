#pragma once
// Internal. Builds a Transformer from a WeightSource one tensor at a time: each matrix is
// fetched in FP32 (in memory of its own, see formats/resident_copy.h), packed into the format and
// released before the next, so peak memory is the result plus one FP32 matrix.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/progress.h"
#include "formats/weight_source.h"
#include "model/model.h"
#include "model/transformer.h"
#include "model/weight_check.h"

namespace qs {

struct BuiltModel {
    std::unique_ptr<Transformer> transformer;
    std::vector<TensorInfo> tensors;
    int64_t weight_bytes = 0;
};

// Builds from source. manifest is non-null for quantized folders (whose tensors are loaded
// as stored, never through FP32); otherwise options.method is applied. Reports progress as
// "<verb> layer i/n" and checks cancel between layers.
BuiltModel build_transformer(const WeightSource& source, const QuantOptions& options,
                             const QuantizedManifest* manifest, const Control& control);

}  // namespace qs
