#pragma once
// The PDF report of a run (QPdfWriter, A4): summary and tables, the charts drawn as vectors by
// the same QCustomPlot code as the window, the worst tokens, the settings and the system. Text
// is real text, so the numbers can be searched and extracted (pdftotext).
#include <QString>

#include "bench/bench_result.h"
#include "common/result.h"

namespace qs::ui {

Status write_pdf_report(const QString& path, const bench::BenchmarkResult& result);

}  // namespace qs::ui
