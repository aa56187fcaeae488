// Bad input through the CLI: cases of the malformed-model corpus (tests/data/malformed, listed
// in its MANIFEST.tsv with the message each must produce) exit with code 2 and that message as
// one line, without a crash or a hang; `quantize` of broken models leaves no folder behind; the
// memory guard refuses models that do not fit (QS_MEMORY_AVAILABLE stands in for the machine's
// figure); and a full disk during `quantize` or a report write is a clear error leaving nothing.
//
// Every CLI start loads Debian's libtorch and its ~300 libraries (~0.9 CPU-s), so this test runs
// the first cases of each corpus section plus every case for a command other than `stats`;
// core_model_test_malformed_models runs every case through inspect, load and quantize in-process.
#include <sys/mount.h>
#include <unistd.h>

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <functional>
#include <memory>

#include "test_support.h"

namespace {

constexpr int kTimeoutMs = 20000;  // a broken model is rejected from its metadata, in well under 1 s
// A whole (tiny) benchmark: most of it is the five read-bandwidth samples of 8 reads of 256 MiB,
// 22 s under ASan (which checks every load) on a quiet 2-core machine.
constexpr int kBenchmarkTimeoutMs = 180000;
constexpr int kPerSection = 3;     // `stats` cases run per corpus section (config, safetensors, ...)

QString corpus_dir() { return qs::test::source_dir() + "/tests/data/malformed"; }

struct Case {
    QString path;      // relative to the corpus folder
    QString expected;  // substring of the error message
    QStringList args;  // the full command line after `quantscope`
};

QList<Case> manifest() {
    QFile f(corpus_dir() + "/MANIFEST.tsv");
    if (!f.open(QIODevice::ReadOnly)) qFatal("cannot read %s", qPrintable(f.fileName()));
    QList<Case> cases;
    for (const QString& line : QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts)) {
        if (line.startsWith('#')) continue;
        const QStringList cols = line.split('\t');
        if (cols.size() != 3) qFatal("MANIFEST.tsv: bad row \"%s\"", qPrintable(line));
        QStringList words = cols[2].split(' ', Qt::SkipEmptyParts);
        const QString command = words.takeFirst();
        cases.append({cols[0], cols[1], QStringList{command, corpus_dir() + "/" + cols[0]} + words});
    }
    return cases;
}

struct Outcome {
    int exit_code = -1;  // -1: killed by a signal or timed out
    QString err;
    qint64 ms = 0;
};

// Runs every command line, a few at a time (CLI start-up dominates; the cases are tiny).
QList<Outcome> run_all(const QList<QStringList>& commands) {
    QList<Outcome> outcomes(commands.size());
    const int width = std::max(2, QThread::idealThreadCount());
    int next = 0, finished = 0;
    QEventLoop loop;
    std::function<void()> start_one = [&] {
        const int i = next++;
        auto* p = new QProcess;
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        QObject::connect(p, &QProcess::finished, [&, p, i, timer](int code, QProcess::ExitStatus status) {
            outcomes[i].exit_code = status == QProcess::NormalExit ? code : -1;
            outcomes[i].err = QString::fromUtf8(p->readAllStandardError());
            outcomes[i].ms = timer->elapsed();
            p->deleteLater();
            if (++finished == commands.size()) loop.quit();
            else if (next < commands.size()) start_one();
        });
        QTimer::singleShot(kTimeoutMs, p, [p] { p->kill(); });
        p->setStandardInputFile(QProcess::nullDevice());
        p->start(qs::test::cli_path(), commands[i]);
        if (!p->waitForStarted(kTimeoutMs)) qFatal("cannot start %s", qPrintable(qs::test::cli_path()));
    };
    for (int k = 0; k < width && next < commands.size(); ++k) start_one();
    if (!commands.isEmpty()) loop.exec();
    return outcomes;
}

// Empty when the run is a clean rejection carrying `expected`, else what went wrong.
QString problem(const Outcome& o, const QString& expected) {
    if (o.exit_code == -1) return QStringLiteral("crashed or hung after %1 ms: %2").arg(o.ms).arg(o.err);
    if (o.exit_code != 2) return QStringLiteral("exit code %1 (expected 2): %2").arg(o.exit_code).arg(o.err);
    if (!o.err.contains(expected)) return QStringLiteral("message lacks \"%1\": %2").arg(expected, o.err.trimmed());
    return {};
}

QStringList entries(const QString& dir) {
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

// The JSON `stats` prints for a model, via the CLI.
QJsonObject stats_json(const QString& model) {
    const auto run = qs::test::run_cli({"stats", model, "--json"}, kTimeoutMs);
    if (run.exit_code != 0) qFatal("stats %s failed: %s", qPrintable(model), run.err.constData());
    return QJsonDocument::fromJson(run.out).object();
}

// Environment override for the guard, restored when the scope ends.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const QByteArray& value) : name_(name) { qputenv(name, value); }
    ~ScopedEnv() { qunsetenv(name_); }

private:
    const char* name_;
};

}  // namespace

class CliMalformedTest : public QObject {
    Q_OBJECT
private slots:
    // The bases the cases break: without this, a case could "pass" on a base already broken.
    void validBasesLoad() {
        const QString v = corpus_dir() + "/_valid/";
        const QList<QStringList> commands = {
            {"stats", v + "hf-extra-tensors"},
            {"stats", v + "quantized-int8", "--method", "fp32"},
            {"stats", v + "llama2c/model.bin", "--method", "int4"},
            {"tokenize", v + "hf-tokenizer", "--text", "ab"},
        };
        const QList<Outcome> outcomes = run_all(commands);
        for (int i = 0; i < commands.size(); ++i)
            QVERIFY2(outcomes[i].exit_code == 0, qPrintable(commands[i].join(' ') + ": " + outcomes[i].err));
    }

    void casesAreRejectedClearly() {
        const QList<Case> all = manifest();
        QVERIFY2(all.size() >= 40, qPrintable(QString::number(all.size())));
        QList<Case> cases;
        QMap<QString, int> per_section;
        for (const Case& c : all)
            if (c.args[0] != "stats" || per_section[c.path.section('/', 0, 0)]++ < kPerSection) cases.append(c);
        QList<QStringList> commands;
        for (const Case& c : cases) commands.append(c.args);
        const QList<Outcome> outcomes = run_all(commands);
        QStringList failures;
        for (int i = 0; i < cases.size(); ++i) {
            QString p = problem(outcomes[i], cases[i].expected);
            // One line: the reason, nothing after it (progress lines may come before).
            if (p.isEmpty() && !outcomes[i].err.endsWith('\n')) p = "message is not a whole line";
            if (!p.isEmpty()) failures << cases[i].path + ": " + p;
        }
        QVERIFY2(failures.isEmpty(), qPrintable("\n" + failures.join('\n')));
    }

    // quantize goes through the full load; a rejected model leaves neither the output folder nor
    // a temporary one. A handful of cases, one from each part of the corpus.
    void quantizeOfBrokenModelsLeavesNothing() {
        const QStringList picked = {"config/huge-head-dim", "safetensors/shape-not-config",
                                    "sharded/missing-shard", "tokenizer/merges-three-parts",
                                    "llama2c/truncated-weights.bin", "quantized/scales-missing"};
        QTemporaryDir out;
        QList<Case> cases;
        QList<QStringList> commands;
        for (const Case& c : manifest()) {
            if (!picked.contains(c.path)) continue;
            cases.append(c);
            commands.append({"quantize", corpus_dir() + "/" + c.path, "--method", "int8-dynamic", "-o",
                             out.filePath(QString(c.path).replace('/', '_'))});
        }
        QCOMPARE(cases.size(), picked.size());
        const QList<Outcome> outcomes = run_all(commands);
        for (int i = 0; i < cases.size(); ++i) {
            const QString p = problem(outcomes[i], cases[i].expected);
            QVERIFY2(p.isEmpty(), qPrintable(cases[i].path + ": " + p));
        }
        QVERIFY2(entries(out.path()).isEmpty(), qPrintable(entries(out.path()).join(", ")));
    }

    // The guard's figure for synthetic:tiny in FP32 is its weights plus one FP32 matrix (the one
    // being converted), both read here from `stats --json`: one byte less must be refused.
    void memoryGuardRefusesAtTheRightSize() {
        const QJsonObject stats = stats_json("synthetic:tiny");
        qint64 largest = 0;
        for (const QJsonValue& t : stats["other_tensors"].toArray()) {
            const QJsonArray s = t["shape"].toArray();
            if (s.size() == 2) largest = std::max<qint64>(largest, s[0].toInteger() * s[1].toInteger() * 4);
        }
        for (const QJsonValue& layer : stats["layers"].toArray())
            for (const QJsonValue& t : layer["tensors"].toArray()) {
                const QJsonArray s = t["shape"].toArray();
                if (s.size() == 2) largest = std::max<qint64>(largest, s[0].toInteger() * s[1].toInteger() * 4);
            }
        const qint64 needed = stats["weight_bytes"].toInteger() + largest;
        QVERIFY(largest > 0 && needed > largest);
        {
            ScopedEnv env("QS_MEMORY_AVAILABLE", QByteArray::number(needed));
            const auto run = qs::test::run_cli({"stats", "synthetic:tiny", "--method", "fp32"}, kTimeoutMs);
            QVERIFY2(run.exit_code == 0, run.err.constData());
        }
        {
            ScopedEnv env("QS_MEMORY_AVAILABLE", QByteArray::number(needed - 1));
            const auto run = qs::test::run_cli({"stats", "synthetic:tiny", "--method", "fp32"}, kTimeoutMs);
            QCOMPARE(run.exit_code, 2);
            QVERIFY2(run.err.contains("synthetic:tiny: loading needs"), run.err.constData());
            QVERIFY2(run.err.contains("is available (QS_MEMORY_AVAILABLE)"), run.err.constData());
        }
    }

    // A real-size model against a small budget: refused before anything is generated, for a
    // load and for quantize (which leaves no folder), in well under the time generating it takes.
    void memoryGuardRefusesLargeModel() {
        ScopedEnv env("QS_MEMORY_AVAILABLE", "1G");
        QElapsedTimer timer;
        timer.start();
        auto run = qs::test::run_cli({"stats", "synthetic:qwen2.5-1.5b", "--method", "int8-dynamic"}, kTimeoutMs);
        QCOMPARE(run.exit_code, 2);
        QVERIFY2(run.err.contains("synthetic:qwen2.5-1.5b: loading as int8-dynamic needs"), run.err.constData());
        QVERIFY2(run.err.contains("GiB of memory but 1.0 GiB is available"), run.err.constData());
        QTemporaryDir out;
        run = qs::test::run_cli({"quantize", "synthetic:qwen2.5-1.5b", "--method", "int8-dynamic", "-o",
                                 out.filePath("q")}, kTimeoutMs);
        QCOMPARE(run.exit_code, 2);
        QVERIFY2(run.err.contains("quantizing to int8-dynamic needs"), run.err.constData());
        QVERIFY(entries(out.path()).isEmpty());
        QVERIFY2(timer.elapsed() < kTimeoutMs, qPrintable(QString::number(timer.elapsed())));
    }

    void memoryOverrideMustBeASize() {
        ScopedEnv env("QS_MEMORY_AVAILABLE", "plenty");
        const auto run = qs::test::run_cli({"stats", "synthetic:tiny", "--method", "fp32"}, kTimeoutMs);
        QCOMPARE(run.exit_code, 2);
        QVERIFY2(run.err.contains("QS_MEMORY_AVAILABLE=\"plenty\": expected a size"), run.err.constData());
    }

    // A file-size limit (RLIMIT_FSIZE, set by the shell; SIGXFSZ ignored so writes fail with
    // EFBIG instead of killing the process) makes the first large write fail, as a full disk does.
    void quantizeIntoFileSizeLimitLeavesNothing() {
        QTemporaryDir out;
        QProcess p;
        p.start("/bin/sh", {"-c", "trap '' XFSZ; ulimit -f 16; exec \"$0\" \"$@\"", qs::test::cli_path(),
                            "quantize", "synthetic:tiny", "--method", "int8-dynamic", "-o", out.filePath("q")});
        QVERIFY(p.waitForFinished(kTimeoutMs));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 2, qPrintable(err));
        QVERIFY2(err.contains("cannot write (File too large)"), qPrintable(err));
        QVERIFY2(entries(out.path()).isEmpty(), qPrintable(entries(out.path()).join(", ")));
    }

    // The benchmark's --json / --csv reports go through a temporary name too: a write that fails
    // leaves neither the report nor its temporary file.
    void benchmarkReportsIntoFileSizeLimitLeaveNothing() {
        QTemporaryDir out;
        QProcess p;
        p.start("/bin/sh", {"-c", "trap '' XFSZ; ulimit -f 2; exec \"$0\" \"$@\"", qs::test::cli_path(),
                            "benchmark", "synthetic:tiny", "--methods", "fp32", "--runs", "1", "--warmup", "0",
                            "--max-new-tokens", "2", "--eval-tokens", "0", "--no-memory",
                            "--json", out.filePath("r.json"), "--csv", out.filePath("r.csv")});
        QVERIFY(p.waitForFinished(kBenchmarkTimeoutMs));
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 2, qPrintable(err));
        QVERIFY2(err.contains("r.json: cannot write (File too large)"), qPrintable(err));
        QVERIFY2(entries(out.path()).isEmpty(), qPrintable(entries(out.path()).join(", ")));
    }

    // A real full filesystem: a 64 KiB tmpfs, when this process may mount one (root in a
    // container that allows it); skipped otherwise, the file-size limit above still runs.
    void quantizeIntoFullDiskLeavesNothing() {
        QTemporaryDir dir;
        const QByteArray mountpoint = QFile::encodeName(dir.path());
        if (::mount("tmpfs", mountpoint.constData(), "tmpfs", 0, "size=64k") != 0)
            QSKIP("cannot mount a tmpfs here (needs CAP_SYS_ADMIN)");
        struct Unmount {
            QByteArray path;
            ~Unmount() { ::umount(path.constData()); }
        } unmount{mountpoint};
        const auto run = qs::test::run_cli(
            {"quantize", "synthetic:tiny", "--method", "int8-dynamic", "-o", dir.filePath("q")}, kTimeoutMs);
        QVERIFY2(run.exit_code == 2, run.err.constData());
        QVERIFY2(run.err.contains("No space left on device"), run.err.constData());
        QVERIFY2(entries(dir.path()).isEmpty(), qPrintable(entries(dir.path()).join(", ")));
    }
};

QTEST_GUILESS_MAIN(CliMalformedTest)
#include "test_cli_malformed.moc"
