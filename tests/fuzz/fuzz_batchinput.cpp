// libFuzzer target: the batch-input parsers (core/agenttests/batchinput.h) behind
// invoke-cli batch --input. The same bytes as JSON Lines and as CSV: read whole or refused
// whole with every problem named; the rows are numbered in order from 1, each with a
// message and a line inside the file.
#include "core/agenttests/batchinput.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

namespace {

void check(const agenttests::BatchInput &input, qsizetype lines)
{
    fuzz::require(input.rows.has_value() != !input.problems.isEmpty(), "taken whole or refused with problems");
    if (!input.rows)
        return;
    int expected = 1;
    for (const agenttests::BatchRow &row : *input.rows) {
        fuzz::require(row.row == expected++, "rows numbered in order from 1");
        fuzz::require(row.line >= 1 && row.line <= lines, "a row starts on a line of the file");
        fuzz::require(!row.messages.isEmpty(), "every row has a message");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype lines = fuzz::lineCount(bytes);
    check(agenttests::parseBatchJsonLines(bytes, QStringLiteral("fuzz.jsonl")), lines);
    check(agenttests::parseBatchCsv(bytes, QStringLiteral("fuzz.csv")), lines);
    return 0;
}
