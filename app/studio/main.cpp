// quantscope-studio: the desktop application. Everything is in qs_ui; this only sets up the
// application, parses the command line and shows the window.
#include <QApplication>
#include <QCommandLineParser>
#include <QFile>
#include <QTimer>
#include <cstdio>

#include "bench/benchmark.h"
#include "builtin_models.h"
#include "common/openblas_kernels.h"
#include "common/version.h"
#include "main_window.h"
#include "model_panel.h"
#include "pdf_report.h"
#include "screenshot_tour.h"

namespace {

int export_pdf(const QStringList& inputs, const QString& out) {
    if (inputs.size() != 1) {
        std::fprintf(stderr, "quantscope-studio: --export-pdf needs exactly one result JSON\n");
        return 2;
    }
    QFile in(inputs.front());
    if (!in.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "quantscope-studio: %s: cannot open\n", qPrintable(inputs.front()));
        return 2;
    }
    auto result = qs::bench::result_from_json(in.readAll().toStdString());
    if (!result) {
        std::fprintf(stderr, "quantscope-studio: %s: %s\n", qPrintable(inputs.front()),
                     result.error().message.c_str());
        return 2;
    }
    const qs::Status written = qs::ui::write_pdf_report(out, result.value());
    if (!written) {
        std::fprintf(stderr, "quantscope-studio: %s\n", written.error().message.c_str());
        return 2;
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    qs::select_openblas_kernels();  // before QApplication starts threads: it sets the environment
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    QApplication::setApplicationName(QStringLiteral("quantscope-studio"));
    QApplication::setApplicationVersion(QString::fromStdString(qs::version()));
    // Ties the window to packaging/io.github.quantscope.Quantscope.desktop (Wayland app id, icon).
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.quantscope.Quantscope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Quantize language models and see what it buys and costs."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("model"), QStringLiteral("Model to open (folder, file or synthetic:NAME)."),
                                 QStringLiteral("[model]"));
    QCommandLineOption shots(QStringLiteral("screenshot-dir"),
                             QStringLiteral("Run the screenshot tour (empty, model, running, results) into DIR and quit."),
                             QStringLiteral("DIR"));
    parser.addOption(shots);
    // For the package test: proves the installed binary starts, finds its built-in models and
    // loads one, without a display (QT_QPA_PLATFORM=offscreen) and in a second.
    QCommandLineOption smoke(
        QStringLiteral("smoke-test"),
        QStringLiteral("Show the window, load the model (default: the first built-in one) once the "
                       "event loop runs, print what was loaded and quit (exit 0 if it loaded)."));
    parser.addOption(smoke);
    // For `quantscope benchmark --pdf`: the CLI stays free of Qt, so it hands its JSON result to
    // this program, which draws the report with the same code as File > Export PDF.
    QCommandLineOption pdf(QStringLiteral("export-pdf"),
                           QStringLiteral("Write the PDF report of a saved run (the positional argument: a result "
                                          "JSON) to FILE and quit, without showing a window."),
                           QStringLiteral("FILE"));
    parser.addOption(pdf);
    parser.process(app);

    if (parser.isSet(pdf)) return export_pdf(parser.positionalArguments(), parser.value(pdf));

    qs::ui::MainWindow window;
    window.show();
    if (parser.isSet(shots)) {
        qs::ui::TourOptions options;
        options.dir = parser.value(shots);
        if (!parser.positionalArguments().isEmpty()) options.model = parser.positionalArguments().front();
        if (!qs::ui::start_screenshot_tour(window, options)) return 2;
    } else if (parser.isSet(smoke)) {
        const QString model = parser.positionalArguments().isEmpty()
            ? qs::ui::builtin_models(QCoreApplication::applicationDirPath()).front().spec
            : parser.positionalArguments().front();
        QTimer::singleShot(0, &window, [&window, model] {
            const bool loaded = window.modelPanel()->loadModel(model);
            std::printf("%s %s\n", loaded ? "loaded" : "could not load", qPrintable(model));
            QApplication::exit(loaded ? 0 : 2);
        });
    } else if (!parser.positionalArguments().isEmpty()) {
        window.modelPanel()->loadModel(parser.positionalArguments().front());
    }
    return app.exec();
}
