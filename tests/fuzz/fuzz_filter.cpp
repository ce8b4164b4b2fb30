// libFuzzer target: the display-filter language (core/filter/filter.h) that invoke-cli
// --filter and the studio's Events tab read from a person. Any text is parsed; a refusal
// has a message and a column inside the text (with its caret diagram); a filter that
// parses is run over events of every kind, including ones that are not JSON.
#include "core/filter/filter.h"
#include "tests/fuzz/fuzzinput.h"

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
                 R"({"type":"invocation_finished","payload":{"status":"success","output":{"content":[]}},"metadata":{"seq":4,"t_ms":10}})"}) {
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
        (void)parsed->matches(event, &problem);
    }
    return 0;
}
