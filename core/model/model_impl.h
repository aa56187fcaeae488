#pragma once
// Internal (pulls in libtorch through transformer.h): what a loaded Model holds, shared by the
// files that implement Model (loading, running, saving).
#include <memory>

#include "model/model.h"
#include "model/transformer.h"
#include "tokenizer/tokenizer.h"

namespace qs {

struct Model::Impl {
    ModelInfo info;
    std::unique_ptr<Transformer> transformer;
    std::unique_ptr<Tokenizer> tokenizer;
};

}  // namespace qs
