// quantscope-studio: the desktop application. Everything is in qs_ui; this only sets up the
// application, parses the command line and shows the window.
#include <QApplication>
#include <QCommandLineParser>

#include "common/version.h"
#include "main_window.h"
#include "model_panel.h"
#include "screenshot_tour.h"

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Quantscope"));
    QApplication::setApplicationName(QStringLiteral("quantscope-studio"));
    QApplication::setApplicationVersion(QString::fromStdString(qs::version()));

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
    parser.process(app);

    qs::ui::MainWindow window;
    window.show();
    if (parser.isSet(shots)) {
        qs::ui::TourOptions options;
        options.dir = parser.value(shots);
        if (!parser.positionalArguments().isEmpty()) options.model = parser.positionalArguments().front();
        if (!qs::ui::start_screenshot_tour(window, options)) return 2;
    } else if (!parser.positionalArguments().isEmpty()) {
        window.modelPanel()->loadModel(parser.positionalArguments().front());
    }
    return app.exec();
}
