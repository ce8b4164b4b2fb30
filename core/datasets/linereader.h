#pragma once
// Reads a text file in blocks that end at a line break, checking that each is UTF-8, so
// a reader holds one block (about a megabyte) whatever the size of the file. Used by the
// dataset readers (core/datasets/datasetreader.h) and the table view of a dataset.
#include "core/model/dataset/csvtext.h"

#include <QtCore/QIODevice>

namespace invoke::datasets {

class Utf8LineReader
{
public:
    static constexpr qint64 BlockBytes = 1 << 20;

    // `maxLineBytes`: a line longer than this is refused (a binary file, or a file that
    // is one huge line) instead of read into memory whole.
    explicit Utf8LineReader(QIODevice &in, qint64 maxLineBytes = 64 << 20);

    // The next block: whole lines (the last line of the file may lack its break), the
    // byte-order mark dropped. False at the end of the file or on a problem (problem()
    // set, with the line). `firstLine` is the 1-based line the block starts on.
    // With `lenient` a block that is not UTF-8 is still handed on, after each bad line was
    // given to `badLines` (for checks that list every bad line, not only the first).
    bool next(QString *text, int *firstLine);
    bool nextBytes(QByteArray *bytes, int *firstLine);

    void setLenient(std::function<void(int line)> badLines) { m_badLines = std::move(badLines); }

    bool failed() const { return !m_problem.reason.isEmpty(); }
    const TextProblem &problem() const { return m_problem; }
    qint64 bytesRead() const { return m_consumed; }

private:
    QIODevice &m_in;
    qint64 m_maxLineBytes;
    QByteArray m_block; // what each read fills, kept (BlockBytes at most)
    QByteArray m_carry; // the part line after the block's last break
    QByteArray m_bytes; // next()'s block
    qint64 m_consumed = 0;
    int m_line = 1;
    bool m_started = false;
    bool m_atEnd = false;
    TextProblem m_problem;
    std::function<void(int line)> m_badLines;
};

// `utf8` (checked UTF-8) as text, in `text`'s own buffer when it has one: what a reader
// does with each block instead of QString::fromUtf8, which allocates every time.
void decodeInto(QByteArrayView utf8, QString *text);

} // namespace invoke::datasets
