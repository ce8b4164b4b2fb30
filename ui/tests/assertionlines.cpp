#include "ui/tests/assertionlines.h"

#include "core/agenttests/testfileparser.h"

#include <QtCore/QCoreApplication>

using namespace Qt::StringLiterals;

namespace invoke::ui {

QString assertionLine(const agenttests::Assertion &assertion)
{
    return QString::fromUtf8(dumpJson(assertion.spec));
}

std::optional<agenttests::Assertion> parseAssertionLine(const QString &line, QString *error)
{
    QString why;
    const Json value = parseJson(line.trimmed().toUtf8(), &why);
    if (value.is_discarded()) {
        *error = QCoreApplication::translate("AssertionLines", "not JSON: %1").arg(why);
        return std::nullopt;
    }
    std::optional<agenttests::Assertion> assertion = agenttests::parseAssertion(value, &why);
    if (!assertion)
        *error = why;
    return assertion;
}

std::optional<QList<agenttests::Assertion>> parseAssertionLines(const QString &text, QString *error)
{
    QList<agenttests::Assertion> out;
    const QStringList lines = text.split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        if (lines.at(i).trimmed().isEmpty())
            continue;
        QString why;
        std::optional<agenttests::Assertion> assertion = parseAssertionLine(lines.at(i), &why);
        if (!assertion) {
            *error = QCoreApplication::translate("AssertionLines", "line %1: %2").arg(i + 1).arg(why);
            return std::nullopt;
        }
        out.append(std::move(*assertion));
    }
    return out;
}

} // namespace invoke::ui
