#pragma once
// What the harnesses in tests/fuzz share: the input as bytes, and a check that aborts
// with a message (libFuzzer and the replay driver both stop on abort()).
#include <QtCore/QByteArrayView>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace invoke::fuzz {

inline QByteArrayView bytesOf(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

// A property the code under test promises; a broken one is a finding like a crash.
inline void require(bool holds, const char *what)
{
    if (!holds) {
        std::fprintf(stderr, "fuzz property broken: %s\n", what);
        std::abort();
    }
}

// Lines as the readers count them (core/model/dataset/csvtext.cpp): a CRLF, a LF or a lone CR
// ends one. (Counting LFs only was wrong for a CSV row after lone CRs: the input is
// tests/fuzz/regressions/datasets/csv-lone-cr-line-breaks.)
inline qsizetype lineCount(QByteArrayView bytes)
{
    qsizetype lines = 1;
    for (qsizetype i = 0; i < bytes.size(); ++i)
        if (bytes[i] == '\n' || (bytes[i] == '\r' && (i + 1 == bytes.size() || bytes[i + 1] != '\n')))
            ++lines;
    return lines;
}

} // namespace invoke::fuzz
