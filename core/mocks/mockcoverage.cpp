#include "core/mocks/mockcoverage.h"

#include "core/model/actiontypes.h"

using namespace Qt::StringLiterals;

namespace invoke::mocks {


QList<StepCoverage> mockCoverage(const QList<PlannedStep> &steps, const MockSet &mocks)
{
    QList<StepCoverage> coverage;
    coverage.reserve(steps.size());
    QString bypassedUnder; // "path/" of a bot.invoke answered by a step mock
    for (const PlannedStep &step : steps) {
        StepCoverage c;
        c.step = step;
        if (!bypassedUnder.isEmpty() && step.path.startsWith(bypassedUnder)) {
            c.answer = MockAnswer::Bypassed;
        } else if (const MockResponse *mock = mocks.entry(step.path)) {
            bypassedUnder = step.actionType == ActionType::BotInvoke ? step.path + u'/' : QString();
            c.answer = MockAnswer::StepMock;
            c.mockKey = step.path;
            c.mockIsError = !mock->success;
        } else if (!isGovernedActionType(step.actionType)) {
            c.answer = MockAnswer::Computed;
        } else if (const MockResponse *typeMock = mocks.entry(step.actionType)) {
            c.answer = MockAnswer::ActionTypeMock;
            c.mockKey = step.actionType;
            c.mockIsError = !typeMock->success;
        } else {
            c.answer = MockAnswer::Nothing;
        }
        coverage.append(c);
    }
    return coverage;
}

QStringList uncoveredSteps(const QList<StepCoverage> &coverage)
{
    QStringList paths;
    for (const StepCoverage &c : coverage)
        if (c.answer == MockAnswer::Nothing)
            paths.append(c.step.path);
    return paths;
}

QString answerText(MockAnswer answer)
{
    switch (answer) {
    case MockAnswer::StepMock: return u"step mock"_s;
    case MockAnswer::ActionTypeMock: return u"action-type mock"_s;
    case MockAnswer::Computed: return u"computed"_s;
    case MockAnswer::Bypassed: return u"bypassed"_s;
    case MockAnswer::Nothing: return u"NOTHING"_s;
    }
    return {};
}

} // namespace invoke::mocks
