#pragma once
// core/model/json/eventscan.h against nlohmann's sax_parse: the same texts accepted, and the
// same calls handed to a reader that follows every top-level member and every member of
// "metadata" (strings unescaped, numbers as the readers take them). Used by the events
// fuzzer on every input and by tests/core/tst_codecs.cpp on edge cases and mutations.
#include "core/model/json/eventscan.h"

#include <string>

namespace invoke::fuzz {

class LoggingEventReader : public EventSaxReader<LoggingEventReader>
{
public:
    std::string log;

    int topKey(const std::string &k)
    {
        log += "top " + k + ";";
        return 1;
    }
    int metadataKey(const std::string &k)
    {
        log += "meta " + k + ";";
        return 2;
    }
    void resetMetadata() { log += "reset;"; }
    void onString(int slot, std::string &s) { log += "string " + std::to_string(slot) + " " + s + ";"; }
    void onNumber(int slot, qint64 n) { log += "number " + std::to_string(slot) + " " + std::to_string(n) + ";"; }
};

// Empty when both agree; else what differs.
inline std::string eventScanDifference(QByteArrayView bytes)
{
    LoggingEventReader viaNlohmann, viaScan;
    const bool nlohmannOk = Json::sax_parse(bytes.begin(), bytes.end(), &viaNlohmann);
    const bool scanOk = scanEvent(bytes, viaScan);
    if (nlohmannOk != scanOk)
        return std::string("nlohmann ") + (nlohmannOk ? "accepts" : "refuses") + ", the scanner "
               + (scanOk ? "accepts" : "refuses");
    if (nlohmannOk && (viaNlohmann.log != viaScan.log || viaNlohmann.topIsObject() != viaScan.topIsObject()))
        return "nlohmann read " + viaNlohmann.log + " | the scanner read " + viaScan.log;
    return {};
}

} // namespace invoke::fuzz
