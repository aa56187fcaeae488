#pragma once
// The models the studio offers without a file dialog: the demo model shipped in resources/
// (when it has been built or installed) and core's synthetic presets.
#include <QString>
#include <QVector>

namespace qs::ui {

struct BuiltinModel {
    QString label;  // shown in the list
    QString spec;   // what Model::load / Model::inspect take
    QString tooltip;
};

// Folder holding the shipped models: <exe>/../../resources/models in the build tree,
// <exe>/../share/quantscope/models when installed; empty when neither exists.
QString shipped_models_dir(const QString& executable_dir);

QVector<BuiltinModel> builtin_models(const QString& executable_dir);

}  // namespace qs::ui
