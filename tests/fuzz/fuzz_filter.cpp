// libFuzzer target: the display-filter language (core/filter/filter.h) that invoke-cli
// --filter and the studio's Events tab read from a person. Any text is parsed; a refusal
// has a message and a column inside the text (with its caret diagram); a filter that
// parses is run over events of every kind, including ones that are not JSON, and matches
// the same events whether payload and metadata members are read from the bytes
// (core/filter/memberscan.h) or from the parsed event. The input's bytes are also read as
// an event, a few members each way.
#include "core/filter/filter.h"
#include "tests/fuzz/fuzzinput.h"

#include <cmath>

using namespace invoke;

namespace {

const QList<Event> &events()
{
    static const QList<Event> list = [] {
        QList<Event> out;
        for (const char *raw : {
                 R"({"type":"invocation_started","payload":{"bot_name":"Chat","bot_key":"chat","invocation_id":"i"},"metadata":{"seq":0,"t_ms":0}})",
                 R"({"type":"step_started","payload":{"key":"gather","action_type":"llm.message","parameters":{"a":[1,{"b":"c"}]}},"metadata":{"seq":1,"t_ms":3,"path":"gather","user_visibility":"visible"}})",
                 R"({"type":"message_content","payload":"Hello, Wörld 🌍","metadata":{"seq":2,"t_ms":4,"path":"gather","content_type":"text"}})",
                 R"({"type":"step_finished","payload":{"status":"step finished","key":"gather","action_type":"llm.message","result":{"status":"success","output":{"content":"x"}}},"metadata":{"seq":3,"t_ms":9,"path":"gather","source":"mock","duration_ms":5,"usage":{"input_tokens":10,"output_tokens":20}}})",
                 R"({"payload":{"status":"step finished"}})",
                 R"({"type":"invocation_finished","payload":{"status":"success","output":{"content":[]}},"metadata":{"seq":4,"t_ms":10}})",
                 R"({"type":"step_started","payload":{"a":{"b":1},"a":[{"b":"x"},2.5,null,true]},"metadata":{"seq":5},"metadata":{"path":"p","message_content_id":7}})"}) {
            if (std::optional<Event> event = Event::decode(QByteArrayView(raw)))
                out.append(*event);
        }
        Event notJson;
        notJson.raw = "[DONE";
        notJson.type = QStringLiteral("step_started");
        out.append(notJson);
        return out;
    }();
    return list;
}

// Whether a field reads the same from the bytes as from the parsed event.
bool sameValue(const filter::FieldValue &a, const filter::FieldValue &b)
{
    if (a.kind != b.kind || a.utf8 != b.utf8 || a.boolean != b.boolean || (a.json == nullptr) != (b.json == nullptr))
        return false;
    if (a.number != b.number && !(std::isnan(a.number) && std::isnan(b.number)))
        return false;
    return !a.json || (a.json->type() == b.json->type() && dumpJson(*a.json) == dumpJson(*b.json));
}

void compareMembers(QByteArrayView bytes)
{
    static const QString type = QStringLiteral("step_started"), path = QStringLiteral("p");
    for (const char *name : {"payload", "payload.a", "payload.a.b", "payload.a.0", "payload.0", "payload.a.1.b",
                             "metadata.message_content_id", "metadata.path"}) {
        const filter::FieldRef field = *filter::fieldFromName(QString::fromLatin1(name));
        const filter::EventRecord fast(type, path, 0, 0, bytes);
        const filter::EventRecord slow(type, path, 0, 0, bytes);
        (void)slow.json();
        fuzz::require(sameValue(fast.value(field), slow.value(field)),
                      "a member read from the bytes is the member of the parsed event");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    compareMembers(fuzz::bytesOf(data, size));
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    filter::ParseError error;
    const std::optional<filter::Filter> parsed = filter::Filter::parse(text, &error);
    if (!parsed) {
        fuzz::require(!error.message.isEmpty(), "a refused filter says why");
        fuzz::require(error.position >= 0 && error.position <= text.size(), "a parse error's column is in the text");
        (void)filter::caretDiagram(text, error);
        return 0;
    }
    for (const Event &event : events()) {
        filter::MatchProblem problem;
        const bool matched = parsed->matches(event, &problem);
        // The same filter with the event parsed first (members read from its tree).
        filter::EventRecord parsedFirst = filter::EventRecord::fromEvent(event);
        (void)parsedFirst.json();
        filter::MatchProblem again;
        fuzz::require(parsed->matches(parsedFirst, &again) == matched || problem.isSet() || again.isSet(),
                      "a filter matches the same whether members are read from the bytes or the tree");
    }
    return 0;
}
