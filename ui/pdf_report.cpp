#include "pdf_report.h"

#include <qcustomplot.h>

#include <QDir>
#include <QFileInfo>
#include <QPdfWriter>
#include <QTextDocument>

#include "charts.h"
#include "format.h"
#include "results_view.h"

namespace qs::ui {

namespace {

using bench::BenchmarkResult;

// The writer works at 96 units per inch, like a screen, so charts and fonts have their on-screen
// sizes. (At a higher resolution with the painter scaled down, QCustomPlot's point-sized fonts
// are resolved against the device's DPI and then scaled again: axis labels came out 6x too big.)
// The output is vector graphics and text either way.
constexpr int kLogicalDpi = 96;

QString esc(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

// Cells do not wrap: a wrapped number ("1234567." over "8") reads wrong and cannot be searched.
// Only prose_column (the worst tokens' context) wraps. Headers wrap between words; the table's
// font is a little smaller so the eleven speed columns fit portrait A4.
QString html_table(const TextTable& t, int prose_column = -1) {
    QString h = QStringLiteral("<table border='1' cellspacing='0' cellpadding='2' width='100%' style='font-size:7.5pt'><tr>");
    for (const QString& c : t.header) h += QStringLiteral("<th>%1</th>").arg(c.toHtmlEscaped());
    h += QStringLiteral("</tr>");
    for (const QStringList& row : t.rows) {
        h += QStringLiteral("<tr>");
        for (int i = 0; i < row.size(); ++i)
            h += (i == prose_column ? QStringLiteral("<td>%1</td>") : QStringLiteral("<td style='white-space:nowrap'>%1</td>"))
                     .arg(row[i].toHtmlEscaped());
        h += QStringLiteral("</tr>");
    }
    return h + QStringLiteral("</table>");
}

QString kv_table(const QVector<QPair<QString, QString>>& rows) {
    QString h = QStringLiteral("<table cellpadding='2'>");
    for (const auto& [k, v] : rows)
        h += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(k.toHtmlEscaped(), v.toHtmlEscaped());
    return h + QStringLiteral("</table>");
}

QString summary_html(const BenchmarkResult& r) {
    QString h = QStringLiteral("<h1>Quantscope benchmark report</h1>");
    h += kv_table({{"Model", QString::fromStdString(r.settings.model)},
                   {"Created", QString::fromStdString(r.created_at)},
                   {"Complete", r.complete ? "yes" : "no (cancelled or failed part-way)"},
                   {"Duration", format_duration(r.seconds)},
                   {"Evaluation text", QString::fromStdString(r.eval_text_source)}});
    h += QStringLiteral("<h2>Summary (measured in this run, against fp32)</h2><ul>");
    for (const QString& line : summary_lines(r)) h += QStringLiteral("<li>%1</li>").arg(line.toHtmlEscaped());
    h += QStringLiteral("</ul><h2>Speed and memory</h2>") + html_table(speed_table(r));
    h += QStringLiteral("<h2>Accuracy</h2>") + html_table(accuracy_table(r));
    return h;
}

QString details_html(const BenchmarkResult& r) {
    QString h = QStringLiteral("<h2>Worst tokens (largest KL against fp32)</h2>");
    for (const bench::VariantResult& v : r.variants) {
        if (v.options.method == Method::fp32) continue;
        h += QStringLiteral("<h3>%1</h3>").arg(esc(v.method));
        h += v.accuracy.worst.empty() ? QStringLiteral("<p>not measured</p>") : html_table(worst_table(v), kWorstContextColumn);
    }
    const bench::BenchmarkSettings& s = r.settings;
    QStringList methods, prompts;
    for (const QuantOptions& o : s.methods)
        methods << QString::fromStdString(method_name(o.method)) +
                       (o.method == Method::int4 ? QStringLiteral(" g%1").arg(o.group_size) : QString());
    for (const std::string& p : s.prompts) prompts << QString::fromStdString(p);
    h += QStringLiteral("<h2>Settings</h2>");
    h += kv_table({{"Model", QString::fromStdString(s.model)},
                   {"Tokenizer", s.tokenizer.empty() ? "beside the model" : QString::fromStdString(s.tokenizer)},
                   {"Methods", methods.join(", ")},
                   {"Prompts", prompts.isEmpty() ? "built-in defaults" : prompts.join(" | ")},
                   {"Max new tokens", QString::number(s.max_new_tokens)},
                   {"Runs / warm-up", QStringLiteral("%1 / %2").arg(s.runs).arg(s.warmup)},
                   {"Threads", s.threads == 0 ? "all cores" : QString::number(s.threads)},
                   {"Seed", QString::number(qulonglong(s.seed))},
                   {"Evaluation text", s.eval_text_path.empty() ? "sampled from fp32" : QString::fromStdString(s.eval_text_path)},
                   {"Evaluation tokens", s.eval_tokens == 0 ? "whole text" : QString::number(s.eval_tokens)},
                   {"Task file", s.task_path.empty() ? "none" : QString::fromStdString(s.task_path)},
                   {"Memory measured", s.measure_memory ? "yes (isolated child process)" : "no"},
                   {"Saved to", s.save_dir.empty() ? "not saved" : QString::fromStdString(s.save_dir)}});
    const bench::SystemInfo& y = r.system;
    QStringList flags;
    for (const std::string& f : y.cpu_flags) flags << QString::fromStdString(f);
    h += QStringLiteral("<h2>System</h2>");
    h += kv_table({{"CPU", QString::fromStdString(y.cpu_model)},
                   {"CPU flags", flags.join(' ')},
                   {"Logical cores / threads used", QStringLiteral("%1 / %2").arg(y.cores).arg(y.threads)},
                   {"RAM", format_bytes(y.ram_bytes > 0 ? y.ram_bytes : -1)},
                   {"Read bandwidth (measured)", format_read_bandwidth(r)},
                   {"OS", QString::fromStdString(y.os)},
                   {"Kernels", QString::fromStdString(y.kernel_isa)},
                   {"libtorch", QString::fromStdString(y.libtorch_version)},
                   {"oneDNN", QString::fromStdString(y.onednn_version)},
                   {"OpenBLAS", QString::fromStdString(y.openblas_config)},
                   // Only the studio sets it: a CLI run used no Qt (the studio only drew its PDF).
                   {"Qt", y.qt_version.empty() ? QStringLiteral("not used (run from the CLI)")
                                               : QString::fromStdString(y.qt_version)},
                   {"Quantscope", QString::fromStdString(y.quantscope_version + " (" + y.git_commit + ", " +
                                                         y.build_type + ")")}});
    if (!r.notes.empty()) {
        h += QStringLiteral("<h2>Notes</h2><ul>");
        for (const std::string& n : r.notes) h += QStringLiteral("<li>%1</li>").arg(esc(n));
        h += QStringLiteral("</ul>");
    }
    return h;
}

class Report {
public:
    Report(QPdfWriter& writer) : writer_(writer), painter_(&writer) {
        painter_.setMode(QCPPainter::pmVectorized);
        painter_.setMode(QCPPainter::pmNoCaching);
        page_ = writer.pageLayout().paintRectPixels(writer.resolution()).size();
    }
    bool ok() const { return painter_.isActive(); }

    // Lays out HTML over as many pages as it needs.
    void html(const QString& body) {
        QTextDocument doc;
        QFont font;
        font.setPointSizeF(8.5);
        doc.setDefaultFont(font);
        // Qt's default also breaks inside a word when a column is narrow ("lat/enc/y").
        QTextOption words;
        words.setWrapMode(QTextOption::WordWrap);
        doc.setDefaultTextOption(words);
        doc.setHtml(body);
        doc.setPageSize(page_);
        for (int i = 0; i < doc.pageCount(); ++i) {
            newPage();
            painter_.save();
            painter_.translate(0, -i * page_.height());
            doc.drawContents(&painter_, QRectF(0, i * page_.height(), page_.width(), page_.height()));
            painter_.restore();
        }
    }

    // Draws the plot as vectors, width of the page, at the given height and vertical offset.
    void chart(QCustomPlot& plot, double top, double height) {
        painter_.save();
        painter_.translate(0, top);
        plot.toPainter(&painter_, int(page_.width()), int(height));
        painter_.restore();
    }

    void newPage() {
        if (pages_++ > 0) writer_.newPage();
    }
    QSizeF page() const { return page_; }

private:
    QPdfWriter& writer_;
    QCPPainter painter_;
    QSizeF page_;
    int pages_ = 0;
};

// Charts in the report are on white paper whatever the screen theme is.
QPalette paper_palette() {
    QPalette p;
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::WindowText, Qt::black);
    p.setColor(QPalette::Mid, QColor(0xb0, 0xb0, 0xb0));
    return p;
}

}  // namespace

Status write_pdf_report(const QString& path, const BenchmarkResult& result) {
    // Written beside the target and renamed, so a failure never leaves half a PDF.
    const QFileInfo target(path);
    if (!target.absoluteDir().exists())
        return Error{QStringLiteral("cannot write %1: folder does not exist").arg(path).toStdString()};
    const QString temp = target.absolutePath() + QStringLiteral("/.") + target.fileName() + QStringLiteral(".tmp");
    {
        QPdfWriter writer(temp);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setResolution(kLogicalDpi);
        writer.setTitle(QStringLiteral("Quantscope benchmark report"));
        writer.setCreator(QStringLiteral("quantscope-studio"));
        Report report(writer);
        if (!report.ok()) return Error{QStringLiteral("cannot write %1").arg(path).toStdString()};

        report.html(summary_html(result));

        QCustomPlot plot;
        plot.setPalette(paper_palette());
        const double h = report.page().height();
        report.newPage();
        plot_latency(&plot, result, SampleKind::decode_token);
        report.chart(plot, 0, h * 0.48);
        plot_latency(&plot, result, SampleKind::ttft);
        report.chart(plot, h * 0.52, h * 0.48);
        report.newPage();
        plot_memory(&plot, result);
        report.chart(plot, 0, h * 0.38);
        plot_accuracy(&plot, result);
        report.chart(plot, h * 0.42, h * 0.58);

        report.html(details_html(result));
    }
    QFile::remove(path);
    if (!QFile::rename(temp, path)) {
        QFile::remove(temp);
        return Error{QStringLiteral("cannot write %1").arg(path).toStdString()};
    }
    return {};
}

}  // namespace qs::ui
