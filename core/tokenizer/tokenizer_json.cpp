#include "tokenizer/tokenizer_json.h"

#include <nlohmann/json.hpp>

#include "tokenizer/bpe_tokenizer.h"
#include "tokenizer/hf_json_fields.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizer_file.h"

namespace qs {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string type_of(const json& node) {
    const auto it = node.find("type");
    return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The members of a "Sequence" node (under list_key), or the node itself.
std::vector<json> steps_of(const json& node, const char* list_key) {
    if (type_of(node) != "Sequence") return {node};
    const auto it = node.find(list_key);
    if (it == node.end() || !it->is_array()) return {};
    return it->get<std::vector<json>>();
}

bool flag(const json& node, const char* key, bool fallback) {
    const auto it = node.find(key);
    return it != node.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

bool empty_or_null(const json& node, const char* key) {
    const auto it = node.find(key);
    return it == node.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty());
}

class Reader {
public:
    Reader(const fs::path& path, const TokenizerConfig& config)
        : path_(path.string()), config_(config) {}

    std::unique_ptr<Tokenizer> read(const json& root) {
        if (!root.is_object()) fail(path_ + ": not a tokenizer.json (not a JSON object)");
        const auto model = root.find("model");
        if (model == root.end() || !model->is_object())
            fail(path_ + ": not a tokenizer.json (no \"model\" object)");
        // Old files omit the model type; HF then recognises BPE by its merges.
        const std::string type = model->contains("type") ? type_of(*model) : "BPE";
        if (type != "BPE")
            unsupported("model type \"" + type + "\" is not supported (only byte-level BPE)");
        if (!empty_or_null(*model, "continuing_subword_prefix") ||
            !empty_or_null(*model, "end_of_word_suffix"))
            unsupported("BPE with a subword prefix or suffix is not supported");

        const json null_node;
        const auto at = [&](const char* key) -> const json& {
            const auto it = root.find(key);
            return it == root.end() ? null_node : *it;
        };
        check_decoder(at("decoder"));
        const bool add_prefix_space = read_pretokenizer(at("pre_tokenizer"));
        const bool nfc = read_normalizer(at("normalizer"));

        BpeParts parts(read_model(*model));
        parts.added_tokens = read_added_tokens(at("added_tokens"));
        parts.nfc = nfc;
        parts.add_prefix_space = add_prefix_space;
        parts.pretokenizer = std::move(pretokenizer_);
        parts.source = path_;
        resolve_special_tokens(parts, config_, template_bos(at("post_processor")));
        return std::make_unique<BpeTokenizer>(std::move(parts));
    }

private:
    [[noreturn]] void unsupported(const std::string& what) const {
        throw UnsupportedTokenizer(path_ + ": " + what);
    }

    void check_decoder(const json& decoder) const {
        if (decoder.is_null()) return;
        for (const json& step : steps_of(decoder, "decoders"))
            if (type_of(step) != "ByteLevel")
                unsupported("decoder \"" + type_of(step) + "\" is not supported (only ByteLevel)");
    }

    // Fills pretokenizer_; returns ByteLevel's add_prefix_space.
    bool read_pretokenizer(const json& node) {
        bool byte_level = false;
        bool add_prefix_space = false;
        bool split_before = false;
        for (const json& step : steps_of(node, "pretokenizers")) {
            const std::string type = type_of(step);
            if (byte_level) unsupported("a pre-tokenizer after ByteLevel is not supported");
            if (type == "Split") {
                read_split(step);
            } else if (type == "Digits") {
                pretokenizer_.add_split(flag(step, "individual_digits", false) ? R"(\p{N})"
                                                                              : R"(\p{N}+)",
                                        false);
            } else if (type == "ByteLevel") {
                byte_level = true;
                add_prefix_space = flag(step, "add_prefix_space", true);
                // The prefix is added to each piece ByteLevel receives; it is implemented for
                // the whole text only, i.e. when no split comes before.
                if (add_prefix_space && split_before)
                    unsupported("ByteLevel add_prefix_space after another split is not supported");
                if (flag(step, "use_regex", true)) pretokenizer_.add_split(kGpt2SplitPattern, false);
            } else {
                unsupported("pre-tokenizer \"" + type + "\" is not supported (not byte-level BPE)");
            }
            split_before = true;
        }
        if (!byte_level) unsupported("no ByteLevel pre-tokenizer (not a byte-level BPE)");
        return add_prefix_space;
    }

    void read_split(const json& step) {
        const std::string behavior = step.value("behavior", "");
        if (behavior != "Isolated" || flag(step, "invert", false))
            unsupported("Split with behavior \"" + behavior + "\" is not supported (only Isolated)");
        const auto pattern = step.find("pattern");
        if (pattern == step.end() || !pattern->is_object()) fail(path_ + ": Split without a pattern");
        try {
            if (const auto regex = pattern->find("Regex"); regex != pattern->end())
                pretokenizer_.add_split(regex->get<std::string>(), false);
            else if (const auto literal = pattern->find("String"); literal != pattern->end())
                pretokenizer_.add_split(literal->get<std::string>(), true);
            else
                fail("neither Regex nor String");
        } catch (const Failure& e) {
            fail(path_ + ": Split pattern: " + e.what());
        }
    }

    // Whether text is NFC-normalized first; other normalizers are not implemented.
    bool read_normalizer(const json& node) const {
        if (node.is_null()) return false;
        bool nfc = false;
        for (const json& step : steps_of(node, "normalizers")) {
            if (type_of(step) != "NFC")
                unsupported("normalizer \"" + type_of(step) + "\" is not supported (only NFC)");
            nfc = true;
        }
        return nfc;
    }

    BpeModel read_model(const json& model) const {
        const auto vocab = model.find("vocab");
        if (vocab == model.end()) fail(path_ + ": the BPE model has no vocab");
        const auto merges = model.find("merges");
        if (merges == model.end() || !merges->is_array())
            fail(path_ + ": the BPE model has no merges list");
        try {
            BpeModel bpe(vocab_from_json(*vocab, path_));
            for (const json& merge : *merges) {
                if (merge.is_string()) {
                    const std::string& text = merge.get_ref<const std::string&>();
                    const size_t space = text.find(' ');
                    if (space == std::string::npos)
                        fail("merge \"" + text + "\" is not \"left right\"");
                    bpe.add_merge(std::string_view(text).substr(0, space),
                                  std::string_view(text).substr(space + 1));
                } else if (merge.is_array() && merge.size() == 2 && merge[0].is_string() &&
                           merge[1].is_string()) {
                    bpe.add_merge(merge[0].get_ref<const std::string&>(),
                                  merge[1].get_ref<const std::string&>());
                } else {
                    fail("a merge is neither \"left right\" nor [left, right]");
                }
            }
            bpe.set_ignore_merges(flag(model, "ignore_merges", false));
            if (const auto unk = model.find("unk_token"); unk != model.end() && unk->is_string())
                bpe.set_unk_id(bpe.id_of(unk->get<std::string>()));
            return bpe;
        } catch (const Failure& e) {
            const std::string message = e.what();
            if (message.starts_with(path_)) throw;
            fail(path_ + ": " + message);
        }
    }

    AddedTokens read_added_tokens(const json& node) const {
        if (node.is_null()) return {};
        if (!node.is_array()) fail(path_ + ": added_tokens is not a list");
        std::vector<AddedToken> tokens;
        for (const json& entry : node) {
            const auto content = entry.find("content");
            if (!entry.is_object() || content == entry.end() || !content->is_string())
                fail(path_ + ": an added token has no content");
            AddedToken token;
            token.content = content->get<std::string>();
            token.id = token_id_from_json(entry.value("id", json()),
                                          path_ + ": added token \"" + token.content + "\"");
            token.lstrip = flag(entry, "lstrip", false);
            token.rstrip = flag(entry, "rstrip", false);
            token.single_word = flag(entry, "single_word", false);
            tokens.push_back(std::move(token));
        }
        return AddedTokens(std::move(tokens));
    }

    // The special token a TemplateProcessing post-processor puts first, if any.
    std::optional<int32_t> template_bos(const json& node) const {
        if (node.is_null()) return std::nullopt;
        for (const json& step : steps_of(node, "processors")) {
            if (type_of(step) != "TemplateProcessing") continue;
            const json& single = step.value("single", json::array());
            if (!single.is_array() || single.empty() || !single[0].contains("SpecialToken"))
                continue;
            const json& name = single[0]["SpecialToken"].value("id", json());
            const json& specials = step.value("special_tokens", json::object());
            if (!name.is_string() || !specials.contains(name.get<std::string>())) continue;
            const json& ids = specials[name.get<std::string>()].value("ids", json::array());
            if (ids.is_array() && !ids.empty())
                return token_id_from_json(ids[0], path_ + ": post_processor");
        }
        return std::nullopt;
    }

    std::string path_;
    const TokenizerConfig& config_;
    PreTokenizer pretokenizer_;
};

}  // namespace

std::unique_ptr<Tokenizer> load_tokenizer_json(const fs::path& path,
                                               const TokenizerConfig& config) {
    const json root = read_json_file(path);
    try {
        return Reader(path, config).read(root);
    } catch (const json::exception& e) {
        fail(path.string() + ": unexpected structure (" + e.what() + ")");
    }
}

}  // namespace qs
