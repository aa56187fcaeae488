// The JSON and CSV writers against golden files (reviewed by hand: NaN as null / empty field,
// RFC 4180 quoting of commas, quotes and line breaks), and JSON reading back what it wrote.
#include <QtTest>
#include <cmath>

#include "bench/benchmark.h"
#include "test_support.h"

using namespace qs;
using namespace qs::bench;

namespace {

BenchmarkResult hand_built() {
    BenchmarkResult r;
    r.created_at = "2024-01-02T03:04:05Z";
    r.settings.model = "synthetic:tiny";
    r.settings.methods = {QuantOptions{}, QuantOptions{Method::int4, 64, false}};
    r.settings.prompts = {"Hello, \"world\"", "second"};
    r.settings.runs = 2;
    r.settings.threads = 2;
    r.system.cpu_model = "Test CPU";
    r.system.cpu_flags = {"avx2", "avx512f"};
    r.system.cores = 2;
    r.system.threads = 2;
    r.system.ram_bytes = int64_t(24) << 30;
    r.system.libtorch_version = "1.13.0";
    r.system.kernel_isa = "avx512vnni";
    r.read_bandwidth_gbps = 20.5;
    r.read_bandwidth_samples_gbps = {19.25, 20.5, 31.0};
    r.eval_text_source = "sampled from fp32, seed 1234, 64 tokens";
    r.complete = true;
    r.seconds = 12.25;
    r.notes = {"peak RSS not measured: memory measurement was turned off"};

    VariantResult fp32;
    fp32.method = "fp32";
    fp32.status = "ok";
    fp32.weight_bytes = 1000000;
    fp32.ttft_ms = {1.5, 2.5};
    fp32.latency_ms = {10.0, 12.0};
    fp32.sample_prompt = {0, 1};
    fp32.sample_prompt_tokens = {5, 3};
    fp32.decode_token_ms = {0.5, 0.25};
    fp32.latency.n = 2;
    fp32.latency.p50 = 11.0;
    fp32.latency.p50_ci = {10.0, 12.0};
    fp32.decode_tokens_per_s = 2666.625;
    fp32.accuracy.perplexity = 12.5;
    fp32.accuracy.tokens_scored = 63;
    fp32.accuracy.greedy_agreement = {5, 5};

    VariantResult int4;
    int4.options = QuantOptions{Method::int4, 64, false};
    int4.method = "int4";
    int4.status = "failed";
    int4.error = "load failed: bad tensor, \"q_proj\"\nsecond line";
    int4.weight_bytes = 250000;
    int4.memory_ratio.value = 4.0;
    int4.decode_speedup = {1.75, {1.5, 2.0}};
    int4.accuracy.top1_agreement = 0.875;
    int4.accuracy.kl_mean = 0.03125;
    int4.accuracy.worst = {{7, "Once upon", " a", " a", " the", 0.5}};
    r.variants = {fp32, int4};
    return r;
}

void compare_golden(const std::string& actual, const QString& name) {
    const QString path = qs::test::source_dir() + "/tests/core/bench/golden/" + name;
    const std::string expected = qs::test::read_text(path);
    if (actual != expected) {
        QFile out(QDir::temp().filePath("quantscope-actual-" + name));
        if (out.open(QIODevice::WriteOnly)) out.write(actual.data(), qint64(actual.size()));
        QFAIL(qPrintable("differs from " + path + "; actual output written to " + out.fileName()));
    }
}

}  // namespace

class TestReports : public QObject {
    Q_OBJECT
private slots:
    void jsonMatchesGolden() { compare_golden(result_to_json(hand_built()), "result.json"); }
    void summaryCsvMatchesGolden() { compare_golden(summary_csv(hand_built()), "summary.csv"); }
    void samplesCsvMatchesGolden() { compare_golden(samples_csv(hand_built()), "samples.csv"); }

    void jsonRoundTrips() {
        const std::string first = result_to_json(hand_built());
        auto back = result_from_json(first);
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
        QCOMPARE(result_to_json(*back), first);
        QVERIFY(std::isnan(back->variants[0].accuracy.kl_mean));  // null reads back as NaN
        QCOMPARE(back->variants[1].options.group_size, 64);
        QCOMPARE(back->variants[1].options.quantize_embeddings, false);
        QCOMPARE(back->variants[1].error, hand_built().variants[1].error);
        QCOMPARE(back->system.ram_bytes, int64_t(24) << 30);
        QCOMPARE(back->read_bandwidth_samples_gbps, (std::vector<double>{19.25, 20.5, 31.0}));
    }

    void rejectsForeignDocuments() {
        QVERIFY(!result_from_json("not json").ok());
        QVERIFY(!result_from_json("{\"a\": 1}").ok());
        QVERIFY(!result_from_json(R"({"format":"quantscope-benchmark","schema_version":99})").ok());
    }
};

QTEST_GUILESS_MAIN(TestReports)
#include "test_reports.moc"
