// libFuzzer target: the SSE parser (core/wire/sseparser.h). Any bytes, fed whole and then
// cut into pieces at places the input's own bytes choose: the parser promises the same
// messages, retry and last event id however the bytes arrive.
#include "core/wire/sseparser.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

namespace {

struct Parsed
{
    QList<wire::SseMessage> messages;
    std::optional<int> retry;
    QByteArray lastEventId;
};

Parsed parseInPieces(QByteArrayView bytes, QList<qsizetype> cuts)
{
    wire::SseParser parser;
    Parsed parsed;
    qsizetype from = 0;
    cuts.append(bytes.size());
    for (qsizetype cut : cuts) {
        cut = std::clamp(cut, from, bytes.size());
        parser.feed(bytes.sliced(from, cut - from), parsed.messages);
        from = cut;
    }
    parsed.retry = parser.retry();
    parsed.lastEventId = parser.lastEventId();
    return parsed;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    const Parsed whole = parseInPieces(bytes, {});

    QList<qsizetype> cuts;
    for (qsizetype i = 0; i < std::min<qsizetype>(3, bytes.size()); ++i)
        cuts.append(bytes.size() ? qsizetype(uint8_t(bytes[i])) * bytes.size() / 256 : 0);
    std::sort(cuts.begin(), cuts.end());
    const Parsed pieces = parseInPieces(bytes, cuts);
    fuzz::require(pieces.messages == whole.messages, "the same messages however the bytes are cut");
    fuzz::require(pieces.retry == whole.retry, "the same retry however the bytes are cut");
    fuzz::require(pieces.lastEventId == whole.lastEventId, "the same last event id however the bytes are cut");

    // Byte by byte for short inputs: every CR/LF pair and BOM split.
    if (bytes.size() <= 64) {
        QList<qsizetype> every;
        for (qsizetype i = 1; i < bytes.size(); ++i)
            every.append(i);
        fuzz::require(parseInPieces(bytes, every).messages == whole.messages, "the same messages byte by byte");
    }
    return 0;
}
