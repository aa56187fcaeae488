#include "formats/model_locator.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/result.h"
#include "formats/hf_config.h"
#include "formats/llama2c_source.h"
#include "formats/safetensors_source.h"
#include "formats/synthetic_source.h"

namespace qs {
namespace fs = std::filesystem;

namespace {

std::string read_all(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path.string() + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool has_tokenizer_files(const fs::path& dir) {
    for (const char* f : {"tokenizer.json", "vocab.json", "tokenizer.model"})
        if (fs::exists(dir / f)) return true;
    return false;
}

// The single SentencePiece model beside a llama2.c checkpoint (ambiguous when several).
std::string sentencepiece_beside(const fs::path& file) {
    std::string found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(file.parent_path().empty() ? "." : file.parent_path(), ec)) {
        if (entry.path().extension() == ".model") {
            if (!found.empty()) return {};
            found = entry.path().string();
        }
    }
    return found;
}

LocatedModel locate_folder(const fs::path& dir) {
    const fs::path config = dir / "config.json";
    if (!fs::exists(config)) {
        fail(dir.string() + ": no config.json in this folder (expected a Hugging Face model "
                            "folder, a llama2.c .bin file, or synthetic:NAME)");
    }
    const std::string text = read_all(config);
    if (text.empty()) fail(config.string() + ": file is empty");
    LocatedModel m;
    m.path = dir.string();
    m.quantization = read_quantization_section(text, config.string());
    m.kind = m.quantization ? "quantscope" : "huggingface";
    m.source = std::make_unique<SafetensorsSource>(dir.string(), parse_hf_config_text(text, config.string()));
    if (has_tokenizer_files(dir)) m.tokenizer_path = dir.string();
    return m;
}

}  // namespace

LocatedModel locate_model(const std::string& spec) {
    if (spec.rfind("synthetic:", 0) == 0) {
        LocatedModel m;
        m.kind = "synthetic";
        m.source = std::make_unique<SyntheticSource>(spec.substr(10));
        return m;
    }
    if (spec.empty()) fail("no model given");
    const fs::path path(spec);
    std::error_code ec;
    if (!fs::exists(path, ec)) fail(spec + ": no such file or folder");
    if (fs::is_directory(path, ec)) return locate_folder(path);
    const std::string name = path.filename().string();
    const std::string ext = path.extension().string();
    if (name == "config.json") return locate_folder(path.parent_path().empty() ? "." : path.parent_path());
    if (ext == ".gguf") fail(spec + ": GGUF models are not supported yet (use a Hugging Face folder or a llama2.c .bin)");
    if (ext == ".safetensors" || ext == ".json")
        fail(spec + ": give the folder that holds config.json and the safetensors files");
    LocatedModel m;
    m.kind = "llama2.c";
    m.path = spec;
    m.source = std::make_unique<Llama2cSource>(spec);
    m.tokenizer_path = sentencepiece_beside(path);
    return m;
}

}  // namespace qs
