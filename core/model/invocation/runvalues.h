#pragma once
// The typed values of a run: a step's status, where its answer came from, and the kind
// of an event. Code compares these enums, never strings. Their words on the wire
// (docs/events.md) are read and written here and in core/wire/events.cpp (event types)
// only; what a person reads ("succeeded", "replay hit") comes from core/format/labels.h.
#include <QtCore/QLatin1StringView>
#include <QtCore/QMetaType>
#include <QtCore/QStringView>

#include <optional>

namespace invoke {

// A step's status: result.status on the wire, plus "running" while it runs.
enum class StepStatus { Running, Success, Error, Skipped, Cancelled };

// Where a step's answer came from: metadata.source on the wire. Unknown when the event
// carries none (skipped steps, servers that do not say) or a word we do not know.
enum class Source { Unknown, Live, ReplayHit, ReplayStored, Refreshed, Mock };

// What an event is (core/wire/events.h classifies; its "type" words live there).
enum class EventKind { InvocationStarted, StepStarted, MessageContent, StepFinished, Status,
                       InvocationFinished, Unknown };

// "running", "success", "error", "skipped", "cancelled".
QLatin1StringView wireName(StepStatus status);
// nullopt for a word that is not one of the five.
std::optional<StepStatus> stepStatusFromWire(QStringView word);
// The status a step_finished event reports. Absent (or empty): success unless the step
// has an error. A word we do not know (a newer server's "timeout"): Error, since the step
// did not report success; it never throws.
StepStatus finishedStatusFromWire(QStringView word, bool hasError);

// "live", "replay_hit", "replay_stored", "refreshed", "mock"; empty for Unknown.
QLatin1StringView wireName(Source source);
// Unknown for an empty or unknown word.
Source sourceFromWire(QStringView word);

} // namespace invoke

Q_DECLARE_METATYPE(invoke::StepStatus)
Q_DECLARE_METATYPE(invoke::Source)
Q_DECLARE_METATYPE(invoke::EventKind)
