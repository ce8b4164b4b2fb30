#include "app/server/serverarguments.h"

#include "core/cache/cacheurl.h"

#include "core/config/sandboxsettings.h"

using namespace Qt::StringLiterals;

namespace invoke::server {

namespace {

bool parseListen(const QString &text, ServerArguments &args, QString *error)
{
    // HOST:PORT, with an IPv6 host in brackets: [::1]:8642.
    const qsizetype colon = text.lastIndexOf(u':');
    QString host = colon > 0 ? text.left(colon) : QString();
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!ok || port > 65535 || host.isEmpty()) {
        *error = u"--listen: expected HOST:PORT (e.g. 127.0.0.1:8642, [::1]:8642, 0.0.0.0:8642), got \"%1\""_s.arg(text);
        return false;
    }
    if (host == u"localhost"_s)
        host = u"127.0.0.1"_s;
    QHostAddress address;
    if (!address.setAddress(host)) {
        *error = u"--listen: \"%1\" is not an IP address (give one, or localhost)"_s.arg(host);
        return false;
    }
    args.host = address;
    args.port = quint16(port);
    return true;
}

bool parseSize(const QString &flag, const QString &text, qint64 &out, QString *error)
{
    bool ok = false;
    const qint64 value = text.toLongLong(&ok);
    if (!ok || value <= 0) {
        *error = u"%1: expected a positive number of bytes, got \"%2\""_s.arg(flag, text);
        return false;
    }
    out = value;
    return true;
}

} // namespace

std::optional<ServerArguments> parseServerArguments(const QStringList &arguments, QString *error)
{
    ServerArguments args;
    auto fail = [&](const QString &why) -> std::optional<ServerArguments> {
        *error = why;
        return std::nullopt;
    };
    for (qsizetype i = 0; i < arguments.size(); ++i) {
        QString flag = arguments[i];
        std::optional<QString> inlineValue;
        if (const qsizetype eq = flag.indexOf(u'='); flag.startsWith(u"--"_s) && eq > 0) {
            inlineValue = flag.mid(eq + 1);
            flag.truncate(eq);
        }
        auto value = [&]() -> std::optional<QString> {
            if (inlineValue)
                return inlineValue;
            if (i + 1 >= arguments.size())
                return std::nullopt;
            return arguments[++i];
        };
        if (flag == u"-h"_s || flag == u"--help"_s) {
            args.help = true;
        } else if (flag == u"--version"_s) {
            args.version = true;
        } else if (flag == u"--insecure-no-auth"_s) {
            args.insecureNoAuth = true;
        } else if (flag == u"--allow-unsandboxed-code"_s) {
            args.allowUnsandboxedCode = true;
        } else if (flag == u"--sandbox-tmp-size"_s || flag == u"--sandbox-work-size"_s) {
            const auto v = value();
            const std::optional<qint64> bytes = v ? parseByteSize(*v, error) : std::nullopt;
            if (!bytes)
                return fail(u"%1: %2"_s.arg(flag, v ? *error : u"needs a value"_s));
            (flag == u"--sandbox-tmp-size"_s ? args.sandboxTmpBytes : args.sandboxWorkBytes) = *bytes;
        } else if (flag == u"--listen"_s || flag == u"--tokens"_s || flag == u"--bots-dir"_s
                   || flag == u"--cache"_s || flag == u"--max-body"_s || flag == u"--shutdown-grace"_s
                   || flag == u"--max-unsent"_s || flag == u"--llm-base-url"_s || flag == u"--llm-model"_s
                   || flag == u"--idle-timeout"_s || flag == u"--head-timeout"_s || flag == u"--body-timeout"_s
                   || flag == u"--max-connections"_s || flag == u"--max-streams-per-token"_s
                   || flag == u"--cache-check"_s) {
            const auto v = value();
            if (!v || v->isEmpty())
                return fail(u"%1 needs a value"_s.arg(flag));
            if (flag == u"--listen"_s) {
                if (!parseListen(*v, args, error))
                    return std::nullopt;
            } else if (flag == u"--tokens"_s) {
                args.tokensFile = *v;
            } else if (flag == u"--bots-dir"_s) {
                args.botFolders.append(*v);
            } else if (flag == u"--cache"_s) {
                if (!cache::CacheUrl::parse(*v, error))
                    return fail(u"--cache: "_s + *error);
                args.cacheFile = *v;
            } else if (flag == u"--max-body"_s) {
                if (!parseSize(flag, *v, args.maxBodyBytes, error))
                    return std::nullopt;
            } else if (flag == u"--max-unsent"_s) {
                if (!parseSize(flag, *v, args.maxUnsentBytes, error))
                    return std::nullopt;
            } else if (flag == u"--cache-check"_s) {
                bool ok = false;
                const double seconds = v->toDouble(&ok);
                if (!ok || seconds < 0.1 || seconds > 3600)
                    return fail(u"%1: expected seconds between 0.1 and 3600, got \"%2\""_s.arg(flag, *v));
                args.cacheCheckMs = int(seconds * 1000);
            } else if (flag == u"--shutdown-grace"_s || flag == u"--idle-timeout"_s || flag == u"--head-timeout"_s
                       || flag == u"--body-timeout"_s) {
                bool ok = false;
                const double seconds = v->toDouble(&ok);
                if (!ok || seconds < 0 || seconds > 3600 || (flag != u"--shutdown-grace"_s && seconds <= 0))
                    return fail(u"%1: expected seconds between 0 and 3600, got \"%2\""_s.arg(flag, *v));
                (flag == u"--idle-timeout"_s   ? args.idleTimeoutMs
                 : flag == u"--head-timeout"_s ? args.headTimeoutMs
                 : flag == u"--body-timeout"_s ? args.bodyTimeoutMs
                                               : args.shutdownGraceMs) = int(seconds * 1000);
            } else if (flag == u"--max-connections"_s || flag == u"--max-streams-per-token"_s) {
                bool ok = false;
                const int count = v->toInt(&ok);
                if (!ok || count <= 0 || count > 1000000)
                    return fail(u"%1: expected a count between 1 and 1000000, got \"%2\""_s.arg(flag, *v));
                (flag == u"--max-connections"_s ? args.maxConnections : args.maxStreamsPerToken) = count;
            } else if (flag == u"--llm-base-url"_s) {
                args.llmBaseUrl = *v;
            } else {
                args.llmModel = *v;
            }
        } else {
            return fail(u"unknown argument \"%1\""_s.arg(arguments[i]));
        }
    }
    if (args.help || args.version)
        return args;
    if (args.tokensFile.isEmpty() && !args.insecureNoAuth)
        return fail(u"--tokens FILE is required: a file of `TOKEN ORGANISATION` lines, one per client "
                    "(for a local trial without tokens: --insecure-no-auth, loopback only)"_s);
    if (!args.tokensFile.isEmpty() && args.insecureNoAuth)
        return fail(u"--tokens and --insecure-no-auth exclude each other"_s);
    if (args.insecureNoAuth && !args.host.isLoopback())
        return fail(u"--insecure-no-auth listens on loopback only, not on %1"_s.arg(args.host.toString()));
    return args;
}

int defaultMaxConnections(qint64 fileLimit)
{
    const qint64 reserve = qMax<qint64>(32, fileLimit / 10);
    return int(qBound(qint64(16), fileLimit - reserve, qint64(1000000)));
}

QString helpText()
{
    return uR"(Usage: invoke-server --tokens FILE [options]

Serves the embedded engine over HTTP (the wire contract of docs/events.md):
  POST /bots/{key}/invoke   run a bot; the answer streams as text/event-stream
  GET  /bots                the bots (key, name, description, updated_at, parameters)
  GET  /datasets            the datasets
  GET  /datasets/{slug}/search?q=WORDS&limit=N
                            what memory.search answers for WORDS over that dataset
  GET  /healthz             {"status": "ok"} (and a team cache's last known state), without a token
Every other request needs "Authorization: Bearer TOKEN".

Options:
  --listen HOST:PORT     where to listen (default 127.0.0.1:8642; port 0 picks a free one)
  --tokens FILE          one "TOKEN ORGANISATION" per line, # comments; re-read on change.
                         Tokens are at least 16 characters. Replay-cache entries are
                         kept apart per organisation.
  --insecure-no-auth     no tokens at all (loopback only; organisation "local"). Requests
                         must name 127.0.0.1:PORT, localhost:PORT or [::1]:PORT as Host and
                         Origin (else 403) and post application/json (else 415)
  --bots-dir DIR         more bot folders (repeatable), after the bundled examples and the
                         user's bots folder
  --cache URL            the replay cache: a file, sqlite:PATH, or a team's shared
                         postgresql://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=MODE]
                         (or INVOKE_CACHE_URL, which keeps a password out of ps; default:
                         server-replay.sqlite in the user's cache folder)
  --cache-check SECS     how often a PostgreSQL cache is checked in the background for
                         GET /healthz's "replay_cache" (default 10)
  --max-body BYTES       the largest request body (default 1048576); larger gets 413
  --max-unsent BYTES     a client that lags this far behind its stream is dropped and its run
                         cancelled (default 4194304, per stream)
  --shutdown-grace SECS  on SIGTERM/SIGINT, open streams may finish for this long before
                         they are cancelled (default 5)
  --idle-timeout SECS    a connection without traffic is closed (default 60; streams excepted)
  --head-timeout SECS    a request head must be complete this long after its first byte
                         (default 10); a slower one gets 408 and the connection closes
  --body-timeout SECS    an admitted request's body must be complete this long after its
                         head (default 30); a slower one gets 408 and the connection closes
  --max-connections N    open connections at most (default: the file limit, raised to its
                         hard value at start, less a tenth); at the limit the longest-idle
                         connections without a request in flight are closed for new ones
  --max-streams-per-token N  event streams one token may have open at once (default 64);
                         more get 429
  --llm-base-url URL     OpenAI-compatible endpoint for llm.message (or INVOKE_LLM_BASE_URL)
  --llm-model NAME       the model (or INVOKE_LLM_MODEL)
  --sandbox-tmp-size SIZE   size cap of /tmp (and /dev/shm) in the codeexec sandbox
                         (default 64M; K, M, G or bytes, 1M to 64G)
  --sandbox-work-size SIZE  size cap of the sandbox's work folder, inputs included (default 64M)
  --allow-unsandboxed-code  UNSAFE: without bubblewrap (missing, or no user namespaces), run
                         codeexec steps anyway with only rlimits: the code can use the
                         network and read this machine's files. Without it they fail and say why.
  -h, --help             this text
  --version              the version

The LLM API key comes from INVOKE_LLM_API_KEY only (never a flag: flags show in ps).
One line per request goes to stderr: time, method, path, status, organisation, duration.
Every limit, with its flag and default: docs/server.md, section "Limits".
)"_s;
}

} // namespace invoke::server
