#pragma once
// What memory.search answers, as a value every layer can hold: the engine's datasets
// (core/datasets/datasetstore.h) produce it, the Backend interface hands it on
// (Backend::searchDataset), invoke-server sends it as the body of
// GET /datasets/{slug}/search and RemoteBackend reads it back (core/wire/searchcodec.h).
#include "core/model/json/json.h"

#include <QtCore/QList>

namespace invoke {

// memory.search's limit: its default and the most it takes.
inline constexpr int DatasetSearchDefaultLimit = 10;
inline constexpr int DatasetSearchMaxLimit = 1000;

// One search hit, as memory.search outputs it.
struct DatasetMemory
{
    QString id;      // "<file>:<line>"
    QString dataset; // the slug
    QString content;
    double score = 0; // higher is better: bm25 with its sign turned
    Json metadata = Json::object(); // {file, line, ...}

    Json toJson() const;
    // nullopt with `error` when `value` is not an object with a string "id".
    static std::optional<DatasetMemory> fromJson(const Json &value, QString *error = nullptr);
    bool operator==(const DatasetMemory &) const = default;
};

// memory.search's output for these hits: {"memories": [...]}.
Json memoriesJson(const QList<DatasetMemory> &memories);

// The answer to one search of one dataset (Backend::searchDataset).
struct DatasetSearchResult
{
    enum class Failure {
        None,
        BadRequest,     // a limit outside 1..DatasetSearchMaxLimit
        UnknownDataset, // no dataset of that slug
        Failed,         // the dataset or its index could not be read, the server not reached
    };

    QList<DatasetMemory> memories; // best first
    Failure failure = Failure::None;
    QString error; // set when failure is not None

    bool ok() const { return failure == Failure::None; }
    // memory.search's output: {"memories": [...]}.
    Json toJson() const { return memoriesJson(memories); }
};

} // namespace invoke
