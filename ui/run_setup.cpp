#include "run_setup.h"

#include "bench/prompts.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>

namespace qs::ui {

PathField::PathField(Kind kind, const QString& suffix, const QString& placeholder, QWidget* parent)
    : QWidget(parent), kind_(kind), suffix_(suffix) {
    setAcceptDrops(true);
    edit_ = new QLineEdit(this);
    edit_->setPlaceholderText(placeholder);
    edit_->setClearButtonEnabled(true);
    edit_->setAcceptDrops(false);  // the field handles drops (with a check) instead
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString p = kind_ == Kind::folder
            ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"))
            : QFileDialog::getOpenFileName(this, tr("Choose a file"), QString(),
                                           tr("*.%1 files (*.%1);;All files (*)").arg(suffix_));
        if (!p.isEmpty()) setPath(p);
    });
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit_, 1);
    layout->addWidget(browse);
}

QString PathField::path() const { return edit_->text().trimmed(); }
void PathField::setPath(const QString& path) { edit_->setText(path); }

void PathField::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void PathField::dropEvent(QDropEvent* event) {
    const QList<QUrl> urls = event->mimeData()->urls();
    event->acceptProposedAction();
    if (urls.size() != 1 || !urls.front().isLocalFile()) {
        emit error(tr("Drop a single file from this computer."));
        return;
    }
    const QFileInfo info(urls.front().toLocalFile());
    const bool ok = kind_ == Kind::folder ? info.isDir()
                                          : info.isFile() && info.suffix().compare(suffix_, Qt::CaseInsensitive) == 0;
    if (!ok) {
        emit error(kind_ == Kind::folder ? tr("%1 is not a folder.").arg(info.fileName())
                                         : tr("%1 is not a .%2 file.").arg(info.fileName(), suffix_));
        return;
    }
    setPath(info.absoluteFilePath());
}

RunSetup::RunSetup(QWidget* parent) : QWidget(parent) {
    auto* method_grid = new QGridLayout;
    int i = 0;
    for (Method m : all_methods()) {
        auto* box = new QCheckBox(QString::fromStdString(method_name(m)), this);
        box->setToolTip(QString::fromStdString(method_summary(m)));
        if (m == Method::fp32) {
            box->setChecked(true);
            box->setEnabled(false);  // the baseline every ratio is measured against
            box->setToolTip(box->toolTip() + tr(" — always run"));
        }
        box->setChecked(m == Method::fp32 || m == Method::int8_dynamic || m == Method::int4);
        method_grid->addWidget(box, i / 3, i % 3);
        methods_.emplace_back(m, box);
        ++i;
    }
    group_size_ = new QComboBox(this);
    for (int g : {32, 64, 128}) group_size_->addItem(QString::number(g), g);
    group_size_->setToolTip(tr("int4: weights per scale (smaller groups: more accurate, larger)"));
    connect(group_size_, &QComboBox::currentIndexChanged, this,
            [this] { emit int4GroupSizeChanged(int4GroupSize()); });

    prompts_ = new QPlainTextEdit(this);
    QStringList defaults;  // the engine's own defaults, shown so they can be edited
    for (const std::string& p : bench::default_prompts()) defaults << QString::fromStdString(p);
    prompts_->setPlainText(defaults.join(QLatin1Char('\n')));
    prompts_->setToolTip(tr("One prompt per line; each is generated runs + warm-up times per variant"));
    prompts_->setMinimumHeight(60);
    prompts_->setMaximumHeight(90);

    auto spin = [this](int lo, int hi, int value, const QString& tip) {
        auto* s = new QSpinBox(this);
        s->setRange(lo, hi);
        s->setValue(value);
        s->setToolTip(tip);
        return s;
    };
    max_new_tokens_ = spin(1, 4096, 32, tr("Tokens generated per prompt run"));
    runs_ = spin(1, 1000, 5, tr("Measured repetitions per prompt and variant"));
    warmup_ = spin(0, 100, 1, tr("Repetitions run first and discarded (caches, page faults)"));
    threads_ = spin(0, QThread::idealThreadCount() * 4, 0,
                    tr("Threads for every variant; 0 uses all %1 logical cores").arg(QThread::idealThreadCount()));
    threads_->setSpecialValueText(tr("all cores"));
    eval_tokens_ = spin(0, 10000000, 0, tr("Cap on tokens scored for perplexity/KL; 0 scores the whole text"));
    eval_tokens_->setSpecialValueText(tr("whole text"));

    eval_text_ = new PathField(PathField::Kind::file, QStringLiteral("txt"),
                               tr("sampled from the fp32 model (drop a .txt)"), this);
    eval_text_->setToolTip(tr("Text for perplexity, top-1 agreement and KL"));
    task_ = new PathField(PathField::Kind::file, QStringLiteral("jsonl"), tr("none (drop a .jsonl)"), this);
    task_->setToolTip(tr("A JSONL task file for task accuracy"));
    save_dir_ = new PathField(PathField::Kind::folder, QString(), tr("don't save quantized models"), this);
    save_dir_->setToolTip(tr("Each quantized variant is saved here as a model folder"));
    for (PathField* f : {eval_text_, task_, save_dir_}) connect(f, &PathField::error, this, &RunSetup::error);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Methods:"), method_grid);
    form->addRow(tr("int4 group size:"), group_size_);
    form->addRow(tr("Prompts:"), prompts_);
    form->addRow(tr("Max new tokens:"), max_new_tokens_);
    auto* runs_row = new QHBoxLayout;
    runs_row->addWidget(runs_);
    runs_row->addWidget(new QLabel(tr("warm-up:"), this));
    runs_row->addWidget(warmup_);
    form->addRow(tr("Runs:"), runs_row);
    form->addRow(tr("Threads:"), threads_);
    form->addRow(tr("Eval text:"), eval_text_);
    form->addRow(tr("Eval tokens:"), eval_tokens_);
    form->addRow(tr("Task file:"), task_);
    form->addRow(tr("Save to:"), save_dir_);
}

int RunSetup::int4GroupSize() const { return group_size_->currentData().toInt(); }

bench::BenchmarkSettings RunSetup::settings() const {
    bench::BenchmarkSettings s;
    for (const auto& [m, box] : methods_) {
        if (!box->isChecked()) continue;
        QuantOptions o;
        o.method = m;
        o.group_size = int4GroupSize();
        s.methods.push_back(o);
    }
    for (const QString& line : prompts_->toPlainText().split(QLatin1Char('\n')))
        if (!line.trimmed().isEmpty()) s.prompts.push_back(line.trimmed().toStdString());
    s.max_new_tokens = max_new_tokens_->value();
    s.runs = runs_->value();
    s.warmup = warmup_->value();
    s.threads = threads_->value();
    s.eval_tokens = eval_tokens_->value();
    s.eval_text_path = eval_text_->path().toStdString();
    s.task_path = task_->path().toStdString();
    s.save_dir = save_dir_->path().toStdString();
    return s;
}

QString RunSetup::validate() const {
    const bench::BenchmarkSettings s = settings();
    if (s.prompts.empty()) return tr("Enter at least one prompt.");
    if (!s.eval_text_path.empty() && !QFileInfo(eval_text_->path()).isFile())
        return tr("Evaluation text %1 does not exist.").arg(eval_text_->path());
    if (!s.task_path.empty() && !QFileInfo(task_->path()).isFile())
        return tr("Task file %1 does not exist.").arg(task_->path());
    if (!s.save_dir.empty() && !QFileInfo(save_dir_->path()).isDir())
        return tr("Save folder %1 does not exist.").arg(save_dir_->path());
    return {};
}

void RunSetup::setFromSettings(const bench::BenchmarkSettings& s) {
    for (const auto& [m, box] : methods_) {
        bool on = m == Method::fp32;
        for (const QuantOptions& o : s.methods) on = on || o.method == m;
        box->setChecked(on);
        for (const QuantOptions& o : s.methods)
            if (o.method == Method::int4) group_size_->setCurrentIndex(group_size_->findData(o.group_size));
    }
    QStringList prompts;
    for (const std::string& p : s.prompts) prompts << QString::fromStdString(p);
    if (!prompts.isEmpty()) setPrompts(prompts);
    max_new_tokens_->setValue(s.max_new_tokens);
    setRuns(s.runs, s.warmup);
    threads_->setValue(s.threads);
    eval_tokens_->setValue(s.eval_tokens);
    eval_text_->setPath(QString::fromStdString(s.eval_text_path));
    task_->setPath(QString::fromStdString(s.task_path));
    save_dir_->setPath(QString::fromStdString(s.save_dir));
}

void RunSetup::setMethodChecked(Method m, bool on) {
    for (const auto& [method, box] : methods_)
        if (method == m && m != Method::fp32) box->setChecked(on);
}

void RunSetup::setRuns(int runs, int warmup) {
    runs_->setValue(runs);
    warmup_->setValue(warmup);
}
void RunSetup::setMaxNewTokens(int n) { max_new_tokens_->setValue(n); }
void RunSetup::setPrompts(const QStringList& prompts) { prompts_->setPlainText(prompts.join('\n')); }
void RunSetup::setEvalText(const QString& path) { eval_text_->setPath(path); }
void RunSetup::setSaveDir(const QString& path) { save_dir_->setPath(path); }
void RunSetup::setEvalTokens(int n) { eval_tokens_->setValue(n); }
void RunSetup::setThreads(int n) { threads_->setValue(n); }

}  // namespace qs::ui
