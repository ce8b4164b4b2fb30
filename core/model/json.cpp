#include "core/model/json.h"

using namespace Qt::StringLiterals;

namespace invoke {

QString stringField(const Json &object, const char *key, const QString &fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string())
        return fallback;
    return toQString(it->get_ref<const std::string &>());
}

qint64 intField(const Json &object, const char *key, qint64 fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_number())
        return fallback;
    return it->get<qint64>();
}

bool boolField(const Json &object, const char *key, bool fallback)
{
    if (!object.is_object())
        return fallback;
    const auto it = object.find(key);
    if (it == object.end() || !it->is_boolean())
        return fallback;
    return it->get<bool>();
}

Json toJson(const QStringList &list)
{
    Json array = Json::array();
    for (const QString &s : list)
        array.push_back(toStd(s));
    return array;
}

QStringList stringListFromJson(const Json &array)
{
    QStringList list;
    if (!array.is_array())
        return list;
    for (const Json &item : array)
        if (item.is_string())
            list.append(toQString(item.get_ref<const std::string &>()));
    return list;
}

QString describePosition(QByteArrayView bytes, qsizetype offset)
{
    offset = qBound<qsizetype>(0, offset, bytes.size());
    qsizetype line = 1;
    qsizetype lineStart = 0;
    for (qsizetype i = 0; i < offset; ++i) {
        if (bytes[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    }
    return u"line %1, column %2"_s.arg(line).arg(offset - lineStart + 1);
}

Json parseJson(QByteArrayView bytes, QString *error)
{
    try {
        return Json::parse(bytes.begin(), bytes.end());
    } catch (const Json::parse_error &e) {
        if (error) {
            // e.byte is 1-based and points just past the offending character.
            const qsizetype offset = e.byte > 0 ? qsizetype(e.byte) - 1 : 0;
            QString what = QString::fromUtf8(e.what());
            // nlohmann's text reads "[json.exception.parse_error.101] parse error at line 1,
            // column 5: <reason>"; the reason itself may quote ": ", so cut at the first one.
            const qsizetype at = what.indexOf(u"parse error"_s);
            const qsizetype colon = what.indexOf(u": "_s, qMax<qsizetype>(at, 0));
            if (colon >= 0)
                what = what.mid(colon + 2);
            *error = describePosition(bytes, offset) + u": "_s + what;
        }
        return Json(Json::value_t::discarded);
    }
}

QByteArray dumpJson(const Json &value, int indent)
{
    const std::string s = value.dump(indent, ' ', false, Json::error_handler_t::replace);
    return QByteArray(s.data(), qsizetype(s.size()));
}

} // namespace invoke
