#include "core/mocks/mocksetfromrun.h"

#include "core/model/actiontypes.h"
#include "core/model/invocation/invokeresult.h"

using namespace Qt::StringLiterals;

namespace invoke::mocks {

namespace {

// The action gate's text for a governed step that manual mode could not answer
// (actiongate.cpp): nothing answered such a step, so it has no answer to keep.
bool isMissingMock(const StepRecord &step)
{
    return step.source == Source::Mock && step.status == StepStatus::Error
        && step.error.startsWith(u"no mock for step \""_s);
}

} // namespace

std::optional<MockResponse> mockFromStep(const StepRecord &step, const QStringList &secrets,
                                         QList<Redaction> *redactions, QString *error)
{
    MockResponse mock;
    if (step.status == StepStatus::Success) {
        mock.output = step.output;
    } else if (step.status == StepStatus::Error) {
        mock.success = false;
        mock.error = step.error.isEmpty() ? u"failed"_s : step.error;
        mock.output = step.output;
    } else {
        if (error)
            *error = u"step \"%1\" did not finish (%2): there is no answer to keep"_s.arg(step.path, QString(wireName(step.status)));
        return std::nullopt;
    }
    const QList<Redaction> found = redactMock(step.path, mock, secrets);
    if (redactions)
        redactions->append(found);
    return mock;
}

bool promoteStep(MockSet &set, const StepRecord &step, const QStringList &secrets, QList<Redaction> *redactions,
                 QString *error)
{
    if (step.path.isEmpty()) {
        if (error)
            *error = u"the step has no path"_s;
        return false;
    }
    const auto mock = mockFromStep(step, secrets, redactions, error);
    if (!mock)
        return false;
    set.insert(step.path, *mock);
    return true;
}

RunMocks mockSetFromRun(const InvokeResult &result, const QStringList &secrets)
{
    RunMocks run;
    for (const StepRecord &step : result.steps) {
        if (!isGovernedActionType(step.actionType))
            continue; // pure steps are computed again, so they follow an edited answer
        const QString what = u"\"%1\" (%2)"_s.arg(step.path, step.actionType);
        if (isMissingMock(step)) {
            run.skipped.append(what + u": no mock answered it in the run"_s);
            continue;
        }
        QString why;
        const auto mock = mockFromStep(step, secrets, &run.redactions, &why);
        if (!mock) {
            run.skipped.append(what + u": "_s + wireName(step.status));
            continue;
        }
        run.mocks.insert(step.path, *mock);
    }
    return run;
}

} // namespace invoke::mocks
