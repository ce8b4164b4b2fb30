// What "Save run as test case" proposes from a run (core/agenttests/proposedassertions.h):
// a distinctive part of the result text, each step's status (and a mock source only in
// manual mode), a skipped step as not run, error_contains for a failed run; every
// proposal parses and holds for the run it came from.
#include "core/agenttests/assertions.h"
#include "core/agenttests/proposedassertions.h"
#include "core/agenttests/testfileparser.h"

#include <QtTest/QtTest>

using namespace Qt::StringLiterals;
using namespace invoke;
using namespace invoke::agenttests;

namespace {

StepRecord step(const QString &path, StepStatus status, Source source = Source::Unknown)
{
    StepRecord s;
    s.path = s.key = path;
    s.actionType = u"llm.message"_s;
    s.status = status;
    s.source = source;
    return s;
}

InvokeResult sampleRun()
{
    InvokeResult r;
    r.success = true;
    r.invocationId = u"inv-1"_s;
    r.steps = {step(u"classify"_s, StepStatus::Success, Source::Mock), step(u"route"_s, StepStatus::Skipped),
               step(u"escalate"_s, StepStatus::Success, Source::Live), step(u"escalate"_s, StepStatus::Error)};
    r.messages = {StepMessage{u"m1"_s, u"escalate"_s, u"text"_s, true,
                              u"Hi.\nURGENT: paging the billing on-call engineer about the double charge on the account now.\nBye"_s},
                  StepMessage{u"m2"_s, u"classify"_s, u"text"_s, false, u"hidden thoughts that are much longer than any visible line of the answer"_s}};
    return r;
}

QStringList specs(const QList<Assertion> &list)
{
    QStringList out;
    for (const Assertion &a : list)
        out << a.quoted();
    return out;
}

void verifyAllHold(const QList<Assertion> &proposed, const InvokeResult &run)
{
    TestCase c;
    c.name = u"proposed"_s;
    c.expect = proposed;
    const RunFacts facts = RunFacts::of(run, 10, {}, {});
    const QList<Failure> failures = checkCase(c, facts);
    QVERIFY2(failures.isEmpty(), failures.isEmpty() ? "" : qPrintable(failures.first().assertion));
    for (const Assertion &a : proposed) {
        QString why;
        QVERIFY2(parseAssertion(a.spec, &why), qPrintable(why));
    }
}

} // namespace

class TestProposedAssertions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void distinctivePartIsTheLongestLineCutAtAWord()
    {
        QCOMPARE(distinctivePart(u"short\n  the longest line here  \nmid line"_s), u"the longest line here"_s);
        const QString cut = distinctivePart(u"URGENT: paging the billing on-call engineer about the double charge"_s, 40);
        QCOMPARE(cut, u"URGENT: paging the billing on-call"_s);
        QVERIFY(cut.size() <= 40);
        QCOMPARE(distinctivePart(u"x"_s.repeated(100), 10), u"x"_s.repeated(10)); // no space: a hard cut
        QCOMPARE(distinctivePart(u" \n\t\n"_s), QString());
    }

    void manualRunProposesTextStepsAndMockSources()
    {
        const InvokeResult run = sampleRun();
        const QList<Assertion> proposed = proposeAssertions(run, Mode::manual());
        QCOMPARE(specs(proposed), QStringList({
            u"{\"text_contains\":\"URGENT: paging the billing on-call engineer about the double\"}"_s,
            u"{\"source\":\"mock\",\"status\":\"success\",\"step\":\"classify\"}"_s,
            u"{\"ran\":false,\"step\":\"route\"}"_s,
            u"{\"status\":\"success\",\"step\":\"escalate\"}"_s, // a live source would change; its second run is not read
        }));
        verifyAllHold(proposed, run);
    }

    void replayCaseChecksNoSource()
    {
        const QList<Assertion> proposed = proposeAssertions(sampleRun(), Mode::replay());
        for (const Assertion &a : proposed)
            QVERIFY2(!a.source.has_value(), qPrintable(a.quoted()));
        verifyAllHold(proposed, sampleRun());
    }

    void failedRunExpectsItsError()
    {
        InvokeResult run = sampleRun();
        run.messages.clear();
        run.success = false;
        run.error = u"step \"escalate\" failed: the model refused\n(at line 3)"_s;
        const QList<Assertion> proposed = proposeAssertions(run, Mode::manual());
        QCOMPARE(proposed.last().quoted(), u"{\"error_contains\":\"step \\\"escalate\\\" failed: the model refused\"}"_s);
        QVERIFY(std::none_of(proposed.cbegin(), proposed.cend(),
                             [](const Assertion &a) { return a.kind == Assertion::TextContains; }));
        verifyAllHold(proposed, run); // the run failing is what the case expects
    }

    void stoppedStepsAreLeftOut()
    {
        InvokeResult run;
        run.success = false;
        run.cancelled = true;
        run.steps = {step(u"a"_s, StepStatus::Cancelled), step(u"b"_s, StepStatus::Running)};
        QVERIFY(proposeAssertions(run, Mode::manual()).isEmpty());
    }
};

QTEST_MAIN(TestProposedAssertions)
#include "tst_proposedassertions.moc"
