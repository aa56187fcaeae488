#pragma once
// One benchmark result on screen: the summary lines, the charts (latency histograms, memory,
// accuracy) and the tables (speed, accuracy, worst tokens, notes). Shows partial results while
// a run is going (setResult is called with each snapshot) and saved runs opened from disk.
#include <QSet>
#include <QWidget>

#include "bench/bench_result.h"
#include "charts.h"

class QComboBox;
class QCustomPlot;
class QLabel;
class QTableWidget;
class QTabWidget;

namespace qs::ui {

class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(QWidget* parent = nullptr);

    void setResult(const bench::BenchmarkResult& result);
    void clear();
    const bench::BenchmarkResult& result() const { return result_; }
    bool hasResult() const { return has_result_; }

    // The widgets, for the PDF report and the tests.
    QCustomPlot* latencyPlot() const { return latency_plot_; }
    QCustomPlot* memoryPlot() const { return memory_plot_; }
    QCustomPlot* accuracyPlot() const { return accuracy_plot_; }
    QTableWidget* speedTable() const { return speed_table_; }
    QTableWidget* accuracyTable() const { return accuracy_table_; }
    QTableWidget* worstTable() const { return worst_table_; }
    QLabel* summaryLabel() const { return summary_; }
    QTabWidget* chartTabs() const { return chart_tabs_; }
    SampleKind sampleKind() const;

protected:
    void showEvent(QShowEvent* event) override;

private:
    void replotVisible();
    void redrawLatency();
    void fillSpeedTable();
    void fillAccuracyTable();
    void fillWorstTable();
    void fillNotes();

    QSet<QCustomPlot*> stale_;  // drawn into but not yet rendered
    bench::BenchmarkResult result_;
    bool has_result_ = false;
    QLabel* summary_;
    QTabWidget* chart_tabs_;
    QComboBox* sample_kind_;
    QCustomPlot* latency_plot_;
    QCustomPlot* memory_plot_;
    QCustomPlot* accuracy_plot_;
    QTableWidget* speed_table_;
    QTableWidget* accuracy_table_;
    QComboBox* worst_variant_;
    QTableWidget* worst_table_;
    QLabel* notes_;
};

// The summary lines of a result, one per variant, fp32 first (what the window and PDF show).
QStringList summary_lines(const bench::BenchmarkResult& result);

// Table contents shared by the window and the PDF: header + rows of display strings.
struct TextTable {
    QStringList header;
    QVector<QStringList> rows;
};
TextTable speed_table(const bench::BenchmarkResult& result);
TextTable accuracy_table(const bench::BenchmarkResult& result);
TextTable worst_table(const bench::VariantResult& variant);
constexpr int kWorstContextColumn = 2;  // the one column of worst_table that is prose, not a figure

}  // namespace qs::ui
