#pragma once
// The body of GET {endpoint}/datasets/{slug}/search?q=...&limit=... (docs/server.md):
// exactly memory.search's output in a run, {"memories": [{id, dataset, content, score,
// metadata}]}, best first.
#include "core/model/dataset/datasetsearch.h"

namespace invoke::wire {

Json datasetSearchBody(const QList<DatasetMemory> &memories);

// nullopt with `error` (what is wrong and where) when the body has another shape.
std::optional<QList<DatasetMemory>> memoriesFromBody(QByteArrayView body, QString *error = nullptr);

} // namespace invoke::wire
