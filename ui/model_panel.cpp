#include "model_panel.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QTableWidget>
#include <QVBoxLayout>

#include "builtin_models.h"
#include "drop_zone.h"
#include "format.h"
#include "predicted_size.h"

namespace qs::ui {

namespace {

constexpr int kMaxRecent = 8;
const char* kRecentKey = "models/recent";

QString method_key(const QuantOptions& o) {
    QString key = QString::fromStdString(method_name(o.method));
    if (o.method == Method::int4) key += QStringLiteral(" g%1").arg(o.group_size);
    return key;
}

}  // namespace

ModelPanel::ModelPanel(const QString& executable_dir, QWidget* parent)
    : QWidget(parent), executable_dir_(executable_dir) {
    drop_zone_ = new DropZone(tr("Drop a model folder or file here\n"
                                 "(Hugging Face folder, llama2.c .bin, quantized folder)"), this);
    drop_zone_->setToolTip(tr("Drag a model from the file manager"));
    connect(drop_zone_, &DropZone::pathsDropped, this, &ModelPanel::onDropped);
    connect(drop_zone_, &DropZone::rejectedDrop, this, &ModelPanel::error);

    auto* open_file = new QPushButton(tr("Open file…"), this);
    open_file->setToolTip(tr("Open a llama2.c .bin or a safetensors file (Ctrl+O)"));
    connect(open_file, &QPushButton::clicked, this, &ModelPanel::openFile);
    auto* open_folder = new QPushButton(tr("Open folder…"), this);
    open_folder->setToolTip(tr("Open a Hugging Face or quantized model folder (Ctrl+Shift+O)"));
    connect(open_folder, &QPushButton::clicked, this, &ModelPanel::openFolder);

    list_ = new QListWidget(this);
    list_->setToolTip(tr("Built-in and recently used models: click to load"));
    list_->setMinimumHeight(60);
    list_->setMaximumHeight(fontMetrics().height() * 6);
    connect(list_, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        const QString spec = item->data(Qt::UserRole).toString();
        if (!spec.isEmpty()) loadModel(spec);
    });
    connect(list_, &QListWidget::itemClicked, list_, &QListWidget::itemActivated);

    card_ = new QLabel(tr("No model loaded."), this);
    card_->setWordWrap(true);
    card_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    card_->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    sizes_ = new QTableWidget(this);
    sizes_->setColumnCount(3);
    sizes_->setHorizontalHeaderLabels({tr("method"), tr("weights"), tr("source")});
    sizes_->verticalHeader()->setVisible(false);
    sizes_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
    sizes_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    sizes_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    sizes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    sizes_->setSelectionMode(QAbstractItemView::NoSelection);
    sizes_->setToolTip(tr("\"predicted\": computed from tensor shapes and the packed layout; "
                          "\"measured\": the size a run actually built"));
    // tall enough for every method without scrolling
    sizes_->setFixedHeight((fontMetrics().height() + 6) * int(all_methods().size() + 1) + 6);

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(open_file);
    buttons->addWidget(open_folder);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(drop_zone_);
    layout->addLayout(buttons);
    layout->addWidget(new QLabel(tr("Built-in and recent models:"), this));
    layout->addWidget(list_);
    layout->addWidget(card_);
    layout->addWidget(sizes_);
    layout->addStretch(1);
    rebuildList();
    sizes_->hide();
}

QString ModelPanel::spec() const {
    return model_ ? QString::fromStdString(model_->spec) : QString();
}

void ModelPanel::openFile() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open model file"), QString(),
        tr("Model files (*.bin *.safetensors *.json);;All files (*)"));
    if (!path.isEmpty()) loadModel(path);
}

void ModelPanel::openFolder() {
    const QString path = QFileDialog::getExistingDirectory(this, tr("Open model folder"));
    if (!path.isEmpty()) loadModel(path);
}

void ModelPanel::onDropped(const QStringList& paths) {
    if (paths.size() != 1) {
        emit error(tr("Drop one model at a time (%1 items were dropped).").arg(paths.size()));
        return;
    }
    const QString path = paths.front();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QLatin1String("txt") || suffix == QLatin1String("jsonl")) {
        emit error(tr("%1 is not a model. Drop evaluation text (.txt) or a task file (.jsonl) on "
                      "the matching field under Run setup.").arg(QFileInfo(path).fileName()));
        return;
    }
    // A safetensors or config file dropped alone stands for its folder.
    if (suffix == QLatin1String("safetensors") || QFileInfo(path).fileName() == "config.json")
        loadModel(QFileInfo(path).absolutePath());
    else
        loadModel(path);
}

bool ModelPanel::loadModel(const QString& spec) {
    Result<ModelInfo> info = Model::inspect(spec.toStdString());
    if (!info) {
        emit error(tr("Cannot open %1: %2").arg(spec, QString::fromStdString(info.error().message)));
        return false;
    }
    model_ = std::move(info.value());
    measured_.clear();
    remember(spec);
    showCard();
    emit modelLoaded(spec);
    return true;
}

void ModelPanel::remember(const QString& spec) {
    // Built-in models are always listed; only the user's own go to the recent list.
    for (const BuiltinModel& b : builtin_models(executable_dir_))
        if (b.spec == spec) return;
    QSettings settings;
    QStringList recent = settings.value(kRecentKey).toStringList();
    recent.removeAll(spec);
    recent.prepend(spec);
    while (recent.size() > kMaxRecent) recent.removeLast();
    settings.setValue(kRecentKey, recent);
    rebuildList();
}

void ModelPanel::rebuildList() {
    list_->clear();
    for (const BuiltinModel& b : builtin_models(executable_dir_)) {
        auto* item = new QListWidgetItem(b.label, list_);
        item->setData(Qt::UserRole, b.spec);
        item->setToolTip(b.tooltip);
    }
    for (const QString& spec : QSettings().value(kRecentKey).toStringList()) {
        auto* item = new QListWidgetItem(QStringLiteral("recent: ") + QFileInfo(spec).fileName(), list_);
        item->setData(Qt::UserRole, spec);
        item->setToolTip(spec);
    }
}

void ModelPanel::setInt4GroupSize(int group_size) {
    group_size_ = group_size;
    fillSizes();
}

void ModelPanel::setMeasured(const bench::BenchmarkResult& result) {
    if (!model_ || result.settings.model != model_->spec) return;
    for (const bench::VariantResult& v : result.variants)
        if (measured(v.weight_bytes)) measured_[method_key(v.options)] = v.weight_bytes;
    fillSizes();
}

void ModelPanel::showCard() {
    const ModelInfo& m = *model_;
    const ModelConfig& c = m.config;
    auto row = [](const QString& k, const QString& v) {
        return QStringLiteral("<tr><td><b>%1</b>&nbsp;&nbsp;</td><td>%2</td></tr>").arg(k, v.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table>");
    html += row(tr("Model"), QString::fromStdString(m.path.empty() ? m.spec : m.path));
    html += row(tr("Format"), QString::fromStdString(m.description));
    html += row(tr("Architecture"),
                QStringLiteral("%1 — %2 layers, hidden %3, %4 heads (%5 KV), vocab %6")
                    .arg(QString::fromStdString(c.architecture)).arg(c.num_layers).arg(c.hidden_size)
                    .arg(c.num_heads).arg(c.num_kv_heads).arg(c.vocab_size));
    html += row(tr("Parameters"), QLocale().toString(qlonglong(m.parameters)));
    html += row(tr("Stored dtype"), QString::fromStdString(m.stored_dtype));
    html += row(tr("Weight size"), format_bytes(m.stored_weight_bytes) + tr(" as stored"));
    html += row(tr("Tokenizer"), m.tokenizer_path.empty() ? tr("none (token ids only)")
                                                          : QString::fromStdString(m.tokenizer_path));
    if (m.method != Method::fp32)
        html += row(tr("Quantized"), QString::fromStdString(m.method_detail));
    html += QStringLiteral("</table>");
    card_->setText(html);
    sizes_->show();
    fillSizes();
}

void ModelPanel::fillSizes() {
    if (!model_) return;
    const std::vector<Method>& methods = all_methods();
    sizes_->setRowCount(int(methods.size()));
    // A model that is already quantized cannot be predicted from its packed tensors.
    const bool predictable = model_->method == Method::fp32;
    for (int i = 0; i < int(methods.size()); ++i) {
        QuantOptions o;
        o.method = methods[i];
        o.group_size = group_size_;
        auto it = measured_.find(method_key(o));
        QString size, label;
        if (it != measured_.end()) {
            size = format_bytes(it->second);
            label = tr("measured");
        } else if (predictable) {
            size = format_bytes(predicted_weight_bytes(*model_, o));
            label = tr("predicted");
        } else {
            size = kNotMeasured;
        }
        const QString items[] = {method_key(o), size, label};
        for (int c = 0; c < 3; ++c) {
            auto* item = new QTableWidgetItem(items[c]);
            item->setToolTip(QString::fromStdString(method_summary(o.method)));
            sizes_->setItem(i, c, item);
        }
    }
}

}  // namespace qs::ui
