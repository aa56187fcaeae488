#pragma once
// Draws a benchmark result into QCustomPlot charts. The same functions fill the window's live
// charts and the PDF's, so what is printed is what was shown. They set up plottables only; the
// caller replots (the window only the chart on screen, the PDF renders with toPainter). Every plottable is named after its
// variant (and series) so tests can find it and compare it to the result.
#include <QColor>
#include <cmath>
#include <QString>
#include <vector>

#include "bench/bench_result.h"

class QCustomPlot;

namespace qs::ui {

enum class SampleKind { decode_token, ttft, latency };
QString sample_kind_label(SampleKind kind);  // axis label, e.g. "decode time per token (ms)"
const std::vector<double>& samples_of(const bench::VariantResult& v, SampleKind kind);
const bench::Summary& summary_of(const bench::VariantResult& v, SampleKind kind);

// Bins shared by every variant so their histograms are comparable. They span from the smallest
// sample to `cap` (e.g. the largest P99), so one stray slow sample does not squeeze everything
// into the first bin; samples above cap are counted in the last bin and reported as overflow.
struct SharedHistogram {
    double lo = 0, width = 1;
    int bins = 0;
    std::vector<std::vector<int>> counts;  // per input series
    std::vector<int> overflow;             // per input series: samples above cap (in the last bin)
    int max_count = 0;
};
SharedHistogram shared_histogram(const std::vector<const std::vector<double>*>& series, int bins,
                                 double cap = INFINITY);

// One histogram per variant that has samples, in a grid, same bins and axes, with P50/P95/P99
// markers. Bars are named "<method>"; markers "<method> P50" etc. (the item's objectName is not
// available, so markers are QCPItemStraightLine with a matching QCPItemText label).
void plot_latency(QCustomPlot* plot, const bench::BenchmarkResult& result, SampleKind kind);

// Weights and peak RSS per variant in MiB; bars named "weights" and "peak RSS".
void plot_memory(QCustomPlot* plot, const bench::BenchmarkResult& result);

// Perplexity, top-1 agreement (%), mean KL and task accuracy (%) per variant, one small chart
// each; bars named "perplexity", "top-1 agreement", "KL mean", "task accuracy".
void plot_accuracy(QCustomPlot* plot, const bench::BenchmarkResult& result);

// Each method keeps one colour in every chart (series colours are the only fixed colours; the
// background, axes and text follow the plot widget's palette: system light/dark on screen).
QColor method_color(Method method);

}  // namespace qs::ui
