// AVX-512 kernels, included by kernels_avx512.cpp (QS_VNNI 0: AVX-512 F/BW/VL/DQ only) and
// kernels_avx512vnni.cpp (QS_VNNI 1: int8 dot products with vpdpbusd). Everything here has
// internal linkage so the two instances (compiled with different -m flags) never mix.
#include <immintrin.h>

#include <cmath>
#include <cstring>

#include "kernels/exp_poly.h"
#include "kernels/kernels.h"
#include "kernels/prefetch.h"

#ifndef QS_VNNI
#error "define QS_VNNI before including avx512_impl.h"
#endif

namespace qs::kern {
namespace {

inline __mmask16 tail16(int64_t n) { return n >= 16 ? __mmask16(0xffff) : __mmask16((1u << n) - 1); }
inline __mmask64 tail64(int64_t n) { return n >= 64 ? ~__mmask64(0) : (__mmask64(1) << n) - 1; }

// ---------------------------------------------------------------------------------------------
// Dense GEMV: R weight rows x M activation rows per step, FP32 accumulation.

struct LoadF32 {
    const float* w;
    __m512 full(int64_t i) const { return _mm512_loadu_ps(w + i); }
    __m512 part(int64_t i, __mmask16 m) const { return _mm512_maskz_loadu_ps(m, w + i); }
};
struct LoadF16 {
    const uint16_t* w;
    __m512 full(int64_t i) const {
        return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i)));
    }
    __m512 part(int64_t i, __mmask16 m) const {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(m, w + i));
    }
};
struct LoadBF16 {
    const uint16_t* w;
    static __m512 cvt(__m256i h) {
        return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
    }
    __m512 full(int64_t i) const {
        return cvt(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w + i)));
    }
    __m512 part(int64_t i, __mmask16 m) const { return cvt(_mm256_maskz_loadu_epi16(m, w + i)); }
};
struct LoadI8 {
    const int8_t* w;
    static __m512 cvt(__m128i b) { return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(b)); }
    __m512 full(int64_t i) const {
        return cvt(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
    }
    __m512 part(int64_t i, __mmask16 m) const { return cvt(_mm_maskz_loadu_epi8(m, w + i)); }
};

template <int R, int M, class L>
inline void dense_step(const L& load, int64_t K, int64_t n, const float* x, float* y,
                       int64_t ldy, RowPrefetch& pf) {
    __m512 acc[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm512_setzero_ps();
    const int64_t base = n * K;
    int64_t k = 0;
    for (; k + 16 <= K; k += 16) {
        pf.ahead(n, R, k * int64_t(sizeof(*load.w)));
        __m512 xv[M];
        QS_UNROLL for (int a = 0; a < M; ++a) xv[a] = _mm512_loadu_ps(x + a * K + k);
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m512 wv = load.full(base + r * K + k);
            QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm512_fmadd_ps(wv, xv[a], acc[r][a]);
        }
    }
    if (k < K) {
        const __mmask16 m = tail16(K - k);
        __m512 xv[M];
        QS_UNROLL for (int a = 0; a < M; ++a) xv[a] = _mm512_maskz_loadu_ps(m, x + a * K + k);
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m512 wv = load.part(base + r * K + k, m);
            QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm512_fmadd_ps(wv, xv[a], acc[r][a]);
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) y[a * ldy + n + r] = _mm512_reduce_add_ps(acc[r][a]);
}

template <int R, int M, class L>
inline void dense_rows_m(const L& load, int64_t K, int64_t n0, int64_t n1, const float* x,
                         float* y, int64_t ldy) {
    RowPrefetch pf(load.w, K * int64_t(sizeof(*load.w)), n0, n1, R);
    int64_t n = n0;
    for (; n + R <= n1; n += R) dense_step<R, M>(load, K, n, x, y, ldy, pf);
    for (; n < n1; ++n) dense_step<1, M>(load, K, n, x, y, ldy, pf);
}

// One activation row: weight rows one after another, front to back, with four accumulators, so
// the weights are a single sequential stream. Reading four rows side by side (dense_rows_m)
// makes four streams a row apart (3.5 KB for fp32 at K = 896): a Qwen2.5-0.5B-shaped FP32 model
// then decoded at 18.7-19.7 GB/s on one thread (AMD EPYC, AVX-512), this at 24.6-25.4; with two
// threads 38-44 against 45-53 GB/s; fp16 24-25 against 28-30 (one thread; membw, 2-3
// alternating rounds each). With kPrefetch the stream is also prefetched kPrefetchBytes ahead:
// where that helps is dense_stream_prefetch's call (kernels.h).
template <bool kPrefetch, class L>
inline void dense_row_stream(const L& load, int64_t K, int64_t n0, int64_t n1, const float* x,
                             float* y) {
    for (int64_t n = n0; n < n1; ++n) {
        __m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
        const int64_t base = n * K;
        int64_t k = 0;
        for (; k + 64 <= K; k += 64) {
            if (kPrefetch) stream_ahead(load.w + base + k, 64 * int64_t(sizeof(*load.w)));
            a0 = _mm512_fmadd_ps(load.full(base + k), _mm512_loadu_ps(x + k), a0);
            a1 = _mm512_fmadd_ps(load.full(base + k + 16), _mm512_loadu_ps(x + k + 16), a1);
            a2 = _mm512_fmadd_ps(load.full(base + k + 32), _mm512_loadu_ps(x + k + 32), a2);
            a3 = _mm512_fmadd_ps(load.full(base + k + 48), _mm512_loadu_ps(x + k + 48), a3);
        }
        for (; k < K; k += 16) {
            const __mmask16 m = tail16(K - k);
            a0 = _mm512_fmadd_ps(load.part(base + k, m), _mm512_maskz_loadu_ps(m, x + k), a0);
        }
        y[n] = _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
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

void f16_to_f32v(const uint16_t* src, float* dst, int64_t n) {
    const LoadF16 l{src};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, l.full(i));
    if (i < n) _mm512_mask_storeu_ps(dst + i, tail16(n - i), l.part(i, tail16(n - i)));
}
void bf16_to_f32v(const uint16_t* src, float* dst, int64_t n) {
    const LoadBF16 l{src};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, l.full(i));
    if (i < n) _mm512_mask_storeu_ps(dst + i, tail16(n - i), l.part(i, tail16(n - i)));
}
void i8_to_f32v(const int8_t* src, float scale, float* dst, int64_t n) {
    const LoadI8 l{src};
    const __m512 s = _mm512_set1_ps(scale);
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(dst + i, _mm512_mul_ps(l.full(i), s));
    if (i < n)
        _mm512_mask_storeu_ps(dst + i, tail16(n - i), _mm512_mul_ps(l.part(i, tail16(n - i)), s));
}

// ---------------------------------------------------------------------------------------------
// int8 dynamic (W8A8)

inline __m512 abs_ps(__m512 v) {
    return _mm512_castsi512_ps(
        _mm512_and_si512(_mm512_castps_si512(v), _mm512_set1_epi32(0x7fffffff)));
}

float quantize_i8(const float* x, int64_t K, int8_t* q) {
    __m512 mx = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= K; k += 16) mx = _mm512_max_ps(mx, abs_ps(_mm512_loadu_ps(x + k)));
    if (k < K) mx = _mm512_max_ps(mx, abs_ps(_mm512_maskz_loadu_ps(tail16(K - k), x + k)));
    const float amax = _mm512_reduce_max_ps(mx);
    const float inv = amax > 0 ? 127.0f / amax : 0.0f;
    const __m512 vi = _mm512_set1_ps(inv);
    const int64_t stride = i8_row_stride(K);
    for (k = 0; k < stride; k += 16) {
        const __mmask16 m = tail16(K - k < 0 ? 0 : K - k);
        const __m512 v = _mm512_maskz_loadu_ps(m, x + k);
        const __m128i b = _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(_mm512_mul_ps(v, vi)));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + k), b);
    }
    return amax / 127.0f;
}

float quantize_w8(const float* w, int64_t K, int8_t* q) {
    __m512 mx = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= K; k += 16) mx = _mm512_max_ps(mx, abs_ps(_mm512_loadu_ps(w + k)));
    if (k < K) mx = _mm512_max_ps(mx, abs_ps(_mm512_maskz_loadu_ps(tail16(K - k), w + k)));
    const float scale = _mm512_reduce_max_ps(mx) / 127.0f;
    if (!(scale > 0)) {
        std::memset(q, 0, size_t(K));
        return scale;
    }
    const __m512 vs = _mm512_set1_ps(scale);
    for (k = 0; k < K; k += 16) {
        const __mmask16 m = tail16(K - k);
        const __m512 v = _mm512_div_ps(_mm512_maskz_loadu_ps(m, w + k), vs);
        _mm_mask_storeu_epi8(q + k, m, _mm512_cvtsepi32_epi8(_mm512_cvtps_epi32(v)));
    }
    return scale;
}

// acc += sum over 4-byte groups of a (activations, int8 as stored) * w (int8 weights).
// VNNI: activations are passed already offset to u8 (q + 128), the caller subtracts
// 128 * sum(w). Without VNNI: |w| (u8) x sign(a, w) (s8) with vpmaddubsw (no saturation since
// |a|, |w| <= 127 gives pair sums <= 32258), then vpmaddwd with ones.
#if QS_VNNI
inline __m512i act_prep(__m512i a) { return _mm512_xor_si512(a, _mm512_set1_epi8(char(0x80))); }
inline __m512i dot4(__m512i acc, __m512i a, __m512i w) { return _mm512_dpbusd_epi32(acc, a, w); }
constexpr int kOffset = 128;
#else
inline __m512i act_prep(__m512i a) { return a; }
inline __m512i dot4(__m512i acc, __m512i a, __m512i w) {
    const __mmask64 neg = _mm512_movepi8_mask(w);
    const __m512i sa = _mm512_mask_sub_epi8(a, neg, _mm512_setzero_si512(), a);
    const __m512i p16 = _mm512_maddubs_epi16(_mm512_abs_epi8(w), sa);
    return _mm512_add_epi32(acc, _mm512_madd_epi16(p16, _mm512_set1_epi16(1)));
}
constexpr int kOffset = 0;
#endif

template <int R, int M>
inline void i8d_step(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                     int64_t n, const int8_t* q, const float* sx, float* y, int64_t ldy,
                     RowPrefetch& pf) {
    const int64_t stride = i8_row_stride(K);
    __m512i acc[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = _mm512_setzero_si512();
    for (int64_t k = 0; k < K; k += 64) {
        pf.ahead(n, R, k);
        const __mmask64 m = tail64(K - k);
        __m512i av[M];
        QS_UNROLL for (int a = 0; a < M; ++a) av[a] = act_prep(_mm512_loadu_si512(q + a * stride + k));
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m512i wv = _mm512_maskz_loadu_epi8(m, w + (n + r) * K + k);
            QS_UNROLL for (int a = 0; a < M; ++a) acc[r][a] = dot4(acc[r][a], av[a], wv);
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a) {
            const int32_t s = _mm512_reduce_add_epi32(acc[r][a]) - kOffset * wsum[n + r];
            y[a * ldy + n + r] = float(s) * (sx[a] * wscale[n + r]);
        }
}

template <int R, int M>
inline void i8d_rows_m(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                       int64_t n0, int64_t n1, const int8_t* q, const float* sx, float* y,
                       int64_t ldy) {
    RowPrefetch pf(w, K, n0, n1, R);
    int64_t n = n0;
    for (; n + R <= n1; n += R) i8d_step<R, M>(w, wscale, wsum, K, n, q, sx, y, ldy, pf);
    for (; n < n1; ++n) i8d_step<1, M>(w, wscale, wsum, K, n, q, sx, y, ldy, pf);
}

// One activation row: weight rows one after another, a single stream prefetched
// kPrefetchBytes ahead, as dense_row_stream reads FP32. Against four rows side by side
// (i8d_rows_m<4, 1>), decode of Qwen2.5-0.5B-shaped weights on an Intel Xeon (AVX-512 VNNI),
// the two kernels alternating token by token in one process (200 tokens, median token time):
// int8-dynamic 4.6-5.6% faster on one thread and 4.1-5.6% on two; int4, whose LM head is this
// kernel, 2.1-2.3% and 2.1-2.9%. Four accumulators (256 bytes a step) were 1-2% slower than
// two; int8 weight-only (three planes) and int4 lost 1-4% read this way, so they keep their
// side-by-side rows. The activations (K bytes) stay in L1 for every row.
inline void i8d_row_stream(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                           int64_t n0, int64_t n1, const int8_t* q, float sx, float* y) {
    for (int64_t n = n0; n < n1; ++n) {
        const int8_t* wr = w + n * K;
        __m512i a0 = _mm512_setzero_si512(), a1 = a0;
        int64_t k = 0;
        for (; k + 128 <= K; k += 128) {
            stream_ahead(wr + k, 128);
            a0 = dot4(a0, act_prep(_mm512_loadu_si512(q + k)), _mm512_loadu_si512(wr + k));
            a1 = dot4(a1, act_prep(_mm512_loadu_si512(q + k + 64)),
                      _mm512_loadu_si512(wr + k + 64));
        }
        for (; k < K; k += 64) {  // q is padded to a multiple of 64 bytes with zeros
            stream_ahead(wr + k, 64);
            a0 = dot4(a0, act_prep(_mm512_loadu_si512(q + k)),
                      _mm512_maskz_loadu_epi8(tail64(K - k), wr + k));
        }
        const int32_t s = _mm512_reduce_add_epi32(_mm512_add_epi32(a0, a1)) - kOffset * wsum[n];
        y[n] = float(s) * (sx * wscale[n]);
    }
}

void i8d_rows(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K, int64_t n0,
              int64_t n1, const int8_t* q, const float* sx, int m, float* y, int64_t ldy) {
    switch (m) {
        case 1: i8d_row_stream(w, wscale, wsum, K, n0, n1, q, sx[0], y); break;
        case 2: i8d_rows_m<4, 2>(w, wscale, wsum, K, n0, n1, q, sx, y, ldy); break;
        case 3: i8d_rows_m<2, 3>(w, wscale, wsum, K, n0, n1, q, sx, y, ldy); break;
        default: i8d_rows_m<2, 4>(w, wscale, wsum, K, n0, n1, q, sx, y, ldy); break;
    }
}

// ---------------------------------------------------------------------------------------------
// int8 weight-only: FP32 activations as three int8 planes (kernels.h)

void split_i8x3(const float* x, int64_t K, int8_t* q, float* s) {
    __m512 mx = _mm512_setzero_ps();
    int64_t k = 0;
    for (; k + 16 <= K; k += 16) mx = _mm512_max_ps(mx, abs_ps(_mm512_loadu_ps(x + k)));
    if (k < K) mx = _mm512_max_ps(mx, abs_ps(_mm512_maskz_loadu_ps(tail16(K - k), x + k)));
    const float amax = _mm512_reduce_max_ps(mx);
    const int64_t stride = i8_row_stride(K);
    if (!(amax > 0)) {
        std::memset(q, 0, size_t(3 * stride));
        s[0] = s[1] = s[2] = 0;
        return;
    }
    s[0] = amax / 127.0f;
    s[1] = s[0] / kPlaneBase;
    s[2] = s[1] / kPlaneBase;
    const __m512 inv0 = _mm512_set1_ps(127.0f / amax), inv1 = _mm512_set1_ps(1.0f / s[1]),
                 inv2 = _mm512_set1_ps(1.0f / s[2]);
    const __m512 s0 = _mm512_set1_ps(s[0]), s1 = _mm512_set1_ps(s[1]);
    for (k = 0; k < stride; k += 16) {
        const __m512 v = _mm512_maskz_loadu_ps(tail16(K - k < 0 ? 0 : K - k), x + k);
        const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(v, inv0));
        const __m512 e0 = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(q0), s0, v);  // exact residual
        const __m512i q1 = _mm512_cvtps_epi32(_mm512_mul_ps(e0, inv1));
        const __m512 e1 = _mm512_fnmadd_ps(_mm512_cvtepi32_ps(q1), s1, e0);
        const __m512i q2 = _mm512_cvtps_epi32(_mm512_mul_ps(e1, inv2));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i8x3_index(0, k)), _mm512_cvtsepi32_epi8(q0));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i8x3_index(1, k)), _mm512_cvtsepi32_epi8(q1));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(q + i8x3_index(2, k)), _mm512_cvtsepi32_epi8(q2));
    }
}

// The three planes are spelled out (not an array dimension): GCC keeps acc[R][M] arrays in
// registers only while its loops unroll completely, and with a third dimension it spilled them
// to the stack, halving the speed.
template <int R, int M>
inline void i8w_step(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                     int64_t n, const int8_t* q, const float* s, float* y, int64_t ldy,
                     RowPrefetch& pf) {
    const int64_t stride = i8_row_stride(K);
    __m512i acc0[R][M], acc1[R][M], acc2[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int a = 0; a < M; ++a)
            acc0[r][a] = acc1[r][a] = acc2[r][a] = _mm512_setzero_si512();
    for (int64_t k = 0; k < K; k += 64) {
        pf.ahead(n, R, k);
        const __mmask64 m = tail64(K - k);  // masked weights are zero: padding adds nothing
        __m512i a0[M], a1[M], a2[M];
        QS_UNROLL for (int a = 0; a < M; ++a) {
            const int8_t* qa = q + 3 * a * stride;
            a0[a] = act_prep(_mm512_loadu_si512(qa + i8x3_index(0, k)));
            a1[a] = act_prep(_mm512_loadu_si512(qa + i8x3_index(1, k)));
            a2[a] = act_prep(_mm512_loadu_si512(qa + i8x3_index(2, k)));
        }
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m512i wv = _mm512_maskz_loadu_epi8(m, w + (n + r) * K + k);
            QS_UNROLL for (int a = 0; a < M; ++a) {
                acc0[r][a] = dot4(acc0[r][a], a0[a], wv);
                acc1[r][a] = dot4(acc1[r][a], a1[a], wv);
                acc2[r][a] = dot4(acc2[r][a], a2[a], wv);
            }
        }
    }
    // The planes are combined lane by lane in float and reduced once (kernels.h). Against three
    // integer reductions and a double combination per output, int8 weight-only decode of
    // Qwen2.5-0.5B-shaped weights on an Intel Xeon (AVX-512 VNNI), the two alternating token by
    // token in one process (membw, 200 tokens, median token time), was 1.8-3.9% faster on two
    // threads and 3.6-3.8% on one. The lanes' u8 offsets (kOffset times their weights) come out
    // of the reduced sum, in double.
    QS_UNROLL for (int a = 0; a < M; ++a) {
        const float* sa = s + 3 * a;
        const __m512 s0 = _mm512_set1_ps(sa[0]), s1 = _mm512_set1_ps(sa[1]),
                     s2 = _mm512_set1_ps(sa[2]);
        const double offset_scale =
            double(kOffset) * (double(sa[0]) + double(sa[1]) + double(sa[2]));
        QS_UNROLL for (int r = 0; r < R; ++r) {
            __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(acc2[r][a]), s2);
            t = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc1[r][a]), s1, t);
            t = _mm512_fmadd_ps(_mm512_cvtepi32_ps(acc0[r][a]), s0, t);
            const double sum = double(_mm512_reduce_add_ps(t)) - offset_scale * double(wsum[n + r]);
            y[a * ldy + n + r] = float(double(wscale[n + r]) * sum);
        }
    }
}

template <int R, int M>
inline void i8w_rows_m(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                       int64_t n0, int64_t n1, const int8_t* q, const float* s, float* y,
                       int64_t ldy, bool into_l2 = false) {
    RowPrefetch pf(w, K, n0, n1, R, into_l2);
    int64_t n = n0;
    for (; n + R <= n1; n += R) i8w_step<R, M>(w, wscale, wsum, K, n, q, s, y, ldy, pf);
    for (; n < n1; ++n) i8w_step<1, M>(w, wscale, wsum, K, n, q, s, y, ldy, pf);
}

// Weight rows per step chosen so accumulators and activation vectors fit the 32 registers.
// One activation row: eight rows side by side, prefetched into L2. Against four rows
// prefetched into L1, decode of Qwen2.5-0.5B-shaped weights on an Intel Xeon (AVX-512 VNNI),
// the two alternating token by token in one process (membw, 200 tokens, median token time):
// 3.0-4.5% faster on two threads, 2.8-4.2% on one; of that, L2 alone gave 2.0-2.9% on two
// threads. One row at a time (as i8d_row_stream) was 3-5% slower, and neither a tree reduction
// of four rows' 12 sums nor leaving out the activations' u8 offset (act_prep) was faster: the
// kernel waits on memory, not on its instructions.
void i8w_rows(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K, int64_t n0,
              int64_t n1, const int8_t* q, const float* s, int m, float* y, int64_t ldy) {
    switch (m) {
        case 1: i8w_rows_m<8, 1>(w, wscale, wsum, K, n0, n1, q, s, y, ldy, true); break;
        case 2: i8w_rows_m<2, 2>(w, wscale, wsum, K, n0, n1, q, s, y, ldy); break;
        case 3: i8w_rows_m<2, 3>(w, wscale, wsum, K, n0, n1, q, s, y, ldy); break;
        default: i8w_rows_m<1, 4>(w, wscale, wsum, K, n0, n1, q, s, y, ldy); break;
    }
}

// GEMM: activations packed in panels of 16 rows: [panel][k/4][16 rows][4 bytes], K rounded up
// to 4 with zero bytes (which contribute nothing), rows past m zero. VNNI panels hold q + 128.
inline int64_t k4_count(int64_t K) { return (K + 3) / 4; }
size_t i8d_packed_bytes(int64_t m, int64_t K) {
    return size_t((m + 15) / 16) * size_t(k4_count(K)) * 64;
}

void i8d_pack(const int8_t* q, int64_t m, int64_t K, uint8_t* packed) {
    const int64_t stride = i8_row_stride(K), k4 = k4_count(K);
    const int64_t panels = (m + 15) / 16;
    for (int64_t p = 0; p < panels; ++p) {
        uint8_t* dst = packed + p * k4 * 64;
        for (int64_t kk = 0; kk < k4; ++kk) {
            for (int r = 0; r < 16; ++r) {
                const int64_t row = p * 16 + r;
                uint32_t v = 0;
                if (row < m) {
                    std::memcpy(&v, q + row * stride + kk * 4, 4);  // padding bytes are zero
                    if (kOffset) {
                        // +128 on real elements only: padded k stays 0 so it adds nothing.
                        const int64_t real = K - kk * 4 >= 4 ? 4 : K - kk * 4;
                        const uint32_t flip = real == 4 ? 0x80808080u
                                                        : (0x80808080u >> (8 * (4 - real)));
                        v ^= flip;
                    }
                }
                std::memcpy(dst + kk * 64 + r * 4, &v, 4);
            }
        }
    }
}

inline int32_t load_w4(const int8_t* p, int64_t avail) {
    int32_t v = 0;
    std::memcpy(&v, p, size_t(avail >= 4 ? 4 : avail));
    return v;
}

#if QS_VNNI
inline __m512i dot4_bcast(__m512i acc, __m512i a, int32_t w) {
    return _mm512_dpbusd_epi32(acc, a, _mm512_set1_epi32(w));
}
#else
inline __m512i dot4_bcast(__m512i acc, __m512i a, int32_t w) {
    return dot4(acc, a, _mm512_set1_epi32(w));
}
#endif

// NR weight rows x P panels (16 activation rows each), full K.
template <int NR, int P>
inline void i8d_micro(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                      int64_t n, const uint8_t* panel0, int64_t panel_bytes, const float* sx,
                      int64_t m0, int64_t m, float* y, int64_t ldy) {
    __m512i acc[NR][P];
    QS_UNROLL for (int r = 0; r < NR; ++r)
        QS_UNROLL for (int p = 0; p < P; ++p) acc[r][p] = _mm512_setzero_si512();
    const int64_t kfull = K / 4;
    const int8_t* wr[NR];
    QS_UNROLL for (int r = 0; r < NR; ++r) wr[r] = w + (n + r) * K;
    for (int64_t kk = 0; kk < kfull; ++kk) {
        __m512i av[P];
        QS_UNROLL for (int p = 0; p < P; ++p)
            av[p] = _mm512_loadu_si512(panel0 + p * panel_bytes + kk * 64);
        QS_UNROLL for (int r = 0; r < NR; ++r) {
            int32_t wv;
            std::memcpy(&wv, wr[r] + kk * 4, 4);
            QS_UNROLL for (int p = 0; p < P; ++p) acc[r][p] = dot4_bcast(acc[r][p], av[p], wv);
        }
    }
    if (kfull * 4 < K) {
        __m512i av[P];
        QS_UNROLL for (int p = 0; p < P; ++p)
            av[p] = _mm512_loadu_si512(panel0 + p * panel_bytes + kfull * 64);
        QS_UNROLL for (int r = 0; r < NR; ++r) {
            const int32_t wv = load_w4(wr[r] + kfull * 4, K - kfull * 4);
            QS_UNROLL for (int p = 0; p < P; ++p) acc[r][p] = dot4_bcast(acc[r][p], av[p], wv);
        }
    }
    alignas(64) float tmp[16];
    QS_UNROLL for (int p = 0; p < P; ++p) {
        const int64_t mb = m0 + p * 16;
        const int64_t rows = m - mb < 16 ? m - mb : 16;
        const __m512 sxv = _mm512_maskz_loadu_ps(tail16(rows), sx + mb);
        QS_UNROLL for (int r = 0; r < NR; ++r) {
            const __m512i s = _mm512_sub_epi32(acc[r][p], _mm512_set1_epi32(kOffset * wsum[n + r]));
            const __m512 v = _mm512_mul_ps(_mm512_cvtepi32_ps(s),
                                           _mm512_mul_ps(sxv, _mm512_set1_ps(wscale[n + r])));
            _mm512_store_ps(tmp, v);
            for (int64_t i = 0; i < rows; ++i) y[(mb + i) * ldy + n + r] = tmp[i];
        }
    }
}

template <int NR>
inline void i8d_tile(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                     int64_t n, const uint8_t* packed, int64_t panel_bytes, const float* sx,
                     int64_t pc0, int64_t pc1, int64_t m, float* y, int64_t ldy) {
    int64_t p = pc0;
    for (; p + 2 <= pc1; p += 2)
        i8d_micro<NR, 2>(w, wscale, wsum, K, n, packed + p * panel_bytes, panel_bytes, sx,
                         p * 16, m, y, ldy);
    if (p < pc1)
        i8d_micro<NR, 1>(w, wscale, wsum, K, n, packed + p * panel_bytes, panel_bytes, sx,
                         p * 16, m, y, ldy);
}

void i8d_gemm(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K, int64_t n0,
              int64_t n1, const uint8_t* packed, const float* sx, int64_t m, float* y,
              int64_t ldy) {
    const int64_t panel_bytes = k4_count(K) * 64;
    const int64_t panels = (m + 15) / 16;
    // Keep the activation panels of one pass in L2 (about 512 KB).
    int64_t chunk = (512 * 1024) / (panel_bytes > 0 ? panel_bytes : 1);
    chunk = chunk < 2 ? 2 : chunk & ~int64_t(1);
    constexpr int NR = 8;
    for (int64_t pc0 = 0; pc0 < panels; pc0 += chunk) {
        const int64_t pc1 = pc0 + chunk < panels ? pc0 + chunk : panels;
        int64_t n = n0;
        for (; n + NR <= n1; n += NR)
            i8d_tile<NR>(w, wscale, wsum, K, n, packed, panel_bytes, sx, pc0, pc1, m, y, ldy);
        for (; n < n1; ++n)
            i8d_tile<1>(w, wscale, wsum, K, n, packed, panel_bytes, sx, pc0, pc1, m, y, ldy);
    }
}

// ---------------------------------------------------------------------------------------------
// int4 x Q8 (per block of 32)

void quantize_q8(const float* x, int64_t K, int64_t blocks, bool symmetric, Q8Row out) {
    const int64_t sbs = q8_superblocks(blocks);
    std::memset(out.q, 0, size_t(sbs * 512));
    std::memset(out.d, 0, size_t(sbs * 16) * sizeof(float));
    std::memset(out.c, 0, size_t(sbs * 16) * sizeof(float));
    for (int64_t blk = 0; blk < blocks; ++blk) {
        const int64_t k0 = blk * 32;
        const int64_t len = k0 >= K ? 0 : (K - k0 < 32 ? K - k0 : 32);
        const __m512 v0 = _mm512_maskz_loadu_ps(tail16(len), x + k0);
        const __m512 v1 = _mm512_maskz_loadu_ps(tail16(len > 16 ? len - 16 : 0), x + k0 + 16);
        const float amax = _mm512_reduce_max_ps(_mm512_max_ps(abs_ps(v0), abs_ps(v1)));
        const float inv = amax > 0 ? 127.0f / amax : 0.0f;
        const float d = amax / 127.0f;
        const __m512 vi = _mm512_set1_ps(inv);
        const __m512i q0 = _mm512_cvtps_epi32(_mm512_mul_ps(v0, vi));
        const __m512i q1 = _mm512_cvtps_epi32(_mm512_mul_ps(v1, vi));
        alignas(16) int8_t bytes[32];
        _mm_store_si128(reinterpret_cast<__m128i*>(bytes), _mm512_cvtsepi32_epi8(q0));
        _mm_store_si128(reinterpret_cast<__m128i*>(bytes + 16), _mm512_cvtsepi32_epi8(q1));
        int8_t* sb = out.q + (blk / 16) * 512 + 4 * (blk % 16);
        for (int i = 0; i < 8; ++i) std::memcpy(sb + i * 64, bytes + 4 * i, 4);
        out.d[blk] = d;
        out.c[blk] = symmetric
                         ? -8.0f * d * float(_mm512_reduce_add_epi32(_mm512_add_epi32(q0, q1)))
                         : _mm512_reduce_add_ps(_mm512_add_ps(v0, v1));
    }
}

// Scales (or minimums) of the 16 sub-blocks of super-block sb, one per lane.
template <int G>
inline __m512 group_vec(const uint16_t* p, int64_t sb, int64_t S) {
    if constexpr (G == 32) {
        return _mm512_cvtph_ps(_mm256_maskz_loadu_epi16(tail16(S), p + sb * 16));
    } else if constexpr (G == 64) {
        const __m256 v = _mm256_cvtph_ps(_mm_maskz_loadu_epi16(__mmask8(tail16(S / 2)), p + sb * 8));
        const __m512i idx = _mm512_set_epi32(7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1, 0, 0);
        return _mm512_permutexvar_ps(idx, _mm512_castps256_ps512(v));
    } else {
        const __m128 v = _mm_cvtph_ps(_mm_maskz_loadu_epi16(__mmask8(tail16(S / 4)), p + sb * 4));
        const __m512i idx = _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
        return _mm512_permutexvar_ps(idx, _mm512_castps128_ps512(v));
    }
}

#if QS_VNNI
inline __m512i nib_dot(__m512i acc, __m512i nib, __m512i a) { return _mm512_dpbusd_epi32(acc, nib, a); }
#else
inline __m512i nib_dot(__m512i acc, __m512i nib, __m512i a) {
    // nibbles (u8 0..15) x activations (s8): pair sums <= 2 * 15 * 127 fit int16 exactly.
    return _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_maddubs_epi16(nib, a),
                                                   _mm512_set1_epi16(1)));
}
#endif

template <int R, int M, int G, bool ASYM>
inline void i4_step(const Int4View& w, int64_t n, const Q8Row* a, float* y, int64_t ldy,
                    RowPrefetch& pq) {
    const int64_t nsb = q8_superblocks(w.blocks);
    const __m512i lo_mask = _mm512_set1_epi8(0x0f);
    __m512 facc[R][M];
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int b = 0; b < M; ++b) facc[r][b] = _mm512_setzero_ps();
    const uint8_t* qr[R];
    const uint16_t *sr[R], *mr[R];  // per-row pointers, not recomputed per super-block
    QS_UNROLL for (int r = 0; r < R; ++r) {
        qr[r] = w.q(n + r);
        sr[r] = w.scale(n + r);
        mr[r] = w.min(n + r);
    }
    for (int64_t sb = 0; sb < nsb; ++sb) {
        pq.ahead(n, R, sb * 256);
        const int64_t S = w.blocks - sb * 16 < 16 ? w.blocks - sb * 16 : 16;
        const __mmask64 bm = tail64(S * 4);
        __m512i lo_acc[R][M], hi_acc[R][M];
        QS_UNROLL for (int r = 0; r < R; ++r)
            QS_UNROLL for (int b = 0; b < M; ++b) lo_acc[r][b] = hi_acc[r][b] = _mm512_setzero_si512();
        QS_UNROLL for (int j = 0; j < 4; ++j) {
            __m512i al[M], ah[M];
            QS_UNROLL for (int b = 0; b < M; ++b) {
                al[b] = _mm512_load_si512(a[b].q + sb * 512 + j * 64);
                ah[b] = _mm512_load_si512(a[b].q + sb * 512 + (j + 4) * 64);
            }
            QS_UNROLL for (int r = 0; r < R; ++r) {
                const __m512i p = _mm512_maskz_loadu_epi8(bm, qr[r] + sb * 256 + j * S * 4);
                const __m512i lo = _mm512_and_si512(p, lo_mask);
#if QS_VNNI
                const __m512i hi = _mm512_andnot_si512(lo_mask, p);  // 16 x high nibble
#else
                const __m512i hi = _mm512_and_si512(_mm512_srli_epi16(p, 4), lo_mask);
#endif
                QS_UNROLL for (int b = 0; b < M; ++b) {
                    lo_acc[r][b] = nib_dot(lo_acc[r][b], lo, al[b]);
                    hi_acc[r][b] = nib_dot(hi_acc[r][b], hi, ah[b]);
                }
            }
        }
        __m512 dv[M], cv[M];
        QS_UNROLL for (int b = 0; b < M; ++b) {
            dv[b] = _mm512_load_ps(a[b].d + sb * 16);
            cv[b] = _mm512_load_ps(a[b].c + sb * 16);
        }
        QS_UNROLL for (int r = 0; r < R; ++r) {
            const __m512 sv = group_vec<G>(sr[r], sb, S);
            [[maybe_unused]] __m512 mv;
            if constexpr (ASYM) mv = group_vec<G>(mr[r], sb, S);
            QS_UNROLL for (int b = 0; b < M; ++b) {
#if QS_VNNI
                const __m512i isum = _mm512_add_epi32(lo_acc[r][b], _mm512_srai_epi32(hi_acc[r][b], 4));
#else
                const __m512i isum = _mm512_add_epi32(lo_acc[r][b], hi_acc[r][b]);
#endif
                const __m512 t = _mm512_mul_ps(_mm512_cvtepi32_ps(isum), dv[b]);
                if constexpr (ASYM) {
                    facc[r][b] = _mm512_fmadd_ps(t, sv, facc[r][b]);
                    facc[r][b] = _mm512_fmadd_ps(mv, cv[b], facc[r][b]);
                } else {
                    facc[r][b] = _mm512_fmadd_ps(_mm512_add_ps(t, cv[b]), sv, facc[r][b]);
                }
            }
        }
    }
    QS_UNROLL for (int r = 0; r < R; ++r)
        QS_UNROLL for (int b = 0; b < M; ++b) y[b * ldy + n + r] = _mm512_reduce_add_ps(facc[r][b]);
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

inline __m512 exp_ps(__m512 arg) {
    using namespace exp_poly;
    const __m512 x =
        _mm512_min_ps(_mm512_max_ps(arg, _mm512_set1_ps(kMinArg)), _mm512_set1_ps(kMaxArg));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(kLog2e)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Hi), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(kLn2Lo), r);
    __m512 p = _mm512_set1_ps(kP0);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kP1));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kP2));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kP3));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kP4));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(kP5));
    p = _mm512_fmadd_ps(p, _mm512_mul_ps(r, r), _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    const __mmask16 over = _mm512_cmp_ps_mask(arg, _mm512_set1_ps(kMaxArg), _CMP_GT_OQ);
    return _mm512_mask_blend_ps(over, _mm512_scalef_ps(p, n), _mm512_set1_ps(INFINITY));
}

inline __m512 silu_mul_ps(__m512 g, __m512 u) {
    const __m512 e = exp_ps(_mm512_sub_ps(_mm512_setzero_ps(), g));
    return _mm512_mul_ps(_mm512_div_ps(g, _mm512_add_ps(_mm512_set1_ps(1.0f), e)), u);
}

void silu_mul(float* gate, const float* up, int64_t n) {
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        _mm512_storeu_ps(gate + i, silu_mul_ps(_mm512_loadu_ps(gate + i), _mm512_loadu_ps(up + i)));
    if (i < n) {
        const __mmask16 m = tail16(n - i);
        _mm512_mask_storeu_ps(gate + i, m, silu_mul_ps(_mm512_maskz_loadu_ps(m, gate + i),
                                                       _mm512_maskz_loadu_ps(m, up + i)));
    }
}

// ---------------------------------------------------------------------------------------------
// Decode attention (see kernels.h)

// p[t] = exp(scale * p[t] - max) / sum over the count scores.
inline void softmax_scaled(float* p, int64_t count, float scale) {
    const __m512 vs = _mm512_set1_ps(scale);
    __m512 mx = _mm512_set1_ps(-INFINITY);
    for (int64_t t = 0; t < count; t += 16) {
        const __mmask16 m = tail16(count - t);
        const __m512 x = _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p + t), vs);
        _mm512_mask_storeu_ps(p + t, m, x);
        mx = _mm512_mask_max_ps(mx, m, mx, x);
    }
    const __m512 vmax = _mm512_set1_ps(_mm512_reduce_max_ps(mx));
    __m512 sum = _mm512_setzero_ps();
    for (int64_t t = 0; t < count; t += 16) {
        const __mmask16 m = tail16(count - t);
        const __m512 e = exp_ps(_mm512_sub_ps(_mm512_maskz_loadu_ps(m, p + t), vmax));
        _mm512_mask_storeu_ps(p + t, m, e);
        sum = _mm512_mask_add_ps(sum, m, sum, e);
    }
    const __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(sum));
    for (int64_t t = 0; t < count; t += 16) {
        const __mmask16 m = tail16(count - t);
        _mm512_mask_storeu_ps(p + t, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, p + t), inv));
    }
}

// out_j[c, c + 16) = sum_t p_jt v_t[c, c + 16) for H heads: each value vector loaded serves all
// of them, and the H accumulators are independent chains.
template <int H>
inline void weighted_values(const float* p, int64_t count, const float* v, int64_t d,
                            float* out) {
    for (int64_t c = 0; c < d; c += 16) {
        const __mmask16 m = tail16(d - c);
        __m512 acc[H];
        QS_UNROLL for (int h = 0; h < H; ++h) acc[h] = _mm512_setzero_ps();
        for (int64_t t = 0; t < count; ++t) {
            const __m512 vv = _mm512_maskz_loadu_ps(m, v + t * d + c);
            QS_UNROLL for (int h = 0; h < H; ++h)
                acc[h] = _mm512_fmadd_ps(_mm512_set1_ps(p[h * count + t]), vv, acc[h]);
        }
        QS_UNROLL for (int h = 0; h < H; ++h) _mm512_mask_storeu_ps(out + h * d + c, m, acc[h]);
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
}  // namespace qs::kern

namespace qs::kern {
#if QS_VNNI
const Table& table_avx512vnni() {
    static const Table t = {
        .isa = Isa::avx512vnni,
        .label = "avx512-vnni",
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
#else
const Table& table_avx512() {
    static const Table t = {
        .isa = Isa::avx512,
        .label = "avx512",
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
#endif
    return t;
}
}  // namespace qs::kern
