#include "builtin_models.h"

#include <QDir>
#include <QFileInfo>

namespace qs::ui {

QString shipped_models_dir(const QString& executable_dir) {
    const QDir exe(executable_dir);
    for (const QString& rel : {QStringLiteral("../../resources/models"),
                               QStringLiteral("../share/quantscope/models")}) {
        const QString dir = QDir::cleanPath(exe.absoluteFilePath(rel));
        if (QFileInfo(dir).isDir()) return dir;
    }
    return {};
}

QVector<BuiltinModel> builtin_models(const QString& executable_dir) {
    QVector<BuiltinModel> list;
    const QString shipped = shipped_models_dir(executable_dir);
    const QString demo = shipped + QStringLiteral("/quantscope-stories-3m");
    if (!shipped.isEmpty() && QFileInfo(demo + QStringLiteral("/config.json")).exists())
        list.push_back({QStringLiteral("quantscope-stories-3m (demo)"), demo,
                        QStringLiteral("The small story model trained for this project: %1").arg(demo)});
    list.push_back({QStringLiteral("synthetic:tiny"), QStringLiteral("synthetic:tiny"),
                    QStringLiteral("A tiny model with random weights generated in memory (no download)")});
    list.push_back({QStringLiteral("synthetic:qwen2.5-0.5b"), QStringLiteral("synthetic:qwen2.5-0.5b"),
                    QStringLiteral("Qwen2.5-0.5B shapes with random weights (speed and memory only)")});
    list.push_back({QStringLiteral("synthetic:qwen2.5-1.5b"), QStringLiteral("synthetic:qwen2.5-1.5b"),
                    QStringLiteral("Qwen2.5-1.5B shapes with random weights (speed and memory only)")});
    return list;
}

}  // namespace qs::ui
