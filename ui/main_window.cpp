#include "main_window.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QStyle>
#include <QTabBar>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

#include "error_banner.h"
#include "format.h"
#include "model_panel.h"
#include "pdf_report.h"
#include "results_view.h"
#include "run_files.h"
#include "run_setup.h"

namespace qs::ui {

namespace {

// Snapshots can arrive many times a second; drawing at most this often keeps the GUI fluid.
constexpr int kRedrawMs = 250;

QGroupBox* group(const QString& title, QWidget* content) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    layout->addWidget(content);
    return box;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setWindowTitle(tr("Quantscope Studio"));
    setMinimumSize(1024, 680);
    probe_ = QCoreApplication::applicationDirPath() + QStringLiteral("/quantscope");
    runner_ = new BenchRunner(this);
    connect(runner_, &BenchRunner::progress, this, &MainWindow::onProgress);
    connect(runner_, &BenchRunner::snapshot, this, &MainWindow::onSnapshot);
    connect(runner_, &BenchRunner::finished, this, &MainWindow::onFinished);
    redraw_timer_ = new QTimer(this);
    redraw_timer_->setSingleShot(true);
    redraw_timer_->setInterval(kRedrawMs);
    connect(redraw_timer_, &QTimer::timeout, this, [this] { current_view_->setResult(pending_); });

    banner_ = new ErrorBanner(this);
    model_panel_ = new ModelPanel(QCoreApplication::applicationDirPath(), this);
    run_setup_ = new RunSetup(this);
    connect(model_panel_, &ModelPanel::error, this, &MainWindow::showError);
    connect(run_setup_, &RunSetup::error, this, &MainWindow::showError);
    connect(run_setup_, &RunSetup::int4GroupSizeChanged, model_panel_, &ModelPanel::setInt4GroupSize);
    connect(model_panel_, &ModelPanel::modelLoaded, this, [this](const QString& spec) {
        banner_->hide();
        setWindowTitle(tr("Quantscope Studio — %1").arg(QFileInfo(spec).fileName().isEmpty()
                                                             ? spec : QFileInfo(spec).fileName()));
        statusBar()->showMessage(tr("Loaded %1").arg(spec), 5000);
    });

    setup_area_ = new QWidget;
    auto* setup_layout = new QVBoxLayout(setup_area_);
    setup_layout->addWidget(group(tr("Model"), model_panel_));
    setup_layout->addWidget(group(tr("Run setup"), run_setup_));
    auto* scroll = new QScrollArea;
    scroll->setWidget(setup_area_);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(400);

    current_view_ = new ResultsView;
    tabs_ = new QTabWidget;
    tabs_->setDocumentMode(true);
    tabs_->setTabsClosable(true);
    tabs_->addTab(current_view_, tr("Current run"));
    tabs_->tabBar()->setTabButton(0, QTabBar::RightSide, nullptr);  // the live tab stays
    connect(tabs_, &QTabWidget::tabCloseRequested, this, [this](int i) {
        if (i == 0) return;
        QWidget* w = tabs_->widget(i);
        tabs_->removeTab(i);
        w->deleteLater();
    });

    auto* split = new QSplitter(Qt::Horizontal);
    split->addWidget(scroll);
    split->addWidget(tabs_);
    split->setStretchFactor(0, 0);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    run_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaPlay), tr("Run"));
    run_button_->setToolTip(tr("Quantize and benchmark the selected methods (Ctrl+R)"));
    cancel_button_ = new QPushButton(style()->standardIcon(QStyle::SP_MediaStop), tr("Cancel"));
    cancel_button_->setToolTip(tr("Stop the run; what was measured so far is kept (Esc)"));
    connect(run_button_, &QPushButton::clicked, this, &MainWindow::startRun);
    connect(cancel_button_, &QPushButton::clicked, this, &MainWindow::cancelRun);
    progress_ = new QProgressBar;
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setMinimumWidth(200);
    stage_ = new QLabel(tr("Idle"));
    stage_->setMinimumWidth(260);
    auto* run_bar = new QHBoxLayout;
    run_bar->addWidget(run_button_);
    run_bar->addWidget(cancel_button_);
    run_bar->addWidget(progress_, 1);
    run_bar->addWidget(stage_, 1);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(banner_);
    layout->addWidget(split, 1);
    layout->addLayout(run_bar);
    setCentralWidget(central);

    buildMenus();
    setRunning(false);
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray())) resize(1280, 820);
}

MainWindow::~MainWindow() {
    runner_->cancel();
    runner_->wait();
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    auto add = [this](QMenu* menu, const QString& text, const QKeySequence& key, auto slot) {
        QAction* a = menu->addAction(text);
        if (!key.isEmpty()) a->setShortcut(key);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    add(file, tr("Open model &file…"), QKeySequence::Open, [this] { model_panel_->openFile(); });
    add(file, tr("Open model f&older…"), QKeySequence(tr("Ctrl+Shift+O")), [this] { model_panel_->openFolder(); });
    file->addSeparator();
    add(file, tr("Open &run…"), QKeySequence(tr("Ctrl+Shift+R")), [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Open run"), QString(), tr("Runs (*.json)"));
        if (!p.isEmpty()) openRun(p);
    });
    add(file, tr("&Save run…"), QKeySequence::Save, [this] {
        const QString p = QFileDialog::getSaveFileName(this, tr("Save run"), QStringLiteral("run.json"), tr("Runs (*.json)"));
        if (!p.isEmpty()) saveRun(p);
    });
    add(file, tr("&Compare with run…"), QKeySequence(), [this] {
        const QString p = QFileDialog::getOpenFileName(this, tr("Compare with run"), QString(), tr("Runs (*.json)"));
        if (!p.isEmpty()) compareWith(p);
    });
    file->addSeparator();
    add(file, tr("&Export PDF…"), QKeySequence(tr("Ctrl+E")), [this] {
        const QString p = QFileDialog::getSaveFileName(this, tr("Export PDF"), QStringLiteral("quantscope-report.pdf"), tr("PDF (*.pdf)"));
        if (!p.isEmpty()) exportPdf(p);
    });
    add(file, tr("Export &CSV…"), QKeySequence(tr("Ctrl+Shift+E")), [this] {
        const QString p = QFileDialog::getSaveFileName(this, tr("Export CSV"), QStringLiteral("quantscope-summary.csv"), tr("CSV (*.csv)"));
        if (!p.isEmpty()) exportCsv(p);
    });
    file->addSeparator();
    add(file, tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    QMenu* run = menuBar()->addMenu(tr("&Run"));
    run_action_ = add(run, tr("&Run benchmark"), QKeySequence(tr("Ctrl+R")), [this] { startRun(); });
    cancel_action_ = add(run, tr("&Cancel"), QKeySequence(Qt::Key_Escape), [this] { cancelRun(); });
    // Esc must work wherever focus is, not only when the menu bar handles it.
    cancel_action_->setShortcutContext(Qt::ApplicationShortcut);
}

void MainWindow::showError(const QString& message) {
    banner_->showMessage(message, ErrorBanner::Kind::error);
    statusBar()->showMessage(message, 8000);
}

void MainWindow::setRunning(bool running) {
    run_button_->setEnabled(!running);
    run_action_->setEnabled(!running);
    cancel_button_->setEnabled(running);
    cancel_action_->setEnabled(running);
    setup_area_->setEnabled(!running);
}

void MainWindow::startRun() {
    if (runner_->running()) return;
    if (!model_panel_->model()) {
        showError(tr("Choose a model first: drop a model folder, open one, or pick a built-in model."));
        return;
    }
    const QString problem = run_setup_->validate();
    if (!problem.isEmpty()) {
        showError(problem);
        return;
    }
    bench::BenchmarkSettings settings = run_setup_->settings();
    settings.model = model_panel_->spec().toStdString();
    settings.probe_executable = probe_.toStdString();
    banner_->hide();
    current_view_->clear();
    tabs_->setCurrentIndex(0);
    progress_->setRange(0, 0);  // busy until the first progress report
    stage_->setText(tr("Starting…"));
    if (!runner_->start(settings)) return;
    setRunning(true);
}

void MainWindow::cancelRun() {
    if (!runner_->running()) return;
    runner_->cancel();
    stage_->setText(tr("Cancelling…"));
    cancel_button_->setEnabled(false);
}

void MainWindow::onProgress(const QString& stage, qint64 done, qint64 total) {
    if (!runner_->running()) return;
    // QProgressBar takes int: scale large totals down.
    const double scale = total > 1000000 ? 1000000.0 / double(total) : 1.0;
    progress_->setRange(0, int(std::max<qint64>(1, qint64(total * scale))));
    progress_->setValue(int(done * scale));
    stage_->setText(stage);  // the engine's stage text carries its ETA ("…, ETA 12 s")
}

void MainWindow::onSnapshot(const bench::BenchmarkResult& result) {
    pending_ = result;
    if (!redraw_timer_->isActive()) redraw_timer_->start();
}

void MainWindow::onFinished(bool ok, const bench::BenchmarkResult& result, const QString& error,
                            bool cancelled) {
    redraw_timer_->stop();
    setRunning(false);
    progress_->setRange(0, 1);
    progress_->setValue(ok && !cancelled ? 1 : 0);
    if (ok) {
        bench::BenchmarkResult shown = result;
        shown.system.qt_version = qVersion();
        current_view_->setResult(shown);
        model_panel_->setMeasured(shown);
    }
    if (cancelled) {
        stage_->setText(tr("Cancelled"));
        banner_->showMessage(ok ? tr("Run cancelled: the figures measured before the cancel are shown.")
                                : tr("Run cancelled before anything was measured."),
                             ErrorBanner::Kind::info);
    } else if (!ok) {
        stage_->setText(tr("Failed"));
        showError(tr("The run failed: %1").arg(error));
    } else {
        stage_->setText(tr("Done in %1").arg(format_duration(result.seconds)));
    }
    emit runFinished(ok, cancelled);
}

const bench::BenchmarkResult* MainWindow::shownResult() const {
    QWidget* w = tabs_->currentWidget();
    auto* view = qobject_cast<ResultsView*>(w);
    if (!view && w) view = w->findChild<ResultsView*>();
    if (!view || !view->hasResult() || view->result().variants.empty()) return nullptr;
    return &view->result();
}

bool MainWindow::saveRun(const QString& path) {
    const bench::BenchmarkResult* r = shownResult();
    if (!r) return showError(tr("There is no result to save yet.")), false;
    Status s = save_run(path, *r);
    if (!s) return showError(QString::fromStdString(s.error().message)), false;
    statusBar()->showMessage(tr("Saved %1").arg(path), 5000);
    return true;
}

ResultsView* MainWindow::addRunTab(const bench::BenchmarkResult& result, const QString& title) {
    auto* view = new ResultsView;
    view->setResult(result);
    tabs_->setCurrentIndex(tabs_->addTab(view, title));
    return view;
}

bool MainWindow::openRun(const QString& path) {
    Result<bench::BenchmarkResult> r = open_run(path);
    if (!r) return showError(QString::fromStdString(r.error().message)), false;
    addRunTab(r.value(), QFileInfo(path).fileName());
    return true;
}

bool MainWindow::compareWith(const QString& path) {
    const bench::BenchmarkResult* left = shownResult();
    if (!left) return showError(tr("Show a run first (run one or open one), then compare with another.")), false;
    Result<bench::BenchmarkResult> right = open_run(path);
    if (!right) return showError(QString::fromStdString(right.error().message)), false;
    auto* split = new QSplitter(Qt::Horizontal);
    auto* a = new ResultsView;
    a->setResult(*left);
    auto* b = new ResultsView;
    b->setResult(right.value());
    split->addWidget(a);
    split->addWidget(b);
    tabs_->setCurrentIndex(tabs_->addTab(split, tr("Compare: %1").arg(QFileInfo(path).fileName())));
    return true;
}

bool MainWindow::exportPdf(const QString& path) {
    const bench::BenchmarkResult* r = shownResult();
    if (!r) return showError(tr("There is no result to export yet.")), false;
    Status s = write_pdf_report(path, *r);
    if (!s) return showError(QString::fromStdString(s.error().message)), false;
    statusBar()->showMessage(tr("Exported %1").arg(path), 5000);
    return true;
}

bool MainWindow::exportCsv(const QString& path) {
    const bench::BenchmarkResult* r = shownResult();
    if (!r) return showError(tr("There is no result to export yet.")), false;
    Result<QString> samples = export_csv(path, *r);
    if (!samples) return showError(QString::fromStdString(samples.error().message)), false;
    statusBar()->showMessage(tr("Exported %1 and %2").arg(path, samples.value()), 5000);
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings().setValue("window/geometry", saveGeometry());
    if (runner_->running()) {
        runner_->cancel();
        runner_->wait();
    }
    event->accept();
}

}  // namespace qs::ui
