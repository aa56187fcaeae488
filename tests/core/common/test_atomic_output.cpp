// Outputs appear under their final name only when complete; failures leave nothing behind.
#include <QTemporaryDir>
#include <QtTest>
#include <filesystem>
#include <fstream>

#include "common/atomic_output.h"
#include "common/result.h"

namespace fs = std::filesystem;

class AtomicOutputTest : public QObject {
    Q_OBJECT
private slots:
    void writesFileUnderFinalNameOnly() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("out.json").toStdString();
        qs::write_file_atomically(path, "{\"a\": 1}");
        std::ifstream in(path);
        std::string content((std::istreambuf_iterator<char>(in)), {});
        QCOMPARE(QString::fromStdString(content), QStringLiteral("{\"a\": 1}"));
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator{}),
                 1);
    }
    void uncommittedDirectoryLeavesNothing() {
        QTemporaryDir dir;
        const std::string target = dir.filePath("model-int8").toStdString();
        {
            qs::AtomicDirectory out(target);
            qs::write_file_atomically(out.file("config.json"), "{}");
            QVERIFY(fs::exists(out.temp_path()));
        }
        QVERIFY(!fs::exists(target));
        QVERIFY(fs::is_empty(dir.path().toStdString()));
    }
    void uncommittedDirectoryRemovesTheParentsItCreated() {
        QTemporaryDir dir;
        const std::string kept = dir.filePath("runs").toStdString();
        fs::create_directories(kept);
        {
            qs::AtomicDirectory out(kept + "/a/b/model-int4");
            QVERIFY(fs::exists(kept + "/a/b"));
        }
        QVERIFY(!fs::exists(kept + "/a"));
        QVERIFY(fs::exists(kept));  // existed before: not ours to remove
        {
            qs::AtomicDirectory out(kept + "/c/model-int4");
            out.commit();
        }
        QVERIFY(fs::exists(kept + "/c/model-int4"));
    }
    void commitReplacesExistingFolder() {
        QTemporaryDir dir;
        const std::string target = dir.filePath("m").toStdString();
        fs::create_directories(target + "/old");
        qs::AtomicDirectory out(target);
        qs::write_file_atomically(out.file("new.txt"), "x");
        out.commit();
        QVERIFY(fs::exists(target + "/new.txt"));
        QVERIFY(!fs::exists(target + "/old"));
        QCOMPARE(std::distance(fs::directory_iterator(dir.path().toStdString()),
                               fs::directory_iterator{}),
                 1);
    }
    void unwritableTargetIsAnErrorNamingThePath() {
        bool threw = false;
        try {
            qs::write_file_atomically("/nonexistent-dir/x.json", "x");
        } catch (const qs::Failure& e) {
            threw = true;
            QVERIFY(QString(e.what()).contains("/nonexistent-dir/x.json"));
        }
        QVERIFY(threw);
    }
};

QTEST_GUILESS_MAIN(AtomicOutputTest)
#include "test_atomic_output.moc"
