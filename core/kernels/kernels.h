#pragma once
// Internal interface between the weight formats (quant/) and the per-instruction-set kernels.
// Each kernels_<isa>.cpp fills one Table; table(isa) hands it out. Raw pointers only: no torch,
// no Qt, no STL containers (the ISA files are compiled with -mavx512f etc., and an inline STL
// function instantiated there could be picked by the linker for portable code).
//
// Conventions: W is [N][K] row-major (row stride K elements unless stated); x is m rows of K
// floats, contiguous; y[a * ldy + n] receives row a of the result. "rows" kernels compute output
// rows n in [n0, n1) for 1 <= m <= kMaxRows activation rows at once, so the weights stream once.
#include <cstddef>
#include <cstdint>

#include "kernels/cpu_features.h"

// Full unrolling of the small row/plane loops inside the SIMD kernels. GCC keeps an array of
// accumulators (acc[R][M]) in registers only if these loops unroll completely, and its own
// heuristics stop short once R * M passes ~4: the accumulators then live on the stack and every
// step stores and reloads them (measured: half the speed of the register version).
#define QS_UNROLL _Pragma("GCC unroll 16")

namespace qs::kern {

constexpr int kMaxRows = 4;  // activation rows a "rows" kernel takes at once

// Activation rows quantized to int8, symmetric per row: q = round_half_even(x * 127 / max|x|),
// scale = max|x| / 127 (0 for an all-zero row). Row stride kI8Align-padded, padding zero.
constexpr int64_t kI8Align = 64;
inline int64_t i8_row_stride(int64_t K) { return (K + kI8Align - 1) / kI8Align * kI8Align; }

// Ratio between the scales of consecutive activation planes of the int8 weight-only kernels:
// below 2 * 127 so that a plane's residual (at most half a step, plus the rounding of x / s)
// always fits the next plane without saturating.
constexpr float kPlaneBase = 250.0f;

// Where element k of activation plane p (0..2) sits in a row's 3 * i8_row_stride(K) bytes: the
// planes alternate in chunks of 64 columns, so a kernel step reads its three activation vectors
// from one stream. As three separate planes, the down projection (K = 4864: 14.6 KB of planes)
// streamed at 58-65% of the read bandwidth against 66-86% this way (bench-kernels, one thread,
// six alternating rounds; int8 dynamic, one plane, 73-93%).
inline int64_t i8x3_index(int p, int64_t k) {
    return 3 * (k & ~(kI8Align - 1)) + p * kI8Align + (k & (kI8Align - 1));
}

// Int4 weights (see quant/int4_format.h for the nibble layout): per row, `blocks` sub-blocks of
// 32 weights (K padded to the group size), grouped in super-blocks of 16 sub-blocks. Row n
// starts at rows + n * stride and holds its blocks * 16 bytes of packed nibbles, then its
// `groups` fp16 scales, then (asymmetric scheme) its `groups` fp16 minimums: one stream per
// row. With the scales and minimums in arrays of their own (as saved), a GEMV step over four
// rows read 12 streams instead of 4: cold 1024x896 matrices, one thread, streamed 23.8 GB/s
// against 27.2 this way (faster in 60 of 60 alternating trials; 896x4864: 59 of 60).
struct Int4View {
    const uint8_t* rows;
    int64_t stride;   // bytes from one row to the next
    int64_t blocks;   // sub-blocks of 32 per row = padded K / 32
    int64_t groups;   // groups per row = padded K / group_size
    int group_size;   // 32, 64 or 128
    bool asymmetric;  // minimums stored after the scales

    const uint8_t* q(int64_t n) const { return rows + n * stride; }
    const uint16_t* scale(int64_t n) const {
        return reinterpret_cast<const uint16_t*>(q(n) + blocks * 16);
    }
    const uint16_t* min(int64_t n) const { return asymmetric ? scale(n) + groups : nullptr; }
};
// Bytes of one row of an Int4View: nibbles, scales and (asymmetric) minimums.
inline int64_t int4_row_stride(int64_t blocks, int64_t groups, bool asymmetric) {
    return blocks * 16 + groups * 2 * (asymmetric ? 2 : 1);
}

// One activation row quantized per block of 32 (llama.cpp's Q8 activations), laid out to match
// the int4 nibble layout: per super-block of 16 sub-blocks, 8 vectors of 64 bytes where byte
// 4*b + t of vector i is element 32*b + 4*i + t of sub-block b. Arrays are padded to whole
// super-blocks with zeros. Per sub-block: d = max|x| / 127 and, for the symmetric scheme,
// c = -8 * d * sum(q) (folds the -8 nibble offset), for the asymmetric scheme s = sum(x).
struct Q8Row {
    int8_t* q;  // [superblocks * 512]
    float* d;   // [superblocks * 16]
    float* c;   // [superblocks * 16]: c (symmetric) or s (asymmetric)
};
inline int64_t q8_superblocks(int64_t blocks) { return (blocks + 15) / 16; }

struct Table {
    Isa isa;
    const char* label;  // "avx512-vnni", "avx512", "avx2", "scalar"

    // Dense GEMV (m <= kMaxRows): FP32 accumulation.
    void (*f32_rows)(const float* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
                     float* y, int64_t ldy);
    void (*f16_rows)(const uint16_t* w, int64_t K, int64_t n0, int64_t n1, const float* x, int m,
                     float* y, int64_t ldy);
    void (*bf16_rows)(const uint16_t* w, int64_t K, int64_t n0, int64_t n1, const float* x,
                      int m, float* y, int64_t ldy);

    // Conversions to FP32 (blocks of rows for sgemm, and dequantize_row).
    void (*f16_to_f32)(const uint16_t* src, float* dst, int64_t n);
    void (*bf16_to_f32)(const uint16_t* src, float* dst, int64_t n);
    void (*i8_to_f32)(const int8_t* src, float scale, float* dst, int64_t n);

    // int8 dynamic (W8A8). quantize_i8: one row of K floats -> q[i8_row_stride(K)], returns
    // the row's scale. i8d_rows: y = sx[a] * wscale[n] * sum_k q[a][k] * w[n][k] (exact int32
    // sum; wsum[n] = sum_k w[n][k] is there for the u8 offset trick).
    float (*quantize_i8)(const float* x, int64_t K, int8_t* q);
    // Weight row quantization for the int8 formats (bit-identical on every ISA): scale =
    // max|w| / 127, q = round_half_even(w / scale) (all zero for an all-zero row); K bytes out.
    float (*quantize_w8)(const float* w, int64_t K, int8_t* q);
    void (*i8d_rows)(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                     int64_t n0, int64_t n1, const int8_t* q, const float* sx, int m, float* y,
                     int64_t ldy);
    // int8 dynamic GEMM for many rows: activations (already quantized, as above) are repacked
    // by i8d_pack into i8d_packed_bytes(m, K) bytes, then i8d_gemm computes rows [n0, n1).
    size_t (*i8d_packed_bytes)(int64_t m, int64_t K);
    void (*i8d_pack)(const int8_t* q, int64_t m, int64_t K, uint8_t* packed);
    void (*i8d_gemm)(const int8_t* w, const float* wscale, const int32_t* wsum, int64_t K,
                     int64_t n0, int64_t n1, const uint8_t* packed, const float* sx, int64_t m,
                     float* y, int64_t ldy);

    // int8 weight-only: y = scale[n] * sum_k w[n][k] * x[k] with FP32 activations, on the
    // int8 dot-product units. Dequantizing each weight to FP32 costs three instructions per 16
    // weights and left decode compute-bound at ~2/3 of the memory bandwidth; instead
    // split_i8x3 writes one activation row x as three int8 planes (see kPlaneBase) with
    // x = s[0] q0 + s[1] q1 + s[2] q2 + e, |e| <= s[2] / 2 (about 2^-24 max|x|: the precision
    // of FP32 at the row's largest element), each plane i8_row_stride(K) bytes, padding zero.
    // The three int32 sums T_p = sum_k q_p[k] w[n][k] are exact. The scalar and AVX2 tables
    // combine them as y = float(scale[n] * fma(s2, T2, fma(s1, T1, s0 T0))) in double; the
    // AVX-512 tables combine each vector lane's three partial sums in float and reduce the lanes
    // once, then take out the u8 offset (wsum[n] = sum_k w[n][k]) and scale in double. That
    // is within 9u scale[n] sum_p s_p sum_k |w[n][k]| (|q_p[k]| + 128) + u |y| of the exact
    // combination (u = 2^-24): errors of FP32's own order, where three integer reductions per
    // output cost decode 2-4%. Activation row a's planes start at q + 3 a i8_row_stride(K),
    // interleaved as i8x3_index says; its scales are at s + 3 a.
    void (*split_i8x3)(const float* x, int64_t K, int8_t* q, float* s);
    void (*i8w_rows)(const int8_t* w, const float* scale, const int32_t* wsum, int64_t K,
                     int64_t n0, int64_t n1, const int8_t* q, const float* s, int m, float* y,
                     int64_t ldy);

    // int4: quantize one activation row (K floats, blocks sub-blocks) into a Q8Row.
    void (*quantize_q8)(const float* x, int64_t K, int64_t blocks, bool symmetric, Q8Row out);
    void (*i4_rows)(const Int4View& w, int64_t n0, int64_t n1, const Q8Row* a, int m, float* y,
                    int64_t ldy);

    // The MLP's gate: gate[i] = silu(gate[i]) * up[i], silu(g) = g / (1 + exp(-g)), n values.
    // The SIMD tables use a polynomial exp (Cephes' expf: range reduction by ln 2, degree-5
    // polynomial, a few ulp) instead of libm's scalar expf, which was 2-3% of a 1-thread int4
    // decode and all of it time the second thread waits.
    void (*silu_mul)(float* gate, const float* up, int64_t n);

    // Decode attention for g query heads that share one KV head (grouped-query attention):
    // s_jt = scale * q_j . k_t for the count cached positions, p_j = softmax_t(s_j), and
    // out_j = sum_t p_jt v_t. q and out hold g rows of d floats, k and v count rows of d floats;
    // scratch holds g * count floats. The keys stream once per kMaxRows heads (the GEMV kernel's
    // activation rows) and the values once per 16 output columns, for every head of the group.
    void (*attend)(const float* q, int64_t g, const float* k, const float* v, int64_t count,
                   int64_t d, float scale, float* scratch, float* out);
};

const Table& table(Isa isa);

// Whether the dense GEMV for one activation row prefetches its weight stream in software (see
// dense_row_stream in avx512_impl.h): decided once from the CPU's vendor.
bool dense_stream_prefetch();
inline const Table& active_table() { return table(active_isa()); }

// Per-ISA tables (defined in kernels_<isa>.cpp).
const Table& table_scalar();
const Table& table_avx2();
const Table& table_avx512();
const Table& table_avx512vnni();

}  // namespace qs::kern
