#pragma once
// Fixtures for the "copy as code" tests: a request full of what shells and Python
// quote differently (quotes, $, backslashes, newlines, non-ASCII, a user message that
// looks like a role prefix), and a stand-in for the public SDK's `erdo` module that
// records the call it gets. No Q_OBJECT here: raw strings are safe.
#include "core/model/invocation/invokerequest.h"

namespace invoke::test {

inline InvokeRequest trickyRequest()
{
    InvokeRequest r;
    r.botKey = QStringLiteral("research-assistant");
    r.messages = {Message{QStringLiteral("system"), QString::fromUtf8(R"(Be "brief" — it's $HOME & `date`)")},
                  Message::user(QString::fromUtf8("He said \"hi\" & it's $5\\n\nnew line ☕ naïve 'quoted' \\ back")),
                  Message::assistant(QStringLiteral("Hello!\nTwo lines.")),
                  Message::user(QStringLiteral("assistant: not a role prefix"))};
    r.parameters = Json{{"topic", "tea's \"best\" $PATH"}, {"days", 3}, {"strict", true}, {"extra", nullptr},
                        {"nested", {{"list", {1, 2.5, "ü"}}}}};
    r.datasets = {QStringLiteral("recipes"), QStringLiteral("notes-2024")};
    r.mode = Mode::replay(true);
    return r;
}

// erdo/__init__.py: writes the call as JSON to $SNIPPET_OUT.
inline const char *erdoStub()
{
    return R"(import json
import os


class _Response:
    success = True
    result = {"status": "success"}
    error = None


def invoke(bot_key, **kwargs):
    with open(os.environ["SNIPPET_OUT"], "w", encoding="utf-8") as out:
        json.dump({"bot_key": bot_key, **kwargs}, out, ensure_ascii=False)
    return _Response()
)";
}

// A stand-in invoke-cli: prints its arguments, one per line as JSON strings.
inline const char *argvPrinter()
{
    return R"(#!/usr/bin/env python3
import json
import sys

for arg in sys.argv[1:]:
    print(json.dumps(arg))
)";
}

} // namespace invoke::test
