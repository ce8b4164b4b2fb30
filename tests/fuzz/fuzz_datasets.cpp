// libFuzzer target: the dataset readers (core/datasets/datasetreader.h). The same bytes
// as CSV, JSON Lines, Markdown and plain text: a file is read whole or refused whole
// with a reason, and every record has an id and a line inside the file.
#include "core/datasets/datasetreader.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype lines = fuzz::lineCount(bytes);
    for (const char *name : {"fuzz.csv", "fuzz.jsonl", "fuzz.md", "fuzz.txt"}) {
        const QString fileName = QString::fromLatin1(name);
        LoadProblem problem;
        const auto records = datasets::readDatasetFile(bytes, fileName, fileName, &problem);
        if (!records) {
            fuzz::require(!problem.reason.isEmpty(), "a refused dataset file says why");
            continue;
        }
        for (const datasets::MemoryRecord &record : *records) {
            fuzz::require(!record.id.isEmpty(), "every record has an id");
            const qint64 line = intField(record.metadata, "line", -1);
            fuzz::require(line >= 1 && line <= lines, "every record starts on a line of the file");
        }
    }
    return 0;
}
