#pragma once
// Shared by the studio's tests: what the window system sends for a drag-and-drop, and settings
// kept away from the user's own.
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QSettings>
#include <QtTest>

namespace qs::test {

// Sends a drag-enter (which must be accepted) and a drop of these URLs onto the widget.
inline void drop_urls(QWidget* target, const QList<QUrl>& urls) {
    QMimeData mime;
    mime.setUrls(urls);
    const QPoint at = target->rect().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(target, &drop);
}

// Recent models and window geometry go to dir (a QTemporaryDir), not the user's settings.
inline void use_throwaway_settings(const QString& dir) {
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir);
    QCoreApplication::setOrganizationName(QStringLiteral("quantscope-test"));
}

}  // namespace qs::test
