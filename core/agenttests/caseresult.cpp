#include "core/agenttests/caseresult.h"

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

QLatin1StringView caseStatusName(CaseStatus status)
{
    switch (status) {
    case CaseStatus::Passed: return "passed"_L1;
    case CaseStatus::Failed: return "failed"_L1;
    case CaseStatus::Error: return "error"_L1;
    }
    return {};
}

Json CaseResult::toJson() const
{
    Json list = Json::array();
    for (const Failure &f : failures)
        list.push_back(f.toJson());
    return Json{{"name", toStd(name)},
                {"file", toStd(file)},
                {"bot", toStd(bot)},
                {"status", toStd(QString(caseStatusName(status)))},
                {"duration_ms", durationMs},
                {"invocation_id", invocationId.isEmpty() ? Json() : Json(toStd(invocationId))},
                {"failures", list}};
}

} // namespace invoke::agenttests
