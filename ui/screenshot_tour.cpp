#include "screenshot_tour.h"

#include <QApplication>
#include <QDir>
#include <QTabWidget>
#include <QTimer>
#include <cstdio>

#include "builtin_models.h"
#include "main_window.h"
#include "model_panel.h"
#include "results_view.h"
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
        const QString model = options.model.isEmpty()
            ? builtin_models(QCoreApplication::applicationDirPath()).front().spec : options.model;
        if (!window.modelPanel()->loadModel(model)) {
            QApplication::exit(2);
            return;
        }
        grab(window, options.dir, QStringLiteral("model"));
        window.runSetup()->setRuns(options.runs, 1);
        // "running": once the first timing samples are on screen, while the run goes on.
        auto* running = new QMetaObject::Connection;
        *running = QObject::connect(window.runner(), &BenchRunner::snapshot, &window,
            [&window, options, running](const bench::BenchmarkResult& r) {
                for (const auto& v : r.variants)
                    if (!v.decode_token_ms.empty()) {
                        QObject::disconnect(*running);
                        // let the throttled redraw show this snapshot first
                        QTimer::singleShot(600, &window, [&window, options] {
                            grab(window, options.dir, QStringLiteral("running"));
                        });
                        return;
                    }
            });
        QObject::connect(&window, &MainWindow::runFinished, &window, [&window, options, running] {
            delete running;
            QTimer::singleShot(300, &window, [&window, options] {
                grab(window, options.dir, QStringLiteral("results"));
                // the other two charts of the same results
                QTabWidget* charts = window.currentRunView()->chartTabs();
                charts->setCurrentIndex(1);
                grab(window, options.dir, QStringLiteral("results-memory"));
                charts->setCurrentIndex(2);
                grab(window, options.dir, QStringLiteral("results-accuracy"));
                QApplication::exit(0);
            });
        });
        window.startRun();
    });
    return true;
}

}  // namespace qs::ui
