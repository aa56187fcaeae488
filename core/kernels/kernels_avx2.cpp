// AVX2 + FMA + F16C kernels (8 lanes, no mask registers: tails go through small zero-padded
// copies). int8 dot products use vpmaddubsw with the sign trick (|w| x sign(a, w)) + vpmaddwd.
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "kernels/exp_poly.h"
#include "kernels/kernels.h"
#include "kernels/prefetch.h"

namespace qs::kern {
namespace {

inline float hsum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
inline int32_t hsum_i32(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4e));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xb1));
    return _mm_cvtsi128_si32(s);
}
inline float hmax(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}
inline __m256 abs_ps(__m256 v) {
    return _mm256_and_ps(v, _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff)));
}

// ---------------------------------------------------------------------------------------------
// Dense GEMV

struct LoadF32 {
    const float* w;
    __m256 at(int64_t i) const { return _mm256_loadu_ps(w + i); }
    float one(int64_t i) const { return w[i]; }
};
struct LoadF16 {
    const uint16_t* w;
    __m256 at(int64_t i) const {
        return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
    }
    float one(int64_t i) const { return _cvtsh_ss(w[i]); }
};
struct LoadBF16 {
    const uint16_t* w;
    __m256 at(int64_t i) const {
        const __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i));
        return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
    }
    float one(int64_t i) const {
        const uint32_t u = uint32_t(w[i]) << 16;
        float f;
        std::memcpy(&f, &u, 4);
        return f;
    }
};
struct LoadI8 {
    const int8_t* w;
    __m256 at(int64_t i) const {
        int64_t v;
        std::memcpy(&v, w + i, 8);
        return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_cvtsi64_si128(v)));
    }
    float one(int64_t i) const { return float(w[i]); }
};

template <int R, int M, class L>
inline void dense_step(const L& load, int64_t K, int64_t n, const float* x, float* y,
                       int64_t ldy, RowPrefetch& pf) {
    __m256 acc[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm256_setzero_ps();
    const int64_t base = n * K;
    const int64_t k8 = K / 8 * 8;
    for (int64_t k = 0; k < k8; k += 8) {
        pf.ahead(n, R, k * int64_t(sizeof(*load.w)));
        __m256 xv[M];
        QS_UNROLL for (int a = 0; a < M; ++a) xv[a] = _mm256_loadu_ps(x + a * K + k);
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m256 wv = load.at(base + r * K + k);
            QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm256_fmadd_ps(wv, xv[a], acc[r][a]);
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) {
            float s = hsum(acc[r][a]);
            for (int64_t k = k8; k < K; ++k) s += load.one(base + r * K + k) * x[a * K + k];
            y[a * ldy + n + r] = s;
        }
}

template <int R, int M, class L>
inline void dense_rows_m(const L& load, int64_t K, int64_t n0, int64_t n1, const float* x,
                         float* y, int64_t ldy) {
    RowPrefetch pf(load.w, K * int64_t(sizeof(*load.w)), n0, n1, R);
    int64_t n = n0;
    for (; n + R <= n1; n += R) dense_step<R, M>(load, K, n, x, y, ldy, pf);
    for (; n < n1; ++n) dense_step<1, M>(load, K, n, x, y, ldy, pf);
}

// One activation row: weight rows one after another as a single sequential stream, prefetched
// in software where dense_stream_prefetch says so (see dense_row_stream in avx512_impl.h).
template <bool kPrefetch, class L>
inline void dense_row_stream(const L& load, int64_t K, int64_t n0, int64_t n1, const float* x,
                             float* y) {
    const int64_t k8 = K / 8 * 8;
    for (int64_t n = n0; n < n1; ++n) {
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        const int64_t base = n * K;
        int64_t k = 0;
        for (; k + 32 <= k8; k += 32) {
            if (kPrefetch) stream_ahead(load.w + base + k, 32 * int64_t(sizeof(*load.w)));
            a0 = _mm256_fmadd_ps(load.at(base + k), _mm256_loadu_ps(x + k), a0);
            a1 = _mm256_fmadd_ps(load.at(base + k + 8), _mm256_loadu_ps(x + k + 8), a1);
            a2 = _mm256_fmadd_ps(load.at(base + k + 16), _mm256_loadu_ps(x + k + 16), a2);
            a3 = _mm256_fmadd_ps(load.at(base + k + 24), _mm256_loadu_ps(x + k + 24), a3);
        }
        for (; k < k8; k += 8) a0 = _mm256_fmadd_ps(load.at(base + k), _mm256_loadu_ps(x + k), a0);
        float s = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
        for (; k < K; ++k) s += load.one(base + k) * x[k];
        y[n] = s;
    }
}

template <class L>
inline void dense_rows(const L& load, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
                       float* y, int64_t ldy) {
    switch (m) {
        case 1:
            if (dense_stream_prefetch())
                dense_row_stream<true>(load, K, n0, n1, x, y);
            else
                dense_row_stream<false>(load, K, n0, n1, x, y);
            break;
        case 2: dense_rows_m<4, 2>(load, K, n0, n1, x, y, ldy); break;
        case 3: dense_rows_m<2, 3>(load, K, n0, n1, x, y, ldy); break;
        default: dense_rows_m<2, 4>(load, K, n0, n1, x, y, ldy); break;
    }
}

void f32_rows(const float* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
              float* y, int64_t ldy) {
    dense_rows(LoadF32{w}, K, n0, n1, x, m, y, ldy);
}
void f16_rows(const uint16_t* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
              float* y, int64_t ldy) {
    dense_rows(LoadF16{w}, K, n0, n1, x, m, y, ldy);
}
void bf16_rows(const uint16_t* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
               float* y, int64_t ldy) {
    dense_rows(LoadBF16{w}, K, n0, n1, x, m, y, ldy);
}

template <class L>
inline void convert(const L& l, float scale, float* dst, int64_t n) {
    const __m256 s = _mm256_set1_ps(scale);
    int64_t i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(dst + i, _mm256_mul_ps(l.at(i), s));
    for (; i < n; ++i) dst[i] = l.one(i) * scale;
}
void f16_to_f32v(const uint16_t* src, float* dst, int64_t n) { convert(LoadF16{src}, 1.0f, dst, n); }
void bf16_to_f32v(const uint16_t* src, float* dst, int64_t n) { convert(LoadBF16{src}, 1.0f, dst, n); }
void i8_to_f32v(const int8_t* src, float scale, float* dst, int64_t n) {
    convert(LoadI8{src}, scale, dst, n);
}

// ---------------------------------------------------------------------------------------------
// int8 dynamic

// 32 floats times inv, rounded (current rounding mode: nearest even), saturated to int8, in order.
inline __m256i round_pack32(const float* x, __m256 inv) {
    const __m256i a = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x), inv));
    const __m256i b = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 8), inv));
    const __m256i c = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 16), inv));
    const __m256i d = _mm256_cvtps_epi32(_mm256_mul_ps(_mm256_loadu_ps(x + 24), inv));
    const __m256i ab = _mm256_packs_epi32(a, b);  // a0-3 b0-3 | a4-7 b4-7
    const __m256i cd = _mm256_packs_epi32(c, d);
    const __m256i abcd = _mm256_packs_epi16(ab, cd);  // a0-3 b0-3 c0-3 d0-3 | a4-7 b4-7 c4-7 d4-7
    return _mm256_permutevar8x32_epi32(abcd, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

float quantize_i8(const float* x, int64_t K, int8_t* q) {
    __m256 mx = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= K; k += 8) mx = _mm256_max_ps(mx, abs_ps(_mm256_loadu_ps(x + k)));
    float amax = hmax(mx);
    for (; k < K; ++k) amax = __builtin_fmaxf(amax, __builtin_fabsf(x[k]));
    const float inv = amax > 0 ? 127.0f / amax : 0.0f;
    const __m256 vi = _mm256_set1_ps(inv);
    for (k = 0; k + 32 <= K; k += 32)
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(q + k), round_pack32(x + k, vi));
    for (; k < K; ++k) q[k] = int8_t(__builtin_nearbyintf(x[k] * inv));
    std::memset(q + K, 0, size_t(i8_row_stride(K) - K));
    return amax / 127.0f;
}

float quantize_w8(const float* w, int64_t K, int8_t* q) {
    __m256 mx = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= K; k += 8) mx = _mm256_max_ps(mx, abs_ps(_mm256_loadu_ps(w + k)));
    float amax = hmax(mx);
    for (; k < K; ++k) amax = __builtin_fmaxf(amax, __builtin_fabsf(w[k]));
    const float scale = amax / 127.0f;
    if (!(scale > 0)) {
        std::memset(q, 0, size_t(K));
        return scale;
    }
    const __m256 vs = _mm256_set1_ps(scale);
    for (k = 0; k + 8 <= K; k += 8) {
        const __m256i v = _mm256_cvtps_epi32(_mm256_div_ps(_mm256_loadu_ps(w + k), vs));
        const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
        const int64_t b8 = _mm_cvtsi128_si64(_mm_packs_epi16(p16, p16));
        std::memcpy(q + k, &b8, 8);
    }
    for (; k < K; ++k) q[k] = int8_t(__builtin_nearbyintf(w[k] / scale));
    return scale;
}

// acc += a . w over 4-byte groups, a and w int8 in [-127, 127] (|w| may be 128: still exact).
inline __m256i dot4(__m256i acc, __m256i a, __m256i w) {
    const __m256i p = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(a, w));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(p, _mm256_set1_epi16(1)));
}

template <int R, int M>
inline void i8d_step(const int8_t* w, const float* wscale, int64_t K, int64_t n,
                     const int8_t* q, const float* sx, float* y, int64_t ldy, RowPrefetch& pf) {
    const int64_t stride = i8_row_stride(K);
    __m256i acc[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm256_setzero_si256();
    const int64_t k32 = K / 32 * 32;
    for (int64_t k = 0; k < k32; k += 32) {
        pf.ahead(n, R, k);
        __m256i av[M];
        QS_UNROLL for (int a = 0; a < M; ++a)
            av[a] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(q + a * stride + k));
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m256i wv =
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + (n + r) * K + k));
            QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = dot4(acc[r][a], av[a], wv);
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) {
            int32_t s = hsum_i32(acc[r][a]);
            for (int64_t k = k32; k < K; ++k)
                s += int32_t(q[a * stride + k]) * int32_t(w[(n + r) * K + k]);
            y[a * ldy + n + r] = float(s) * (sx[a] * wscale[n + r]);
        }
}

// ---------------------------------------------------------------------------------------------
// int8 weight-only: FP32 activations as three int8 planes (kernels.h)

inline void store8(int8_t* dst, __m256i v) {
    const __m128i p16 = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    const int64_t b8 = _mm_cvtsi128_si64(_mm_packs_epi16(p16, p16));
    std::memcpy(dst, &b8, 8);
}

void split_i8x3(const float* x, int64_t K, int8_t* q, float* s) {
    __m256 mx = _mm256_setzero_ps();
    int64_t k = 0;
    for (; k + 8 <= K; k += 8) mx = _mm256_max_ps(mx, abs_ps(_mm256_loadu_ps(x + k)));
    float amax = hmax(mx);
    for (; k < K; ++k) amax = __builtin_fmaxf(amax, __builtin_fabsf(x[k]));
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
    const __m256 vi0 = _mm256_set1_ps(inv0), vi1 = _mm256_set1_ps(inv1), vi2 = _mm256_set1_ps(inv2);
    const __m256 vs0 = _mm256_set1_ps(s[0]), vs1 = _mm256_set1_ps(s[1]);
    for (k = 0; k + 8 <= K; k += 8) {
        const __m256 v = _mm256_loadu_ps(x + k);
        const __m256i q0 = _mm256_cvtps_epi32(_mm256_mul_ps(v, vi0));
        const __m256 e0 = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(q0), vs0, v);  // exact residual
        const __m256i q1 = _mm256_cvtps_epi32(_mm256_mul_ps(e0, vi1));
        const __m256 e1 = _mm256_fnmadd_ps(_mm256_cvtepi32_ps(q1), vs1, e0);
        store8(q + i8x3_index(0, k), q0);  // 8 columns never cross a 64-column chunk
        store8(q + i8x3_index(1, k), q1);
        store8(q + i8x3_index(2, k), _mm256_cvtps_epi32(_mm256_mul_ps(e1, vi2)));
    }
    for (; k < K; ++k) {
        const float q0 = __builtin_nearbyintf(x[k] * inv0);
        const float e0 = __builtin_fmaf(-q0, s[0], x[k]);
        const float q1 = __builtin_nearbyintf(e0 * inv1);
        const float e1 = __builtin_fmaf(-q1, s[1], e0);
        q[i8x3_index(0, k)] = int8_t(q0);
        q[i8x3_index(1, k)] = int8_t(q1);
        q[i8x3_index(2, k)] = int8_t(__builtin_nearbyintf(e1 * inv2));
    }
}

template <int R, int M>
inline void i8w_step(const int8_t* w, const float* wscale, int64_t K, int64_t n,
                     const int8_t* q, const float* s, float* y, int64_t ldy, RowPrefetch& pf) {
    const int64_t stride = i8_row_stride(K);
    __m256i acc[R][M][3];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a)
            QS_UNROLL for (int p = 0; p < 3; ++p) acc[r][a][p] = _mm256_setzero_si256();
    const int64_t k32 = K / 32 * 32;
    for (int64_t k = 0; k < k32; k += 32) {
        pf.ahead(n, R, k);
        __m256i av[M][3];
        QS_UNROLL for (int a = 0; a < M; ++a)
            QS_UNROLL for (int p = 0; p < 3; ++p)
                av[a][p] = _mm256_loadu_si256(  // 32 columns: within one 64-column chunk
                    reinterpret_cast<const __m256i*>(q + 3 * a * stride + i8x3_index(p, k)));
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m256i wv =
                _mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + (n + r) * K + k));
            QS_UNROLL for (int a = 0; a < M; ++a)
                QS_UNROLL for (int p = 0; p < 3; ++p) acc[r][a][p] = dot4(acc[r][a][p], av[a][p], wv);
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) {
            int64_t T[3];
            QS_UNROLL for (int p = 0; p < 3; ++p) {
                const int8_t* qa = q + 3 * a * stride;
                T[p] = hsum_i32(acc[r][a][p]);
                for (int64_t k = k32; k < K; ++k)
                    T[p] += int32_t(qa[i8x3_index(p, k)]) * int32_t(w[(n + r) * K + k]);
            }
            const float* sa = s + 3 * a;
            double t = double(sa[0]) * double(T[0]);
            t = __builtin_fma(double(sa[1]), double(T[1]), t);
            t = __builtin_fma(double(sa[2]), double(T[2]), t);
            y[a * ldy + n + r] = float(double(wscale[n + r]) * t);
        }
}

template <int R, int M>
inline void i8w_rows_m(const int8_t* w, const float* wscale, int64_t K, int64_t n0, int64_t n1,
                       const int8_t* q, const float* s, float* y, int64_t ldy) {
    RowPrefetch pf(w, K, n0, n1, R);
    int64_t n = n0;
    for (; n + R <= n1; n += R) i8w_step<R, M>(w, wscale, K, n, q, s, y, ldy, pf);
    for (; n < n1; ++n) i8w_step<1, M>(w, wscale, K, n, q, s, y, ldy, pf);
}

void i8w_rows(const int8_t* w, const float* wscale, const int32_t*, int64_t K, int64_t n0,
              int64_t n1, const int8_t* q, const float* s, int m, float* y, int64_t ldy) {
    switch (m) {
        case 1: i8w_rows_m<2, 1>(w, wscale, K, n0, n1, q, s, y, ldy); break;
        case 2: i8w_rows_m<1, 2>(w, wscale, K, n0, n1, q, s, y, ldy); break;
        default: i8w_rows_m<1, 1>(w, wscale, K, n0, n1, q, s, y, ldy);  // 16 registers
                 for (int a = 1; a < m; ++a)
                     i8w_rows_m<1, 1>(w, wscale, K, n0, n1, q + 3 * a * i8_row_stride(K), s + 3 * a,
                                      y + a * ldy, ldy);
                 break;
    }
}

template <int R, int M>
inline void i8d_rows_m(const int8_t* w, const float* wscale, int64_t K, int64_t n0, int64_t n1,
                       const int8_t* q, const float* sx, float* y, int64_t ldy) {
    RowPrefetch pf(w, K, n0, n1, R);
    int64_t n = n0;
    for (; n + R <= n1; n += R) i8d_step<R, M>(w, wscale, K, n, q, sx, y, ldy, pf);
    for (; n < n1; ++n) i8d_step<1, M>(w, wscale, K, n, q, sx, y, ldy, pf);
}

void i8d_rows(const int8_t* w, const float* wscale, const int32_t*, int64_t K, int64_t n0,
              int64_t n1, const int8_t* q, const float* sx, int m, float* y, int64_t ldy) {
    switch (m) {
        case 1: i8d_rows_m<4, 1>(w, wscale, K, n0, n1, q, sx, y, ldy); break;
        case 2: i8d_rows_m<4, 2>(w, wscale, K, n0, n1, q, sx, y, ldy); break;
        case 3: i8d_rows_m<2, 3>(w, wscale, K, n0, n1, q, sx, y, ldy); break;
        default: i8d_rows_m<2, 4>(w, wscale, K, n0, n1, q, sx, y, ldy); break;
    }
}

// GEMM: panels of 8 activation rows: [panel][k/4][8 rows][4 bytes], zero padded.
inline int64_t k4_count(int64_t K) { return (K + 3) / 4; }
size_t i8d_packed_bytes(int64_t m, int64_t K) {
    return size_t((m + 7) / 8) * size_t(k4_count(K)) * 32;
}
void i8d_pack(const int8_t* q, int64_t m, int64_t K, uint8_t* packed) {
    const int64_t stride = i8_row_stride(K), k4 = k4_count(K);
    for (int64_t p = 0; p < (m + 7) / 8; ++p)
        for (int64_t kk = 0; kk < k4; ++kk)
            for (int r = 0; r < 8; ++r) {
                const int64_t row = p * 8 + r;
                uint32_t v = 0;
                if (row < m) std::memcpy(&v, q + row * stride + kk * 4, 4);
                std::memcpy(packed + (p * k4 + kk) * 32 + r * 4, &v, 4);
            }
}

template <int NR, int P>
inline void i8d_micro(const int8_t* w, const float* wscale, int64_t K, int64_t n,
                      const uint8_t* panel0, int64_t panel_bytes, const float* sx, int64_t m0,
                      int64_t m, float* y, int64_t ldy) {
    __m256i acc[NR][P];
    QS_UNROLL for (int r = 0; r < NR; ++r)
        QS_UNROLL for (int p = 0; p < P; ++p) acc[r][p] = _mm256_setzero_si256();
    const int64_t k4 = k4_count(K);
    for (int64_t kk = 0; kk < k4; ++kk) {
        __m256i av[P];
        QS_UNROLL for (int p = 0; p < P; ++p)
            av[p] = _mm256_loadu_si256(
                reinterpret_cast<const __m256i*>(panel0 + p * panel_bytes + kk * 32));
        const int64_t avail = K - kk * 4;
        QS_UNROLL for (int r = 0; r < NR; ++r) {
            int32_t wv = 0;
            std::memcpy(&wv, w + (n + r) * K + kk * 4, size_t(avail >= 4 ? 4 : avail));
            const __m256i wb = _mm256_set1_epi32(wv);
            QS_UNROLL for (int p = 0; p < P; ++p) acc[r][p] = dot4(acc[r][p], av[p], wb);
        }
    }
    alignas(32) float tmp[8];
    QS_UNROLL for (int p = 0; p < P; ++p) {
        const int64_t mb = m0 + p * 8;
        const int64_t rows = m - mb < 8 ? m - mb : 8;
        QS_UNROLL for (int r = 0; r < NR; ++r) {
            _mm256_store_ps(tmp, _mm256_cvtepi32_ps(acc[r][p]));
            for (int64_t i = 0; i < rows; ++i)
                y[(mb + i) * ldy + n + r] = tmp[i] * (sx[mb + i] * wscale[n + r]);
        }
    }
}

void i8d_gemm(const int8_t* w, const float* wscale, const int32_t*, int64_t K, int64_t n0,
              int64_t n1, const uint8_t* packed, const float* sx, int64_t m, float* y,
              int64_t ldy) {
    const int64_t panel_bytes = k4_count(K) * 32;
    const int64_t panels = (m + 7) / 8;
    int64_t chunk = (256 * 1024) / (panel_bytes > 0 ? panel_bytes : 1);
    chunk = chunk < 2 ? 2 : chunk & ~int64_t(1);
    constexpr int NR = 4;
    for (int64_t pc0 = 0; pc0 < panels; pc0 += chunk) {
        const int64_t pc1 = pc0 + chunk < panels ? pc0 + chunk : panels;
        for (int64_t n = n0; n < n1;) {
            const bool full = n + NR <= n1;
            for (int64_t p = pc0; p < pc1;) {
                const uint8_t* pp = packed + p * panel_bytes;
                if (p + 2 <= pc1) {
                    if (full) i8d_micro<NR, 2>(w, wscale, K, n, pp, panel_bytes, sx, p * 8, m, y, ldy);
                    else i8d_micro<1, 2>(w, wscale, K, n, pp, panel_bytes, sx, p * 8, m, y, ldy);
                    p += 2;
                } else {
                    if (full) i8d_micro<NR, 1>(w, wscale, K, n, pp, panel_bytes, sx, p * 8, m, y, ldy);
                    else i8d_micro<1, 1>(w, wscale, K, n, pp, panel_bytes, sx, p * 8, m, y, ldy);
                    p += 1;
                }
            }
            n += full ? NR : 1;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// int4 x Q8

void quantize_q8(const float* x, int64_t K, int64_t blocks, bool symmetric, Q8Row out) {
    const int64_t sbs = q8_superblocks(blocks);
    std::memset(out.q, 0, size_t(sbs * 512));
    std::memset(out.d, 0, size_t(sbs * 16) * sizeof(float));
    std::memset(out.c, 0, size_t(sbs * 16) * sizeof(float));
    for (int64_t blk = 0; blk < blocks; ++blk) {
        const int64_t k0 = blk * 32;
        const int64_t len = k0 >= K ? 0 : (K - k0 < 32 ? K - k0 : 32);
        alignas(32) float v[32] = {};
        std::memcpy(v, x + k0, size_t(len) * sizeof(float));
        __m256 mx = _mm256_setzero_ps(), sum = _mm256_setzero_ps();
        for (int i = 0; i < 32; i += 8) {
            const __m256 t = _mm256_load_ps(v + i);
            mx = _mm256_max_ps(mx, abs_ps(t));
            sum = _mm256_add_ps(sum, t);
        }
        const float amax = hmax(mx);
        const float inv = amax > 0 ? 127.0f / amax : 0.0f;
        const float d = amax / 127.0f;
        alignas(32) int8_t bytes[32];
        _mm256_store_si256(reinterpret_cast<__m256i*>(bytes), round_pack32(v, _mm256_set1_ps(inv)));
        int8_t* sb = out.q + (blk / 16) * 512 + 4 * (blk % 16);
        int32_t qsum = 0;
        for (int i = 0; i < 8; ++i) std::memcpy(sb + i * 64, bytes + 4 * i, 4);
        for (int i = 0; i < 32; ++i) qsum += bytes[i];
        out.d[blk] = d;
        out.c[blk] = symmetric ? -8.0f * d * float(qsum) : hsum(sum);
    }
}

// Scales (or minimums) of sub-blocks 8h..8h+7 of super-block sb (S sub-blocks), one per lane.
template <int G>
inline __m256 group_vec(const uint16_t* p, int64_t sb, int64_t h, int64_t S) {
    constexpr int per = G / 32;                   // sub-blocks per group
    const int64_t first = (sb * 16 + h * 8) / per;  // first group of these lanes
    const int64_t lanes = S - h * 8 < 8 ? S - h * 8 : 8;
    const int64_t count = (lanes + per - 1) / per;
    alignas(16) uint16_t buf[8] = {};
    std::memcpy(buf, p + first, size_t(count) * 2);
    const __m256 v = _mm256_cvtph_ps(_mm_load_si128(reinterpret_cast<const __m128i*>(buf)));
    if constexpr (G == 32) return v;
    else if constexpr (G == 64)
        return _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3));
    else
        return _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(0, 0, 0, 0, 1, 1, 1, 1));
}

inline __m256i nib_dot(__m256i acc, __m256i nib, __m256i a) {
    // nibbles 0..15 (u8) x activations (s8): pair sums fit int16 exactly.
    return _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(nib, a),
                                                   _mm256_set1_epi16(1)));
}

template <int R, int M, int G, bool ASYM>
inline void i4_step(const Int4View& w, int64_t n, const Q8Row* a, float* y, int64_t ldy,
                    RowPrefetch& pq) {
    const int64_t nsb = q8_superblocks(w.blocks);
    const __m256i lo_mask = _mm256_set1_epi8(0x0f);
    __m256 facc[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int b = 0; b < M; ++b) facc[r][b] = _mm256_setzero_ps();
    for (int64_t sb = 0; sb < nsb; ++sb) {
        pq.ahead(n, R, sb * 256);
        const int64_t S = w.blocks - sb * 16 < 16 ? w.blocks - sb * 16 : 16;
        for (int64_t h = 0; h * 8 < S; ++h) {
            const int64_t lanes = S - h * 8 < 8 ? S - h * 8 : 8;
            __m256i acc[R][M];
            QS_UNROLL for (int r = 0; r < R; ++r)
                QS_UNROLL for (int b = 0; b < M; ++b) acc[r][b] = _mm256_setzero_si256();
            QS_UNROLL for (int j = 0; j < 4; ++j) {
                __m256i al[M], ah[M];
                QS_UNROLL for (int b = 0; b < M; ++b) {
                    al[b] = _mm256_load_si256(
                        reinterpret_cast<const __m256i*>(a[b].q + sb * 512 + j * 64 + h * 32));
                    ah[b] = _mm256_load_si256(reinterpret_cast<const __m256i*>(
                        a[b].q + sb * 512 + (j + 4) * 64 + h * 32));
                }
                QS_UNROLL for (int r = 0; r < R; ++r) {
                    const uint8_t* src = w.q(n + r) + sb * 256 + j * S * 4 + h * 32;
                    __m256i p;
                    if (lanes == 8) {
                        p = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src));
                    } else {
                        alignas(32) uint8_t buf[32] = {};
                        std::memcpy(buf, src, size_t(lanes * 4));
                        p = _mm256_load_si256(reinterpret_cast<const __m256i*>(buf));
                    }
                    const __m256i lo = _mm256_and_si256(p, lo_mask);
                    const __m256i hi = _mm256_and_si256(_mm256_srli_epi16(p, 4), lo_mask);
                    QS_UNROLL for (int b = 0; b < M; ++b) {
                        acc[r][b] = nib_dot(acc[r][b], lo, al[b]);
                        acc[r][b] = nib_dot(acc[r][b], hi, ah[b]);
                    }
                }
            }
            __m256 dv[M], cv[M];
            QS_UNROLL for (int b = 0; b < M; ++b) {
                dv[b] = _mm256_load_ps(a[b].d + sb * 16 + h * 8);
                cv[b] = _mm256_load_ps(a[b].c + sb * 16 + h * 8);
            }
            QS_UNROLL for (int r = 0; r < R; ++r) {
                const __m256 sv = group_vec<G>(w.scale(n + r), sb, h, S);
                [[maybe_unused]] __m256 mv;
                if constexpr (ASYM) mv = group_vec<G>(w.min(n + r), sb, h, S);
                QS_UNROLL for (int b = 0; b < M; ++b) {
                    const __m256 t = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][b]), dv[b]);
                    if constexpr (ASYM) {
                        facc[r][b] = _mm256_fmadd_ps(t, sv, facc[r][b]);
                        facc[r][b] = _mm256_fmadd_ps(mv, cv[b], facc[r][b]);
                    } else {
                        facc[r][b] = _mm256_fmadd_ps(_mm256_add_ps(t, cv[b]), sv, facc[r][b]);
                    }
                }
            }
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int b = 0; b < M; ++b) y[b * ldy + n + r] = hsum(facc[r][b]);
}

template <int R, int M, int G, bool ASYM>
inline void i4_rows_m(const Int4View& w, int64_t n0, int64_t n1, const Q8Row* a, float* y,
                      int64_t ldy) {
    RowPrefetch pq(w.rows, w.stride, n0, n1, R);  // nibbles, scales and minimums alike
    int64_t n = n0;
    for (; n + R <= n1; n += R) i4_step<R, M, G, ASYM>(w, n, a, y, ldy, pq);
    for (; n < n1; ++n) i4_step<1, M, G, ASYM>(w, n, a, y, ldy, pq);
}

template <int G, bool ASYM>
inline void i4_rows_g(const Int4View& w, int64_t n0, int64_t n1, const Q8Row* a, int m,
                      float* y, int64_t ldy) {
    switch (m) {
        case 1: i4_rows_m<4, 1, G, ASYM>(w, n0, n1, a, y, ldy); break;
        case 2: i4_rows_m<2, 2, G, ASYM>(w, n0, n1, a, y, ldy); break;
        case 3: i4_rows_m<1, 3, G, ASYM>(w, n0, n1, a, y, ldy); break;
        default: i4_rows_m<1, 4, G, ASYM>(w, n0, n1, a, y, ldy); break;
    }
}

void i4_rows(const Int4View& w, int64_t n0, int64_t n1, const Q8Row* a, int m, float* y,
             int64_t ldy) {
    const bool asym = w.asymmetric;
    switch (w.group_size) {
        case 32: asym ? i4_rows_g<32, true>(w, n0, n1, a, m, y, ldy)
                      : i4_rows_g<32, false>(w, n0, n1, a, m, y, ldy); break;
        case 64: asym ? i4_rows_g<64, true>(w, n0, n1, a, m, y, ldy)
                      : i4_rows_g<64, false>(w, n0, n1, a, m, y, ldy); break;
        default: asym ? i4_rows_g<128, true>(w, n0, n1, a, m, y, ldy)
                      : i4_rows_g<128, false>(w, n0, n1, a, m, y, ldy); break;
    }
}

// ---------------------------------------------------------------------------------------------
// SiLU gate (see kernels.h and exp_poly.h)

inline __m256 exp_ps(__m256 arg) {
    using namespace exp_poly;
    const __m256 x =
        _mm256_min_ps(_mm256_max_ps(arg, _mm256_set1_ps(kMinArg)), _mm256_set1_ps(kMaxArg));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(kLog2e)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Hi), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(kLn2Lo), r);
    __m256 p = _mm256_set1_ps(kP0);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP1));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP2));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP3));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP4));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(kP5));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // 2^n from its exponent bits: the clamp keeps n in [-126, 127].
    const __m256i bits = _mm256_slli_epi32(
        _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    const __m256 over = _mm256_cmp_ps(arg, _mm256_set1_ps(kMaxArg), _CMP_GT_OQ);
    return _mm256_blendv_ps(_mm256_mul_ps(p, _mm256_castsi256_ps(bits)),
                            _mm256_set1_ps(INFINITY), over);
}

inline __m256 silu_mul_ps(__m256 g, __m256 u) {
    const __m256 e = exp_ps(_mm256_sub_ps(_mm256_setzero_ps(), g));
    return _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(_mm256_set1_ps(1.0f), e)), u);
}

void silu_mul(float* gate, const float* up, int64_t n) {
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(gate + i, silu_mul_ps(_mm256_loadu_ps(gate + i), _mm256_loadu_ps(up + i)));
    if (i < n) {
        float g[8] = {}, u[8] = {};
        std::memcpy(g, gate + i, (n - i) * sizeof(float));
        std::memcpy(u, up + i, (n - i) * sizeof(float));
        _mm256_storeu_ps(g, silu_mul_ps(_mm256_loadu_ps(g), _mm256_loadu_ps(u)));
        std::memcpy(gate + i, g, (n - i) * sizeof(float));
    }
}

// ---------------------------------------------------------------------------------------------
// Decode attention (see kernels.h)

// Lanes [0, n) of a vector, for n < 8 at the tails.
inline __m256i lanes(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(n < 8 ? n : 8)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// p[t] = exp(scale * p[t] - max) / sum over the count scores. Tail lanes are loaded as zeros
// and never stored; they are kept out of the max and the sum.
inline void softmax_scaled(float* p, int64_t count, float scale) {
    const __m256 vs = _mm256_set1_ps(scale), lowest = _mm256_set1_ps(-INFINITY);
    __m256 mx = lowest;
    for (int64_t t = 0; t < count; t += 8) {
        const __m256i m = lanes(count - t);
        const __m256 x = _mm256_mul_ps(_mm256_maskload_ps(p + t, m), vs);
        _mm256_maskstore_ps(p + t, m, x);
        mx = _mm256_max_ps(mx, _mm256_blendv_ps(lowest, x, _mm256_castsi256_ps(m)));
    }
    const __m256 vmax = _mm256_set1_ps(hmax(mx));
    __m256 sum = _mm256_setzero_ps();
    for (int64_t t = 0; t < count; t += 8) {
        const __m256i m = lanes(count - t);
        const __m256 e = exp_ps(_mm256_sub_ps(_mm256_maskload_ps(p + t, m), vmax));
        _mm256_maskstore_ps(p + t, m, e);
        sum = _mm256_add_ps(sum, _mm256_and_ps(e, _mm256_castsi256_ps(m)));
    }
    const __m256 inv = _mm256_set1_ps(1.0f / hsum(sum));
    for (int64_t t = 0; t < count; t += 8) {
        const __m256i m = lanes(count - t);
        _mm256_maskstore_ps(p + t, m, _mm256_mul_ps(_mm256_maskload_ps(p + t, m), inv));
    }
}

// out_j[c, c + 8) = sum_t p_jt v_t[c, c + 8) for H heads (see avx512_impl.h).
template <int H>
inline void weighted_values(const float* p, int64_t count, const float* v, int64_t d,
                            float* out) {
    for (int64_t c = 0; c < d; c += 8) {
        const __m256i m = lanes(d - c);
        __m256 acc[H];
        QS_UNROLL for (int h = 0; h < H; ++h) acc[h] = _mm256_setzero_ps();
        for (int64_t t = 0; t < count; ++t) {
            const __m256 vv = _mm256_maskload_ps(v + t * d + c, m);
            QS_UNROLL for (int h = 0; h < H; ++h)
                acc[h] = _mm256_fmadd_ps(_mm256_set1_ps(p[h * count + t]), vv, acc[h]);
        }
        QS_UNROLL for (int h = 0; h < H; ++h) _mm256_maskstore_ps(out + h * d + c, m, acc[h]);
    }
}

void attend(const float* q, int64_t g, const float* k, const float* v, int64_t count, int64_t d,
            float scale, float* scratch, float* out) {
    for (int64_t j = 0; j < g; j += kMaxRows) {
        const int m = g - j < kMaxRows ? int(g - j) : kMaxRows;
        f32_rows(k, d, 0, count, q + j * d, m, scratch + j * count, count);
    }
    for (int64_t j = 0; j < g; ++j) softmax_scaled(scratch + j * count, count, scale);
    int64_t j = 0;
    for (; j + 4 <= g; j += 4) weighted_values<4>(scratch + j * count, count, v, d, out + j * d);
    for (; j + 2 <= g; j += 2) weighted_values<2>(scratch + j * count, count, v, d, out + j * d);
    if (j < g) weighted_values<1>(scratch + j * count, count, v, d, out + j * d);
}

}  // namespace

const Table& table_avx2() {
    static const Table t = {
        .isa = Isa::avx2,
        .label = "avx2",
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
