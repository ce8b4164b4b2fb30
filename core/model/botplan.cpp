#include "core/model/botplan.h"

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

// Reads typed members of one object, remembering the first problem as "<where>.<name>: ...".
class Reader
{
public:
    Reader(const Json &object, QString where) : m_object(object), m_where(std::move(where)) {}

    QString string(const char *name, bool required, bool nonEmpty = false)
    {
        const auto it = m_object.find(name);
        if (it == m_object.end() || it->is_null()) {
            if (required)
                fail(name, u"is missing (a string)"_s);
            return {};
        }
        if (!it->is_string()) {
            fail(name, u"must be a string, not %1"_s.arg(QString::fromUtf8(it->type_name())));
            return {};
        }
        QString text = toQString(it->get_ref<const std::string &>());
        if (nonEmpty && text.isEmpty())
            fail(name, u"must not be empty"_s);
        return text;
    }

    int integer(const char *name, bool required)
    {
        const auto it = m_object.find(name);
        if (it == m_object.end() || it->is_null()) {
            if (required)
                fail(name, u"is missing (an integer)"_s);
            return 0;
        }
        if (!it->is_number_integer() || it->get<qint64>() < 0 || it->get<qint64>() > 1'000'000) {
            fail(name, u"must be a non-negative integer, not %1"_s.arg(QString::fromUtf8(dumpJson(*it))));
            return 0;
        }
        return int(it->get<qint64>());
    }

    bool boolean(const char *name)
    {
        const auto it = m_object.find(name);
        if (it == m_object.end() || it->is_null())
            return false;
        if (!it->is_boolean()) {
            fail(name, u"must be true or false"_s);
            return false;
        }
        return it->get<bool>();
    }

    const QString &problem() const { return m_problem; }

private:
    void fail(const char *name, const QString &message)
    {
        if (m_problem.isEmpty())
            m_problem = u"%1.%2: %3"_s.arg(m_where, QLatin1String(name), message);
    }

    const Json &m_object;
    QString m_where;
    QString m_problem;
};

template<typename T>
std::optional<T> failed(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return std::nullopt;
}

std::optional<PlannedStep> stepFromJson(const Json &value, const QString &where, QString *error)
{
    if (!value.is_object())
        return failed<PlannedStep>(error, where + u": must be an object"_s);
    Reader r(value, where);
    PlannedStep step;
    step.path = r.string("path", true, true);
    step.key = r.string("key", true, true);
    step.actionType = r.string("action_type", true, true);
    step.depth = r.integer("depth", true);
    step.line = r.integer("line", false);
    step.botKey = r.string("bot_key", false);
    step.conditional = r.boolean("conditional");
    step.note = r.string("note", false);
    step.botUpdatedAt = r.string("bot_updated_at", false);
    if (!r.problem().isEmpty())
        return failed<PlannedStep>(error, r.problem());
    if (const auto deps = value.find("depends_on"); deps != value.end() && !deps->is_null()) {
        if (!deps->is_array())
            return failed<PlannedStep>(error, where + u".depends_on: must be an array of step keys"_s);
        for (const Json &key : *deps) {
            if (!key.is_string())
                return failed<PlannedStep>(error, where + u".depends_on: must be an array of step keys"_s);
            step.dependsOn.append(toQString(key.get<std::string>()));
        }
    }
    return step;
}

} // namespace

Json PlannedStep::toJson() const
{
    Json j{{"path", toStd(path)}, {"key", toStd(key)}, {"action_type", toStd(actionType)},
           {"depth", depth}, {"line", line}, {"bot_key", toStd(botKey)}, {"conditional", conditional}};
    if (!note.isEmpty())
        j["note"] = toStd(note);
    if (!dependsOn.isEmpty())
        j["depends_on"] = invoke::toJson(dependsOn);
    if (!botUpdatedAt.isEmpty())
        j["bot_updated_at"] = toStd(botUpdatedAt);
    return j;
}

std::optional<PlannedStep> PlannedStep::fromJson(const Json &value, QString *error)
{
    return stepFromJson(value, u"step"_s, error);
}

QString BotPlan::actionTypeOf(const QString &path) const
{
    for (const PlannedStep &step : steps)
        if (step.path == path)
            return step.actionType;
    return {};
}

Json BotPlan::toJson() const
{
    Json list = Json::array();
    for (const PlannedStep &step : steps)
        list.push_back(step.toJson());
    return Json{{"bot", Json{{"key", toStd(botKey)}, {"name", toStd(botName)},
                             {"updated_at", toStd(updatedAt.toUTC().toString(Qt::ISODateWithMs))}}},
                {"steps", std::move(list)}};
}

std::optional<BotPlan> BotPlan::fromJson(const Json &value, QString *error)
{
    if (!value.is_object())
        return failed<BotPlan>(error, u"a plan must be an object {\"bot\": {...}, \"steps\": [...]}"_s);
    const auto bot = value.find("bot");
    if (bot == value.end() || !bot->is_object())
        return failed<BotPlan>(error, u"bot: must be an object {\"key\", \"name\", \"updated_at\"}"_s);
    Reader r(*bot, u"bot"_s);
    BotPlan plan;
    plan.botKey = r.string("key", true, true);
    plan.botName = r.string("name", false);
    const QString updatedAt = r.string("updated_at", false);
    if (!r.problem().isEmpty())
        return failed<BotPlan>(error, r.problem());
    if (!updatedAt.isEmpty()) {
        plan.updatedAt = QDateTime::fromString(updatedAt, Qt::ISODateWithMs).toUTC();
        if (!plan.updatedAt.isValid())
            return failed<BotPlan>(error, u"bot.updated_at: \"%1\" is not an ISO 8601 time"_s.arg(updatedAt));
    }
    const auto steps = value.find("steps");
    if (steps == value.end() || !steps->is_array())
        return failed<BotPlan>(error, u"steps: must be a list of steps"_s);
    plan.steps.reserve(qsizetype(steps->size()));
    for (size_t i = 0; i < steps->size(); ++i) {
        auto step = stepFromJson((*steps)[i], u"steps[%1]"_s.arg(i), error);
        if (!step)
            return std::nullopt;
        plan.steps.append(std::move(*step));
    }
    return plan;
}

} // namespace invoke
