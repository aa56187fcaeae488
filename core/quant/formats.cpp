// Builders of PackedLinear objects: quantizing FP32 weights, describing a packed matrix, and
// rebuilding one from its saved tensors (validated: they come from files).
#include "quant/formats.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "common/parallel.h"
#include "common/result.h"
#include "kernels/half.h"
#include "kernels/kernels.h"
#include "quant/int4_format.h"
#include "quant/linear_impl.h"

namespace qs {

namespace {

void check_shape(int64_t out, int64_t in) {
    if (out < 1 || in < 1)
        fail("matrix shape " + std::to_string(out) + "x" + std::to_string(in) + " is empty");
}

// Rows of work per parallel task for quantizers: about 64 K elements.
int64_t quant_grain(int64_t in) { return std::max<int64_t>(1, (int64_t(64) << 10) / in); }

void check_group(int group) {
    if (group != 32 && group != 64 && group != 128)
        fail("int4 group size must be 32, 64 or 128 (got " + std::to_string(group) + ")");
}

}  // namespace

std::unique_ptr<PackedLinear> make_fp32_linear(Buffer w, int64_t out, int64_t in) {
    check_shape(out, in);
    if (w.bytes != size_t(out * in * 4))
        fail("fp32 matrix " + std::to_string(out) + "x" + std::to_string(in) + " needs " +
             std::to_string(out * in * 4) + " bytes, got " + std::to_string(w.bytes));
    if (reinterpret_cast<uintptr_t>(w.data) % 4 != 0) {  // e.g. an odd offset in a mapped file
        Buffer copy = Buffer::allocate_for_overwrite(w.bytes);
        std::memcpy(copy.mutable_as<void>(), w.data, w.bytes);
        w = std::move(copy);
    }
    return detail::fp32_from(std::move(w), out, in);
}

std::unique_ptr<PackedLinear> make_half_linear(const float* w, int64_t out, int64_t in,
                                               bool bf16) {
    check_shape(out, in);
    Buffer b = Buffer::allocate_for_overwrite(size_t(out * in * 2));
    uint16_t* h = b.mutable_as<uint16_t>();
    parallel_for(0, out, quant_grain(in), [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0 * in; i < r1 * in; ++i)
            h[i] = bf16 ? kern::f32_to_bf16(w[i]) : kern::f32_to_f16(w[i]);
    });
    return detail::half_from(std::move(b), out, in, bf16);
}

std::unique_ptr<PackedLinear> make_int8_linear(const float* w, int64_t out, int64_t in,
                                               Int8Mode mode) {
    check_shape(out, in);
    Buffer q = Buffer::allocate_for_overwrite(size_t(out * in));
    Buffer s = Buffer::allocate_for_overwrite(size_t(out * 4));
    int8_t* qp = q.mutable_as<int8_t>();
    float* sp = s.mutable_as<float>();
    const kern::Table& t = kern::active_table();
    parallel_for(0, out, quant_grain(in), [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) sp[r] = t.quantize_w8(w + r * in, in, qp + r * in);
    });
    return detail::int8_from(std::move(q), std::move(s), out, in, mode);
}

std::unique_ptr<PackedLinear> make_int4_linear(const float* w, int64_t out, int64_t in,
                                               const Int4Options& options) {
    check_shape(out, in);
    check_group(options.group_size);
    const int G = options.group_size;
    const int64_t kp = detail::int4_padded_k(in, G), blocks = kp / 32, groups = kp / G;
    const bool asym = options.scheme == Int4Scheme::asymmetric;
    Buffer q = Buffer::allocate(size_t(out * blocks * 16));
    Buffer s = Buffer::allocate(size_t(out * groups * 2));
    Buffer mn = asym ? Buffer::allocate(size_t(out * groups * 2)) : Buffer{};
    uint8_t* qp = q.mutable_as<uint8_t>();
    uint16_t* sp = s.mutable_as<uint16_t>();
    uint16_t* mp = asym ? mn.mutable_as<uint16_t>() : nullptr;
    parallel_for(0, out, quant_grain(in), [&](int64_t r0, int64_t r1) {
        uint8_t codes[128];
        for (int64_t r = r0; r < r1; ++r) {
            uint8_t* row = qp + r * blocks * 16;
            for (int64_t g = 0; g < groups; ++g) {
                const int64_t k0 = g * G;
                const int n = int(std::min<int64_t>(G, in - k0));
                detail::quantize_int4_group(w + r * in + k0, n, options.scheme,
                                            options.scale_search, codes, sp + r * groups + g,
                                            asym ? mp + r * groups + g : nullptr);
                for (int i = 0; i < n; ++i) {
                    bool high = false;
                    uint8_t& byte = row[detail::int4_byte(blocks, k0 + i, high)];
                    byte = uint8_t(high ? (byte & 0x0f) | (codes[i] << 4)
                                        : (byte & 0xf0) | codes[i]);
                }
            }
        }
    });
    return detail::int4_from(std::move(q), std::move(s), std::move(mn), out, in, options);
}

std::string format_spec(const PackedLinear& linear) {
    const auto* f = dynamic_cast<const detail::FormatLinear*>(&linear);
    if (!f) fail("format_spec: not a quantscope weight format");
    return f->spec_json();
}

namespace {

using nlohmann::json;

size_t dtype_size(const std::string& dtype) {
    if (dtype == "F32" || dtype == "I32") return 4;
    if (dtype == "F16" || dtype == "BF16") return 2;
    if (dtype == "I8" || dtype == "U8") return 1;
    return 0;
}

// Checks one stored tensor against what the format expects and returns its buffer.
Buffer take(const std::map<std::string, StoredTensor>& tensors, const std::string& what,
            const std::string& suffix, const std::string& dtype,
            const std::vector<int64_t>& shape) {
    const auto it = tensors.find(suffix);
    const std::string name = what + " tensor '" + (suffix.empty() ? "(values)" : suffix) + "'";
    if (it == tensors.end()) fail(name + " is missing");
    const StoredTensor& t = it->second;
    if (t.dtype != dtype) fail(name + " has dtype " + t.dtype + ", expected " + dtype);
    if (t.shape != shape)
        fail(name + " has shape " + shape_text(t.shape) + ", expected " + shape_text(shape));
    size_t count = 1;
    for (int64_t d : shape) count *= size_t(d);
    const size_t bytes = count * dtype_size(dtype);
    if (t.buffer.bytes != bytes)
        fail(name + " holds " + std::to_string(t.buffer.bytes) + " bytes, expected " +
             std::to_string(bytes));
    if (!t.buffer.data) fail(name + " has no data");
    Buffer b = t.buffer;
    if (reinterpret_cast<uintptr_t>(b.data) % dtype_size(dtype) != 0) {
        Buffer copy = Buffer::allocate_for_overwrite(b.bytes);
        std::memcpy(copy.mutable_as<void>(), b.data, b.bytes);
        b = std::move(copy);
    }
    return b;
}

void reject_extra(const std::map<std::string, StoredTensor>& tensors, const std::string& what,
                  std::initializer_list<const char*> known) {
    for (const auto& [suffix, t] : tensors) {
        bool ok = false;
        for (const char* k : known) ok = ok || suffix == k;
        if (!ok) fail(what + " has an unexpected tensor '" + suffix + "'");
    }
}

}  // namespace

std::unique_ptr<PackedLinear> load_packed_linear(const std::string& format_spec_json,
                                                 int64_t out, int64_t in,
                                                 const std::map<std::string, StoredTensor>& tensors) {
    json spec;
    try {
        spec = json::parse(format_spec_json);
    } catch (const std::exception& e) {
        fail("weight format description is not valid JSON: " + std::string(e.what()));
    }
    if (!spec.is_object() || !spec.contains("format") || !spec["format"].is_string())
        fail("weight format description has no \"format\": " + format_spec_json);
    check_shape(out, in);
    const std::string format = spec["format"].get<std::string>();
    auto str = [&](const char* key) -> std::string {
        if (!spec.contains(key) || !spec[key].is_string())
            fail(format + " weight format description lacks \"" + key + "\"");
        return spec[key].get<std::string>();
    };
    if (format == "fp32") {
        reject_extra(tensors, format, {""});
        return make_fp32_linear(take(tensors, format, "", "F32", {out, in}), out, in);
    }
    if (format == "fp16" || format == "bf16") {
        reject_extra(tensors, format, {""});
        const bool bf16 = format == "bf16";
        return detail::half_from(take(tensors, format, "", bf16 ? "BF16" : "F16", {out, in}),
                                 out, in, bf16);
    }
    if (format == "int8") {
        const std::string mode = str("mode");
        if (mode != "dynamic" && mode != "weight_only")
            fail("int8 mode must be \"dynamic\" or \"weight_only\" (got \"" + mode + "\")");
        reject_extra(tensors, format, {"", ".scale"});
        Buffer q = take(tensors, format, "", "I8", {out, in});
        Buffer s = take(tensors, format, ".scale", "F32", {out});
        return detail::int8_from(std::move(q), std::move(s), out, in,
                                 mode == "dynamic" ? Int8Mode::dynamic : Int8Mode::weight_only);
    }
    if (format == "int4") {
        Int4Options o;
        if (!spec.contains("group_size") || !spec["group_size"].is_number_integer())
            fail("int4 weight format description lacks an integer \"group_size\"");
        o.group_size = spec["group_size"].get<int>();
        check_group(o.group_size);
        const std::string scheme = str("scheme");
        if (scheme != "symmetric" && scheme != "asymmetric")
            fail("int4 scheme must be \"symmetric\" or \"asymmetric\" (got \"" + scheme + "\")");
        o.scheme = scheme == "symmetric" ? Int4Scheme::symmetric : Int4Scheme::asymmetric;
        o.scale_search = spec.value("scale_search", false);
        if (spec.value("layout", std::string()) != "sb16-v1")
            fail("int4 layout \"" + spec.value("layout", std::string()) +
                 "\" is not supported (expected \"sb16-v1\")");
        const int64_t kp = detail::int4_padded_k(in, o.group_size);
        const int64_t groups = kp / o.group_size;
        const bool asym = o.scheme == Int4Scheme::asymmetric;
        if (asym)
            reject_extra(tensors, format, {"", ".scale", ".min"});
        else
            reject_extra(tensors, format, {"", ".scale"});
        Buffer q = take(tensors, format, "", "U8", {out, kp / 2});
        Buffer s = take(tensors, format, ".scale", "F16", {out, groups});
        Buffer mn = asym ? take(tensors, format, ".min", "F16", {out, groups}) : Buffer{};
        return detail::int4_from(std::move(q), std::move(s), std::move(mn), out, in, o);
    }
    fail("unknown weight format \"" + format + "\"");
}

}  // namespace qs
