#pragma once
// Reports on disk: the run as its versioned JSON (Save run / Open run) and as CSV (summary and
// raw samples). Every file is written under a temporary name and renamed into place.
#include <QString>

#include "bench/bench_result.h"
#include "common/result.h"

namespace qs::ui {

Status save_run(const QString& path, const bench::BenchmarkResult& result);
Result<bench::BenchmarkResult> open_run(const QString& path);

// Writes summary_csv to `path` and samples_csv beside it as <base>-samples.csv; returns the
// samples file's path.
Result<QString> export_csv(const QString& path, const bench::BenchmarkResult& result);
QString samples_csv_path(const QString& summary_path);

// Atomic text write (QSaveFile): the target is replaced only when everything was written.
Status write_text_file(const QString& path, const QByteArray& content);

}  // namespace qs::ui
