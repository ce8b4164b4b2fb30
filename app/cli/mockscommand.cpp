// invoke-cli mocks validate: a mock set's problems (file:line: key: field: message)
// and, with --bot, which steps of the bot it answers; and the mock set a run leaves
// for invoke --save-mocks.
#include "app/cli/commands.h"
#include "app/cli/console.h"
#include "core/engine/botcatalog.h"
#include "core/engine/botplanner.h"
#include "core/mocks/mockcoverage.h"
#include "core/mocks/mocksetfromrun.h"
#include "core/mocks/mockvalidation.h"
#include "core/model/invocation/invokeresult.h"
#include "core/model/mocksetio.h"

#include <QtCore/QDir>
#include <QtCore/QFile>

using namespace Qt::StringLiterals;

namespace invoke::cli {

namespace {

QString coverageTable(const QList<mocks::StepCoverage> &coverage)
{
    QList<QStringList> rows{{u"STEP"_s, u"ACTION"_s, u"ANSWERED BY"_s, u"NOTE"_s}};
    for (const mocks::StepCoverage &c : coverage) {
        QStringList notes;
        if (c.mockIsError)
            notes.append(u"the mock answers with an error"_s);
        if (c.step.conditional)
            notes.append(u"in a result handler"_s);
        if (!c.step.note.isEmpty())
            notes.append(c.step.note);
        rows.append({c.step.path, c.step.actionType, mocks::answerText(c.answer), notes.join(u"; "_s)});
    }
    return columns(rows);
}

} // namespace

int runMocks(const MocksArguments &args)
{
    // Only "validate" for now; the parser refuses anything else.
    QFile file(args.file);
    if (!file.open(QIODevice::ReadOnly)) {
        printErr(u"error: %1: cannot open: %2\n"_s.arg(args.file, file.errorString()));
        return ExitFailed;
    }
    const QByteArray bytes = file.readAll();

    // The plan of the bot, from the bot folders as a run here would read them.
    std::optional<BotPlan> plan;
    if (!args.botKey.isEmpty()) {
        engine::BotCatalog catalog;
        catalog.index(engine::BotCatalog::defaultFolders(args.botFolders)); // parses the bot and its sub-bots only
        const engine::BotDefinition *bot = catalog.find(args.botKey);
        if (!bot) {
            printErr(u"invoke-cli: --bot %1: no such bot (list them with 'invoke-cli bots')\n"_s.arg(args.botKey));
            return ExitUsage;
        }
        plan = engine::botPlan(*bot, catalog);
    }

    const mocks::MockValidation validation = mocks::validateMockBytes(bytes, plan ? &*plan : nullptr);
    for (const MockProblem &problem : validation.problems)
        printOut(mocks::problemLine(args.file, problem) + u'\n');

    QStringList uncovered;
    if (plan && validation.mocks) {
        const auto coverage = mocks::mockCoverage(plan->steps, *validation.mocks);
        uncovered = mocks::uncoveredSteps(coverage);
        if (!validation.problems.isEmpty())
            printOut(u"\n"_s);
        printOut(u"Coverage of bot \"%1\" in manual mode:\n"_s.arg(plan->botKey));
        printOut(coverageTable(coverage));
    }

    QStringList verdict;
    if (!validation.problems.isEmpty())
        verdict.append(validation.problems.size() == 1 ? u"1 problem"_s
                                                       : u"%1 problems"_s.arg(validation.problems.size()));
    if (!uncovered.isEmpty())
        verdict.append(u"answered by nothing: %1"_s.arg(uncovered.join(u", "_s)));
    if (verdict.isEmpty()) {
        printOut(plan ? u"%1: valid; every step of \"%2\" is answered\n"_s.arg(args.file, plan->botKey)
                     : u"%1: valid\n"_s.arg(args.file));
        return ExitOk;
    }
    printOut(u"%1: %2\n"_s.arg(args.file, verdict.join(u"; "_s)));
    return ExitFailed;
}

bool saveRunMocks(const InvokeResult &result, const QString &filePath, const QStringList &secrets)
{
    const mocks::RunMocks run = mocks::mockSetFromRun(result, secrets);
    QString error;
    if (!saveMockSet(run.mocks, filePath, &error)) {
        printErr(u"error: --save-mocks "_s + error + u'\n');
        return false;
    }
    printErr(u"Saved %1 mock%2 to %3\n"_s.arg(run.mocks.size()).arg(run.mocks.size() == 1 ? u""_s : u"s"_s,
                                                                    QDir::toNativeSeparators(filePath)));
    for (const Redaction &r : run.redactions)
        printErr(u"  masked a secret: %1\n"_s.arg(r.toString()));
    for (const QString &line : run.skipped)
        printErr(u"  left out %1\n"_s.arg(line));
    return true;
}

} // namespace invoke::cli
