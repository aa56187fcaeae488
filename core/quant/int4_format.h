#pragma once
// Internal: the int4 storage layout and the group quantizer.
//
// A row of K weights is padded with zeros to Kp = ceil(K / group) * group and cut into
// sub-blocks of 32; 16 sub-blocks form a super-block (the last one may have fewer, S). Within
// a super-block, byte 4*b + t of vector j (j = 0..3, each S*4 bytes, stored one after the
// other) holds element 4*j + t of sub-block b in its low nibble and element 4*(j+4) + t in its
// high nibble. So one 64-byte load gives, for 16 sub-blocks at once, 4 consecutive weights of
// each (low nibbles) and the 4 that pair with activations 16 further on (high nibbles): the
// layout lets vpdpbusd produce one int32 sum per sub-block and lane without shuffles.
// Stored nibble u is the weight code: asymmetric w = u * scale + min (u in 0..15); symmetric
// w = (u - 8) * scale (q = u - 8 in -8..7).
#include <cstdint>

#include "quant/formats.h"

namespace qs::detail {

inline int64_t int4_padded_k(int64_t in, int group) { return (in + group - 1) / group * group; }
inline int64_t int4_row_bytes(int64_t in, int group) { return int4_padded_k(in, group) / 2; }

// Byte offset of element k in its row (blocks = Kp / 32), and whether it is the high nibble.
inline int64_t int4_byte(int64_t blocks, int64_t k, bool& high) {
    const int64_t blk = k >> 5, e = k & 31, sb = blk >> 4, b = blk & 15;
    const int64_t S = blocks - sb * 16 < 16 ? blocks - sb * 16 : 16;
    const int64_t i = e >> 2, t = e & 3;
    high = i >= 4;
    return sb * 256 + (i & 3) * S * 4 + 4 * b + t;
}

// Quantizes one group: x[0..n) are the real values (n <= group size). Writes codes u[0..n)
// (0..15) and the fp16 bit patterns of the scale (and min for the asymmetric scheme).
// Without search: round to nearest with min/max (asymmetric, scale rounded up and min down in
// fp16 so every value is in range: error <= scale / 2) or Q4_0-style signed scale
// max / -8 (symmetric). With search: make_qkx2-style candidate scales refined by least squares,
// judged by the squared error after fp16 rounding; the round-to-nearest result is one of the
// candidates, so search is never worse than without.
void quantize_int4_group(const float* x, int n, Int4Scheme scheme, bool search, uint8_t* u,
                         uint16_t* scale, uint16_t* min);

}  // namespace qs::detail
