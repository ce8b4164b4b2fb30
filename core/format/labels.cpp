#include "core/format/labels.h"

using namespace Qt::StringLiterals;

namespace invoke::format {

QString label(StepStatus status)
{
    switch (status) {
    case StepStatus::Running: return u"running"_s;
    case StepStatus::Success: return u"succeeded"_s;
    case StepStatus::Error: return u"failed"_s;
    case StepStatus::Skipped: return u"skipped"_s;
    case StepStatus::Cancelled: return u"cancelled"_s;
    }
    return {};
}

QString label(Source source)
{
    switch (source) {
    case Source::Live: return u"live"_s;
    case Source::ReplayHit: return u"replay hit"_s;
    case Source::ReplayStored: return u"stored"_s;
    case Source::Refreshed: return u"refreshed"_s;
    case Source::Mock: return u"mock"_s;
    case Source::Unknown: break;
    }
    return {};
}

} // namespace invoke::format
