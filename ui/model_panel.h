#pragma once
// Where the user picks a model (drop zone, Open file/folder, built-in and recent models) and
// sees what it is (the model card, from Model::inspect: metadata only, no weights read), with
// the weight size each method would give, "predicted" from tensor shapes until a run measures it.
#include <QWidget>
#include <map>
#include <optional>

#include "bench/bench_result.h"
#include "model/model.h"

class QLabel;
class QListWidget;
class QListWidgetItem;
class QTableWidget;

namespace qs::ui {

class DropZone;

class ModelPanel : public QWidget {
    Q_OBJECT
public:
    ModelPanel(const QString& executable_dir, QWidget* parent = nullptr);

    // Inspects spec and shows its card; on failure emits error() and keeps the current model.
    bool loadModel(const QString& spec);
    const std::optional<ModelInfo>& model() const { return model_; }
    QString spec() const;

    // Sizes measured by a run replace the predictions for the methods it covered.
    void setMeasured(const bench::BenchmarkResult& result);
    void setInt4GroupSize(int group_size);

    DropZone* dropZone() const { return drop_zone_; }
    QListWidget* modelList() const { return list_; }
    QTableWidget* sizeTable() const { return sizes_; }
    QLabel* card() const { return card_; }

public slots:
    void openFile();
    void openFolder();

signals:
    void modelLoaded(const QString& spec);
    void error(const QString& message);

private:
    void onDropped(const QStringList& paths);
    void rebuildList();
    void remember(const QString& spec);
    void showCard();
    void fillSizes();

    QString executable_dir_;
    DropZone* drop_zone_;
    QListWidget* list_;
    QLabel* card_;
    QTableWidget* sizes_;
    std::optional<ModelInfo> model_;
    int group_size_ = 32;
    // weight bytes measured per method (int4 keyed with its group size) for the current model
    std::map<QString, int64_t> measured_;
};

}  // namespace qs::ui
