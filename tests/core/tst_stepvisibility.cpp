// A step's own events carry its visibility setting (docs/events.md): step_started and
// step_finished have metadata.user_visibility "visible" or "hidden", from the step's
// user_output_visibility or else the action's default, the same word its messages carry.
// The public SDK's text output prints a step only when that word is "visible".
#include "core/engine/actiongate.h"
#include "core/engine/actionregistry.h"
#include "core/engine/botcatalog.h"
#include "core/engine/executor.h"
#include "core/wire/events.h"

#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::engine;

class TestStepVisibility : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    // Each event of the run as "kind path visibility" ("-" when the event has none).
    QStringList run(const QString &botKey)
    {
        BotCatalog catalog;
        catalog.load({m_dir.path()});
        if (!catalog.problems().isEmpty())
            qWarning() << "bot problems:" << catalog.problems().first().toString();
        ActionRegistry registry;
        registerUtilsActions(registry);
        ActionGate gate({Mode::Live, {}});
        Executor executor(catalog, registry, gate);
        CancelToken cancel;
        InvokeRequest request;
        request.botKey = botKey;
        request.messages = {Message::user(u"hi"_s)};
        QStringList lines;
        executor.run(request, [&](Event event) {
            const Json parsed = event.json();
            const EventKind kind = wire::kindOf(event, parsed);
            if (kind != EventKind::StepStarted && kind != EventKind::StepFinished && kind != EventKind::MessageContent)
                return;
            const QString visibility = stringField(wire::metadataOf(parsed), "user_visibility", u"-"_s);
            lines.append(u"%1 %2 %3"_s.arg(wire::typeName(kind), event.path, visibility));
        }, &cancel);
        return lines;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile file(m_dir.filePath(u"mixed.bot.json"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        // utils.write is visible by default and utils.echo hidden; each is overridden once.
        // The failing step skips the last, whose skipped step_finished still says hidden.
        file.write(R"({
          "bot": {"key": "mixed"},
          "steps": [
            {"key": "note", "action_type": "utils.write", "parameters": {"content": "shown by default"}},
            {"key": "quiet", "action_type": "utils.write", "user_output_visibility": "hidden", "parameters": {"content": "kept back"}},
            {"key": "lookup", "action_type": "utils.echo", "parameters": {"data": "hidden by default"}},
            {"key": "loud", "action_type": "utils.echo", "user_output_visibility": "visible", "parameters": {"data": "shown"}},
            {"key": "boom", "action_type": "utils.raise", "user_output_visibility": "visible", "parameters": {"message": "no luck"}},
            {"key": "later", "action_type": "utils.echo", "parameters": {"data": "never"}}
          ]})");
    }

    void stepEventsCarryTheStepsVisibility()
    {
        const QStringList expected = {
            u"step_started note visible"_s,   u"message_content note visible"_s,  u"step_finished note visible"_s,
            u"step_started quiet hidden"_s,   u"message_content quiet hidden"_s,  u"step_finished quiet hidden"_s,
            u"step_started lookup hidden"_s,  u"step_finished lookup hidden"_s,
            u"step_started loud visible"_s,   u"message_content loud visible"_s,  u"step_finished loud visible"_s,
            u"step_started boom visible"_s,   u"step_finished boom visible"_s,
            u"step_finished later hidden"_s, // skipped: no step_started
        };
        const QStringList lines = run(u"mixed"_s);
        if (lines != expected)
            qWarning().noquote() << u"got:\n"_s + lines.join(u'\n');
        QCOMPARE(lines, expected);
    }

    void buildersWriteVisibilityOnlyWhenStated()
    {
        const wire::Stamp stamp{u"inv"_s, 0, 0, u"a"_s};
        const auto visibilityOf = [](const Event &event) {
            const Json parsed = event.json();
            const Json &meta = wire::metadataOf(parsed);
            return meta.contains("user_visibility") ? stringField(meta, "user_visibility") : u"(none)"_s;
        };
        QCOMPARE(visibilityOf(wire::stepStarted(stamp, u"a"_s, u"utils.echo"_s, Json::object())), u"(none)"_s);
        QCOMPARE(visibilityOf(wire::stepStarted(stamp, u"a"_s, u"utils.echo"_s, Json::object(),
                                                wire::StepVisibility::Hidden)),
                 u"hidden"_s);
        QCOMPARE(visibilityOf(wire::stepFinished(stamp, u"a"_s, u"utils.echo"_s, StepStatus::Success, Json(), {},
                                                 Source::Live, 3)),
                 u"(none)"_s);
        QCOMPARE(visibilityOf(wire::stepFinished(stamp, u"a"_s, u"utils.echo"_s, StepStatus::Success, Json(), {},
                                                 Source::Live, 3, {}, wire::stepVisibility(true))),
                 u"visible"_s);
    }
};

QTEST_GUILESS_MAIN(TestStepVisibility)
#include "tst_stepvisibility.moc"
