#pragma once
// "Copy as code": one request as a curl command, an invoke-cli command and a Python
// snippet calling the public SDK's invoke(). The token is always read from the
// environment ($INVOKE_AUTH_TOKEN, os.environ["INVOKE_AUTH_TOKEN"]) and never written
// into the text. Shell words are single-quoted, so quotes, $, newlines and any Unicode
// reach the program exactly as typed.
#include "core/model/invocation/invokerequest.h"

namespace invoke::format {

// Where the request goes.
struct SnippetTarget
{
    // The server's address; empty for the embedded engine (invoke-cli then runs it in
    // its own process; curl and Python target invoke-server's default address).
    QString endpoint;
    // A saved profile: invoke-cli takes --profile NAME instead of --endpoint.
    QString profileName;
    // In manual mode, the mock-set file (invoke-cli --mocks); the mocks themselves travel
    // in the body for curl and Python.
    QString mockFile;
};

// invoke-server's default address, for snippets of an embedded run.
QString defaultServerEndpoint();
// The environment variable the token is read from.
QString tokenVariable();

QString curlCommand(const InvokeRequest &request, const SnippetTarget &target);
QString cliCommand(const InvokeRequest &request, const SnippetTarget &target);
QString pythonSnippet(const InvokeRequest &request, const SnippetTarget &target);

// One POSIX shell word: as is when only safe characters, else in single quotes.
QString shellQuote(const QString &word);
// A JSON value as a Python literal (True, False, None; strings as JSON escapes them).
QString pythonLiteral(const Json &value, int indent = 0);

} // namespace invoke::format
