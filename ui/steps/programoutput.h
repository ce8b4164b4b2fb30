#pragma once
// A codeexec.* step's output made readable: stdout, then stderr in a warning colour under
// its own heading, the files the program wrote, and its exit code and sandbox as facts.
#include "core/model/json/json.h"

class QPalette;
class QPlainTextEdit;

namespace invoke::ui {

// True for a codeexec.execute / codeexec.run step whose output has the program's streams.
bool isProgramOutput(const QString &actionType, const Json &output);

// "exit code 1" (or "killed at the timeout"), "sandbox: bubblewrap" or "sandbox: rlimit
// (network not blocked)".
QStringList programFacts(const Json &output);

// Replaces `box`'s text: "── stdout ──", "── stderr ──" (its text coloured), "── files ──",
// the sandbox's warning, then the whole output as JSON.
void showProgramOutput(QPlainTextEdit *box, const Json &output);

} // namespace invoke::ui
