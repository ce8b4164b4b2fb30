// libFuzzer target: bytes from a server to events and a result, as RemoteBackend and
// invoke-cli read them (core/wire/eventcodec.h, core/wire/events.h, core/fold/runfold.h).
// Any bytes go through the event stream decoder in two pieces; each event is classified,
// its accessors and text chunk read, and the run folded. The input is also read as one
// event's JSON, by nlohmann's parser and by core/model/json/eventscan.h, which must agree.
// Nothing may crash, and the fold counts every event it was given.
#include "core/fold/runfold.h"
#include "core/wire/eventcodec.h"
#include "core/wire/events.h"
#include "tests/fuzz/eventscancheck.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

namespace {

void readEvent(const Event &event, RunFold &fold)
{
    const Json parsed = event.json();
    const EventKind kind = wire::kindOf(event, parsed);
    (void)wire::typeName(kind);
    (void)wire::payloadOf(parsed);
    (void)wire::metadataOf(parsed);
    (void)wire::readTextChunk(event);
    (void)fold.add(event);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    // The fast event reader accepts and reads exactly what nlohmann's parser does.
    fuzz::require(fuzz::eventScanDifference(bytes).empty(), "the event scanner reads as nlohmann does");

    wire::EventStreamDecoder decoder;
    QList<Event> events;
    const qsizetype half = bytes.isEmpty() ? 0 : qsizetype(uint8_t(bytes[0])) * bytes.size() / 256;
    decoder.feed(bytes.first(half), events);
    decoder.feed(bytes.sliced(half), events);
    (void)decoder.takeProblems();
    fuzz::require(decoder.messageCount() == events.size() + decoder.skippedCount(),
                  "every message is an event or a skipped one");

    RunFold fold;
    for (const Event &event : std::as_const(events))
        readEvent(event, fold);
    if (std::optional<Event> one = Event::decode(bytes))
        readEvent(*one, fold);
    fuzz::require(fold.eventCount() >= events.size(), "the fold counts every event");
    (void)fold.markFailed(QStringLiteral("the stream ended"));
    (void)fold.markCancelled();
    for (const Event &event : std::as_const(events))
        (void)wire::encodeSseFrame(event);
    return 0;
}
