#pragma once
// The query of GET /datasets/{slug}/search?q=...&limit=N, read strictly (docs/server.md):
// `q` once (the text memory.search gets as its "query"), `limit` at most once and a whole
// number from 1 to memory.search's most (DatasetSearchMaxLimit; absent: its default),
// nothing else. A pure function, tested on its own (tests/datasets/tst_datasetsearchroute).
#include "core/model/dataset/datasetsearch.h"

#include <QtCore/QByteArrayView>
#include <QtCore/QString>

#include <optional>

namespace invoke::server {

struct SearchQuery
{
    QString text;
    int limit = DatasetSearchDefaultLimit;
};

// The longest `q` taken, in characters: a question, not a document.
inline constexpr qsizetype kMaxSearchQueryChars = 4096;

// `target`: the request target as sent ("/datasets/faq/search?q=refund&limit=5").
// nullopt with `error` (which parameter and why) when the query is not one of these.
std::optional<SearchQuery> parseSearchQuery(QByteArrayView target, QString *error);

} // namespace invoke::server
