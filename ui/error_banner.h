#pragma once
// An inline message strip at the top of the window: errors the user should read (a bad drop, a
// model that does not load, a failed export) without a modal dialog interrupting the work.
#include <QFrame>

class QLabel;

namespace qs::ui {

class ErrorBanner : public QFrame {
    Q_OBJECT
public:
    enum class Kind { error, info };
    explicit ErrorBanner(QWidget* parent = nullptr);
    void showMessage(const QString& text, Kind kind = Kind::error);
    QString text() const;
    Kind kind() const { return kind_; }

private:
    QLabel* icon_;
    QLabel* text_;
    Kind kind_ = Kind::error;
};

}  // namespace qs::ui
