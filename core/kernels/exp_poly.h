#pragma once
// Constants of the vectorized exp used by the SIMD tables' silu_mul (Cephes' expf):
// exp(x) = 2^n exp(r) with n = round(x / ln 2) and r = x - n ln 2 in [-ln2/2, ln2/2], ln 2 split
// in two parts so that r is exact; exp(r) ~ 1 + r + r^2 P(r) with P of degree 5.
// Constants only, so each ISA file can use them without sharing code compiled for another ISA.
namespace qs::kern::exp_poly {

constexpr float kLog2e = 1.44269504088896341f;
constexpr float kLn2Hi = 0.693359375f;     // exact in 9 bits: n * kLn2Hi is exact
constexpr float kLn2Lo = -2.12194440e-4f;  // ln 2 - kLn2Hi
constexpr float kP0 = 1.9875691500e-4f;
constexpr float kP1 = 1.3981999507e-3f;
constexpr float kP2 = 8.3334519073e-3f;
constexpr float kP3 = 4.1665795894e-2f;
constexpr float kP4 = 1.6666665459e-1f;
constexpr float kP5 = 5.0000001201e-1f;

// Arguments are clamped to [kMinArg, kMaxArg] first, so that 2^n stays a normal float (n in
// [-126, 127]; the AVX2 version builds it from exponent bits), and the result is +inf above
// kMaxArg, as libm's expf gives from 88.72 up. Below kMinArg exp is at most 1e-38, which
// nothing silu adds it to (1) can show. Between 88.0 and 88.72 silu(g) = g / (1 + exp(-g)) is
// then 0 instead of at most 3e-37 in magnitude.
constexpr float kMinArg = -87.3f;
constexpr float kMaxArg = 88.0f;

}  // namespace qs::kern::exp_poly
