#include "results_view.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QScrollArea>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include "format.h"

namespace qs::ui {

using bench::BenchmarkResult;
using bench::VariantResult;

QStringList summary_lines(const BenchmarkResult& result) {
    QStringList lines;
    if (result.variants.empty()) return lines;
    const VariantResult& fp32 = result.variants.front();
    for (const VariantResult& v : result.variants) lines << summary_line(fp32, v);
    return lines;
}

namespace {

QString ms(double v) { return format_ms(v); }

QString status_text(const VariantResult& v) {
    if (v.status == "failed") return QStringLiteral("failed: ") + QString::fromStdString(v.error);
    return QString::fromStdString(v.status);
}

void fill(QTableWidget* table, const TextTable& t) {
    table->setSortingEnabled(false);
    table->clear();
    table->setColumnCount(int(t.header.size()));
    table->setHorizontalHeaderLabels(t.header);
    table->setRowCount(int(t.rows.size()));
    for (int r = 0; r < t.rows.size(); ++r)
        for (int c = 0; c < t.rows[r].size(); ++c) {
            auto* item = new QTableWidgetItem(t.rows[r][c]);
            item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            item->setToolTip(t.rows[r][c]);
            table->setItem(r, c, item);
        }
    table->resizeColumnsToContents();
}

QTableWidget* make_table(QWidget* parent) {
    auto* table = new QTableWidget(parent);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setVisible(false);
    table->horizontalHeader()->setStretchLastSection(true);
    return table;
}

QCustomPlot* make_plot(QWidget* parent) {
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(360, 240);
    return plot;
}

}  // namespace

TextTable speed_table(const BenchmarkResult& result) {
    TextTable t;
    t.header = {"variant", "status", "prefill tok/s", "decode tok/s", "decode speedup (95% CI)",
                "TTFT P50 ms", "latency P50 ms", "decode ms/token P50", "weights", "peak RSS",
                "quantize s"};
    for (const VariantResult& v : result.variants)
        t.rows.push_back({QString::fromStdString(v.method), status_text(v),
                          format_number(v.prefill_tokens_per_s, 1),
                          format_number(v.decode_tokens_per_s, 1),
                          v.options.method == Method::fp32 ? QStringLiteral("baseline")
                                                           : format_ratio(v.decode_speedup),
                          ms(v.ttft.p50), ms(v.latency.p50), ms(v.decode_token.p50),
                          format_bytes(v.weight_bytes), format_bytes(v.peak_rss_bytes),
                          format_number(v.quantize_seconds, 2)});
    return t;
}

TextTable accuracy_table(const BenchmarkResult& result) {
    TextTable t;
    t.header = {"variant", "perplexity", "top-1 agreement", "KL mean (nats)", "KL P99 (nats)",
                "task accuracy", "tokens scored", "task rows"};
    for (const VariantResult& v : result.variants) {
        const bench::Accuracy& a = v.accuracy;
        t.rows.push_back({QString::fromStdString(v.method), format_number(a.perplexity, 3),
                          format_percent(a.top1_agreement, 2), format_number(a.kl_mean, 5),
                          format_number(a.kl_p99, 5), format_percent(a.task_accuracy, 1),
                          a.tokens_scored > 0 ? QString::number(a.tokens_scored) : kNotMeasured,
                          a.task_rows > 0 ? QString::number(a.task_rows) : kNotMeasured});
    }
    return t;
}

TextTable worst_table(const VariantResult& v) {
    TextTable t;
    t.header = {"position", "KL (nats)", "context", "actual next", "fp32 top-1", "variant top-1"};
    for (const bench::WorstToken& w : v.accuracy.worst)
        t.rows.push_back({QString::number(w.position), QString::number(w.kl, 'f', 4),
                          QString::fromStdString(w.context), QString::fromStdString(w.target),
                          QString::fromStdString(w.fp32_top), QString::fromStdString(w.variant_top)});
    return t;
}

ResultsView::ResultsView(QWidget* parent) : QWidget(parent) {
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setToolTip(tr("Measured ratios of each variant against fp32 in this run"));

    chart_tabs_ = new QTabWidget(this);
    auto* latency_page = new QWidget;
    sample_kind_ = new QComboBox(latency_page);
    for (SampleKind k : {SampleKind::decode_token, SampleKind::ttft, SampleKind::latency})
        sample_kind_->addItem(sample_kind_label(k), int(k));
    sample_kind_->setToolTip(tr("Which raw samples the histograms show"));
    latency_plot_ = make_plot(latency_page);
    auto* latency_layout = new QVBoxLayout(latency_page);
    auto* kind_row = new QHBoxLayout;
    kind_row->addWidget(new QLabel(tr("Samples:"), latency_page));
    kind_row->addWidget(sample_kind_);
    kind_row->addStretch();
    latency_layout->addLayout(kind_row);
    latency_layout->addWidget(latency_plot_, 1);
    chart_tabs_->addTab(latency_page, tr("Latency"));
    memory_plot_ = make_plot(this);
    chart_tabs_->addTab(memory_plot_, tr("Memory"));
    accuracy_plot_ = make_plot(this);
    chart_tabs_->addTab(accuracy_plot_, tr("Accuracy"));
    connect(sample_kind_, &QComboBox::currentIndexChanged, this, [this] {
        redrawLatency();
        replotVisible();
    });
    connect(chart_tabs_, &QTabWidget::currentChanged, this, [this] { replotVisible(); });

    auto* table_tabs = new QTabWidget(this);
    speed_table_ = make_table(this);
    table_tabs->addTab(speed_table_, tr("Speed && memory"));
    accuracy_table_ = make_table(this);
    table_tabs->addTab(accuracy_table_, tr("Accuracy"));
    auto* worst_page = new QWidget;
    worst_variant_ = new QComboBox(worst_page);
    worst_variant_->setToolTip(tr("The positions where this variant disagrees most with fp32"));
    worst_table_ = make_table(worst_page);
    auto* worst_layout = new QVBoxLayout(worst_page);
    auto* worst_row = new QHBoxLayout;
    worst_row->addWidget(new QLabel(tr("Variant:"), worst_page));
    worst_row->addWidget(worst_variant_);
    worst_row->addStretch();
    worst_layout->addLayout(worst_row);
    worst_layout->addWidget(worst_table_, 1);
    table_tabs->addTab(worst_page, tr("Worst tokens"));
    connect(worst_variant_, &QComboBox::currentIndexChanged, this, [this] { fillWorstTable(); });
    notes_ = new QLabel(this);
    notes_->setWordWrap(true);
    notes_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    notes_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* notes_scroll = new QScrollArea(this);
    notes_scroll->setWidget(notes_);
    notes_scroll->setWidgetResizable(true);
    table_tabs->addTab(notes_scroll, tr("Run details"));

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(chart_tabs_);
    split->addWidget(table_tabs);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(split, 1);
    clear();
}

SampleKind ResultsView::sampleKind() const { return SampleKind(sample_kind_->currentData().toInt()); }

void ResultsView::clear() {
    result_ = {};
    has_result_ = false;
    summary_->setText(tr("No results yet: pick a model and press Run (Ctrl+R)."));
    setResult(result_);
    has_result_ = false;
}

void ResultsView::setResult(const BenchmarkResult& result) {
    result_ = result;
    has_result_ = true;
    const QStringList lines = summary_lines(result);
    if (!lines.isEmpty()) summary_->setText(lines.join(QLatin1Char('\n')));
    redrawLatency();
    plot_memory(memory_plot_, result_);
    plot_accuracy(accuracy_plot_, result_);
    fillSpeedTable();
    fillAccuracyTable();
    // keep the chosen variant in the drill-down while snapshots arrive
    const QString chosen = worst_variant_->currentText();
    {
        const QSignalBlocker block(worst_variant_);
        worst_variant_->clear();
        for (const VariantResult& v : result_.variants)
            if (v.options.method != Method::fp32) worst_variant_->addItem(QString::fromStdString(v.method));
        const int i = worst_variant_->findText(chosen);
        if (i >= 0) worst_variant_->setCurrentIndex(i);
    }
    fillWorstTable();
    fillNotes();
    stale_ = {latency_plot_, memory_plot_, accuracy_plot_};
    replotVisible();
}

void ResultsView::replotVisible() {
    // Rendering is the costly part of a live update: only the chart on screen is rendered now,
    // the others when their tab is opened.
    for (QCustomPlot* plot : {latency_plot_, memory_plot_, accuracy_plot_})
        if (stale_.contains(plot) && plot->isVisible()) {
            plot->replot();
            stale_.remove(plot);
        }
}

void ResultsView::showEvent(QShowEvent* event) {
    QWidget::showEvent(event);
    replotVisible();
}

void ResultsView::redrawLatency() { plot_latency(latency_plot_, result_, sampleKind()); }

void ResultsView::fillSpeedTable() {
    fill(speed_table_, speed_table(result_));
    for (int r = 0; r < speed_table_->rowCount() && r < int(result_.variants.size()); ++r) {
        const VariantResult& v = result_.variants[r];
        speed_table_->item(r, 0)->setToolTip(QString::fromStdString(method_summary(v.options.method)) +
                                             (v.method_detail.empty() ? QString() : QStringLiteral("\n") +
                                              QString::fromStdString(v.method_detail)));
    }
}

void ResultsView::fillAccuracyTable() { fill(accuracy_table_, accuracy_table(result_)); }

void ResultsView::fillWorstTable() {
    const QString name = worst_variant_->currentText();
    for (const VariantResult& v : result_.variants)
        if (QString::fromStdString(v.method) == name) return fill(worst_table_, worst_table(v));
    fill(worst_table_, TextTable{worst_table(VariantResult{}).header, {}});
}

void ResultsView::fillNotes() {
    QStringList lines;
    const auto& s = result_.settings;
    if (!s.model.empty()) {
        lines << tr("Model: %1").arg(QString::fromStdString(s.model));
        lines << tr("Run: %1 runs + %2 warm-up per prompt, %3 new tokens, %4 threads, seed %5")
                     .arg(s.runs).arg(s.warmup).arg(s.max_new_tokens).arg(result_.system.threads)
                     .arg(qulonglong(s.seed));
        lines << tr("Evaluation text: %1").arg(QString::fromStdString(result_.eval_text_source));
        lines << tr("Measured read bandwidth: %1").arg(format_read_bandwidth(result_));
        lines << tr("CPU: %1 (%2 logical cores), kernels: %3")
                     .arg(QString::fromStdString(result_.system.cpu_model))
                     .arg(result_.system.cores)
                     .arg(QString::fromStdString(result_.system.kernel_isa));
        lines << tr("Complete: %1, %2").arg(result_.complete ? tr("yes") : tr("no"),
                                            format_duration(result_.seconds));
    }
    for (const std::string& n : result_.notes) lines << QStringLiteral("• ") + QString::fromStdString(n);
    notes_->setText(lines.join(QLatin1Char('\n')));
}

}  // namespace qs::ui
