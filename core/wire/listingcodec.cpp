#include "core/wire/listingcodec.h"

using namespace Qt::StringLiterals;

namespace invoke::wire {

Json botListingBody(const QList<BotInfo> &bots)
{
    Json list = Json::array();
    for (const BotInfo &bot : bots) {
        Json j = bot.toJson();
        j.erase("source_file");
        list.push_back(std::move(j));
    }
    return Json{{"bots", std::move(list)}};
}

Json datasetListingBody(const QList<DatasetInfo> &datasets)
{
    Json list = Json::array();
    for (const DatasetInfo &dataset : datasets)
        list.push_back(dataset.toJson());
    return Json{{"datasets", std::move(list)}};
}

// The array under `member` (or the body itself when it is an array), each item an object
// with a non-empty string `idField`.
static const Json *listIn(const Json &body, const char *member, const char *idField, QString *error)
{
    auto fail = [&](const QString &why) -> const Json * {
        if (error)
            *error = why;
        return nullptr;
    };
    const QString name = QString::fromLatin1(member);
    const Json *list = &body;
    if (body.is_object()) {
        const auto it = body.find(member);
        if (it == body.end())
            return fail(u"the answer has no \"%1\" list"_s.arg(name));
        list = &*it;
    }
    if (!list->is_array())
        return fail(u"\"%1\" must be a list"_s.arg(name));
    for (size_t i = 0; i < list->size(); ++i) {
        const Json &item = (*list)[i];
        const auto id = item.is_object() ? item.find(idField) : item.end();
        if (!item.is_object() || id == item.end() || !id->is_string() || id->get_ref<const std::string &>().empty())
            return fail(u"%1[%2]: must be an object with a \"%3\" string"_s.arg(name).arg(i).arg(QString::fromLatin1(idField)));
    }
    return list;
}

template<typename T>
static std::optional<QList<T>> readList(QByteArrayView bytes, const char *member, const char *idField,
                                        QString *error)
{
    QString why;
    const Json body = parseJson(bytes, &why, kJsonMaxWireDepth);
    if (body.is_discarded()) {
        if (error)
            *error = u"the answer is not valid JSON: "_s + why;
        return std::nullopt;
    }
    const Json *list = listIn(body, member, idField, error);
    if (!list)
        return std::nullopt;
    QList<T> items;
    items.reserve(qsizetype(list->size()));
    for (const Json &item : *list)
        items.append(T::fromJson(item));
    return items;
}

std::optional<QList<BotInfo>> botsFromBody(QByteArrayView body, QString *error)
{
    auto bots = readList<BotInfo>(body, "bots", "key", error);
    if (bots)
        for (BotInfo &bot : *bots)
            bot.sourceFile.clear(); // a path on the server means nothing here
    return bots;
}

std::optional<QList<DatasetInfo>> datasetsFromBody(QByteArrayView body, QString *error)
{
    return readList<DatasetInfo>(body, "datasets", "slug", error);
}

} // namespace invoke::wire
