#pragma once
#include "core/model/json.h"

#include <QtCore/QList>

namespace invoke {

// A dataset a backend offers: {slug, name, description, size}.
struct DatasetInfo
{
    QString slug;
    QString name;
    QString description;
    qint64 size = 0; // rows (or documents)

    Json toJson() const;
    static DatasetInfo fromJson(const Json &value);
    bool operator==(const DatasetInfo &) const = default;
};

struct DatasetListing
{
    QList<DatasetInfo> datasets;
    QString error;
};

} // namespace invoke
