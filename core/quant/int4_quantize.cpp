// Int4 group quantizer: round-to-nearest and a least-squares scale search in the spirit of
// llama.cpp's make_qkx2_quants (candidate inverse scales around the min/max one, each refit by
// least squares), judged on the error of what is actually stored (fp16 scale and min).
#include <cmath>
#include <cstring>

#include "kernels/half.h"
#include "quant/int4_format.h"

namespace qs::detail {

namespace {

using kern::f16_to_f32;
using kern::f32_to_f16;

constexpr int kMaxGroup = 128;
constexpr float kHalfMax = 65504.0f;

float clamp_half(float v) { return v > kHalfMax ? kHalfMax : (v < -kHalfMax ? -kHalfMax : v); }

// Largest fp16 <= v (down) or smallest fp16 >= v (up).
uint16_t f16_directed(float v, bool down) {
    v = clamp_half(v);
    uint16_t h = f32_to_f16(v);
    const float back = f16_to_f32(h);
    if (down && back > v) {
        h = (h & 0x8000u) ? uint16_t(h + 1) : (h == 0 ? uint16_t(0x8001u) : uint16_t(h - 1));
    } else if (!down && back < v) {
        h = (h & 0x8000u) ? (h == 0x8000u ? uint16_t(1) : uint16_t(h - 1)) : uint16_t(h + 1);
    }
    return h;
}

// round_half_even(v) clamped to [lo, hi], as nearbyint under the default rounding mode would
// give, but inline: without SSE4.1 the compiler calls libm's nearbyintf, a function call per
// weight and candidate. Clamping first commutes with rounding (lo and hi are integers) and
// keeps |v| far below 2^22, where adding and subtracting 1.5 * 2^23 rounds exactly.
inline int round_clamped(float v, float lo, float hi) {
    constexpr float kMagic = 12582912.0f;
    v = v < lo ? lo : (v > hi ? hi : v);
    return int((v + kMagic) - kMagic);
}

// Asymmetric: codes for (s, m) and the squared error.
float assign_asym(const float* x, int n, float s, float m, uint8_t* L) {
    float err = 0;
    const float is = s > 0 ? 1.0f / s : 0.0f;
    for (int i = 0; i < n; ++i) {
        const int l = round_clamped((x[i] - m) * is, 0.0f, 15.0f);
        L[i] = uint8_t(l);
        const float d = float(l) * s + m - x[i];
        err += d * d;
    }
    return err;
}

// Symmetric: codes u = q + 8 for scale s and the squared error.
float assign_sym(const float* x, int n, float s, uint8_t* L) {
    float err = 0;
    const float is = s != 0 ? 1.0f / s : 0.0f;
    for (int i = 0; i < n; ++i) {
        const int q = round_clamped(x[i] * is, -8.0f, 7.0f);
        L[i] = uint8_t(q + 8);
        const float d = float(q) * s - x[i];
        err += d * d;
    }
    return err;
}

void quantize_asym(const float* x, int n, bool search, uint8_t* u, uint16_t* scale,
                   uint16_t* min) {
    float mn = x[0], mx = x[0];
    for (int i = 1; i < n; ++i) {
        mn = x[i] < mn ? x[i] : mn;
        mx = x[i] > mx ? x[i] : mx;
    }
    // Round to nearest: min rounded down, scale rounded up, so [mn, mx] is covered.
    uint16_t best_m = f16_directed(mn, true);
    const float m_h = f16_to_f32(best_m);
    uint16_t best_s = mx > m_h ? f16_directed((mx - m_h) / 15.0f, false) : uint16_t(0);
    float best = assign_asym(x, n, f16_to_f32(best_s), m_h, u);
    if (!search || mx <= mn || best == 0) {
        *scale = best_s;
        *min = best_m;
        return;
    }
    uint8_t L[kMaxGroup];
    float sum_x = 0;
    for (int i = 0; i < n; ++i) sum_x += x[i];
    constexpr int kSteps = 20;
    for (int is = 0; is <= kSteps; ++is) {
        const float iscale = (15.0f - 1.0f + 0.1f * float(is)) / (mx - mn);
        float sl = 0, sl2 = 0, sxl = 0;
        for (int i = 0; i < n; ++i) {
            const int l = round_clamped(iscale * (x[i] - mn), 0.0f, 15.0f);
            sl += float(l);
            sl2 += float(l * l);
            sxl += float(l) * x[i];
        }
        const float D = float(n) * sl2 - sl * sl;
        if (!(D > 0)) continue;
        // Least squares for x ~ s * l + m.
        const float s = (float(n) * sxl - sum_x * sl) / D;
        const float m = (sl2 * sum_x - sl * sxl) / D;
        if (!(s > 0)) continue;
        const uint16_t sh = f32_to_f16(clamp_half(s)), mh = f32_to_f16(clamp_half(m));
        const float err = assign_asym(x, n, f16_to_f32(sh), f16_to_f32(mh), L);
        if (err < best) {
            best = err;
            best_s = sh;
            best_m = mh;
            std::memcpy(u, L, size_t(n));
        }
    }
    *scale = best_s;
    *min = best_m;
}

void quantize_sym(const float* x, int n, bool search, uint8_t* u, uint16_t* scale) {
    float amax = 0, mx = 0;
    for (int i = 0; i < n; ++i) {
        const float a = std::fabs(x[i]);
        if (a > amax) {
            amax = a;
            mx = x[i];
        }
    }
    // Q4_0-style round to nearest: the value of largest magnitude maps to -8.
    uint16_t best_s = f32_to_f16(clamp_half(mx / -8.0f));
    float best = assign_sym(x, n, f16_to_f32(best_s), u);
    if (!search || amax == 0 || best == 0) {
        *scale = best_s;
        return;
    }
    uint8_t L[kMaxGroup];
    constexpr int kSteps = 20;
    for (int sign = 0; sign < 2; ++sign) {
        for (int is = 0; is <= kSteps; ++is) {
            // mx maps to -(7 .. 9) levels, or to +(6 .. 8).
            const float t = sign == 0 ? -(7.0f + 0.1f * float(is)) : 6.0f + 0.1f * float(is);
            const float iscale = t / mx;
            float sxl = 0, sl2 = 0;
            for (int i = 0; i < n; ++i) {
                const int q = round_clamped(iscale * x[i], -8.0f, 7.0f);
                sxl += float(q) * x[i];
                sl2 += float(q * q);
            }
            if (!(sl2 > 0)) continue;
            const uint16_t sh = f32_to_f16(clamp_half(sxl / sl2));
            const float err = assign_sym(x, n, f16_to_f32(sh), L);
            if (err < best) {
                best = err;
                best_s = sh;
                std::memcpy(u, L, size_t(n));
            }
        }
    }
    *scale = best_s;
}

}  // namespace

void quantize_int4_group(const float* x, int n, Int4Scheme scheme, bool search, uint8_t* u,
                         uint16_t* scale, uint16_t* min) {
    if (n <= 0) {
        *scale = 0;
        if (min) *min = 0;
        return;
    }
    if (scheme == Int4Scheme::asymmetric)
        quantize_asym(x, n, search, u, scale, min);
    else
        quantize_sym(x, n, search, u, scale);
}

}  // namespace qs::detail
