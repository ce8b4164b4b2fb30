#include "core/model/dataset/datasetsearch.h"

using namespace Qt::StringLiterals;

namespace invoke {

Json DatasetMemory::toJson() const
{
    return Json{{"id", toStd(id)}, {"dataset", toStd(dataset)}, {"content", toStd(content)},
                {"score", score}, {"metadata", metadata}};
}

std::optional<DatasetMemory> DatasetMemory::fromJson(const Json &value, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!value.is_object())
        return fail(u"a memory must be an object"_s);
    const auto id = value.find("id");
    if (id == value.end() || !id->is_string())
        return fail(u"a memory must have an \"id\" string"_s);
    const auto score = value.find("score");
    if (score != value.end() && !score->is_number())
        return fail(u"\"score\" must be a number"_s);
    const auto metadata = value.find("metadata");
    if (metadata != value.end() && !metadata->is_object())
        return fail(u"\"metadata\" must be an object"_s);
    DatasetMemory m;
    m.id = toQString(id->get<std::string>());
    m.dataset = stringField(value, "dataset");
    m.content = stringField(value, "content");
    m.score = score == value.end() ? 0.0 : score->get<double>();
    if (metadata != value.end())
        m.metadata = *metadata;
    return m;
}

Json memoriesJson(const QList<DatasetMemory> &memories)
{
    Json list = Json::array();
    for (const DatasetMemory &m : memories)
        list.push_back(m.toJson());
    return Json{{"memories", std::move(list)}};
}

} // namespace invoke
