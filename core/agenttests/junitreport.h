#pragma once
// JUnit XML for CI systems (docs/tests.md): one <testsuite> per tests file (named by its
// path), one <testcase> per case (name, classname = the file's name without
// ".tests.json", time in seconds), a <failure> naming each failed assertion with expected
// and actual, an <error> for a case that could not run. Keeps a few strings per case,
// never a run.
#include "core/agenttests/caseresult.h"

#include <map>

namespace invoke::agenttests {

class JUnitReport
{
public:
    // Files appear in the order first added; cases by their place in the file.
    void add(const CaseResult &result, int indexInRun);
    QByteArray toXml() const;
    // Written atomically: an interrupted write never leaves half a report.
    bool write(const QString &filePath, QString *error) const;

private:
    struct Entry
    {
        QString name;
        CaseStatus status = CaseStatus::Passed;
        double seconds = 0;
        QString message; // the first failed assertion
        QString text;    // every failure, expected against actual
    };
    struct Suite
    {
        QString path;
        std::map<int, Entry> cases; // by index in the run, so file order holds
    };
    QList<Suite> m_suites;
};

// "expected: …\nactual: …" for one failure, as reports print it.
QString describeFailure(const Failure &failure);

} // namespace invoke::agenttests
