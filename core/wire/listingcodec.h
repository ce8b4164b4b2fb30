#pragma once
// The bodies of GET {endpoint}/bots and GET {endpoint}/datasets (docs/server.md):
// {"bots": [{id, key, name, description, updated_at, parameter_definitions}]} and
// {"datasets": [{slug, name, description, size}]}. A server's own file paths never
// travel (BotInfo::sourceFile stays home). Readers also take a bare array, as plain
// SDK servers may answer.
#include "core/model/botinfo.h"
#include "core/model/dataset/datasetinfo.h"

namespace invoke::wire {

Json botListingBody(const QList<BotInfo> &bots);
Json datasetListingBody(const QList<DatasetInfo> &datasets);

// nullopt with `error` (what is wrong and where) when the body has another shape.
std::optional<QList<BotInfo>> botsFromBody(QByteArrayView body, QString *error = nullptr);
std::optional<QList<DatasetInfo>> datasetsFromBody(QByteArrayView body, QString *error = nullptr);

} // namespace invoke::wire
