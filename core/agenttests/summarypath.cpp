#include "core/agenttests/summarypath.h"

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

const Json *findSummaryPath(const Json &document, const QString &path, QString *error)
{
    QStringView rest = path;
    if (rest.startsWith(u"$."))
        rest = rest.mid(2);
    else if (rest.startsWith(u'$'))
        rest = rest.mid(1);
    const Json *at = &document;
    bool expectName = true;
    while (!rest.isEmpty()) {
        if (rest.startsWith(u'[')) {
            const qsizetype close = rest.indexOf(u']');
            bool ok = false;
            const qint64 index = close > 1 ? rest.mid(1, close - 1).toLongLong(&ok) : -1;
            if (!ok || index < 0) {
                if (error)
                    *error = u"\"%1\": expected an index such as [0] at \"%2\""_s.arg(path, rest.toString());
                return nullptr;
            }
            if (!at->is_array() || size_t(index) >= at->size())
                return nullptr;
            at = &(*at)[size_t(index)];
            rest = rest.mid(close + 1);
            expectName = false;
            continue;
        }
        if (!expectName) {
            if (!rest.startsWith(u'.')) {
                if (error)
                    *error = u"\"%1\": expected \".\" or \"[\" at \"%2\""_s.arg(path, rest.toString());
                return nullptr;
            }
            rest = rest.mid(1);
        }
        qsizetype end = 0;
        while (end < rest.size() && rest[end] != u'.' && rest[end] != u'[')
            ++end;
        if (end == 0) {
            if (error)
                *error = u"\"%1\": a member name is missing"_s.arg(path);
            return nullptr;
        }
        const std::string name = rest.first(end).toString().toStdString();
        if (!at->is_object() || !at->contains(name))
            return nullptr;
        at = &(*at)[name];
        rest = rest.mid(end);
        expectName = false;
    }
    return at;
}

} // namespace invoke::agenttests
