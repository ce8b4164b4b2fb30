// payload… and metadata… members read from an event's bytes (core/filter/memberscan.h)
// against the same members read from the parsed event (parseJson and a walk of the tree),
// on generated events and on mutations of them: the same value, the same type, missing
// on the same events, and every filter matching the same events either way.
#include "core/filter/filter.h"
#include "core/filter/memberscan.h"

#include <QtTest/QTest>

#include <random>

using namespace invoke;
using namespace invoke::filter;
using namespace Qt::StringLiterals;

namespace {

// Few key names, so that paths meet arrays, repeated keys and each other often.
const char *const kKeys[] = {"a", "b", "0", "1", "items", "payload", "metadata", "x", "é"};

class Generator
{
public:
    explicit Generator(quint32 seed) : m_random(seed) {}

    int below(int n) { return int(m_random() % quint32(n)); }

    std::string value(int depth)
    {
        const int pick = below(depth > 4 ? 7 : 10);
        switch (pick) {
        case 0: return "null";
        case 1: return below(2) ? "true" : "false";
        case 2: return number();
        case 3: return string();
        case 4: return "\"" + std::string(kKeys[below(9)]) + "\"";
        case 5: return std::to_string(below(1000));
        case 6: return "\"text with \\\"quotes\\\", \\u00e9 and \\ud83c\\udf0d\"";
        case 7:
        case 8: return object(depth + 1);
        default: return array(depth + 1);
        }
    }

    std::string object(int depth)
    {
        std::string out = "{";
        const int members = below(5);
        for (int i = 0; i < members; ++i) {
            if (i)
                out += below(4) ? "," : " , ";
            out += "\"" + std::string(kKeys[below(9)]) + "\"" + (below(3) ? ":" : " : ") + value(depth);
        }
        return out + "}";
    }

    std::string array(int depth)
    {
        std::string out = "[";
        const int items = below(4);
        for (int i = 0; i < items; ++i)
            out += (i ? "," : "") + value(depth);
        return out + "]";
    }

    std::string number()
    {
        const char *const numbers[] = {"0", "-0", "12", "-7", "1.5", "2e3", "-1E-2", "18446744073709551615",
                                       "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
                                       "1e400", "0.1", "512", "512.0"};
        return numbers[below(15)];
    }

    std::string string()
    {
        const char *const strings[] = {"\"\"", "\"plain\"", "\"tab\\there\"", "\"\\/slash\"", "\"ünïcödé\"",
                                       "\"\\u0000nul\"", "\"512\""};
        return strings[below(7)];
    }

    // A whole event: the top members an event has, in any order, some of them twice.
    std::string event()
    {
        std::vector<std::string> members{
            "\"type\":\"step_started\"",
            "\"payload\":" + (below(4) ? object(1) : value(1)),
            "\"metadata\":" + (below(4) ? object(1) : value(1)),
        };
        if (below(4) == 0)
            members.push_back("\"payload\":" + value(1));
        if (below(6) == 0)
            members.push_back("\"metadata\":{\"message_content_id\":" + value(2) + "}");
        std::shuffle(members.begin(), members.end(), m_random);
        std::string out = below(8) ? "{" : " \xEF\xBB\xBF{";
        for (size_t i = 0; i < members.size(); ++i)
            out += (i ? "," : "") + members[i];
        out += "}";
        if (below(10) == 0)
            out += below(2) ? " \n" : "x";
        return out;
    }

    // The text with a few bytes changed, removed, repeated or cut.
    std::string mutate(std::string text)
    {
        const char significant[] = {'{', '}', '[', ']', ',', ':', '"', '\\', '0', '9', 'e', '-', '.', ' ', 'n', '\0'};
        const int edits = 1 + below(3);
        for (int i = 0; i < edits && !text.empty(); ++i) {
            const size_t at = size_t(below(int(text.size())));
            switch (below(6)) {
            case 0: text[at] = significant[below(int(sizeof significant))]; break;
            case 1: text.erase(at, 1); break;
            case 2: text.insert(at, text.substr(at, size_t(below(12)))); break;
            case 3: text.resize(at); break;
            case 4: text[at] = char(0xC0 + below(64)); break;
            default: text.insert(at, 1, significant[below(int(sizeof significant))]); break;
            }
        }
        return text;
    }

private:
    std::mt19937 m_random;
};

// Nested `levels` deep under payload.a, around the wire depth limit.
std::string deepEvent(int levels)
{
    std::string inner = "1";
    for (int i = 0; i < levels; ++i)
        inner = (i % 2 ? "[" : "{\"a\":") + inner + (i % 2 ? "]" : "}");
    return "{\"payload\":{\"a\":" + inner + ",\"b\":2},\"metadata\":{\"seq\":1}}";
}

const std::vector<FieldRef> &fields()
{
    static const std::vector<FieldRef> list = [] {
        std::vector<FieldRef> out;
        for (const char *name : {"payload", "metadata", "payload.a", "payload.b", "payload.0", "payload.1",
                                 "payload.a.b", "payload.a.0", "payload.items.0", "payload.items.1.x",
                                 "payload.a.a.a", "payload.0.0", "payload.00", "payload.a.1234567890",
                                 "payload.payload", "payload.é", "metadata.message_content_id", "metadata.a.b",
                                 "metadata.0", "metadata.x"}) {
            out.push_back(*fieldFromName(QString::fromUtf8(name)));
        }
        return out;
    }();
    return list;
}

// Empty when both reads agree; else what differs.
QString difference(const FieldValue &scanned, const FieldValue &parsed)
{
    const auto describe = [](const FieldValue &v) {
        QString text = QString::number(int(v.kind));
        if (v.kind == FieldValue::String)
            text += u" \""_s + QString::fromUtf8(v.utf8.data(), qsizetype(v.utf8.size())) + u'"';
        if (v.json)
            text += u" json "_s + QString::fromUtf8(dumpJson(*v.json)) + u" type "_s + QString::number(int(v.json->type()));
        return text;
    };
    bool same = scanned.kind == parsed.kind && scanned.isUtf8 == parsed.isUtf8 && scanned.utf8 == parsed.utf8
                && scanned.boolean == parsed.boolean && (scanned.json == nullptr) == (parsed.json == nullptr)
                && (scanned.number == parsed.number || (std::isnan(scanned.number) && std::isnan(parsed.number)));
    if (same && scanned.json)
        same = scanned.json->type() == parsed.json->type() && dumpJson(*scanned.json) == dumpJson(*parsed.json);
    return same ? QString() : u"scanned "_s + describe(scanned) + u", parsed "_s + describe(parsed);
}

// Every field on `text` both ways; the first difference, or empty.
QString compareFields(const std::string &text)
{
    static const QString type = u"step_started"_s, path = u"plan"_s;
    const QByteArrayView bytes(text.data(), qsizetype(text.size()));
    for (const FieldRef &field : fields()) {
        const EventRecord fast(type, path, 1, 2, bytes);
        const EventRecord slow(type, path, 1, 2, bytes);
        (void)slow.json(); // parsed first: members are read from the tree
        const QString differs = difference(fast.value(field), slow.value(field));
        if (!differs.isEmpty()) {
            QString name = field.id == FieldId::Payload ? u"payload"_s : u"metadata"_s;
            for (const std::string &segment : field.path)
                name += u'.' + QString::fromStdString(segment);
            return name + u": "_s + differs + u" in "_s + QString::fromUtf8(bytes.toByteArray().toHex(' '));
        }
        if (fast.isParsed())
            return u"the fast read parsed the event"_s;
    }
    return {};
}

} // namespace

class TstFilterMembers : public QObject
{
    Q_OBJECT
private slots:
    void readsTheMemberOnly()
    {
        const std::string text = R"({"type":"step_started","payload":{"key":"k","parameters":{"max_tokens":512,)"
                                 R"("stop":["a","b"]}},"metadata":{"seq":3,"message_content_id":"m-1"}})";
        const QByteArrayView bytes(text.data(), qsizetype(text.size()));
        MemberValue tokens = scanMember(bytes, "payload", {"parameters", "max_tokens"});
        QVERIFY(tokens.found);
        QVERIFY(tokens.value == Json(512));
        MemberValue stop = scanMember(bytes, "payload", {"parameters", "stop", "1"});
        QVERIFY(stop.found);
        QVERIFY(stop.value == Json("b"));
        MemberValue id = scanMember(bytes, "metadata", {"message_content_id"});
        QVERIFY(id.found);
        QVERIFY(id.value == Json("m-1"));
        QVERIFY(!scanMember(bytes, "payload", {"parameters", "stop", "2"}).found);
        QVERIFY(!scanMember(bytes, "payload", {"key", "x"}).found);
        QVERIFY(scanMember(bytes, "payload", {"parameters"}).value == Json::parse(R"({"max_tokens":512,"stop":["a","b"]})"));
    }

    void repeatedKeysCountWithTheirLastValue()
    {
        const auto member = [](const char *text, std::vector<std::string> path) {
            return scanMember(QByteArrayView(text), "payload", path);
        };
        QVERIFY(member(R"({"payload":{"a":1},"payload":{"a":2}})", {"a"}).value == Json(2));
        QVERIFY(!member(R"({"payload":{"a":1},"payload":"text"})", {"a"}).found);
        QVERIFY(!member(R"({"payload":{"a":{"b":1},"a":{}}})", {"a", "b"}).found);
        QVERIFY(member(R"({"payload":{"a":{"b":1},"a":{"b":3}}})", {"a", "b"}).value == Json(3));
        QVERIFY(member(R"({"payload":{"a":[{"b":1},{"b":2}]}})", {"a", "1", "b"}).value == Json(2));
        // A text that does not parse, or nests too deep, has no members at all.
        QVERIFY(!member(R"({"payload":{"a":1}} x)", {"a"}).found);
        QVERIFY(!member(R"({"payload":{"a":1},)", {"a"}).found);
        QVERIFY(!member(R"(["payload"])", {}).found);
    }

    void deepNestingAsTheParseRefusesIt()
    {
        for (int levels : {250, 253, 254, 255, 256, 300}) {
            const std::string text = deepEvent(levels);
            QVERIFY2(compareFields(text).isEmpty(), qPrintable(QString::number(levels) + u": "_s + compareFields(text)));
        }
        QVERIFY(scanMember(QByteArrayView(deepEvent(250)), "payload", {"b"}).found);
        QVERIFY(!scanMember(QByteArrayView(deepEvent(300)), "payload", {"b"}).found);
    }

    void generatedEventsReadAsTheTreeReadsThem()
    {
        Generator generate(20261207);
        int parsed = 0;
        for (int i = 0; i < 20000; ++i) {
            const std::string text = generate.event();
            const QString differs = compareFields(text);
            QVERIFY2(differs.isEmpty(), qPrintable(u"event %1: "_s.arg(i) + differs));
            parsed += !parseJson(QByteArrayView(text.data(), qsizetype(text.size())), nullptr, kJsonMaxWireDepth)
                           .is_discarded();
        }
        QVERIFY2(parsed > 15000, "most generated events are JSON"); // the generator does what it says
    }

    void mutatedEventsReadAsTheTreeReadsThem()
    {
        Generator generate(7);
        int parsed = 0;
        for (int i = 0; i < 30000; ++i) {
            const std::string text = generate.mutate(generate.event());
            const QString differs = compareFields(text);
            QVERIFY2(differs.isEmpty(), qPrintable(u"mutation %1: "_s.arg(i) + differs));
            parsed += !parseJson(QByteArrayView(text.data(), qsizetype(text.size())), nullptr, kJsonMaxWireDepth)
                           .is_discarded();
        }
        // Both kinds are covered: mutations that still parse and ones that do not.
        QVERIFY2(parsed > 1000 && parsed < 29000, qPrintable(QString::number(parsed)));
    }

    void filtersMatchTheSameEvents()
    {
        const QStringList texts{
            u"payload.a == 1"_s, u"payload.a != 1"_s, u"payload.a == \"512\""_s, u"payload.b > 10"_s,
            u"payload.a contains \"a\""_s, u"payload.a.b matches \"^[a-z]+$\""_s, u"payload.0 ^= \"t\""_s,
            u"payload.a in {\"x\", 1, true}"_s, u"payload"_s, u"not payload.items.0"_s,
            u"metadata.message_content_id == \"a\" or metadata.x < 1"_s, u"payload.a == \"null\""_s,
            u"payload == \"{}\""_s, u"payload.a == \"[]\""_s, u"payload.a == \"true\""_s,
            u"payload.a.a == 1.5 and payload.b"_s, u"payload.b == 512 and payload.b == \"512.0\""_s,
        };
        std::vector<Filter> filters;
        for (const QString &text : texts) {
            ParseError error;
            const std::optional<Filter> parsed = Filter::parse(text, &error);
            QVERIFY2(parsed, qPrintable(text + u": "_s + error.message));
            filters.push_back(*parsed);
        }
        Generator generate(99);
        static const QString type = u"step_started"_s, path = u"plan"_s;
        int matched = 0;
        for (int i = 0; i < 20000; ++i) {
            const std::string text = i % 2 ? generate.mutate(generate.event()) : generate.event();
            const QByteArrayView bytes(text.data(), qsizetype(text.size()));
            for (size_t f = 0; f < filters.size(); ++f) {
                const EventRecord fast(type, path, 1, 2, bytes);
                const EventRecord slow(type, path, 1, 2, bytes);
                (void)slow.json();
                const bool viaScan = filters[f].matches(fast);
                QVERIFY2(viaScan == filters[f].matches(slow),
                         qPrintable(texts.at(qsizetype(f)) + u" on "_s + QString::fromUtf8(bytes.toByteArray())));
                matched += viaScan;
            }
        }
        QVERIFY(matched > 1000);
    }
};

QTEST_GUILESS_MAIN(TstFilterMembers)
#include "tst_filtermembers.moc"
