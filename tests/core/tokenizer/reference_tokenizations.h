#pragma once
// Reader of the shared reference tokenization files (data/tokenizers/*/reference_tokenizations.json,
// data/stories260K/tok512_reference_tokenizations.json) and a comparison that reports the first
// difference in a readable form. Header-only: each test executable includes it once.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <string>
#include <vector>

#include "test_support.h"
#include "tokenizer/tokenizer.h"

namespace qs::test {

struct ReferenceCase {
    std::string text;
    std::vector<int32_t> ids;
    std::vector<std::string> pieces;
    std::string decoded;  // tok512 only (its normalizer drops extra spaces); else empty
};

inline std::vector<ReferenceCase> read_reference_tokenizations(const QString& path) {
    const QJsonArray array =
        QJsonDocument::fromJson(QByteArray::fromStdString(read_text(path))).array();
    std::vector<ReferenceCase> cases;
    for (const QJsonValue& value : array) {
        const QJsonObject object = value.toObject();
        ReferenceCase c;
        c.text = object["text"].toString().toStdString();
        for (const QJsonValue& id : object["ids"].toArray()) c.ids.push_back(id.toInt());
        for (const QJsonValue& p : object["pieces"].toArray())
            c.pieces.push_back(p.toString().toStdString());
        c.decoded = object["decoded"].toString().toStdString();
        cases.push_back(std::move(c));
    }
    return cases;
}

// The "text" sequence of a ../shared/reference/hf-tiny-* folder's reference.json: the ids a
// model run starts from (with BOS when add_bos).
struct ReferenceTextSequence {
    std::string text;
    bool add_bos = false;
    std::vector<int32_t> input_ids;
    std::vector<std::string> pieces;
};

inline ReferenceTextSequence read_reference_text_sequence(const QString& folder) {
    const QJsonObject reference =
        QJsonDocument::fromJson(QByteArray::fromStdString(read_text(folder + "/reference.json")))
            .object();
    ReferenceTextSequence result;
    for (const QJsonValue& value : reference["sequences"].toArray()) {
        const QJsonObject s = value.toObject();
        if (s["name"].toString() != "text") continue;
        result.text = s["text"].toString().toStdString();
        result.add_bos = s["add_bos"].toBool();
        for (const QJsonValue& id : s["input_ids"].toArray()) result.input_ids.push_back(id.toInt());
        for (const QJsonValue& p : s["pieces"].toArray())
            result.pieces.push_back(p.toString().toStdString());
    }
    return result;
}

// The ids a model run starts from: BOS first when the tokenizer says so.
inline std::vector<int32_t> prompt_ids(const Tokenizer& tokenizer, const std::string& text) {
    std::vector<int32_t> ids;
    if (tokenizer.adds_bos() && tokenizer.bos_id()) ids.push_back(*tokenizer.bos_id());
    const std::vector<int32_t> encoded = tokenizer.encode(text);
    ids.insert(ids.end(), encoded.begin(), encoded.end());
    return ids;
}

inline QString ids_text(const std::vector<int32_t>& ids) {
    QStringList parts;
    for (const int32_t id : ids) parts << QString::number(id);
    return "[" + parts.join(",") + "]";
}

inline std::vector<std::string> pieces_of(const Tokenizer& tokenizer,
                                          const std::vector<int32_t>& ids) {
    std::vector<std::string> pieces;
    for (const int32_t id : ids) pieces.push_back(tokenizer.piece(id));
    return pieces;
}

// "" when encode(c.text) gives c.ids and c.pieces and decoding gives expected_decode; else a
// description of the first mismatch.
inline QString reference_mismatch(const Tokenizer& tokenizer, const ReferenceCase& c,
                                  const std::string& expected_decode) {
    const QString text = QString::fromStdString(c.text);
    const std::vector<int32_t> ids = tokenizer.encode(c.text);
    if (ids != c.ids)
        return "\"" + text + "\": ids " + ids_text(ids) + ", expected " + ids_text(c.ids);
    const std::vector<std::string> pieces = pieces_of(tokenizer, ids);
    if (pieces != c.pieces) {
        QStringList got, want;
        for (const auto& p : pieces) got << QString::fromStdString(p);
        for (const auto& p : c.pieces) want << QString::fromStdString(p);
        return "\"" + text + "\": pieces " + got.join("|") + ", expected " + want.join("|");
    }
    const std::string decoded = tokenizer.decode(ids);
    if (decoded != expected_decode)
        return "\"" + text + "\": decodes to \"" + QString::fromStdString(decoded) +
               "\", expected \"" + QString::fromStdString(expected_decode) + "\"";
    return {};
}

}  // namespace qs::test
