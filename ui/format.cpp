#include "format.h"

#include <QStringList>
#include <cmath>

namespace qs::ui {

bool measured(double v) { return std::isfinite(v); }
bool measured(int64_t v) { return v >= 0; }

QString format_number(double v, int decimals) {
    if (!measured(v)) return kNotMeasured;
    return QString::number(v, 'f', decimals);
}

QString format_ms(double ms) {
    if (!measured(ms)) return kNotMeasured;
    return std::abs(ms) >= 100 ? QString::number(ms, 'f', 0) : QString::number(ms, 'g', 3);
}

QString format_percent(double fraction, int decimals) {
    if (!measured(fraction)) return kNotMeasured;
    return QString::number(fraction * 100.0, 'f', decimals) + QLatin1Char('%');
}

QString format_bytes(int64_t bytes) {
    if (!measured(bytes)) return kNotMeasured;
    const double b = double(bytes);
    if (b >= 1024.0 * 1024 * 1024) return QString::number(b / (1024.0 * 1024 * 1024), 'f', 2) + " GiB";
    if (b >= 1024.0 * 1024) return QString::number(b / (1024.0 * 1024), 'f', 2) + " MiB";
    if (b >= 1024.0) return QString::number(b / 1024.0, 'f', 1) + " KiB";
    return QString::number(bytes) + " B";
}

QString format_ratio(const bench::Ratio& r) {
    if (!measured(r.value)) return kNotMeasured;
    QString s = QString::number(r.value, 'f', 2) + QStringLiteral("×");
    if (measured(r.ci.lo) && measured(r.ci.hi))
        s += QStringLiteral(" (%1–%2)").arg(r.ci.lo, 0, 'f', 2).arg(r.ci.hi, 0, 'f', 2);
    return s;
}

QString format_duration(double seconds) {
    if (!measured(seconds) || seconds < 0) return kNotMeasured;
    const int s = int(std::lround(seconds));
    if (s < 60) return QString::number(s) + " s";
    if (s < 3600) return QStringLiteral("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString format_read_bandwidth(const bench::BenchmarkResult& r) {
    if (!measured(r.read_bandwidth_gbps)) return kNotMeasured;
    const QString gbps = format_number(r.read_bandwidth_gbps, 1) + QStringLiteral(" GB/s");
    if (r.read_bandwidth_samples_gbps.empty()) return gbps;
    return QStringLiteral("%1, median of %2 samples between the speed runs")
        .arg(gbps)
        .arg(r.read_bandwidth_samples_gbps.size());
}

int64_t memory_bytes(const bench::VariantResult& v) {
    return measured(v.peak_rss_bytes) ? v.peak_rss_bytes : v.weight_bytes;
}

namespace {

// "3.7× faster decode" or "1.4× slower decode": speedup is fp32 time / variant time.
QString speed_phrase(double speedup) {
    if (!measured(speedup) || speedup <= 0) return QStringLiteral("decode speed not measured");
    if (speedup >= 1.0) return QStringLiteral("%1× faster decode").arg(speedup, 0, 'f', 1);
    return QStringLiteral("%1× slower decode").arg(1.0 / speedup, 0, 'f', 1);
}

QString memory_phrase(const bench::VariantResult& fp32, const bench::VariantResult& v) {
    // Compare like with like: peak RSS only when both have it.
    const bool rss = measured(fp32.peak_rss_bytes) && measured(v.peak_rss_bytes);
    const int64_t a = rss ? fp32.peak_rss_bytes : fp32.weight_bytes;
    const int64_t b = rss ? v.peak_rss_bytes : v.weight_bytes;
    if (!measured(a) || !measured(b) || a == 0) return QStringLiteral("memory not measured");
    const double change = 1.0 - double(b) / double(a);
    const QString what = rss ? QStringLiteral("memory") : QStringLiteral("weight memory");
    if (change >= 0) return QStringLiteral("%1% less %2").arg(std::lround(change * 100)).arg(what);
    return QStringLiteral("%1% more %2").arg(std::lround(-change * 100)).arg(what);
}

QString perplexity_phrase(const bench::VariantResult& fp32, const bench::VariantResult& v) {
    const double a = fp32.accuracy.perplexity, b = v.accuracy.perplexity;
    if (!measured(a) || !measured(b) || a <= 0) return QStringLiteral("perplexity not measured");
    // Rounded first (+ 0.0 turns -0.0 into 0.0), so a change under 0.05% reads "+0.0%", not "-0.0%".
    const double shown = std::round((b / a - 1.0) * 1000.0) / 10.0 + 0.0;
    return QStringLiteral("%1%2% perplexity").arg(shown >= 0 ? "+" : "").arg(shown, 0, 'f', 1);
}

// The engine's paired speedup when it has one, else the ratio of the two throughputs.
double decode_speedup(const bench::VariantResult& fp32, const bench::VariantResult& v) {
    if (measured(v.decode_speedup.value)) return v.decode_speedup.value;
    if (measured(fp32.decode_tokens_per_s) && measured(v.decode_tokens_per_s) &&
        fp32.decode_tokens_per_s > 0)
        return v.decode_tokens_per_s / fp32.decode_tokens_per_s;
    return bench::kNotMeasured;
}

}  // namespace

QString summary_line(const bench::VariantResult& fp32, const bench::VariantResult& v) {
    const QString name = QString::fromStdString(v.method);
    if (v.status == "failed")
        return QStringLiteral("%1: failed — %2").arg(name, QString::fromStdString(v.error));
    if (v.status == "pending") return QStringLiteral("%1: waiting to run").arg(name);
    QStringList parts;
    if (&fp32 == &v || v.options.method == Method::fp32) {
        parts << QStringLiteral("%1 tok/s decode").arg(format_number(v.decode_tokens_per_s, 1))
              << QStringLiteral("%1 memory").arg(format_bytes(memory_bytes(v)))
              << QStringLiteral("perplexity %1").arg(format_number(v.accuracy.perplexity, 2));
        return QStringLiteral("%1 (baseline): %2").arg(name, parts.join(QStringLiteral(" · ")));
    }
    parts << speed_phrase(decode_speedup(fp32, v)) << memory_phrase(fp32, v);
    if (measured(v.accuracy.top1_agreement))
        parts << QStringLiteral("%1 top-1 agreement").arg(format_percent(v.accuracy.top1_agreement));
    else
        parts << QStringLiteral("top-1 agreement not measured");
    parts << perplexity_phrase(fp32, v);
    QString line = name + QStringLiteral(": ") + parts.join(QStringLiteral(" · "));
    if (v.status == "cancelled") line += QStringLiteral(" (cancelled part-way)");
    return line;
}

}  // namespace qs::ui
