#include "core/engine/actions/memorysearch.h"

#include "core/datasets/datasetstore.h"
#include "core/engine/actionregistry.h"

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

// dataset_slug as a list: a string may hold several slugs separated by commas.
std::optional<QStringList> slugsOf(const Json &value, QString *error)
{
    QStringList slugs;
    const auto add = [&](const Json &item) {
        if (!item.is_string())
            return false;
        for (const QString &part : toQString(item.get<std::string>()).split(u',', Qt::SkipEmptyParts))
            if (const QString slug = part.trimmed(); !slug.isEmpty() && !slugs.contains(slug))
                slugs.append(slug);
        return true;
    };
    bool ok = value.is_null() || add(value);
    if (value.is_array()) {
        ok = true;
        for (const Json &item : value)
            ok = ok && add(item);
    }
    if (!ok) {
        *error = u"\"dataset_slug\" must be a slug or a list of slugs, not %1"_s.arg(QString::fromUtf8(dumpJson(value)));
        return std::nullopt;
    }
    return slugs;
}

} // namespace

MemorySearchAction::MemorySearchAction(std::shared_ptr<const datasets::DatasetStore> store)
    : m_store(std::move(store))
{
    Q_ASSERT(m_store);
}

Json MemorySearchAction::effectiveParameters(const Json &rendered, const ActionContext &context) const
{
    if (!rendered.is_object())
        return rendered; // run() reports the bad shape
    Json parameters = rendered;
    const auto given = parameters.find("dataset_slug");
    if (given == parameters.end() || given->is_null()
        || (given->is_string() && given->get_ref<const std::string &>().empty())
        || (given->is_array() && given->empty()))
        parameters["dataset_slug"] = invoke::toJson(context.datasets());
    else if (QString ignored; auto slugs = slugsOf(*given, &ignored))
        parameters["dataset_slug"] = invoke::toJson(*slugs);
    if (!parameters.contains("limit") || parameters["limit"].is_null())
        parameters["limit"] = DefaultLimit;
    return parameters;
}

ActionOutcome MemorySearchAction::run(const ActionCall &call, ActionContext &)
{
    const Json &p = call.parameters;
    if (!p.is_object())
        return ActionOutcome::failure(u"memory.search: the parameters must be an object"_s);
    const Json query = p.value("query", Json());
    if (!query.is_string())
        return ActionOutcome::failure(query.is_null() ? u"memory.search: missing parameter \"query\""_s
                                                      : u"memory.search: \"query\" must be text"_s);
    QString error;
    const auto slugs = slugsOf(p.value("dataset_slug", Json()), &error);
    if (!slugs)
        return ActionOutcome::failure(u"memory.search: "_s + error);
    if (slugs->isEmpty())
        return ActionOutcome::failure(u"memory.search: no dataset to search: set \"dataset_slug\" or pick "
                                      "datasets for the invocation"_s);
    const Json limitValue = p.value("limit", Json(DefaultLimit));
    if (!limitValue.is_number_integer() || limitValue.get<qint64>() < 1 || limitValue.get<qint64>() > MaxLimit)
        return ActionOutcome::failure(u"memory.search: \"limit\" must be a whole number from 1 to %1, not %2"_s
                                          .arg(MaxLimit)
                                          .arg(QString::fromUtf8(dumpJson(limitValue))));

    const auto memories = m_store->search(*slugs, toQString(query.get<std::string>()),
                                          int(limitValue.get<qint64>()), &error);
    if (!memories)
        return ActionOutcome::failure(u"memory.search: "_s + error);
    return ActionOutcome::success(datasets::memoriesJson(*memories));
}

void registerMemorySearchAction(ActionRegistry &registry, std::shared_ptr<const datasets::DatasetStore> store)
{
    registry.add(ActionType::MemorySearch, std::make_shared<MemorySearchAction>(std::move(store)));
}

} // namespace invoke::engine
