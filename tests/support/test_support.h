#pragma once
// Shared helpers for the Qt Test suite: where the read-only ../shared data lives, where the
// built CLI is, and small JSON/CLI utilities. Skips (QSKIP) when shared data is absent so a
// fresh clone without ../shared still passes.
#include <QString>
#include <QStringList>
#include <string>

namespace qs::test {

// Root of the shared data folder ($QS_SHARED_DIR or <source>/../shared); empty if absent.
QString shared_dir();
// Absolute path of a file under shared/, or empty if shared/ or the file is missing.
QString shared_file(const QString& relative);
QString source_dir();
QString cli_path();

struct CliRun {
    int exit_code = -1;
    QByteArray out;
    QByteArray err;
};
// Runs the built `quantscope` CLI with args; waits up to timeout_ms.
CliRun run_cli(const QStringList& args, int timeout_ms = 600000);

std::string read_text(const QString& path);

}  // namespace qs::test

// Skips the current test with a clear message when a shared file is missing.
#define QS_REQUIRE_SHARED(var, rel)                                                     \
    const QString var = qs::test::shared_file(rel);                                    \
    if (var.isEmpty())                                                                 \
        QSKIP(qPrintable(QStringLiteral("shared data not found: ../shared/") + (rel) + \
                         QStringLiteral(" (set QS_SHARED_DIR)")));
