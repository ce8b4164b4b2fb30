#include "app/server/routes/searchquery.h"

#include <QtCore/QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::server {

std::optional<SearchQuery> parseSearchQuery(QByteArrayView target, QString *error)
{
    const auto fail = [error](const QString &why) {
        *error = why;
        return std::nullopt;
    };
    const qsizetype mark = target.indexOf('?');
    const QByteArrayView query = mark < 0 ? QByteArrayView() : target.sliced(mark + 1);
    std::optional<QString> text;
    std::optional<QByteArray> limit;
    for (const QByteArrayView pair : QByteArrayView(query).toByteArray().split('&')) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QByteArray name = QUrl::fromPercentEncoding(pair.first(equals < 0 ? pair.size() : equals).toByteArray()).toUtf8();
        const QByteArray raw = equals < 0 ? QByteArray() : pair.sliced(equals + 1).toByteArray();
        if (name == "q") {
            if (text)
                return fail(u"the parameter \"q\" is given twice"_s);
            const QByteArray bytes = QByteArray::fromPercentEncoding(raw);
            const QString decoded = QString::fromUtf8(bytes);
            if (decoded.toUtf8() != bytes)
                return fail(u"the parameter \"q\" is not UTF-8 text"_s);
            if (decoded.size() > kMaxSearchQueryChars)
                return fail(u"the parameter \"q\" is %1 characters long; a search takes at most %2"_s
                                .arg(decoded.size())
                                .arg(kMaxSearchQueryChars));
            text = decoded;
        } else if (name == "limit") {
            if (limit)
                return fail(u"the parameter \"limit\" is given twice"_s);
            limit = QByteArray::fromPercentEncoding(raw);
        } else {
            return fail(u"unknown parameter \"%1\" (a search takes q and limit)"_s.arg(QString::fromUtf8(name).left(64)));
        }
    }
    if (!text)
        return fail(u"the parameter \"q\" is required: GET /datasets/{slug}/search?q=WORDS&limit=N"_s);
    SearchQuery result;
    result.text = *text;
    if (limit) {
        bool ok = false;
        const qint64 value = limit->toLongLong(&ok);
        // Digits only: toLongLong() would also take " 5" or "+5".
        const bool digits = !limit->isEmpty() && limit->size() <= 9
            && std::all_of(limit->cbegin(), limit->cend(), [](char c) { return c >= '0' && c <= '9'; });
        if (!ok || !digits || value < 1 || value > DatasetSearchMaxLimit)
            return fail(u"\"limit\" must be a whole number from 1 to %1, not \"%2\""_s.arg(DatasetSearchMaxLimit).arg(
                QString::fromUtf8(limit->left(64))));
        result.limit = int(value);
    }
    return result;
}

} // namespace invoke::server
