#include "app/cli/cliarguments.h"

using namespace Qt::StringLiterals;

namespace invoke::cli {

static const char toolHelp[] = R"(Usage: invoke-cli COMMAND [OPTIONS]

Runs bots on the embedded Invoke engine from the command line, or on an invoke
server (bots, datasets and invoke take --endpoint URL or --profile NAME).

Commands:
  bots                 List the bots (the bundled examples, your bots folder, --bots-dir)
  datasets             List the datasets memory.search can read, with their row counts
                       (datasets show|search|import: a dataset's rows, what
                       memory.search answers, a new dataset from a file)
  invoke BOT_KEY       Invoke a bot and print its result
  test [FILES|DIRS]    Run agent tests (*.tests.json) and check what each run did
  batch BOT_KEY        Run a bot over every row of a JSON Lines or CSV file
  runs ACTION          The run history: list, show, export, import, rerun, diff, rm
  cache ACTION         Inspect, clear, export or import the replay cache
  mocks validate FILE  Check a mock set and show which steps of a bot it answers
  help [COMMAND]       Show this help, or the help of one command

Options:
  -h, --help           Show help (also after a command: invoke-cli invoke --help)
  --version            Show the version

Exit status: 0 on success, 1 when the invocation failed or was cancelled (Ctrl+C
cancels a run and keeps its partial output; a second Ctrl+C ends at once), 2 on a
usage error.

Environment:
  INVOKE_LLM_BASE_URL  OpenAI-compatible endpoint, e.g. http://localhost:11434/v1
  INVOKE_LLM_MODEL     Model name sent with each request
  INVOKE_LLM_API_KEY   API key, sent as a bearer token (never printed); without it,
                       the key the studio saved in the keychain is used
Without these, the LLM settings saved by the studio apply.
  INVOKE_AUTH_TOKEN    The bearer token sent to --endpoint URL (never printed)
  INVOKE_CACHE_URL     The replay cache: a file, sqlite:PATH or a team's
                       postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=MODE]
                       (the password is never printed); default: the one saved in
                       the studio's settings (its password from the keychain), else
                       replay.sqlite in your cache folder
  INVOKE_CACHE_SCOPE   The scope replay records under (default local)

Try it offline:
  invoke-cli invoke chat -m "hi" --mode manual -v
)";

static const char botsHelp[] = R"(Usage: invoke-cli bots [--json] [--bots-dir DIR]...

Lists the bots: key, name, last update and description. Bot files that cannot be
loaded are reported on stderr as FILE:LINE: REASON; the other bots are still listed.

Options:
  --json               Print a JSON array of bots (with their parameter definitions)
  --bots-dir DIR       Also load the *.bot.json files of DIR (repeatable)
  --endpoint URL       List the bots of the invoke server at URL instead; the token
                       comes from INVOKE_AUTH_TOKEN
  --profile NAME       List the bots of a profile saved in the studio (its token from
                       the keychain); "Embedded" is the engine here
)";

static const char invokeHelp[] = R"(Usage: invoke-cli invoke BOT_KEY [OPTIONS]

Invokes a bot and prints the result on stdout; diagnostics go to stderr.

Conversation:
  -m, --message TEXT   Add a message (repeatable, in order). A message is from the user
                       unless it starts with "assistant:" or "system:" ("user:" is
                       accepted too); the prefix is removed.
  --messages FILE      Start from a JSON array of {"role", "content"} messages; the -m
                       messages follow them.

Inputs:
  -p, --parameter JSON A JSON object of parameters, or key=value (repeatable). A value
                       that parses as JSON is taken as JSON (42, true, [1,2], "x"),
                       anything else as text: -p topic=tea -p '{"days": 3}'
  -d, --datasets SLUGS Comma-separated dataset slugs the bot may read (repeatable)
  --datasets-dir DIR   Also offer the files and subfolders of DIR as datasets
                       (repeatable; see 'invoke-cli datasets --help')

Mode:
  --mode MODE          live (default): actions really run.
                       replay: answers come from the replay cache; a miss runs live
                       and is stored.
                       manual: answers come from a mock set; a missing mock fails.
  --refresh            With --mode replay: run live and overwrite the cached answers
  --cache URL          The replay cache (or INVOKE_CACHE_URL): a file, sqlite:PATH or
                       postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=MODE]
  --scope NAME         Record and replay under this scope (or INVOKE_CACHE_SCOPE;
                       default local). org:NAME shares an invoke-server organisation's
                       answers, and gives yours to it (docs/cache.md)
  --mocks FILE         The mock set for manual mode (implies --mode manual). Without
                       it, manual mode uses the bot's bundled mock set if it has one.
  --save-mocks FILE    After the run, write its mock set to FILE: one mock per LLM
                       call, search and code run, keyed by step path (pure utils.*
                       steps stay computed). Values that look like secrets are masked
                       as "[redacted]" and listed on stderr. Written even when the run
                       fails; a failed step becomes an error mock.

Output:
  --format FORMAT      text (default), json (a summary) or events (every event)
  -v, --verbose        With text: list the steps and their status
  --stream             Print the visible text as it arrives (text), or one JSON event
                       per line as it arrives (events); not with json. With -v, stderr
                       shows the Bot: and Invocation ID: lines first, then ▸ STEP
                       and ✓ STEP as visible steps start and end (coloured, with a
                       live elapsed time, on a terminal unless NO_COLOR is set)
  --filter EXPR        With events: print only the events a display filter matches,
                       e.g. 'step ^= "research/" and duration_ms > 100' (docs/filters.md)
  --bots-dir DIR       Also load the *.bot.json files of DIR (repeatable)

Code steps (codeexec on the embedded engine; defaults from the studio's settings):
  --sandbox-tmp-size SIZE   The size cap of /tmp (and of /dev/shm) inside the
                       sandbox (default 64M; K, M, G or bytes, 1M to 64G)
  --sandbox-work-size SIZE  The size cap of the work folder inside the sandbox,
                       input files included (default 64M)
  --allow-unsandboxed-code  UNSAFE: when bubblewrap is missing or cannot create
                       namespaces, run code anyway with only rlimits: it can use
                       the network and read your files. Without it, such code
                       steps fail and say why.

Server:
  --endpoint URL       Run on the invoke server at URL (e.g. http://127.0.0.1:8642)
                       instead of the embedded engine; the token comes from
                       INVOKE_AUTH_TOKEN
  --profile NAME       Run on a profile saved in the studio (its token from the
                       keychain); "Embedded" is the engine here

Examples:
  invoke-cli invoke chat -m "What is a haiku?"
  invoke-cli invoke ticket-triage -m "I was charged twice" --mode manual -v
  invoke-cli invoke research-assistant -m "tea" --mode replay --format json
  invoke-cli invoke data-qa -m "Which planet has the Great Red Spot?" --mode manual -v
  INVOKE_AUTH_TOKEN=... invoke-cli invoke chat -m "hi" --endpoint http://127.0.0.1:8642
)";

static const char datasetsHelp[] = R"(Usage: invoke-cli datasets [--json] [--datasets-dir DIR]...

Lists the datasets that memory.search can read: slug, name, rows and description.
They come from the bundled examples, your datasets folder and each --datasets-dir.
Every CSV, JSON Lines (.jsonl), Markdown (.md) or text (.txt) file of such a folder is
a dataset, and so is every subfolder (its files at any depth, together); the slug is
the name without its extension, in lowercase, e.g. "Planet notes.md" -> planet-notes.
A NAME.dataset.json file beside one may give {"name": ..., "description": ...}.

Datasets are indexed for full-text search the first time they are listed or searched,
and again when their files change. Files that cannot be read are reported on stderr
as FILE:LINE: REASON; the other datasets are still listed.

Options:
  --json               Print a JSON array of {slug, name, description, size (rows)}
  --datasets-dir DIR   Also offer the files and subfolders of DIR (repeatable)
  --endpoint URL       List the datasets of the invoke server at URL (token from
                       INVOKE_AUTH_TOKEN)
  --profile NAME       List the datasets of a profile saved in the studio

One dataset (each with its own --help):
  invoke-cli datasets show SLUG [--limit N] [--json]
      The first rows, as the file holds them.
  invoke-cli datasets search SLUG QUERY [--limit N] [--json]
      What memory.search answers in a run; with --endpoint or --profile, the server's.
      A dataset that changed is indexed first, with its progress on stderr.
  invoke-cli datasets import FILE --slug SLUG [--force]
      A CSV or JSON Lines file into your datasets folder: every row checked, all or none.
)";

static const char mocksHelp[] = R"(Usage: invoke-cli mocks validate FILE [--bot KEY] [--bots-dir DIR]...

Checks a mock set (docs/mocks.md) and prints each problem as
FILE:LINE: KEY: FIELD: MESSAGE — a mock without "status", an "output" missing or of
the wrong shape for its action type (llm.message needs "content", memory.search
"memories", codeexec.* "output" and "exit_code"), unknown fields.

With --bot, keys must also be step paths of that bot (nested sub-bot steps as
"parent/child") or action types, and a table shows for each step of the bot how
manual mode will answer it: step mock, action-type mock, computed (utils.*, bot.invoke),
bypassed (inside a sub-bot whose step is mocked) or NOTHING (the run would fail there).

Options:
  --bot KEY            The bot the mock set is for
  --bots-dir DIR       Also load the *.bot.json files of DIR (repeatable)

Exit status: 0 when the file has no problem and (with --bot) every step is answered;
1 on any problem or a step answered by NOTHING; 2 on a usage error or an unknown bot.

Example:
  invoke-cli invoke research-assistant -m "tea" --mode replay --save-mocks tea.mocks.json
  invoke-cli mocks validate tea.mocks.json --bot research-assistant
)";

static const char cacheHelp[] = R"(Usage: invoke-cli cache ACTION [--cache URL] [--scope NAME] [--json]

The replay cache keeps the answers of LLM calls made in replay mode: a file of your
own, or a team's PostgreSQL database (docs/cache.md).

Actions:
  stats                Where the cache is, how many entries (per scope), size and hits
  list                 The entries, newest first: key, bot, action, created, hits
  show KEY             One entry in full (KEY may be a unique prefix)
  clear                Remove every entry (of --scope only, when given)
  export FILE          Write the entries (of --scope only) to FILE as JSON Lines;
                       what looks like a secret is masked
  import FILE          Add the entries of FILE (JSON Lines, as export writes it); with
                       --scope they are rewritten into that scope
  explain RUN_ID [--step PATH]
                       Why a recorded run's replay steps missed the cache when it
                       ran, and whether a replay would hit now (RUN_ID: an id from
                       'invoke-cli runs list', a unique prefix, or a run file)

Options:
  --cache URL          The cache (or INVOKE_CACHE_URL): a file, sqlite:PATH or
                       postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=MODE];
                       the password is shown masked
  --scope NAME         list, clear, export and import: only this scope (local,
                       org:NAME, ...)
  --json               Print stats, list and explain as JSON

Examples:
  invoke-cli cache export mine.jsonl --scope local
  invoke-cli cache import mine.jsonl --scope org:acme --cache postgresql://ci@db/invoke
)";

QString helpText(const QString &command)
{
    if (command == u"bots"_s)
        return QString::fromUtf8(botsHelp);
    if (command == u"invoke"_s)
        return QString::fromUtf8(invokeHelp);
    if (command == u"cache"_s)
        return QString::fromUtf8(cacheHelp);
    if (command == u"datasets"_s)
        return QString::fromUtf8(datasetsHelp);
    if (command == u"mocks"_s)
        return QString::fromUtf8(mocksHelp);
    return QString::fromUtf8(toolHelp);
}

} // namespace invoke::cli
