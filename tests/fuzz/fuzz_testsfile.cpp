// libFuzzer target: the tests-file parser (core/agenttests/testfileparser.h) behind
// invoke-cli test. A file is taken whole or refused whole with every problem named; a
// file taken has its cases, and each one's JSON can be written.
#include "core/agenttests/testfileparser.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    // Mock files named in the input are looked up in a folder that does not exist.
    const agenttests::TestFileResult result =
        agenttests::parseTestFile(bytes, QStringLiteral("fuzz.tests.json"), QStringLiteral("/nonexistent/invoke-fuzz"));
    fuzz::require(result.file.has_value() != !result.problems.isEmpty(), "taken whole or refused with problems");
    if (result.file)
        (void)result.file->toJson();
    return 0;
}
