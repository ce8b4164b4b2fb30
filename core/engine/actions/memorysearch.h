#pragma once
// memory.search: full-text search (SQLite FTS5, bm25) over the datasets of a
// datasets::DatasetStore. Parameters: query, dataset_slug (a slug, a list of slugs, or
// comma-separated slugs; default: the invocation's datasets), limit (default 10).
// Output {memories: [{id, dataset, content, score, metadata}]}, best first; no hit is an
// empty list. An unknown slug fails the step and names it.
#include "core/datasets/datasetstore.h"
#include "core/engine/action.h"

#include <memory>

namespace invoke::engine {

class MemorySearchAction : public Action
{
public:
    static constexpr int DefaultLimit = datasets::SearchDefaultLimit;
    static constexpr int MaxLimit = datasets::SearchMaxLimit;

    explicit MemorySearchAction(std::shared_ptr<const datasets::DatasetStore> store);

    ActionOutcome run(const ActionCall &call, ActionContext &context) override;
    // Makes dataset_slug (as a list) and limit explicit, so the step shows what was searched.
    Json effectiveParameters(const Json &rendered, const ActionContext &context) const override;

private:
    std::shared_ptr<const datasets::DatasetStore> m_store;
};

} // namespace invoke::engine
