// resident_copy: the exact bytes of a file range in memory of our own (never the mapping), and
// a clear error for a range the file does not hold.
#include <QTemporaryDir>
#include <QtTest>
#include <fstream>
#include <vector>

#include "common/mapped_file.h"
#include "common/result.h"
#include "formats/resident_copy.h"

namespace {

// 3 MB and some: more than one 2 MB page, and not a whole number of them.
constexpr size_t kFileBytes = (size_t(3) << 20) + 123;

std::vector<uint8_t> pattern() {
    std::vector<uint8_t> bytes(kFileBytes);
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = uint8_t((i * 131 + i / 4096) % 251);
    return bytes;
}

}  // namespace

class ResidentCopyTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string path_;
    std::vector<uint8_t> bytes_ = pattern();

private slots:
    void initTestCase() {
        path_ = dir_.filePath("weights.bin").toStdString();
        std::ofstream out(path_, std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes_.data()), std::streamsize(bytes_.size()));
    }

    void copiesTheRangeIntoItsOwnMemory() {
        const auto file = qs::MappedFile::open(path_);
        const size_t offset = 77, length = kFileBytes - 100;  // starts and ends mid-page
        const qs::Buffer b = qs::resident_copy(*file, offset, length);
        QCOMPARE(b.bytes, length);
        QVERIFY(std::equal(b.as<uint8_t>(), b.as<uint8_t>() + length, bytes_.begin() + offset));
        QCOMPARE(reinterpret_cast<uintptr_t>(b.data) % 64, uintptr_t(0));
        const uint8_t* map_begin = file->data();
        const uint8_t* map_end = map_begin + file->size();
        QVERIFY(b.as<uint8_t>() + length <= map_begin || b.as<uint8_t>() >= map_end);
        // The mapping still reads the file after its pages were dropped.
        QCOMPARE(file->data()[offset + 4096], bytes_[offset + 4096]);
    }

    void rangePastTheEndIsAnError() {
        const auto file = qs::MappedFile::open(path_);
        try {
            qs::resident_copy(*file, kFileBytes - 10, 20);
            QFAIL("a range past the end of the file was copied");
        } catch (const qs::Failure& e) {
            QVERIFY2(std::string(e.what()).find("weights.bin") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(ResidentCopyTest)
#include "test_resident_copy.moc"
