#pragma once
// Expectations edited as text, one assertion per line in JSON as a tests file holds it
// ({"text_contains": "billing"}), for the Tests panel's case view and the "Save run as
// test case" dialog. Each line must parse as the file parser reads an assertion.
#include "core/agenttests/testcase.h"

namespace invoke::ui {

// The assertion as one line of compact JSON.
QString assertionLine(const agenttests::Assertion &assertion);

// Blank lines are skipped. nullopt with `error` ("line 3: …") at the first line that is
// not JSON or not an assertion.
std::optional<agenttests::Assertion> parseAssertionLine(const QString &line, QString *error);
std::optional<QList<agenttests::Assertion>> parseAssertionLines(const QString &text, QString *error);

} // namespace invoke::ui
