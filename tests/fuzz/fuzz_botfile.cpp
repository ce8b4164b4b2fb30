// libFuzzer target: the bot-file loader (core/engine/botdefinition.h) as BotCatalog runs
// it on every *.bot.json, then the plan walk (botplanner.h) and the step order
// (steporder.h) of a bot that loads. A refusal names a reason and a line inside the file.
#include "core/engine/botcatalog.h"
#include "core/engine/botdefinition.h"
#include "core/engine/botplanner.h"
#include "core/engine/steporder.h"
#include "tests/fuzz/fuzzinput.h"

#include <QtCore/QDateTime>

using namespace invoke;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = fuzz::bytesOf(data, size);
    LoadProblem problem;
    const std::optional<engine::BotDefinition> bot = engine::BotDefinition::parse(
        bytes, QStringLiteral("fuzz.bot.json"), QDateTime::fromSecsSinceEpoch(0, Qt::UTC), &problem);
    if (!bot) {
        fuzz::require(!problem.reason.isEmpty(), "a refused bot file says why");
        fuzz::require(problem.line >= 0 && problem.line <= bytes.count('\n') + 1, "a problem's line is in the file");
        return 0;
    }
    static const engine::BotCatalog emptyCatalog;
    const BotPlan plan = engine::botPlan(*bot, emptyCatalog);
    (void)plan.toJson();
    QString error;
    (void)engine::orderSteps(bot->steps, QSet<QString>{}, &error);
    return 0;
}
