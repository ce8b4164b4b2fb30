#pragma once
// Json as one line of text: for QCOMPARE (which prints both sides on a mismatch, where a
// Json comparison would print nothing) and for QVERIFY2 messages.
#include "core/model/json/json.h"

#include <QtCore/QString>

namespace invoke::test {

inline QString jsonText(const Json &value)
{
    return QString::fromUtf8(dumpJson(value));
}

} // namespace invoke::test
