#pragma once
// Masks values that look like secrets in mock sets made from runs
// (docs/mocks.md): a run's outputs and errors may quote API keys, bearer tokens or the
// user's own configured secrets, and a mock set is a file people commit.
//
// What is masked, in any string value (also inside longer text, only the secret part):
//  - OpenAI-style keys "sk-..." (sk-proj-..., sk-ant-... too), at least 16 characters after "sk-";
//  - "Bearer <token>" (a token of 16 or more characters; "Bearer" stays so the text
//    still reads);
//  - AWS access key ids AKIA + 16; GitHub tokens ghp_/gho_/ghu_/ghs_/ghr_ + 36 and
//    github_pat_...; Slack xox?-...; Google AIza + 35;
//  - any configured secret (a literal string, e.g. the LLM API key or a profile token);
//    secrets shorter than 4 characters are ignored (they would mask ordinary text);
// and the whole string value of an object member named like a secret: api_key, apikey,
// token, access_token, password, passwd, secret, client_secret, authorization, private_key
// and names ending in _api_key, _token, _secret, _password (case and -/_ ignored;
// "input_tokens" and other non-string values are left alone).
#include "core/model/mockset.h"

namespace invoke {

inline constexpr char RedactedText[] = "[redacted]";

// One masked value: the mock set key, the JSON pointer inside that key's mock
// ("/output/content", "/error"), and why ("OpenAI-style API key", "configured secret").
struct Redaction
{
    QString key;
    QString pointer;
    QString reason;

    QString toString() const; // `key "answer" at /output/content: OpenAI-style API key`
    bool operator==(const Redaction &) const = default;
};

// Masks `text`; returns the masked text and sets `reason` (when not null) to why the
// first mask was made, empty when nothing was masked.
QString redactText(const QString &text, const QStringList &secrets, QString *reason = nullptr);

// Masks every string inside `value` in place; each mask is appended to `found` with
// `key` and the JSON pointer below `pointerPrefix`.
void redactJson(Json &value, const QStringList &secrets, const QString &key, const QString &pointerPrefix,
                QList<Redaction> *found);

// Masks one mock (its output and its error text) in place; returns where.
QList<Redaction> redactMock(const QString &key, MockResponse &mock, const QStringList &secrets);
// Masks every mock of `set` in place; returns where, in key order.
QList<Redaction> redactMockSet(MockSet &set, const QStringList &secrets);

} // namespace invoke
