#include "core/model/invocation/runvalues.h"

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

constexpr QLatin1StringView kStatusWords[] = {"running"_L1, "success"_L1, "error"_L1, "skipped"_L1,
                                              "cancelled"_L1};
constexpr QLatin1StringView kSourceWords[] = {""_L1, "live"_L1, "replay_hit"_L1, "replay_stored"_L1,
                                              "refreshed"_L1, "mock"_L1};

} // namespace

QLatin1StringView wireName(StepStatus status)
{
    const auto i = size_t(status);
    return i < std::size(kStatusWords) ? kStatusWords[i] : QLatin1StringView();
}

std::optional<StepStatus> stepStatusFromWire(QStringView word)
{
    for (size_t i = 0; i < std::size(kStatusWords); ++i)
        if (word == kStatusWords[i])
            return StepStatus(i);
    return std::nullopt;
}

StepStatus finishedStatusFromWire(QStringView word, bool hasError)
{
    if (word.isEmpty())
        return hasError ? StepStatus::Error : StepStatus::Success;
    return stepStatusFromWire(word).value_or(StepStatus::Error);
}

QLatin1StringView wireName(Source source)
{
    const auto i = size_t(source);
    return i < std::size(kSourceWords) ? kSourceWords[i] : QLatin1StringView();
}

Source sourceFromWire(QStringView word)
{
    if (word.isEmpty())
        return Source::Unknown;
    for (size_t i = 1; i < std::size(kSourceWords); ++i)
        if (word == kSourceWords[i])
            return Source(i);
    return Source::Unknown;
}

} // namespace invoke
