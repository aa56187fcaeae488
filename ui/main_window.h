#pragma once
// The studio's main window: model panel and run setup on the left, results on the right (the
// current run live, plus tabs for opened and compared runs), the run bar at the bottom.
#include <QMainWindow>

#include "bench/bench_result.h"
#include "bench_runner.h"

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;
class QTimer;

namespace qs::ui {

class ErrorBanner;
class ModelPanel;
class ResultsView;
class RunSetup;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ModelPanel* modelPanel() const { return model_panel_; }
    RunSetup* runSetup() const { return run_setup_; }
    ResultsView* currentRunView() const { return current_view_; }
    ErrorBanner* errorBanner() const { return banner_; }
    BenchRunner* runner() const { return runner_; }
    QProgressBar* progressBar() const { return progress_; }
    QLabel* stageLabel() const { return stage_; }
    QTabWidget* resultTabs() const { return tabs_; }

    // The `quantscope` binary the engine starts to measure memory (default: beside the studio).
    void setProbeExecutable(const QString& path) { probe_ = path; }

    // File actions without dialogs (the menu entries ask for the path, then call these).
    bool saveRun(const QString& path);
    bool openRun(const QString& path);
    bool compareWith(const QString& path);
    bool exportPdf(const QString& path);
    bool exportCsv(const QString& path);

public slots:
    void startRun();
    void cancelRun();

signals:
    // After the window has shown a finished run (final result drawn, controls re-enabled).
    void runFinished(bool ok, bool cancelled);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void setRunning(bool running);
    void onProgress(const QString& stage, qint64 done, qint64 total);
    void onSnapshot(const bench::BenchmarkResult& result);
    void onFinished(bool ok, const bench::BenchmarkResult& result, const QString& error, bool cancelled);
    void showError(const QString& message);
    // The result the report actions use: the one in the visible tab (left side of a comparison).
    const bench::BenchmarkResult* shownResult() const;
    ResultsView* addRunTab(const bench::BenchmarkResult& result, const QString& title);

    ModelPanel* model_panel_;
    RunSetup* run_setup_;
    ResultsView* current_view_;
    QTabWidget* tabs_;
    ErrorBanner* banner_;
    QPushButton* run_button_;
    QPushButton* cancel_button_;
    QProgressBar* progress_;
    QLabel* stage_;
    QWidget* setup_area_;
    QAction* run_action_;
    QAction* cancel_action_;
    BenchRunner* runner_;
    QTimer* redraw_timer_;
    bench::BenchmarkResult pending_;  // newest snapshot not drawn yet
    QString probe_;
};

}  // namespace qs::ui
