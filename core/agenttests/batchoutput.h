#pragma once
// The output file of `invoke-cli batch`: JSON Lines, one object per input row (the run's
// JSON summary plus "row"), in row order. While a batch runs, each finished row is
// appended at once, so a crash or Ctrl+C keeps what finished; at the end the file is
// rewritten atomically with one line per row, the latest winning. Re-running with the
// same file skips the rows that succeeded.
#include "core/model/json/json.h"

#include <QtCore/QFile>
#include <QtCore/QMap>
#include <QtCore/QSet>

namespace invoke::agenttests {

class BatchOutput
{
public:
    // Reads what an earlier run left in `filePath` (missing: nothing). Lines that do not
    // parse (the last line of a run that was killed mid-write) are counted and dropped.
    bool open(const QString &filePath, QString *error);

    bool succeeded(int row) const { return m_succeeded.contains(row); }
    int rowsKept() const { return int(m_lines.size()); }
    int unreadableLines() const { return m_unreadable; }

    // Records a finished row: appended to the file at once (flushed).
    bool add(int row, const Json &line, QString *error);
    // One line per row, in row order, written atomically over the appended file.
    bool finish(QString *error);

private:
    QString m_path;
    QFile m_append;
    QMap<int, QByteArray> m_lines;
    QSet<int> m_succeeded;
    int m_unreadable = 0;
};

} // namespace invoke::agenttests
