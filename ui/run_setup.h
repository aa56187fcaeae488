#pragma once
// The run setup form: methods, int4 group size, prompts, run counts, threads, evaluation text,
// task file and where quantized models are saved. settings() turns it into the engine's
// BenchmarkSettings; validate() says in one line what is wrong before a run starts.
#include <QWidget>

#include "bench/bench_result.h"

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace qs::ui {

class PathField;

class RunSetup : public QWidget {
    Q_OBJECT
public:
    explicit RunSetup(QWidget* parent = nullptr);

    // Everything but the model and the probe executable, which the window fills in.
    bench::BenchmarkSettings settings() const;
    QString validate() const;  // empty when the form can run
    void setFromSettings(const bench::BenchmarkSettings& s);

    int int4GroupSize() const;
    void setMethodChecked(Method m, bool on);
    void setRuns(int runs, int warmup);
    void setMaxNewTokens(int n);
    void setPrompts(const QStringList& prompts);
    void setEvalText(const QString& path);
    void setSaveDir(const QString& path);
    void setEvalTokens(int n);
    void setThreads(int n);

signals:
    void int4GroupSizeChanged(int group_size);
    void error(const QString& message);

private:
    std::vector<std::pair<Method, QCheckBox*>> methods_;
    QComboBox* group_size_;
    QPlainTextEdit* prompts_;
    QSpinBox* max_new_tokens_;
    QSpinBox* runs_;
    QSpinBox* warmup_;
    QSpinBox* threads_;
    QSpinBox* eval_tokens_;
    PathField* eval_text_;
    PathField* task_;
    PathField* save_dir_;
};

// A line edit with a Browse button that also accepts a dropped file of the given suffix.
class PathField : public QWidget {
    Q_OBJECT
public:
    enum class Kind { file, folder };
    PathField(Kind kind, const QString& suffix, const QString& placeholder, QWidget* parent = nullptr);
    QString path() const;
    void setPath(const QString& path);

signals:
    void error(const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    Kind kind_;
    QString suffix_;
    QLineEdit* edit_;
};

}  // namespace qs::ui
