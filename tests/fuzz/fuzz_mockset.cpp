// libFuzzer target: a mock set file as invoke-cli mocks check, the studio's editor and a
// run in manual mode read it (core/model/mockset.h, core/mocks/mockvalidation.h): parsed,
// validated without and with a bot's plan. A set the validator finds clean must parse,
// save and read back to the same set.
#include "core/mocks/mockvalidation.h"
#include "core/model/mocksetio.h"
#include "tests/fuzz/fuzzinput.h"

using namespace invoke;

namespace {

PlannedStep step(const char *path, const char *key, const char *actionType, int depth)
{
    PlannedStep s;
    s.path = QString::fromUtf8(path);
    s.key = QString::fromUtf8(key);
    s.actionType = QString::fromUtf8(actionType);
    s.botKey = depth ? QStringLiteral("summariser") : QStringLiteral("research-assistant");
    s.depth = depth;
    return s;
}

// The shape of resources/bots/research-assistant.bot.json's plan, sub-bot included.
const BotPlan &researchPlan()
{
    static const BotPlan plan = [] {
        BotPlan p;
        p.botKey = QStringLiteral("research-assistant");
        p.botName = QStringLiteral("Research assistant");
        p.steps = {step("status", "status", "utils.send_status", 0), step("gather", "gather", "llm.message", 0),
                   step("summarise", "summarise", "bot.invoke", 0),
                   step("summarise/answer", "answer", "llm.message", 1), step("save", "save", "utils.write", 0),
                   step("compute", "compute", "codeexec.execute", 0), step("parse", "parse", "utils.parse_json", 0)};
        return p;
    }();
    return plan;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);

    QList<MockProblem> parseProblems;
    const std::optional<MockSet> parsed = MockSet::parse(bytes, &parseProblems);
    const mocks::MockValidation loose = mocks::validateMockBytes(bytes);
    const mocks::MockValidation planned = mocks::validateMockBytes(bytes, &researchPlan());
    for (const MockProblem &problem : loose.problems)
        (void)mocks::problemLine(QStringLiteral("fuzz.mocks.json"), problem);

    if (!parsed)
        return 0;
    (void)mocks::validateMockJson(parsed->toJson(), &researchPlan());
    for (const QString &key : parsed->keys())
        (void)mocks::validateMockEntry(key, parsed->value(key)->toJson(), &researchPlan());
    (void)parsed->find(QStringLiteral("summarise/answer"), QStringLiteral("llm.message"));
    if (loose.ok()) {
        const std::optional<MockSet> reread = MockSet::parse(mockSetBytes(*parsed));
        fuzz::require(reread.has_value(), "a clean mock set saves to a file that parses");
        fuzz::require(*reread == *parsed, "a clean mock set survives save and parse");
    }
    (void)planned;
    return 0;
}
