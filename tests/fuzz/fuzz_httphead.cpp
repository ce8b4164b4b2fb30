// libFuzzer target for invoke-server's HTTP framing (app/server/http/httphead.h,
// app/server/http/chunkedbody.h): any bytes as a request head, and as a chunked body fed in
// two pieces. It checks what the server relies on: a complete head never claims more
// bytes than it was given and has a path; a refusal has a 4xx/5xx status and a reason;
// the decoded body never exceeds the limit. Built and run by scripts/fuzz.sh (the fuzz
// preset); its inputs are replayed in the normal test run (tests/fuzz/CMakeLists.txt).
#include "app/server/http/chunkedbody.h"
#include "app/server/http/httphead.h"

#include <cstdint>
#include <cstdlib>

using namespace invoke::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));

    const HeadParse parse = parseRequestHead(bytes, 1024);
    switch (parse.outcome) {
    case HeadParse::Outcome::Complete:
        if (parse.headBytes <= 0 || parse.headBytes > bytes.size() || !parse.head.path.startsWith('/')
            || parse.head.contentLength < 0 || (parse.head.chunked && parse.head.contentLength > 0))
            std::abort();
        break;
    case HeadParse::Outcome::Invalid:
        if (parse.status < 400 || parse.status > 599 || parse.reason.isEmpty())
            std::abort();
        break;
    case HeadParse::Outcome::Incomplete:
        if (bytes.size() > 1024 + 2)
            std::abort();
        break;
    }

    constexpr qint64 kLimit = 4096;
    ChunkedBody chunked(kLimit);
    QByteArray body;
    const qsizetype half = bytes.size() / 2;
    qsizetype used = 0;
    ChunkedBody::Outcome outcome = chunked.feed(bytes.first(half), &used, body);
    if (used > half)
        std::abort();
    if (outcome == ChunkedBody::Outcome::NeedMore) {
        qsizetype more = 0;
        outcome = chunked.feed(bytes.sliced(half), &more, body);
        if (more > bytes.size() - half)
            std::abort();
    }
    if (body.size() > kLimit)
        std::abort();
    return 0;
}
