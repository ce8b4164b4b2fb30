#include "core/wire/searchcodec.h"

using namespace Qt::StringLiterals;

namespace invoke::wire {

Json datasetSearchBody(const QList<DatasetMemory> &memories)
{
    return memoriesJson(memories);
}

std::optional<QList<DatasetMemory>> memoriesFromBody(QByteArrayView body, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    QString why;
    const Json parsed = parseJson(body, &why, kJsonMaxWireDepth);
    if (parsed.is_discarded())
        return fail(u"the answer is not valid JSON: "_s + why);
    const auto list = parsed.is_object() ? parsed.find("memories") : parsed.end();
    if (!parsed.is_object() || list == parsed.end())
        return fail(u"the answer has no \"memories\" list"_s);
    if (!list->is_array())
        return fail(u"\"memories\" must be a list"_s);
    QList<DatasetMemory> memories;
    memories.reserve(qsizetype(list->size()));
    for (size_t i = 0; i < list->size(); ++i) {
        auto memory = DatasetMemory::fromJson((*list)[i], &why);
        if (!memory)
            return fail(u"memories[%1]: %2"_s.arg(i).arg(why));
        memories.append(std::move(*memory));
    }
    return memories;
}

} // namespace invoke::wire
