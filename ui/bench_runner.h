#pragma once
// Runs one benchmark on a worker thread and hands its progress and snapshots to the GUI thread
// through queued signals (each carries its own copy of the data). Cancel sets core's
// CancelToken, which the engine checks between layers and samples.
#include <QObject>
#include <QString>
#include <memory>

#include "bench/bench_result.h"
#include "common/progress.h"

class QThread;

namespace qs::ui {

class BenchRunner : public QObject {
    Q_OBJECT
public:
    explicit BenchRunner(QObject* parent = nullptr);
    ~BenchRunner() override;

    bool running() const { return thread_ != nullptr; }
    // Starts a run; false (and nothing started) when one is already running.
    bool start(const bench::BenchmarkSettings& settings);
    void cancel();
    // Blocks until the worker thread has ended (used on quit).
    void wait();

signals:
    void progress(const QString& stage, qint64 done, qint64 total);
    void snapshot(const qs::bench::BenchmarkResult& result);
    // ok: a result (complete or, when cancelled, partial); else error holds the reason.
    void finished(bool ok, const qs::bench::BenchmarkResult& result, const QString& error,
                  bool cancelled);

    // Emitted on the worker thread; the runner ends the thread before passing it on as finished.
    void workerDone(bool ok, const qs::bench::BenchmarkResult& result, const QString& error,
                    bool cancelled);

private:
    void endThread();

    QThread* thread_ = nullptr;
    std::shared_ptr<CancelToken> token_;
};

}  // namespace qs::ui

Q_DECLARE_METATYPE(qs::bench::BenchmarkResult)
