// The utils.* actions, run through the registry with a
// small real ActionContext that records what the actions emit.
#include "core/engine/actionregistry.h"

#include <QtCore/QFloat16> // complete, so QCOMPARE on Json can rule its overload out
#include <QtTest/QTest>

// QCOMPARE prints Json values as their compact text.
namespace nlohmann {
inline char *toString(const json &value)
{
    return qstrdup(value.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
}
} // namespace nlohmann

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;

namespace {

class RecordingContext : public ActionContext
{
public:
    void emitContent(const QString &chunk) override { content.append(chunk); }
    void emitStatus(const QString &status, const QString &message) override
    {
        statuses.append({status, message});
    }
    const CancelToken &cancelToken() const override { return m_cancel; }
    const QList<Message> &conversation() const override { return m_conversation; }
    QString invocationId() const override { return u"inv-test"_s; }
    QStringList datasets() const override { return {}; }

    QStringList content;
    QList<std::pair<QString, QString>> statuses;

private:
    CancelToken m_cancel;
    QList<Message> m_conversation{Message::user(u"hi"_s)};
};

} // namespace

class TestUtilsActions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void registry();
    void echo_data();
    void echo();
    void parseJson_data();
    void parseJson();
    void sendStatus();
    void write_data();
    void write();
    void raise();
    void missingParameters_data();
    void missingParameters();

private:
    ActionOutcome run(const QString &type, const Json &parameters)
    {
        Action *action = m_registry.find(type);
        if (!action)
            return ActionOutcome::failure(u"no action "_s + type);
        ActionCall call{u"bot"_s, u"2024-01-01T00:00:00.000Z"_s, u"step"_s, u"step"_s, type, parameters};
        return action->run(call, m_context);
    }

    ActionRegistry m_registry;
    RecordingContext m_context;
};

void TestUtilsActions::init()
{
    m_registry = ActionRegistry();
    registerUtilsActions(m_registry);
    m_context.content.clear();
    m_context.statuses.clear();
}

void TestUtilsActions::registry()
{
    const QStringList expected{u"utils.echo"_s, u"utils.parse_json"_s, u"utils.raise"_s,
                               u"utils.send_status"_s, u"utils.write"_s};
    QCOMPARE(m_registry.types(), expected);
    QCOMPARE(m_registry.find(u"llm.message"_s), nullptr);
    QCOMPARE(m_registry.find(u"utils.nope"_s), nullptr);

    // add() replaces what a type ran before.
    struct Constant : Action
    {
        ActionOutcome run(const ActionCall &, ActionContext &) override
        {
            return ActionOutcome::success(Json("constant"));
        }
    };
    m_registry.add(u"utils.echo"_s, std::make_shared<Constant>());
    QCOMPARE(run(u"utils.echo"_s, {{"data", 1}}).output, Json("constant"));
    QCOMPARE(m_registry.types().size(), expected.size());
}

void TestUtilsActions::echo_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("object") << R"({"a": [1, 2, {"b": null}]})"_ba;
    QTest::newRow("string") << R"("text")"_ba;
    QTest::newRow("number") << R"(4.5)"_ba;
    QTest::newRow("null") << R"(null)"_ba;
}

void TestUtilsActions::echo()
{
    QFETCH(QByteArray, data);
    const Json value = Json::parse(data.toStdString());
    const ActionOutcome out = run(u"utils.echo"_s, {{"data", value}, {"other", 1}});
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(out.output, value);
    QVERIFY(m_context.content.isEmpty());
    QVERIFY(m_context.statuses.isEmpty());
}

void TestUtilsActions::parseJson_data()
{
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<QByteArray>("output"); // empty when the step fails
    QTest::addColumn<QString>("error");

    QTest::newRow("object") << R"({"json_data": "{\"a\": [1, true]}"})"_ba
                            << R"({"a": [1, true]})"_ba << QString();
    QTest::newRow("alias data") << R"({"data": "[1, 2]"})"_ba << R"([1, 2])"_ba << QString();
    QTest::newRow("json_data wins over data") << R"({"data": "1", "json_data": "2"})"_ba
                                              << R"(2)"_ba << QString();
    QTest::newRow("scalar") << R"({"json_data": " \"s\" "})"_ba << R"("s")"_ba << QString();
    QTest::newRow("markdown fence") << R"({"json_data": "```json\n{\"k\": 1}\n```\n"})"_ba
                                    << R"({"k": 1})"_ba << QString();
    QTest::newRow("already parsed") << R"({"json_data": {"k": [1]}})"_ba << R"({"k": [1]})"_ba
                                    << QString();
    QTest::newRow("invalid") << R"({"json_data": "{\"a\": 1,\n \"b\": }"})"_ba << QByteArray()
        << u"utils.parse_json: \"json_data\" is not valid JSON: line 2, column 7: syntax error "
           "while parsing value - unexpected '}'; expected '[', '{', or a literal"_s;
    QTest::newRow("empty") << R"({"json_data": "  "})"_ba << QByteArray()
                           << u"utils.parse_json: \"json_data\" is empty"_s;
    QTest::newRow("null") << R"({"json_data": null})"_ba << QByteArray()
                          << u"utils.parse_json: \"json_data\" is null"_s;
}

void TestUtilsActions::parseJson()
{
    QFETCH(QByteArray, parameters);
    QFETCH(QByteArray, output);
    QFETCH(QString, error);
    const ActionOutcome out = run(u"utils.parse_json"_s, Json::parse(parameters.toStdString()));
    if (output.isEmpty()) {
        QVERIFY(!out.ok);
        QCOMPARE(out.error, error);
    } else {
        QVERIFY2(out.ok, qPrintable(out.error));
        QCOMPARE(out.output, Json::parse(output.toStdString()));
    }
}

void TestUtilsActions::sendStatus()
{
    ActionOutcome out = run(u"utils.send_status"_s, {{"status", "searching"}, {"message", "Looking up 3 sources"}});
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(out.output, (Json{{"status", "searching"}, {"message", "Looking up 3 sources"}}));

    // The message is optional, and may be any JSON (rendered as text).
    out = run(u"utils.send_status"_s, {{"status", "done"}});
    QCOMPARE(out.output, (Json{{"status", "done"}, {"message", ""}}));
    out = run(u"utils.send_status"_s, {{"status", "counts"}, {"message", {{"n", 2}}}});
    QCOMPARE(out.output, (Json{{"status", "counts"}, {"message", "{\"n\":2}"}}));

    const QList<std::pair<QString, QString>> expected{{u"searching"_s, u"Looking up 3 sources"_s},
                                                      {u"done"_s, QString()},
                                                      {u"counts"_s, u"{\"n\":2}"_s}};
    QCOMPARE(m_context.statuses, expected);
    QVERIFY(m_context.content.isEmpty());

    out = run(u"utils.send_status"_s, {{"status", 3}});
    QVERIFY(!out.ok);
    QCOMPARE(out.error, u"utils.send_status: \"status\" must be a non-empty string"_s);
    QCOMPARE(m_context.statuses.size(), 3); // nothing emitted for a failure
}

void TestUtilsActions::write_data()
{
    QTest::addColumn<QByteArray>("parameters");
    QTest::addColumn<QString>("text");
    QTest::newRow("content") << R"({"content": "Hello ✓"})"_ba << u"Hello ✓"_s;
    QTest::newRow("alias message") << R"({"message": "via message"})"_ba << u"via message"_s;
    QTest::newRow("content wins") << R"({"message": "no", "content": "yes"})"_ba << u"yes"_s;
    QTest::newRow("object as JSON") << R"({"content": {"b": 1, "a": [true]}})"_ba
                                    << uR"({"a":[true],"b":1})"_s;
    QTest::newRow("number") << R"({"content": 12})"_ba << u"12"_s;
}

void TestUtilsActions::write()
{
    QFETCH(QByteArray, parameters);
    QFETCH(QString, text);
    const ActionOutcome out = run(u"utils.write"_s, Json::parse(parameters.toStdString()));
    QVERIFY2(out.ok, qPrintable(out.error));
    QCOMPARE(out.output, (Json{{"content", toStd(text)}}));
    QCOMPARE(m_context.content, QStringList{text});
}

void TestUtilsActions::raise()
{
    ActionOutcome out = run(u"utils.raise"_s, {{"message", "the plan was empty"}, {"status", "bad_plan"}});
    QVERIFY(!out.ok);
    QCOMPARE(out.error, u"the plan was empty"_s);
    QCOMPARE(out.output, (Json{{"message", "the plan was empty"}, {"status", "bad_plan"}}));

    out = run(u"utils.raise"_s, Json::object());
    QVERIFY(!out.ok);
    QCOMPARE(out.error, u"raised by the bot"_s);
    QCOMPARE(out.output, (Json{{"message", "raised by the bot"}}));

    out = run(u"utils.raise"_s, {{"message", ""}});
    QCOMPARE(out.error, u"raised by the bot"_s);
    QVERIFY(m_context.content.isEmpty());
}

void TestUtilsActions::missingParameters_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("error");
    QTest::newRow("echo") << u"utils.echo"_s << u"utils.echo: missing parameter \"data\""_s;
    QTest::newRow("parse_json") << u"utils.parse_json"_s
                                << u"utils.parse_json: missing parameter \"json_data\""_s;
    QTest::newRow("send_status") << u"utils.send_status"_s
                                 << u"utils.send_status: missing parameter \"status\""_s;
    QTest::newRow("write") << u"utils.write"_s << u"utils.write: missing parameter \"content\""_s;
}

void TestUtilsActions::missingParameters()
{
    QFETCH(QString, type);
    QFETCH(QString, error);
    const ActionOutcome out = run(type, {{"unrelated", "x"}});
    QVERIFY(!out.ok);
    QCOMPARE(out.error, error);
    QVERIFY(m_context.content.isEmpty());
    QVERIFY(m_context.statuses.isEmpty());
}

QTEST_GUILESS_MAIN(TestUtilsActions)
#include "tst_utilsactions.moc"
