// Every model of the malformed corpus (tests/data/malformed/MANIFEST.tsv) dropped on the studio:
// the error banner shows the reason the manifest names, no model card replaces the current one,
// and the window goes on working (a good model loads afterwards).
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include "drop_zone.h"
#include "error_banner.h"
#include "main_window.h"
#include "model_panel.h"
#include "test_support.h"
#include "ui_test_support.h"

using namespace qs::ui;

namespace {

QString corpus_dir() { return qs::test::source_dir() + "/tests/data/malformed"; }

}  // namespace

class MalformedDropTest : public QObject {
    Q_OBJECT

    QTemporaryDir settings_dir_;

private slots:
    void initTestCase() {
        qs::test::use_throwaway_settings(settings_dir_.path());
    }

    void everyCorpusEntryShowsItsReason() {
        QFile f(corpus_dir() + "/MANIFEST.tsv");
        QVERIFY(f.open(QIODevice::ReadOnly));
        MainWindow w;
        w.show();
        QVERIFY(w.modelPanel()->loadModel(corpus_dir() + "/_valid/hf"));
        const QString loaded = w.modelPanel()->spec();
        int dropped = 0;
        for (const QString& line : QString::fromUtf8(f.readAll()).split('\n', Qt::SkipEmptyParts)) {
            if (line.startsWith('#')) continue;
            const QStringList cols = line.split('\t');
            QCOMPARE(cols.size(), 3);
            // Rows for other commands (tokenize, generate) are models whose card is fine.
            if (cols[2] != QLatin1String("stats")) continue;
            w.errorBanner()->hide();
            qs::test::drop_urls(w.modelPanel()->dropZone(), {QUrl::fromLocalFile(corpus_dir() + "/" + cols[0])});
            ++dropped;
            QVERIFY2(w.errorBanner()->isVisible(), qPrintable(cols[0]));
            // A dropped .txt is taken for evaluation text and a lone .safetensors for its folder,
            // so their banners give those reasons instead of the CLI's.
            const QString suffix = QFileInfo(cols[0]).suffix();
            if (suffix != "txt" && suffix != "safetensors")
                QVERIFY2(w.errorBanner()->text().contains(cols[1]),
                         qPrintable(cols[0] + ": " + w.errorBanner()->text()));
            QCOMPARE(w.modelPanel()->spec(), loaded);
        }
        QVERIFY(dropped >= 40);
        QVERIFY(w.modelPanel()->loadModel(QStringLiteral("synthetic:tiny")));
        QCOMPARE(w.modelPanel()->spec(), QStringLiteral("synthetic:tiny"));
    }
};

QTEST_MAIN(MalformedDropTest)
#include "test_malformed_drop.moc"
