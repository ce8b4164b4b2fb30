#pragma once
#include "core/model/botinfo.h" // LoadProblem
#include "core/model/json/json.h"

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
    QList<LoadProblem> problems; // files that could not be read: the other datasets still list
    QString error;
};

} // namespace invoke
