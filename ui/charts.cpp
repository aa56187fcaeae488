#include "charts.h"

#include <qcustomplot.h>

#include <algorithm>
#include <cmath>

#include "format.h"

namespace qs::ui {

using bench::BenchmarkResult;
using bench::VariantResult;

QString sample_kind_label(SampleKind kind) {
    switch (kind) {
        case SampleKind::decode_token: return QStringLiteral("decode time per token (ms)");
        case SampleKind::ttft: return QStringLiteral("time to first token (ms)");
        case SampleKind::latency: return QStringLiteral("whole-prompt latency (ms)");
    }
    return {};
}

const std::vector<double>& samples_of(const VariantResult& v, SampleKind kind) {
    switch (kind) {
        case SampleKind::ttft: return v.ttft_ms;
        case SampleKind::latency: return v.latency_ms;
        case SampleKind::decode_token: break;
    }
    return v.decode_token_ms;
}

const bench::Summary& summary_of(const VariantResult& v, SampleKind kind) {
    switch (kind) {
        case SampleKind::ttft: return v.ttft;
        case SampleKind::latency: return v.latency;
        case SampleKind::decode_token: break;
    }
    return v.decode_token;
}

QColor method_color(Method method) {
    // Okabe–Ito: distinguishable with colour-blindness, readable on light and dark backgrounds.
    static const QColor colors[] = {QColor(0x56, 0x8f, 0xc4), QColor(0xe6, 0x9f, 0x00),
                                    QColor(0x00, 0x9e, 0x73), QColor(0xcc, 0x79, 0xa7),
                                    QColor(0xd5, 0x5e, 0x00), QColor(0x8a, 0x7f, 0x3a)};
    return colors[int(method) % 6];
}

SharedHistogram shared_histogram(const std::vector<const std::vector<double>*>& series, int bins,
                                 double cap) {
    SharedHistogram h;
    double lo = INFINITY, hi = -INFINITY;
    for (const auto* s : series)
        for (double x : *s)
            if (std::isfinite(x)) lo = std::min(lo, x), hi = std::max(hi, std::min(x, cap));
    h.counts.assign(series.size(), {});
    h.overflow.assign(series.size(), 0);
    if (!std::isfinite(lo)) return h;
    if (hi - lo < 1e-9) lo -= 0.5, hi += 0.5;  // all samples equal: one visible bin around them
    h.bins = std::max(1, bins);
    h.lo = lo;
    h.width = (hi - lo) / h.bins;
    for (size_t i = 0; i < series.size(); ++i) {
        h.counts[i].assign(h.bins, 0);
        for (double x : *series[i]) {
            if (!std::isfinite(x)) continue;
            if (x > hi) ++h.overflow[i];
            const int b = std::clamp(int((x - lo) / h.width), 0, h.bins - 1);  // hi -> last bin
            h.max_count = std::max(h.max_count, ++h.counts[i][b]);
        }
    }
    return h;
}

namespace {

// Removes everything from a plot, including the layout and any bar groups of an earlier draw.
void reset(QCustomPlot* plot) {
    plot->clearPlottables();
    plot->clearItems();
    for (QCPBarsGroup* g : plot->findChildren<QCPBarsGroup*>()) delete g;
    for (QCPMarginGroup* g : plot->findChildren<QCPMarginGroup*>()) delete g;
    plot->plotLayout()->clear();
    plot->plotLayout()->simplify();
}

QCPTextElement* add_title(QCustomPlot* plot, QCPLayoutGrid* grid, int row, int col,
                          const QString& text, bool bold) {
    QFont font = plot->font();
    font.setBold(bold);
    auto* title = new QCPTextElement(plot, text, font);
    grid->addElement(row, col, title);
    return title;
}

QCPAxisRect* add_rect(QCustomPlot* plot, QCPLayoutGrid* grid, int row, int col,
                      QCPMarginGroup* margins) {
    auto* rect = new QCPAxisRect(plot);
    grid->addElement(row, col, rect);
    if (margins) rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
    return rect;
}

void set_variant_ticks(QCPAxis* axis, const std::vector<QString>& names) {
    QSharedPointer<QCPAxisTickerText> ticker(new QCPAxisTickerText);
    for (size_t i = 0; i < names.size(); ++i) ticker->addTick(double(i), names[i]);
    axis->setTicker(ticker);
    axis->setRange(-0.6, double(names.size()) - 0.4);
    axis->grid()->setVisible(false);
}

void apply_palette(QCustomPlot* plot, const QPalette& palette) {
    const QColor text = palette.color(QPalette::WindowText);
    QColor grid = palette.color(QPalette::Mid);
    plot->setBackground(palette.brush(QPalette::Base));
    for (QCPAxisRect* rect : plot->axisRects()) {
        for (QCPAxis* axis : rect->axes()) {
            axis->setBasePen(QPen(text));
            axis->setTickPen(QPen(text));
            axis->setSubTickPen(QPen(text));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
        }
    }
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i) {
        if (auto* grid_el = qobject_cast<QCPLayoutGrid*>(plot->plotLayout()->elementAt(i))) {
            for (int j = 0; j < grid_el->elementCount(); ++j)
                if (auto* t = qobject_cast<QCPTextElement*>(grid_el->elementAt(j)))
                    t->setTextColor(text);
        } else if (auto* t = qobject_cast<QCPTextElement*>(plot->plotLayout()->elementAt(i))) {
            t->setTextColor(text);
        }
    }
    for (QCPLegend* legend : plot->findChildren<QCPLegend*>()) {
        legend->setBrush(palette.brush(QPalette::Base));
        legend->setBorderPen(QPen(grid));
        legend->setTextColor(text);
    }
    for (int i = 0; i < plot->itemCount(); ++i)
        if (auto* t = qobject_cast<QCPItemText*>(plot->item(i))) t->setColor(text);
}

void no_data(QCustomPlot* plot, const QString& message) {
    auto* title = new QCPTextElement(plot, message, plot->font());
    plot->plotLayout()->addElement(0, 0, title);
}

}  // namespace

void plot_latency(QCustomPlot* plot, const BenchmarkResult& result, SampleKind kind) {
    reset(plot);
    std::vector<const VariantResult*> shown;
    std::vector<const std::vector<double>*> series;
    for (const VariantResult& v : result.variants) {
        if (samples_of(v, kind).empty()) continue;
        shown.push_back(&v);
        series.push_back(&samples_of(v, kind));
    }
    if (shown.empty()) {
        no_data(plot, sample_kind_label(kind) + QStringLiteral(": no samples yet"));
        apply_palette(plot, plot->palette());
        return;
    }
    size_t most = 0;
    for (const auto* s : series) most = std::max(most, s->size());
    // about sqrt(n) bins, enough to show shape without empty combs on small runs
    const int bins = std::clamp(int(std::ceil(std::sqrt(double(most)))), 5, 40);
    // The axis ends at 1.5 × the largest P95 (or the slowest sample, if sooner): one noisy
    // variant's tail must not squeeze every histogram into its first bin. Markers beyond the
    // axis are drawn at its edge with an arrow.
    double cap = -INFINITY;
    for (const VariantResult* v : shown) {
        const double p95 = summary_of(*v, kind).p95;
        const auto& x = samples_of(*v, kind);
        cap = std::max(cap, measured(p95) ? p95 * 1.5 : *std::max_element(x.begin(), x.end()));
    }
    const SharedHistogram h = shared_histogram(series, bins, cap);

    auto* layout = plot->plotLayout();
    add_title(plot, layout, 0, 0, sample_kind_label(kind) +
              QStringLiteral(" — same bins and axes; markers: P50, P95, P99"), true);
    auto* grid = new QCPLayoutGrid;
    layout->addElement(1, 0, grid);
    auto* margins = new QCPMarginGroup(plot);
    const int cols = shown.size() <= 3 ? int(shown.size()) : (shown.size() == 4 ? 2 : 3);
    const double y_max = h.max_count * 1.25 + 1;  // headroom for the marker labels
    for (size_t i = 0; i < shown.size(); ++i) {
        const VariantResult& v = *shown[i];
        const QString name = QString::fromStdString(v.method);
        const int row = int(i) / cols * 2, col = int(i) % cols;
        const bench::Summary& s = summary_of(v, kind);
        add_title(plot, grid, row, col,
                  QStringLiteral("%1 (n=%2)").arg(name).arg(samples_of(v, kind).size()), false);
        QCPAxisRect* rect = add_rect(plot, grid, row + 1, col, margins);
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        x->setRange(h.lo, h.lo + h.width * h.bins);
        y->setRange(0, y_max);
        const double axis_end = h.lo + h.width * h.bins;
        x->setLabel(h.overflow[i] > 0 ? QStringLiteral("ms (last bin: %1 beyond the axis)").arg(h.overflow[i])
                                      : QStringLiteral("ms"));
        if (col == 0) y->setLabel(QStringLiteral("samples"));
        auto* bars = new QCPBars(x, y);
        bars->setName(name);
        bars->setWidthType(QCPBars::wtPlotCoords);
        bars->setWidth(h.width);
        const QColor c = method_color(v.options.method);
        bars->setPen(QPen(c.darker(130)));
        bars->setBrush(c);
        for (int b = 0; b < h.bins; ++b)
            if (h.counts[i][b] > 0) bars->addData(h.lo + (b + 0.5) * h.width, h.counts[i][b]);
        const std::pair<const char*, double> marks[] = {{"P50", s.p50}, {"P95", s.p95}, {"P99", s.p99}};
        for (int m = 0; m < 3; ++m) {
            if (!measured(marks[m].second)) continue;
            const bool beyond = marks[m].second > axis_end;
            const double at = beyond ? axis_end : marks[m].second;
            auto* line = new QCPItemStraightLine(plot);
            line->setObjectName(name + QLatin1Char(' ') + marks[m].first);
            line->setClipAxisRect(rect);
            for (QCPItemPosition* p : {line->point1, line->point2}) p->setAxes(x, y);
            line->point1->setCoords(at, 0);
            line->point2->setCoords(at, 1);
            line->setPen(QPen(c.darker(170), 1.5, m == 0 ? Qt::SolidLine : Qt::DashLine));
            // labels at staggered heights so close percentiles do not overlap
            auto* label = new QCPItemText(plot);
            label->setClipAxisRect(rect);
            label->position->setAxes(x, y);
            label->position->setAxisRect(rect);
            label->position->setTypeX(QCPItemPosition::ptPlotCoords);
            label->position->setTypeY(QCPItemPosition::ptAxisRectRatio);
            label->position->setCoords(at, 0.03 + 0.09 * m);
            // right of the line, or left of it in the right half so it is never clipped
            const bool right_half = at > h.lo + (axis_end - h.lo) * 0.6;
            label->setPositionAlignment((right_half ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
            label->setText(QStringLiteral(" %1 %2%3 ").arg(marks[m].first, format_ms(marks[m].second),
                                                          beyond ? QStringLiteral(" →") : QString()));
            QFont f = plot->font();
            f.setPointSizeF(f.pointSizeF() * 0.85);
            label->setFont(f);
        }
    }
    apply_palette(plot, plot->palette());
}

void plot_memory(QCustomPlot* plot, const BenchmarkResult& result) {
    reset(plot);
    auto* layout = plot->plotLayout();
    add_title(plot, layout, 0, 0, QStringLiteral("Memory per variant (MiB)"), true);
    QCPAxisRect* rect = add_rect(plot, layout, 1, 0, nullptr);
    QCPAxis* x = rect->axis(QCPAxis::atBottom);
    QCPAxis* y = rect->axis(QCPAxis::atLeft);
    y->setLabel(QStringLiteral("MiB"));
    std::vector<QString> names;
    for (const VariantResult& v : result.variants) names.push_back(QString::fromStdString(v.method));
    set_variant_ticks(x, names);

    auto* group = new QCPBarsGroup(plot);
    auto* weights = new QCPBars(x, y);
    weights->setName(QStringLiteral("weights"));
    auto* rss = new QCPBars(x, y);
    rss->setName(QStringLiteral("peak RSS"));
    const QColor wc(0x56, 0x8f, 0xc4), rc(0xe6, 0x9f, 0x00);
    weights->setBrush(wc);
    weights->setPen(QPen(wc.darker(130)));
    rss->setBrush(rc);
    rss->setPen(QPen(rc.darker(130)));
    double top = 0;
    for (size_t i = 0; i < result.variants.size(); ++i) {
        const VariantResult& v = result.variants[i];
        if (measured(v.weight_bytes)) {
            weights->addData(double(i), v.weight_bytes / 1048576.0);
            top = std::max(top, v.weight_bytes / 1048576.0);
        }
        if (measured(v.peak_rss_bytes)) {
            rss->addData(double(i), v.peak_rss_bytes / 1048576.0);
            top = std::max(top, v.peak_rss_bytes / 1048576.0);
        }
    }
    for (QCPBars* b : {weights, rss}) {
        b->setWidth(0.35);
        b->setBarsGroup(group);
    }
    y->setRange(0, top > 0 ? top * 1.2 : 1);
    auto* legend = new QCPLegend;
    rect->insetLayout()->addElement(legend, Qt::AlignTop | Qt::AlignRight);
    legend->setLayer(QStringLiteral("legend"));
    weights->addToLegend(legend);
    rss->addToLegend(legend);
    apply_palette(plot, plot->palette());
}

void plot_accuracy(QCustomPlot* plot, const BenchmarkResult& result) {
    reset(plot);
    struct Metric {
        QString name, unit;
        double (*get)(const VariantResult&);
    };
    const Metric metrics[] = {
        {QStringLiteral("perplexity"), QStringLiteral("lower is better"),
         [](const VariantResult& v) { return v.accuracy.perplexity; }},
        {QStringLiteral("top-1 agreement"), QStringLiteral("% of positions, vs fp32"),
         [](const VariantResult& v) { return v.accuracy.top1_agreement * 100.0; }},
        {QStringLiteral("KL mean"), QStringLiteral("nats, vs fp32"),
         [](const VariantResult& v) { return v.accuracy.kl_mean; }},
        {QStringLiteral("task accuracy"), QStringLiteral("% of rows"),
         [](const VariantResult& v) { return v.accuracy.task_accuracy * 100.0; }},
    };
    std::vector<QString> names;
    for (const VariantResult& v : result.variants) names.push_back(QString::fromStdString(v.method));
    auto* layout = plot->plotLayout();
    auto* margins = new QCPMarginGroup(plot);
    for (int m = 0; m < 4; ++m) {
        const int row = m / 2 * 2, col = m % 2;
        QCPTextElement* title = add_title(plot, layout, row, col,
                                          metrics[m].name + QStringLiteral(" (") + metrics[m].unit + ")", true);
        QCPAxisRect* rect = add_rect(plot, layout, row + 1, col, margins);
        QCPAxis* x = rect->axis(QCPAxis::atBottom);
        QCPAxis* y = rect->axis(QCPAxis::atLeft);
        set_variant_ticks(x, names);
        // Four or more names side by side overlap in a half-width panel (the PDF's is ~85 mm).
        if (names.size() > 3) x->setTickLabelRotation(-30);
        auto* bars = new QCPBars(x, y);
        bars->setName(metrics[m].name);
        bars->setWidth(0.6);
        double top = 0;
        int count = 0;
        for (size_t i = 0; i < result.variants.size(); ++i) {
            const double value = metrics[m].get(result.variants[i]);
            if (!measured(value)) continue;
            bars->addData(double(i), value);
            top = std::max(top, value);
            ++count;
        }
        const QColor c(0x00, 0x9e, 0x73);
        bars->setBrush(c);
        bars->setPen(QPen(c.darker(130)));
        y->setRange(0, top > 0 ? top * 1.15 : 1);
        if (count == 0) title->setText(title->text() + QStringLiteral(" — not measured"));
    }
    apply_palette(plot, plot->palette());
}

}  // namespace qs::ui
