#include "core/wire/planversion.h"

#include <QtCore/QCryptographicHash>

#include <set>
#include <utility>

using namespace Qt::StringLiterals;

namespace invoke::wire {

namespace {

QString line(const QString &key, const QString &updatedAt)
{
    return key + u'\t' + updatedAt + u'\n';
}

QString digest(const QString &text)
{
    return QString::fromLatin1(QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256).toHex());
}

QString isoMs(const QDateTime &at)
{
    return at.isValid() ? at.toUTC().toString(Qt::ISODateWithMs) : QString();
}

} // namespace

QString planVersion(const BotPlan &plan)
{
    std::set<std::pair<QString, QString>> subBots;
    for (const PlannedStep &step : plan.steps)
        if (step.depth > 0)
            subBots.emplace(step.botKey, step.botUpdatedAt);
    QString text = line(plan.botKey, isoMs(plan.updatedAt));
    for (const auto &[key, updatedAt] : subBots)
        text += line(key, updatedAt);
    return digest(text);
}

QString planVersionOf(const QString &key, const QDateTime &updatedAt)
{
    return digest(line(key, isoMs(updatedAt)));
}

bool isPlanVersion(QStringView text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text)
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    return true;
}

} // namespace invoke::wire
