#include "bench_runner.h"

#include <QElapsedTimer>
#include <QThread>

#include "bench/benchmark.h"

namespace qs::ui {

BenchRunner::BenchRunner(QObject* parent) : QObject(parent) {
    qRegisterMetaType<qs::bench::BenchmarkResult>();
    connect(this, &BenchRunner::workerDone, this,
            [this](bool ok, const bench::BenchmarkResult& result, const QString& error, bool cancelled) {
                endThread();
                emit finished(ok, result, error, cancelled);
            },
            Qt::QueuedConnection);
}

BenchRunner::~BenchRunner() {
    cancel();
    wait();
}

bool BenchRunner::start(const bench::BenchmarkSettings& settings) {
    if (thread_) return false;
    token_ = std::make_shared<CancelToken>();
    // The lambdas run on the worker thread; emitting from there to receivers in the GUI thread
    // queues a copy of every argument, so the GUI never touches the engine's data.
    thread_ = QThread::create([this, settings, token = token_] {
        Control control;
        control.cancel = token.get();
        // Progress can come per token: pass it on at most every 50 ms (and at every stage end)
        // so the GUI event queue never floods.
        QElapsedTimer since_last;
        control.progress = [this, &since_last](const Progress& p) {
            if (since_last.isValid() && since_last.elapsed() < 50 && p.done < p.total) return;
            since_last.start();
            emit progress(QString::fromStdString(p.stage), p.done, p.total);
        };
        auto on_update = [this](const bench::BenchmarkResult& snap) { emit snapshot(snap); };
        Result<bench::BenchmarkResult> r = bench::run_benchmark(settings, control, on_update);
        if (r)
            emit workerDone(true, r.value(), QString(), !r.value().complete && token->cancelled());
        else
            emit workerDone(false, bench::BenchmarkResult{}, QString::fromStdString(r.error().message),
                          r.error().cancelled);
    });
    thread_->start();
    return true;
}

void BenchRunner::cancel() {
    if (token_) token_->cancel();
}

void BenchRunner::wait() { endThread(); }

void BenchRunner::endThread() {
    if (!thread_) return;
    thread_->wait();
    delete thread_;
    thread_ = nullptr;
}

}  // namespace qs::ui
