// libFuzzer target: invoke-server's request-body decoder (core/wire/requestcodec.h), what
// POST /bots/{key}/invoke reads from any client. A body it accepts must encode and
// decode again to the same request (the CLI and the studio send what the server reads).
#include "core/wire/requestcodec.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    const QString botKey = QStringLiteral("fuzz-bot");
    QString error;
    const std::optional<InvokeRequest> request = wire::decodeRequestBody(bytes, botKey, &error);
    if (!request) {
        fuzz::require(!error.isEmpty(), "a refused body says why");
        return 0;
    }
    const QByteArray again = wire::encodeRequestBody(*request);
    QString againError;
    const std::optional<InvokeRequest> reread = wire::decodeRequestBody(again, botKey, &againError);
    fuzz::require(reread.has_value(), "an accepted request encodes to a body that is accepted");
    fuzz::require(*reread == *request, "an accepted request survives encode and decode");
    return 0;
}
