#pragma once
// The BPE model of byte-level BPE: vocabulary and merge ranks, and the merging of one
// pre-tokenized piece into token ids (Hugging Face's algorithm: repeatedly merge the adjacent
// pair of lowest rank, leftmost first).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace qs {

class BpeModel {
public:
    // vocab: (token, id) pairs, tokens written in the byte-level alphabet. Throws Failure for
    // a negative id or ids far sparser than the vocabulary (a lying file must not make us
    // allocate an id table of billions of entries).
    explicit BpeModel(std::vector<std::pair<std::string, int32_t>> vocab);
    // The lookup table points into the token strings: moving keeps them in place, copying
    // would not.
    BpeModel(BpeModel&&) = default;
    BpeModel(const BpeModel&) = delete;
    BpeModel& operator=(const BpeModel&) = delete;

    // Appends a merge of the next rank. Throws Failure when left, right or their concatenation
    // is not in the vocabulary.
    void add_merge(std::string_view left, std::string_view right);
    // Hugging Face's ignore_merges: a piece that is a whole vocabulary entry is not merged.
    void set_ignore_merges(bool ignore) { ignore_merges_ = ignore; }
    // The id used for a byte whose byte-level character is not in the vocabulary (otherwise
    // such a byte is dropped, as Hugging Face does without an unk token).
    void set_unk_id(std::optional<int32_t> id) { unk_id_ = id; }

    // Appends the ids of one piece, given as raw bytes.
    void encode(std::string_view bytes, std::vector<int32_t>& out) const;

    const std::string* token(int32_t id) const;
    std::optional<int32_t> id_of(std::string_view token) const;
    int32_t max_id() const { return static_cast<int32_t>(index_of_id_.size()) - 1; }
    size_t merge_count() const { return merges_.size(); }

private:
    struct Merge {
        uint32_t rank;
        int32_t merged_id;
    };
    const Merge* find_merge(int32_t left, int32_t right) const;

    struct StringHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };

    std::vector<std::pair<std::string, int32_t>> vocab_;  // owns the token strings
    std::unordered_map<std::string_view, int32_t, StringHash, std::equal_to<>> id_of_token_;
    std::vector<int32_t> index_of_id_;  // id -> index into vocab_, -1 for unused ids
    std::unordered_map<uint64_t, Merge> merges_;  // key: left id << 32 | right id
    int32_t byte_ids_[256];                      // id of each byte's character, -1 if none
    bool ignore_merges_ = false;
    std::optional<int32_t> unk_id_;
};

}  // namespace qs
