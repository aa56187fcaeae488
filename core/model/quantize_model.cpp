#include "model/quantize_model.h"

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_output.h"
#include "formats/model_locator.h"
#include "formats/quantized_folder.h"
#include "formats/safetensors_writer.h"
#include "model/memory_guard.h"
#include "model/model_impl.h"
#include "quant/formats.h"

namespace qs {

namespace fs = std::filesystem;

namespace {

// The Hugging Face config.json of a model whatever it was loaded from (a llama2.c checkpoint
// becomes an HF Llama: the loader already converted its RoPE layout to rotate-half).
nlohmann::ordered_json hf_config(const ModelConfig& c) {
    nlohmann::ordered_json j;
    j["architectures"] = {c.architecture};
    j["model_type"] = c.model_type;
    j["hidden_size"] = c.hidden_size;
    j["intermediate_size"] = c.intermediate_size;
    j["num_hidden_layers"] = c.num_layers;
    j["num_attention_heads"] = c.num_heads;
    j["num_key_value_heads"] = c.num_kv_heads;
    j["head_dim"] = c.head_dim;
    j["vocab_size"] = c.vocab_size;
    j["max_position_embeddings"] = c.max_position_embeddings;
    j["rope_theta"] = c.rope_theta;
    j["rms_norm_eps"] = c.rms_norm_eps;
    j["tie_word_embeddings"] = c.tie_word_embeddings;
    j["hidden_act"] = "silu";
    if (c.model_type == "llama") j["attention_bias"] = c.attention_bias;
    if (c.sliding_window > 0) {
        j["sliding_window"] = c.sliding_window;
        if (c.model_type == "qwen2") j["use_sliding_window"] = true;
    } else if (c.model_type == "qwen2") {
        j["use_sliding_window"] = false;
    }
    if (c.bos_token_id) j["bos_token_id"] = *c.bos_token_id;
    if (c.eos_token_ids.size() == 1) j["eos_token_id"] = c.eos_token_ids[0];
    else if (!c.eos_token_ids.empty()) j["eos_token_id"] = c.eos_token_ids;
    j["torch_dtype"] = "float32";  // of the tensors not listed in quantization_config
    return j;
}

// Every weight of the transformer as safetensors entries, in model order. `keep` holds the
// vectors' storage alive until the file is written.
struct Collected {
    std::vector<TensorToWrite> tensors;
    std::vector<std::shared_ptr<std::vector<StoredTensor>>> keep;
    QuantizationSection section;
};

void add_matrix(Collected& out, const std::string& name, const PackedLinear& linear) {
    auto parts = std::make_shared<std::vector<StoredTensor>>(linear.stored_tensors());
    for (const StoredTensor& t : *parts)
        out.tensors.push_back({name + t.suffix, t.dtype, t.shape, t.buffer.data, size_t(t.buffer.bytes)});
    out.keep.push_back(parts);
    out.section.tensors[name] = format_spec(linear);
}

void add_vector(Collected& out, const std::string& name, const std::vector<float>& v) {
    out.tensors.push_back({name, "F32", {int64_t(v.size())}, v.data(), v.size() * sizeof(float)});
}

Collected collect(const Transformer& t) {
    Collected out;
    add_matrix(out, "model.embed_tokens.weight", *t.embedding);
    for (size_t l = 0; l < t.layers.size(); ++l) {
        const LayerWeights& w = t.layers[l];
        const std::string p = "model.layers." + std::to_string(l) + ".";
        add_vector(out, p + "input_layernorm.weight", w.input_norm);
        add_matrix(out, p + "self_attn.q_proj.weight", *w.q);
        add_matrix(out, p + "self_attn.k_proj.weight", *w.k);
        add_matrix(out, p + "self_attn.v_proj.weight", *w.v);
        if (!w.q_bias.empty()) {
            add_vector(out, p + "self_attn.q_proj.bias", w.q_bias);
            add_vector(out, p + "self_attn.k_proj.bias", w.k_bias);
            add_vector(out, p + "self_attn.v_proj.bias", w.v_bias);
        }
        add_matrix(out, p + "self_attn.o_proj.weight", *w.o);
        add_vector(out, p + "post_attention_layernorm.weight", w.post_attention_norm);
        add_matrix(out, p + "mlp.gate_proj.weight", *w.gate);
        add_matrix(out, p + "mlp.up_proj.weight", *w.up);
        add_matrix(out, p + "mlp.down_proj.weight", *w.down);
    }
    add_vector(out, "model.norm.weight", t.final_norm);
    if (!t.config.tie_word_embeddings) add_matrix(out, "lm_head.weight", *t.lm_head);
    return out;
}

// The tokenizer travels with the model: the known tokenizer files beside the one it was loaded
// from, and that file itself under its conventional name (e.g. llama2.c's tok512.model).
void copy_tokenizer(const std::string& source, const AtomicDirectory& dir) {
    if (source.empty()) return;
    const fs::path src(source);
    const fs::path folder = fs::is_directory(src) ? src : src.parent_path();
    bool copied = false;
    for (const char* name : {"tokenizer.json", "tokenizer_config.json", "vocab.json", "merges.txt",
                             "added_tokens.json", "special_tokens_map.json", "tokenizer.model"}) {
        if (fs::is_regular_file(folder / name)) {
            fs::copy_file(folder / name, dir.file(name));
            copied = true;
        }
    }
    if (!copied && fs::is_regular_file(src)) {
        const std::string ext = src.extension().string();
        fs::copy_file(src, dir.file(ext == ".model" ? "tokenizer.model" : "tokenizer.json"));
    }
}

// Re-raises an Error from a nested core call inside guarded().
[[noreturn]] void rethrow(const Error& e) {
    if (e.cancelled) throw Cancelled();
    fail(e.message);
}

}  // namespace

Status save_model(const Model& model, const std::string& out_dir, bool overwrite,
                  const Control& control) {
    return guarded([&] {
        if (out_dir.empty()) fail("no output folder given");
        if (fs::exists(out_dir) && !overwrite)
            fail(out_dir + ": already exists (pass --force to replace it)");
        const ModelInfo& info = model.info();
        const Transformer& t = *model.impl_->transformer;
        control.report("Saving", 0, 1);
        Collected c = collect(t);
        c.section.options = info.quant;

        AtomicDirectory dir(out_dir);
        write_safetensors(dir.file("model.safetensors"), c.tensors,
                          {{"format", "pt"}, {"quantscope_method", method_name(info.quant.method)}});
        control.check();
        nlohmann::ordered_json config = hf_config(info.config);
        config["quantization_config"] = nlohmann::ordered_json::parse(quantization_section_json(c.section));
        write_file_atomically(dir.file("config.json"), config.dump(2) + "\n");
        try {
            copy_tokenizer(info.tokenizer_path, dir);
        } catch (const fs::filesystem_error& e) {
            fail(std::string("copying the tokenizer: ") + e.what());
        }
        control.check();
        dir.commit();
        control.report("Saving done", 1, 1);
    });
}

Result<QuantizeReport> quantize_model(const std::string& spec, const LoadOptions& options,
                                      const std::string& out_dir, bool overwrite,
                                      const Control& control) {
    return guarded([&]() -> QuantizeReport {
        const auto start = std::chrono::steady_clock::now();
        if (out_dir.empty()) fail("no output folder given (-o DIR)");
        if (fs::exists(out_dir) && !overwrite)
            fail(out_dir + ": already exists (pass --force to replace it)");
        {
            // Loading checks its own peak; saving adds a second copy of the quantized weights
            // (the file is assembled in memory before it is written).
            LocatedModel located = locate_model(spec);
            const QuantizedManifest* manifest =
                located.quantization ? &located.quantization->tensors : nullptr;
            check_weights(*located.source, manifest);
            check_memory(spec, "quantizing to " + method_name(options.quant.method),
                         load_peak_bytes(*located.source, options.quant, manifest) +
                             held_weight_bytes(*located.source, options.quant, manifest));
        }
        auto loaded = Model::load(spec, options, control);
        if (!loaded) rethrow(loaded.error());
        const Model& model = *loaded.value();
        if (Status s = save_model(model, out_dir, overwrite, control); !s) rethrow(s.error());

        const ModelInfo& info = model.info();
        QuantizeReport r;
        r.model = spec;
        r.output = out_dir;
        r.method = info.quant.method;
        r.method_detail = info.method_detail;
        r.original_weight_bytes = info.stored_weight_bytes;
        r.quantized_weight_bytes = info.weight_bytes;
        for (const TensorInfo& t : info.tensors) {
            int64_t n = 1;
            for (int64_t d : t.shape) n *= d;
            r.fp32_weight_bytes += n * 4;
            if (t.format != "fp32" && t.shape.size() == 2) ++r.tensors_quantized;
        }
        r.tensors = info.tensors;
        r.file_bytes = int64_t(fs::file_size(fs::path(out_dir) / "model.safetensors"));
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return r;
    });
}

}  // namespace qs
