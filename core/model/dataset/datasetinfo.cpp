#include "core/model/dataset/datasetinfo.h"

namespace invoke {

Json DatasetInfo::toJson() const
{
    return Json{{"slug", toStd(slug)}, {"name", toStd(name)},
                {"description", toStd(description)}, {"size", size}};
}

DatasetInfo DatasetInfo::fromJson(const Json &value)
{
    DatasetInfo d;
    d.slug = stringField(value, "slug");
    d.name = stringField(value, "name", d.slug);
    d.description = stringField(value, "description");
    d.size = intField(value, "size");
    return d;
}

} // namespace invoke
