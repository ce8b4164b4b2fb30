#include "ui/steps/programoutput.h"
#include "ui/common/statusstyle.h"

#include "core/model/actiontypes.h"

#include <QtCore/QCoreApplication>
#include <QtGui/QTextCursor>
#include <QtWidgets/QPlainTextEdit>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QString tr(const char *text, int n = -1)
{
    return QCoreApplication::translate("ProgramOutput", text, nullptr, n);
}

void section(QTextCursor &cursor, const QString &title, const QString &body, const QTextCharFormat &bodyFormat)
{
    QTextCharFormat heading;
    heading.setFontWeight(QFont::Bold);
    if (!cursor.atStart())
        cursor.insertText(u"\n"_s, {});
    cursor.insertText(u"── %1 ──\n"_s.arg(title), heading);
    cursor.insertText(body.endsWith(u'\n') ? body : body + u'\n', bodyFormat);
}

} // namespace

bool isProgramOutput(const QString &actionType, const Json &output)
{
    return actionType.startsWith(ActionType::CodeExecPrefix) && output.is_object() && output.contains("output")
        && output["output"].is_string();
}

QStringList programFacts(const Json &output)
{
    QStringList facts;
    const Json code = output.value("exit_code", Json());
    if (code.is_number_integer())
        facts << tr("exit code %1").arg(code.get<qint64>());
    else if (boolField(output, "timed_out"))
        facts << tr("killed at the timeout");
    else
        facts << tr("no exit code (killed)");
    const QString sandbox = stringField(output, "sandbox");
    if (!sandbox.isEmpty()) {
        const QString network = stringField(output, "network");
        facts << (network == u"not blocked"_s ? tr("sandbox: %1 (network not blocked)").arg(sandbox)
                                             : tr("sandbox: %1").arg(sandbox));
    }
    return facts;
}

void showProgramOutput(QPlainTextEdit *box, const Json &output)
{
    box->clear();
    QTextCursor cursor(box->document());
    const QTextCharFormat plain;
    QTextCharFormat marked; // stderr: a colour that reads on this palette, and its own heading
    marked.setForeground(statusStyle(StepStatus::Error, box->palette()).color);

    const QString out = stringField(output, "output");
    const QString err = stringField(output, "error");
    section(cursor, tr("stdout"), out.isEmpty() ? tr("(nothing)") : out, plain);
    section(cursor, tr("stderr"), err.isEmpty() ? tr("(nothing)") : err,
            err.isEmpty() ? plain : marked);

    const Json files = output.value("files", Json::array());
    if (files.is_array() && !files.empty()) {
        QStringList lines;
        for (const Json &file : files) {
            if (!file.is_object())
                continue;
            const QString name = stringField(file, "name");
            lines << (boolField(file, "symlink") ? tr("%1 (symbolic link)").arg(name)
                                                 : tr("%1 (%n byte(s))", int(intField(file, "size"))).arg(name));
        }
        section(cursor, tr("files written"), lines.join(u'\n'), plain);
    }
    if (const QString warning = stringField(output, "warning"); !warning.isEmpty())
        section(cursor, tr("sandbox warning"), warning, marked);
    section(cursor, tr("the whole output"), QString::fromUtf8(dumpJson(output, 2)), plain);
    box->moveCursor(QTextCursor::Start);
}

} // namespace invoke::ui
