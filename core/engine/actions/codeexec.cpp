#include "core/engine/actions/codeexec.h"

#include "core/config/sandboxsettings.h"
#include "core/engine/actionregistry.h"
#include "core/engine/sandbox/outputlisting.h"
#include "core/engine/sandbox/workfolder.h"

#include <QtCore/QSet>

#include <cmath>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

constexpr char ParametersFile[] = "parameters.json";
constexpr int MaxFilesListed = 100;

struct Program
{
    QList<std::pair<QString, QByteArray>> files;
    QString entrypoint;
    Json parameters = Json::object();
    int timeoutSeconds = 30;
};

// The entrypoint when it is left out: the only code file.
QString defaultEntrypoint(const Json &codeFiles)
{
    if (codeFiles.is_array() && codeFiles.size() == 1 && codeFiles[0].is_object())
        return stringField(codeFiles[0], "filename");
    return {};
}

// Reads the step's parameters; an empty error means `program` is ready to run.
QString parse(const Json &p, const CodeExecAction::Options &options, Program *program)
{
    if (!p.is_object())
        return u"the parameters must be an object"_s;
    const Json codeFiles = p.value("code_files", Json());
    if (!codeFiles.is_array() || codeFiles.empty())
        return u"\"code_files\" must be a non-empty array of {filename, content}"_s;
    QSet<QString> names;
    for (std::size_t i = 0; i < codeFiles.size(); ++i) {
        const Json &file = codeFiles[i];
        if (!file.is_object() || !file.value("filename", Json()).is_string()
            || !file.value("content", Json()).is_string())
            return u"code_files[%1] must be {\"filename\": string, \"content\": string}"_s.arg(i);
        const QString name = stringField(file, "filename");
        if (const QString why = WorkFolder::checkFilename(name); !why.isEmpty())
            return u"code_files[%1]: %2"_s.arg(i).arg(why);
        if (name == QLatin1String(ParametersFile))
            return u"code_files[%1]: \"%2\" is where the parameters go; give the file another name"_s
                .arg(i).arg(name);
        if (names.contains(name))
            return u"code_files[%1]: \"%2\" is given twice"_s.arg(i).arg(name);
        names.insert(name);
        program->files.append({name, QByteArray::fromStdString(file["content"].get<std::string>())});
    }

    const Json entrypoint = p.value("entrypoint", Json());
    if (entrypoint.is_null()) {
        program->entrypoint = defaultEntrypoint(codeFiles);
        if (program->entrypoint.isEmpty())
            return u"\"entrypoint\" is missing: name the code file to run"_s;
    } else if (!entrypoint.is_string()) {
        return u"\"entrypoint\" must be a file name"_s;
    } else {
        program->entrypoint = toQString(entrypoint.get<std::string>());
    }
    if (!names.contains(program->entrypoint))
        return u"the entrypoint \"%1\" is not one of the code_files (%2)"_s
            .arg(program->entrypoint, QStringList(names.cbegin(), names.cend()).join(u", "_s));

    if (const Json parameters = p.value("parameters", Json()); !parameters.is_null())
        program->parameters = parameters;

    program->timeoutSeconds = options.limits.timeoutSeconds;
    if (const Json timeout = p.value("timeout_seconds", Json()); !timeout.is_null()) {
        if (!timeout.is_number() || !(timeout.get<double>() > 0))
            return u"\"timeout_seconds\" must be a number above 0"_s;
        const double seconds = std::ceil(timeout.get<double>());
        program->timeoutSeconds = int(std::min<double>(seconds, options.maxTimeoutSeconds));
    }
    return {};
}

QString failureText(const SandboxResult &run, int timeoutSeconds)
{
    const QString tail = run.errorTail.isEmpty() ? QString() : u":\n"_s + run.errorTail;
    if (!run.startError.isEmpty())
        return run.startError;
    if (run.cancelled)
        return u"cancelled: the program was killed"_s;
    if (run.timedOut)
        return u"timed out after %1 s: the program was killed (timeout_seconds %1)"_s.arg(timeoutSeconds) + tail;
    if (run.signal != 0)
        return u"the program was killed by %1"_s.arg(sandboxSignalName(run.signal)) + tail;
    if (run.exitCode != 0)
        return u"the program exited with code %1"_s.arg(run.exitCode) + tail;
    return {};
}

} // namespace

CodeExecAction::CodeExecAction(Options options)
    : m_options(std::move(options))
{
}

CodeExecAction::CodeExecAction() = default;

Json CodeExecAction::effectiveParameters(const Json &rendered, const ActionContext &) const
{
    if (!rendered.is_object())
        return rendered;
    Json effective = rendered;
    if (!effective.contains("entrypoint")) {
        if (const QString entry = defaultEntrypoint(effective.value("code_files", Json())); !entry.isEmpty())
            effective["entrypoint"] = toStd(entry);
    }
    if (!effective.contains("parameters"))
        effective["parameters"] = Json::object();
    if (!effective.contains("timeout_seconds"))
        effective["timeout_seconds"] = m_options.limits.timeoutSeconds;
    return effective;
}

ActionOutcome CodeExecAction::run(const ActionCall &call, ActionContext &context)
{
    Program program;
    if (const QString error = parse(call.parameters, m_options, &program); !error.isEmpty())
        return ActionOutcome::failure(u"%1: %2"_s.arg(call.actionType, error));

    SandboxRequest request;
    const QByteArray parameters = dumpJson(program.parameters);
    for (const auto &[name, content] : std::as_const(program.files))
        request.files.append({name, content});
    request.files.append({QString::fromLatin1(ParametersFile), parameters});
    request.arguments = {u"./"_s + program.entrypoint}; // "./": a name never reads as an option
    request.input = parameters;
    request.limits = m_options.limits;
    request.limits.timeoutSeconds = program.timeoutSeconds;
    const SandboxResult run = Sandbox(m_options.sandbox).run(request, context.cancelToken());
    if (run.refused)
        return ActionOutcome::failure(u"%1: %2"_s.arg(call.actionType, run.startError));

    int more = 0;
    Json output{
        {"output", toStd(run.output)},
        {"error", toStd(run.error)},
        {"exit_code", run.started && run.signal == 0 && !run.timedOut && !run.cancelled ? Json(run.exitCode)
                                                                                          : Json()},
        {"files", run.files.complete ? changedFiles(run.files, request.files, MaxFilesListed, &more) : Json::array()},
        {"sandbox", toStd(sandboxKindName(run.kind))},
        {"network", run.kind == SandboxKind::Bubblewrap ? "blocked" : "not blocked"},
        {"timed_out", run.timedOut},
    };
    if (more > 0)
        output["files_not_listed"] = more;
    if (!run.warning.isEmpty())
        output["warning"] = toStd(run.warning);
    if (const QString failure = failureText(run, program.timeoutSeconds); !failure.isEmpty())
        return ActionOutcome::failure(u"%1: %2"_s.arg(call.actionType, failure), std::move(output));
    return ActionOutcome::success(std::move(output));
}

void registerCodeExecActions(ActionRegistry &registry, const SandboxSettings &settings)
{
    CodeExecAction::Options options;
    options.sandbox.allowUnsandboxed = settings.allowUnsandboxedCode;
    options.limits.tmpBytes = settings.tmpBytes;
    options.limits.workBytes = settings.workBytes;
    const auto action = std::make_shared<CodeExecAction>(std::move(options));
    registry.add(ActionType::CodeExecExecute, action);
    registry.add(ActionType::CodeExecRun, action);
}

} // namespace invoke::engine
