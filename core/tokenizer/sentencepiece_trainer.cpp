#include "tokenizer/sentencepiece_trainer.h"

#include "tokenizer/spm_shim_loader.h"

namespace qs {

Status train_sentencepiece(const std::string& flags) {
    return guarded([&] {
        const SpmShim& shim = spm_shim();
        char error[1024] = {};
        if (shim.train(flags.c_str(), error, sizeof error) != 0)
            fail(std::string("SentencePiece training failed: ") + error);
    });
}

}  // namespace qs
