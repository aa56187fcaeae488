// Portable kernels: the reference for the SIMD ones and the fallback for any x86-64 CPU.
// Same arithmetic contract as the SIMD tables (int8 / int4 sums are exact integers, the scale
// arithmetic is the same float operations in the same order per block), float summation order
// differs.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels/half.h"
#include "kernels/kernels.h"

namespace qs::kern {

namespace {

template <class Load>
void dense_rows(Load load, int64_t K, int64_t n0, int64_t n1, const float* x, int m, float* y,
                int64_t ldy) {
    for (int64_t n = n0; n < n1; ++n)
        for (int a = 0; a < m; ++a) {
            const float* xa = x + a * K;
            float s = 0;
            for (int64_t k = 0; k < K; ++k) s += load(n * K + k) * xa[k];
            y[a * ldy + n] = s;
        }
}

void f32_rows(const float* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
              float* y, int64_t ldy) {
    dense_rows([w](int64_t i) { return w[i]; }, K, n0, n1, x, m, y, ldy);
}
void f16_rows(const uint16_t* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
              float* y, int64_t ldy) {
    dense_rows([w](int64_t i) { return f16_to_f32(w[i]); }, K, n0, n1, x, m, y, ldy);
}
void bf16_rows(const uint16_t* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
               float* y, int64_t ldy) {
    dense_rows([w](int64_t i) { return bf16_to_f32(w[i]); }, K, n0, n1, x, m, y, ldy);
}

void f16_to_f32v(const uint16_t* src, float* dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = f16_to_f32(src[i]);
}
void bf16_to_f32v(const uint16_t* src, float* dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = bf16_to_f32(src[i]);
}
void i8_to_f32v(const int8_t* src, float scale, float* dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) dst[i] = float(src[i]) * scale;
}

float quantize_i8(const float* x, int64_t K, int8_t* q) {
    float amax = 0;
    for (int64_t k = 0; k < K; ++k) amax = std::fmax(amax, std::fabs(x[k]));
    const float inv = amax > 0 ? 127.0f / amax : 0.0f;
    for (int64_t k = 0; k < K; ++k) q[k] = int8_t(std::nearbyint(x[k] * inv));
    std::memset(q + K, 0, size_t(i8_row_stride(K) - K));
    return amax / 127.0f;
}

float quantize_w8(const float* w, int64_t K, int8_t* q) {
    float amax = 0;
    for (int64_t k = 0; k < K; ++k) amax = std::fmax(amax, std::fabs(w[k]));
    const float scale = amax / 127.0f;
    for (int64_t k = 0; k < K; ++k) q[k] = scale > 0 ? int8_t(std::nearbyint(w[k] / scale)) : 0;
    return scale;
}

void split_i8x3(const float* x, int64_t K, int8_t* q, float* s) {
    float amax = 0;
    for (int64_t k = 0; k < K; ++k) amax = std::fmax(amax, std::fabs(x[k]));
    const int64_t stride = i8_row_stride(K);
    std::memset(q, 0, size_t(3 * stride));
    if (!(amax > 0)) {
        s[0] = s[1] = s[2] = 0;
        return;
    }
    s[0] = amax / 127.0f;
    s[1] = s[0] / kPlaneBase;
    s[2] = s[1] / kPlaneBase;
    const float inv0 = 127.0f / amax, inv1 = 1.0f / s[1], inv2 = 1.0f / s[2];
    for (int64_t k = 0; k < K; ++k) {
        const float q0 = std::nearbyint(x[k] * inv0);
        const float e0 = std::fma(-q0, s[0], x[k]);  // exact residual, as the SIMD tables
        const float q1 = std::nearbyint(e0 * inv1);
        const float e1 = std::fma(-q1, s[1], e0);
        q[i8x3_index(0, k)] = int8_t(q0);
        q[i8x3_index(1, k)] = int8_t(q1);
        q[i8x3_index(2, k)] = int8_t(std::nearbyint(e1 * inv2));
    }
}

void i8w_rows(const int8_t* w, const float* wscale, const int32_t*, int64_t K, int64_t n0,
              int64_t n1, const int8_t* q, const float* s, int m, float* y, int64_t ldy) {
    const int64_t stride = i8_row_stride(K);
    for (int64_t n = n0; n < n1; ++n)
        for (int a = 0; a < m; ++a) {
            int64_t T[3] = {0, 0, 0};
            const int8_t* qa = q + 3 * a * stride;
            for (int p = 0; p < 3; ++p)
                for (int64_t k = 0; k < K; ++k)
                    T[p] += int32_t(qa[i8x3_index(p, k)]) * int32_t(w[n * K + k]);
            const float* sa = s + 3 * a;
            double t = double(sa[0]) * double(T[0]);
            t = std::fma(double(sa[1]), double(T[1]), t);
            t = std::fma(double(sa[2]), double(T[2]), t);
            y[a * ldy + n] = float(double(wscale[n]) * t);
        }
}

void i8d_rows(const int8_t* w, const float* wscale, const int32_t*, int64_t K, int64_t n0,
              int64_t n1, const int8_t* q, const float* sx, int m, float* y, int64_t ldy) {
    const int64_t stride = i8_row_stride(K);
    for (int64_t n = n0; n < n1; ++n)
        for (int a = 0; a < m; ++a) {
            const int8_t* qa = q + a * stride;
            int32_t s = 0;
            for (int64_t k = 0; k < K; ++k) s += int32_t(qa[k]) * int32_t(w[n * K + k]);
            y[a * ldy + n] = float(s) * (sx[a] * wscale[n]);
        }
}

size_t i8d_packed_bytes(int64_t m, int64_t K) { return size_t(m * i8_row_stride(K)); }
void i8d_pack(const int8_t* q, int64_t m, int64_t K, uint8_t* packed) {
    std::memcpy(packed, q, i8d_packed_bytes(m, K));
}
void i8d_gemm(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K, int64_t n0,
              int64_t n1, const uint8_t* packed, const float* sx, int64_t m, float* y,
              int64_t ldy) {
    const auto* q = reinterpret_cast<const int8_t*>(packed);
    const int64_t stride = i8_row_stride(K);
    for (int64_t a = 0; a < m; a += kMaxRows) {
        const int rows = int(m - a < kMaxRows ? m - a : kMaxRows);
        i8d_rows(w, wscale, wsum, K, n0, n1, q + a * stride, sx + a, rows, y + a * ldy, ldy);
    }
}

// Position of element e (0..511) of a super-block in the permuted Q8 / nibble layout.
inline int64_t q8_pos(int64_t b, int64_t e) {  // b: sub-block in super-block, e: 0..31
    const int64_t i = e / 4, t = e % 4;
    return i * 64 + 4 * b + t;
}

void quantize_q8(const float* x, int64_t K, int64_t blocks, bool symmetric, Q8Row out) {
    const int64_t sbs = q8_superblocks(blocks);
    std::memset(out.q, 0, size_t(sbs * 512));
    std::memset(out.d, 0, size_t(sbs * 16) * sizeof(float));
    std::memset(out.c, 0, size_t(sbs * 16) * sizeof(float));
    for (int64_t blk = 0; blk < blocks; ++blk) {
        const int64_t k0 = blk * 32;
        const int64_t len = k0 >= K ? 0 : (K - k0 < 32 ? K - k0 : 32);
        float amax = 0, sum = 0;
        for (int64_t e = 0; e < len; ++e) {
            amax = std::fmax(amax, std::fabs(x[k0 + e]));
            sum += x[k0 + e];
        }
        const float inv = amax > 0 ? 127.0f / amax : 0.0f;
        const float d = amax / 127.0f;
        int32_t qsum = 0;
        int8_t* sb = out.q + (blk / 16) * 512;
        for (int64_t e = 0; e < len; ++e) {
            const int v = int(std::nearbyint(x[k0 + e] * inv));
            sb[q8_pos(blk % 16, e)] = int8_t(v);
            qsum += v;
        }
        out.d[blk] = d;
        out.c[blk] = symmetric ? -8.0f * d * float(qsum) : sum;
    }
}

void i4_rows(const Int4View& w, int64_t n0, int64_t n1, const Q8Row* a, int m, float* y,
             int64_t ldy) {
    const int per_group = w.group_size / 32;
    for (int64_t n = n0; n < n1; ++n) {
        const uint8_t* qr = w.q(n);
        const uint16_t *scale = w.scale(n), *min = w.min(n);
        for (int r = 0; r < m; ++r) {
            float acc = 0;
            for (int64_t blk = 0; blk < w.blocks; ++blk) {
                const int64_t sb = blk / 16, b = blk % 16;
                const int64_t S = (w.blocks - sb * 16) < 16 ? (w.blocks - sb * 16) : 16;
                const uint8_t* p = qr + sb * 256;  // super-block start (S * 16 bytes)
                const int8_t* act = a[r].q + sb * 512;
                int32_t isum = 0;
                for (int64_t j = 0; j < 4; ++j)
                    for (int64_t t = 0; t < 4; ++t) {
                        const uint8_t byte = p[j * S * 4 + 4 * b + t];
                        isum += int32_t(byte & 15) * act[j * 64 + 4 * b + t];
                        isum += int32_t(byte >> 4) * act[(j + 4) * 64 + 4 * b + t];
                    }
                const int64_t g = blk / per_group;
                const float s = f16_to_f32(scale[g]);
                if (min) {
                    acc += s * (float(isum) * a[r].d[blk]);
                    acc += f16_to_f32(min[g]) * a[r].c[blk];
                } else {
                    acc += s * (float(isum) * a[r].d[blk] + a[r].c[blk]);
                }
            }
            y[r * ldy + n] = acc;
        }
    }
}

// libm's expf: the reference the SIMD tables' polynomial exp is tested against.
void silu_mul(float* gate, const float* up, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
        const float g = gate[i];
        gate[i] = g / (1.0f + std::exp(-g)) * up[i];
    }
}

void attend(const float* q, int64_t g, const float* k, const float* v, int64_t count, int64_t d,
            float scale, float* scratch, float* out) {
    for (int64_t j = 0; j < g; ++j) {
        float* p = scratch + j * count;
        f32_rows(k, d, 0, count, q + j * d, 1, p, count);
        float max_score = -INFINITY;
        for (int64_t t = 0; t < count; ++t) max_score = std::max(max_score, p[t] *= scale);
        float sum = 0;
        for (int64_t t = 0; t < count; ++t) sum += p[t] = std::exp(p[t] - max_score);
        float* o = out + j * d;
        std::fill(o, o + d, 0.0f);
        for (int64_t t = 0; t < count; ++t) {
            const float w = p[t] / sum;
            for (int64_t i = 0; i < d; ++i) o[i] += w * v[t * d + i];
        }
    }
}

}  // namespace

const Table& table_scalar() {
    static const Table t = {
        .isa = Isa::scalar,
        .label = "scalar",
        .f32_rows = f32_rows,
        .f16_rows = f16_rows,
        .bf16_rows = bf16_rows,
        .f16_to_f32 = f16_to_f32v,
        .bf16_to_f32 = bf16_to_f32v,
        .i8_to_f32 = i8_to_f32v,
        .quantize_i8 = quantize_i8,
        .quantize_w8 = quantize_w8,
        .i8d_rows = i8d_rows,
        .i8d_packed_bytes = i8d_packed_bytes,
        .i8d_pack = i8d_pack,
        .i8d_gemm = i8d_gemm,
        .split_i8x3 = split_i8x3,
        .i8w_rows = i8w_rows,
        .quantize_q8 = quantize_q8,
        .i4_rows = i4_rows,
        .silu_mul = silu_mul,
        .attend = attend,
    };
    return t;
}

}  // namespace qs::kern
