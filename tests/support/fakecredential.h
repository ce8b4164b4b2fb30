#pragma once
// Fabricated credentials for the redaction tests. Each is assembled at run time from a
// vendor prefix and an obviously fake body, so that no literal in the sources looks like
// a real key (to a reader or to a secret scanner), while the value the code under test
// sees still has the shape it must mask.
#include <QtCore/QString>

namespace invoke::test {

inline QString fakeCredential(const QString &prefix, const QString &fakeBody)
{
    return prefix + fakeBody;
}

} // namespace invoke::test
