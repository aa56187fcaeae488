#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>

namespace qs::test {

QString shared_dir() {
    QString dir = qEnvironmentVariable("QS_SHARED_DIR");
    if (dir.isEmpty()) dir = QStringLiteral(QS_SHARED_DIR_DEFAULT);
    return QFileInfo(dir).isDir() ? QDir(dir).absolutePath() : QString();
}

QString shared_file(const QString& relative) {
    const QString root = shared_dir();
    if (root.isEmpty()) return {};
    const QString path = root + "/" + relative;
    return QFileInfo::exists(path) ? path : QString();
}

QString source_dir() { return QStringLiteral(QS_SOURCE_DIR); }
QString cli_path() { return QStringLiteral(QS_CLI_PATH); }

CliRun run_cli(const QStringList& args, int timeout_ms) {
    QProcess p;
    p.start(cli_path(), args);
    CliRun r;
    if (!p.waitForFinished(timeout_ms)) {
        p.kill();
        p.waitForFinished();
        r.err = "timed out";
        return r;
    }
    r.exit_code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

std::string read_text(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll().toStdString();
}

}  // namespace qs::test
