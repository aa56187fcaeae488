#pragma once
// How the studio writes numbers: one place, so the window, the PDF and the tests agree. A value
// that was not measured (NaN, or -1 for counts and bytes) is written "not measured", never 0.
#include <QString>
#include <cstdint>

#include "bench/bench_result.h"

namespace qs::ui {

inline const QString kNotMeasured = QStringLiteral("not measured");

bool measured(double v);
bool measured(int64_t v);

QString format_number(double v, int decimals = 2);
QString format_ms(double ms);  // 3 significant digits: 0.0183, 1.25, 312
QString format_percent(double fraction, int decimals = 1);  // 0.992 -> "99.2%"
QString format_bytes(int64_t bytes);                          // "12.3 MiB"
QString format_ratio(const bench::Ratio& r);                  // "3.70× (3.50–3.90)"
QString format_duration(double seconds);                      // "1 min 05 s"
// "31.4 GB/s, median of 15 samples between the speed runs" (a run saved before the samples
// were kept says only "31.4 GB/s").
QString format_read_bandwidth(const bench::BenchmarkResult& r);

// One line of measured ratios against fp32, e.g.
// "int8-dynamic: 3.7× faster decode · 73% less memory · 99.2% top-1 agreement · +0.6% perplexity".
// Figures that were not measured say so; fp32 itself gets its absolute figures.
QString summary_line(const bench::VariantResult& fp32, const bench::VariantResult& variant);

// The memory a variant needs as the summary counts it: peak RSS when measured, else weights.
int64_t memory_bytes(const bench::VariantResult& v);

}  // namespace qs::ui
