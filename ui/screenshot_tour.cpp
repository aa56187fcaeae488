#include "screenshot_tour.h"

#include <QApplication>
#include <QDir>
#include <QTimer>
#include <cstdio>

#include "main_window.h"
#include "model_panel.h"
#include "run_setup.h"

namespace qs::ui {

namespace {

bool grab(MainWindow& window, const QString& dir, const QString& name) {
    QApplication::processEvents();
    const QString path = QDir(dir).filePath(name + QStringLiteral(".png"));
    const bool ok = window.grab().save(path);
    std::fprintf(stderr, "%s %s\n", ok ? "wrote" : "could not write", qPrintable(path));
    return ok;
}

}  // namespace

bool start_screenshot_tour(MainWindow& window, const TourOptions& options) {
    if (!QDir().mkpath(options.dir)) {
        std::fprintf(stderr, "cannot create %s\n", qPrintable(options.dir));
        return false;
    }
    QTimer::singleShot(300, &window, [&window, options] {
        grab(window, options.dir, QStringLiteral("empty"));
        if (!window.modelPanel()->loadModel(options.model)) {
            QApplication::exit(2);
            return;
        }
        grab(window, options.dir, QStringLiteral("model"));
        window.runSetup()->setRuns(options.runs, 1);
        // "running": once the first variant's samples are on screen, while the rest still runs.
        auto* running = new QMetaObject::Connection;
        *running = QObject::connect(window.runner(), &BenchRunner::snapshot, &window,
            [&window, options, running](const bench::BenchmarkResult& r) {
                for (const auto& v : r.variants)
                    if (v.status == "pending" && !r.variants.front().decode_token_ms.empty()) {
                        QObject::disconnect(*running);
                        // let the throttled redraw show this snapshot first
                        QTimer::singleShot(400, &window, [&window, options] {
                            grab(window, options.dir, QStringLiteral("running"));
                        });
                        return;
                    }
            });
        QObject::connect(&window, &MainWindow::runFinished, &window, [&window, options, running] {
            delete running;
            QTimer::singleShot(300, &window, [&window, options] {
                grab(window, options.dir, QStringLiteral("results"));
                QApplication::exit(0);
            });
        });
        window.startRun();
    });
    return true;
}

}  // namespace qs::ui
