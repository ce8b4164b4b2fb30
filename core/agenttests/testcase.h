#pragma once
// One agent test as a *.tests.json file holds it (docs/tests.md): a request, the mode it
// runs in, and what the run must show.
#include "core/model/invocation/invokerequest.h"
#include "core/model/invocation/runvalues.h"

#include <memory>

namespace invoke::agenttests {

// One expectation of a test case; `spec` is the assertion exactly as written, so a
// report can quote it and an editor can save it back unchanged.
struct Assertion
{
    enum Kind {
        TextContains, TextEquals, TextMatches, // the run's visible result text
        JsonPathEquals, JsonPathExists,        // the run's JSON summary
        HasDataset,                            // the run was given it, and it exists
        Step,                                  // one step, by path
        ErrorContains,                         // the run failed, with this in its error
        MaxTokens, MaxDurationMs,              // bounds of the whole run
        Not,                                   // the negation of `inner`
    };

    Kind kind = TextContains;
    Json spec;

    QString text;              // text_*: the value; error_contains; has_dataset: the slug
    bool caseSensitive = true; // text_contains, text_equals
    QString path;              // json_path_*: the summary path; step: the step path
    Json value;                // json_path_equals
    qint64 limit = 0;          // max_tokens, max_duration_ms
    // step: each checked only when given
    std::optional<StepStatus> status;
    std::optional<Source> source;
    std::optional<QString> outputContains;
    std::optional<bool> ran;
    std::shared_ptr<const Assertion> inner; // not

    // The name a person reads: "text_contains", "not text_contains", "step classify".
    QString name() const;
    // The assertion as written, on one line (reports quote it).
    QString quoted() const;
};

struct TestCase
{
    QString name;
    InvokeRequest request; // bot, messages, parameters, datasets, mode, manual mocks
    // Where the mocks came from: a file relative to the tests file ("" when inline or
    // none), and whether the case gave any (manual mode without: the bot's bundled set).
    QString mocksFile;
    bool mocksGiven = false;
    QList<Assertion> expect;
    int line = 0; // where the case starts in its file, 1-based; 0 when not from a file

    // The case as the file holds it (mocks as the file named them, or inline).
    Json toJson() const;
};

struct TestFile
{
    QString path; // as found (relative when given relative)
    QList<TestCase> cases;

    Json toJson() const;
};

} // namespace invoke::agenttests
