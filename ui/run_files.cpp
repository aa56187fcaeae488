#include "run_files.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include "bench/benchmark.h"

namespace qs::ui {

Status write_text_file(const QString& path, const QByteArray& content) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()).toStdString()};
    if (file.write(content) != content.size() || !file.commit())
        return Error{QStringLiteral("cannot write %1: %2").arg(path, file.errorString()).toStdString()};
    return {};
}

Status save_run(const QString& path, const bench::BenchmarkResult& result) {
    return write_text_file(path, QByteArray::fromStdString(bench::result_to_json(result)));
}

Result<bench::BenchmarkResult> open_run(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{QStringLiteral("cannot read %1: %2").arg(path, file.errorString()).toStdString()};
    Result<bench::BenchmarkResult> r = bench::result_from_json(file.readAll().toStdString());
    if (!r) return Error{QStringLiteral("%1: ").arg(path).toStdString() + r.error().message};
    return r;
}

QString samples_csv_path(const QString& summary_path) {
    const QFileInfo info(summary_path);
    return info.absolutePath() + QLatin1Char('/') + info.completeBaseName() + QStringLiteral("-samples.csv");
}

Result<QString> export_csv(const QString& path, const bench::BenchmarkResult& result) {
    Status s = write_text_file(path, QByteArray::fromStdString(bench::summary_csv(result)));
    if (!s) return s.error();
    const QString samples = samples_csv_path(path);
    s = write_text_file(samples, QByteArray::fromStdString(bench::samples_csv(result)));
    if (!s) return s.error();
    return samples;
}

}  // namespace qs::ui
