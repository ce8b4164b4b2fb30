#include "core/wire/plancodec.h"

using namespace Qt::StringLiterals;

namespace invoke::wire {

Json planBody(const BotPlan &plan)
{
    return plan.toJson();
}

std::optional<BotPlan> planFromBody(QByteArrayView body, QString *error)
{
    QString why;
    const Json document = parseJson(body, &why);
    if (document.is_discarded()) {
        if (error)
            *error = u"the answer is not valid JSON: "_s + why;
        return std::nullopt;
    }
    return BotPlan::fromJson(document, error);
}

} // namespace invoke::wire
