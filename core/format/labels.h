#pragma once
// What a person reads for the typed values of a run (the studio's step tree and detail
// pane, status panel): one label per value, here only. The words on the wire are
// core/model/invocation/runvalues.h's and core/wire/events.h's.
#include "core/model/invocation/runvalues.h"

#include <QtCore/QString>

namespace invoke::format {

// "running", "succeeded", "failed", "skipped", "cancelled".
QString label(StepStatus status);
// "live", "replay hit", "stored", "refreshed", "mock"; empty for Source::Unknown.
QString label(Source source);

} // namespace invoke::format
