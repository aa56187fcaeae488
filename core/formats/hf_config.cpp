#include "formats/hf_config.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/result.h"

namespace qs {

namespace {

const char* const kArchitectures[] = {"LlamaForCausalLM", "MistralForCausalLM",
                                      "Qwen2ForCausalLM", nullptr};

class ConfigReader {
public:
    ConfigReader(const nlohmann::json& j, const std::string& path) : j_(j), path_(path) {}

    [[noreturn]] void bad(const std::string& what) const { fail(path_ + ": " + what); }

    int64_t positive_int(const char* key) const {
        if (!j_.contains(key)) bad(std::string("missing \"") + key + "\"");
        const auto& v = j_[key];
        if (!v.is_number_integer() || v.get<int64_t>() <= 0 || v.get<int64_t>() > (1ll << 31))
            bad(std::string("\"") + key + "\" must be a positive integer up to 2^31 (got " +
                v.dump() + ")");
        return v.get<int64_t>();
    }
    int64_t optional_int(const char* key, int64_t fallback) const {
        if (!j_.contains(key) || j_[key].is_null()) return fallback;
        return positive_int(key);
    }
    double positive_number(const char* key, double fallback) const {
        if (!j_.contains(key) || j_[key].is_null()) return fallback;
        const auto& v = j_[key];
        if (!v.is_number() || !(v.get<double>() > 0)) bad(std::string("\"") + key + "\" must be a positive number");
        return v.get<double>();
    }
    bool flag(const char* key, bool fallback) const {
        if (!j_.contains(key) || j_[key].is_null()) return fallback;
        if (!j_[key].is_boolean()) bad(std::string("\"") + key + "\" must be true or false");
        return j_[key].get<bool>();
    }
    std::string text(const char* key) const {
        if (!j_.contains(key) || j_[key].is_null()) return {};
        if (!j_[key].is_string()) bad(std::string("\"") + key + "\" must be a string");
        return j_[key].get<std::string>();
    }
    std::vector<int32_t> token_ids(const char* key) const {
        std::vector<int32_t> ids;
        if (!j_.contains(key) || j_[key].is_null()) return ids;
        const auto& v = j_[key];
        if (v.is_number_integer()) {
            ids.push_back(v.get<int32_t>());
        } else if (v.is_array()) {
            for (const auto& e : v) {
                if (!e.is_number_integer()) bad(std::string("\"") + key + "\" must hold integers");
                ids.push_back(e.get<int32_t>());
            }
        } else {
            bad(std::string("\"") + key + "\" must be an integer or a list of integers");
        }
        return ids;
    }

private:
    const nlohmann::json& j_;
    const std::string& path_;
};

}  // namespace

const char* const* supported_architectures() { return kArchitectures; }

ModelConfig parse_hf_config_text(const std::string& text, const std::string& path) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) fail(path + ": not valid JSON");
    if (!j.is_object()) fail(path + ": not a JSON object");
    ConfigReader r(j, path);

    ModelConfig c;
    if (!j.contains("architectures")) r.bad("missing \"architectures\"");
    if (!j["architectures"].is_array() || j["architectures"].empty() ||
        !j["architectures"][0].is_string())
        r.bad("\"architectures\" must be a list of class names, e.g. [\"LlamaForCausalLM\"]");
    c.architecture = j["architectures"][0].get<std::string>();
    bool known = false;
    for (const char* const* a = kArchitectures; *a; ++a) known = known || c.architecture == *a;
    if (!known)
        r.bad("unsupported architecture \"" + c.architecture +
              "\" (supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM)");
    c.model_type = r.text("model_type");

    if (j.contains("rope_scaling") && !j["rope_scaling"].is_null())
        r.bad("rope_scaling is not supported (the model would compute different results)");
    const std::string act = r.text("hidden_act");
    if (!act.empty() && act != "silu")
        r.bad("hidden_act \"" + act + "\" is not supported (only silu)");

    c.hidden_size = r.positive_int("hidden_size");
    c.intermediate_size = r.positive_int("intermediate_size");
    c.num_layers = r.positive_int("num_hidden_layers");
    c.num_heads = r.positive_int("num_attention_heads");
    c.num_kv_heads = r.optional_int("num_key_value_heads", c.num_heads);
    c.vocab_size = r.positive_int("vocab_size");
    c.max_position_embeddings = r.optional_int("max_position_embeddings", 2048);
    if (c.hidden_size % c.num_heads != 0 && !j.contains("head_dim"))
        r.bad("hidden_size is not a multiple of num_attention_heads and no head_dim is given");
    c.head_dim = r.optional_int("head_dim", c.hidden_size / c.num_heads);
    if (c.num_heads % c.num_kv_heads != 0)
        r.bad("num_attention_heads is not a multiple of num_key_value_heads");
    if (c.head_dim % 2 != 0) r.bad("head_dim must be even for rotary embeddings");
    c.rope_theta = r.positive_number("rope_theta", 10000.0);
    c.rms_norm_eps = r.positive_number("rms_norm_eps", 1e-6);
    c.tie_word_embeddings = r.flag("tie_word_embeddings", false);

    if (c.architecture == "Qwen2ForCausalLM") {
        c.attention_bias = true;  // Qwen2 always has q/k/v biases
        if (r.flag("use_sliding_window", false))
            c.sliding_window = r.optional_int("sliding_window", 0);
    } else {
        c.attention_bias = r.flag("attention_bias", false);
        if (c.architecture == "MistralForCausalLM")
            c.sliding_window = r.optional_int("sliding_window", 0);
    }
    if (r.flag("mlp_bias", false)) r.bad("mlp_bias is not supported");

    std::vector<int32_t> bos = r.token_ids("bos_token_id");
    if (!bos.empty()) c.bos_token_id = bos.front();
    c.eos_token_ids = r.token_ids("eos_token_id");
    c.torch_dtype = r.text("torch_dtype");
    return c;
}

ModelConfig parse_hf_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path + ": cannot open");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    if (text.empty()) fail(path + ": file is empty");
    return parse_hf_config_text(text, path);
}

}  // namespace qs
