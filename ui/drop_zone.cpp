#include "drop_zone.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QUrl>
#include <QVBoxLayout>

namespace qs::ui {

namespace {

QStringList local_paths(const QMimeData* mime) {
    QStringList paths;
    if (!mime || !mime->hasUrls()) return paths;
    for (const QUrl& url : mime->urls()) {
        if (!url.isLocalFile()) return {};
        paths << url.toLocalFile();
    }
    return paths;
}

}  // namespace

DropZone::DropZone(const QString& text, QWidget* parent) : QFrame(parent) {
    setAcceptDrops(true);
    setFrameShape(QFrame::StyledPanel);
    setFrameShadow(QFrame::Sunken);
    setMinimumHeight(64);
    label_ = new QLabel(text, this);
    label_->setAlignment(Qt::AlignCenter);
    label_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(label_);
    setHighlighted(false);
}

void DropZone::setText(const QString& text) { label_->setText(text); }

void DropZone::setHighlighted(bool on) {
    // Palette roles only, so light and dark themes both work.
    setBackgroundRole(on ? QPalette::Highlight : QPalette::AlternateBase);
    label_->setForegroundRole(on ? QPalette::HighlightedText : QPalette::WindowText);
    setAutoFillBackground(true);
}

void DropZone::dragEnterEvent(QDragEnterEvent* event) {
    // Accept anything with data so a bad drop reaches dropEvent and gets a clear message.
    if (event->mimeData() && (event->mimeData()->hasUrls() || event->mimeData()->hasText())) {
        setHighlighted(!local_paths(event->mimeData()).isEmpty());
        event->acceptProposedAction();
    }
}

void DropZone::dragLeaveEvent(QDragLeaveEvent* event) {
    setHighlighted(false);
    QFrame::dragLeaveEvent(event);
}

void DropZone::dropEvent(QDropEvent* event) {
    setHighlighted(false);
    const QStringList paths = local_paths(event->mimeData());
    event->acceptProposedAction();
    if (paths.isEmpty())
        emit rejectedDrop(tr("Only files and folders from this computer can be dropped here."));
    else
        emit pathsDropped(paths);
}

}  // namespace qs::ui
