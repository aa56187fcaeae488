#pragma once
// A frame that accepts files and folders dragged from the file manager and reports their local
// paths. It accepts the drag only when every URL is a local file, so the cursor tells the user
// up front; what the paths contain is judged by whoever receives them.
#include <QFrame>
#include <QStringList>

class QLabel;

namespace qs::ui {

class DropZone : public QFrame {
    Q_OBJECT
public:
    explicit DropZone(const QString& text, QWidget* parent = nullptr);
    void setText(const QString& text);

signals:
    void pathsDropped(const QStringList& paths);
    // Something was dropped that is not a local file (e.g. a web link or plain text).
    void rejectedDrop(const QString& reason);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void setHighlighted(bool on);
    QLabel* label_;
};

}  // namespace qs::ui
