#include "core/format/requestsnippets.h"

#include "core/wire/requestcodec.h"

#include <QtCore/QUrl>

using namespace Qt::StringLiterals;

namespace invoke::format {

namespace {

QString endpointOf(const SnippetTarget &target)
{
    QString endpoint = target.endpoint.isEmpty() ? defaultServerEndpoint() : target.endpoint.trimmed();
    while (endpoint.endsWith(u'/'))
        endpoint.chop(1);
    return endpoint;
}

QString invokeUrl(const InvokeRequest &request, const SnippetTarget &target)
{
    return endpointOf(target) + u"/bots/"_s + QString::fromLatin1(QUrl::toPercentEncoding(request.botKey))
        + u"/invoke"_s;
}

// The embedded engine has no address: say which one the snippet assumes.
QString embeddedNote(const SnippetTarget &target, const QString &commentPrefix)
{
    if (!target.endpoint.isEmpty())
        return {};
    return u"%1 The embedded engine has no HTTP address: this goes to invoke-server's default one\n"
           "%1 (start it with: invoke-server --tokens FILE).\n"_s.arg(commentPrefix);
}

// A message as invoke-cli's -m reads it: a role prefix for assistant and system, and for
// a user message that would otherwise look like one.
QString messageArgument(const Message &message)
{
    if (message.role != u"user"_s)
        return message.role + u": "_s + message.content;
    for (const QString &role : {u"assistant:"_s, u"system:"_s, u"user:"_s})
        if (message.content.startsWith(role))
            return u"user: "_s + message.content;
    return message.content;
}

} // namespace

QString defaultServerEndpoint()
{
    return u"http://127.0.0.1:8642"_s;
}

QString tokenVariable()
{
    return u"INVOKE_AUTH_TOKEN"_s;
}

QString shellQuote(const QString &word)
{
    static const QString safe = u"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-"_s;
    bool plain = !word.isEmpty();
    for (const QChar c : word)
        plain = plain && safe.contains(c);
    if (plain)
        return word;
    QString quoted = word;
    quoted.replace(u'\'', u"'\\''"_s); // close the quotes, an escaped quote, reopen
    return u'\'' + quoted + u'\'';
}

QString pythonLiteral(const Json &value, int indent)
{
    const QString pad(indent + 4, u' ');
    const QString end(indent, u' ');
    switch (value.type()) {
    case Json::value_t::null:
        return u"None"_s;
    case Json::value_t::boolean:
        return value.get<bool>() ? u"True"_s : u"False"_s;
    case Json::value_t::object: {
        if (value.empty())
            return u"{}"_s;
        QStringList items;
        for (auto it = value.begin(); it != value.end(); ++it)
            items << pad + QString::fromUtf8(dumpJson(Json(it.key()))) + u": "_s + pythonLiteral(it.value(), indent + 4);
        return u"{\n"_s + items.join(u",\n"_s) + u",\n"_s + end + u'}';
    }
    case Json::value_t::array: {
        if (value.empty())
            return u"[]"_s;
        QStringList items;
        for (const Json &item : value)
            items << pad + pythonLiteral(item, indent + 4);
        return u"[\n"_s + items.join(u",\n"_s) + u",\n"_s + end + u']';
    }
    default:
        // Strings and numbers: JSON's spelling is Python's (escapes included).
        return QString::fromUtf8(dumpJson(value));
    }
}

QString curlCommand(const InvokeRequest &request, const SnippetTarget &target)
{
    const QByteArray body = dumpJson(wire::requestBody(request), 2);
    QString text = embeddedNote(target, u"#"_s);
    text += u"curl -N -X POST %1 \\\n"_s.arg(shellQuote(invokeUrl(request, target)));
    // Double quotes here on purpose: the shell expands the variable, nothing else is in them.
    text += u"  -H \"Authorization: Bearer $%1\" \\\n"_s.arg(tokenVariable());
    text += u"  -H 'Content-Type: application/json' \\\n"_s;
    text += u"  -H 'Accept: text/event-stream' \\\n"_s;
    text += u"  --data-binary %1\n"_s.arg(shellQuote(QString::fromUtf8(body)));
    return text;
}

QString cliCommand(const InvokeRequest &request, const SnippetTarget &target)
{
    QStringList words{u"invoke-cli"_s, u"invoke"_s, shellQuote(request.botKey)};
    for (const Message &message : request.messages)
        words << u"-m"_s << shellQuote(messageArgument(message));
    if (request.parameters.is_object() && !request.parameters.empty())
        words << u"-p"_s << shellQuote(QString::fromUtf8(dumpJson(request.parameters)));
    if (!request.datasets.isEmpty())
        words << u"-d"_s << shellQuote(request.datasets.join(u','));
    switch (request.mode.kind) {
    case Mode::Live:
        break;
    case Mode::Replay:
        words << u"--mode"_s << u"replay"_s;
        if (request.mode.refresh)
            words << u"--refresh"_s;
        break;
    case Mode::Manual:
        words << u"--mode"_s << u"manual"_s;
        if (!target.mockFile.isEmpty())
            words << u"--mocks"_s << shellQuote(target.mockFile);
        break;
    }
    if (!target.profileName.isEmpty())
        words << u"--profile"_s << shellQuote(target.profileName);
    else if (!target.endpoint.isEmpty())
        words << u"--endpoint"_s << shellQuote(endpointOf(target));
    QString text;
    if (target.profileName.isEmpty() && !target.endpoint.isEmpty())
        text += u"# The token is read from $%1.\n"_s.arg(tokenVariable());
    return text + words.join(u' ') + u'\n';
}

QString pythonSnippet(const InvokeRequest &request, const SnippetTarget &target)
{
    const Json body = wire::requestBody(request);
    QStringList args{QString::fromUtf8(dumpJson(Json(toStd(request.botKey))))};
    auto add = [&args, &body](const char *field, const QString &name) {
        if (body.contains(field))
            args << name + u'=' + pythonLiteral(body[field], 4);
    };
    add("messages", u"messages"_s);
    add("parameters", u"parameters"_s);
    add("dataset_slugs", u"datasets"_s);
    add("mode", u"mode"_s);
    add("manual_mocks", u"manual_mocks"_s);
    args << u"endpoint="_s + QString::fromUtf8(dumpJson(Json(toStd(endpointOf(target)))));
    args << u"auth_token=os.environ[\"%1\"]"_s.arg(tokenVariable());

    QString text = u"import os\n\nfrom erdo import invoke\n\n"_s;
    text += embeddedNote(target, u"#"_s);
    text += u"response = invoke(\n"_s;
    for (const QString &arg : args)
        text += u"    "_s + arg + u",\n"_s;
    text += u")\n"_s;
    text += u"print(response.result if response.success else response.error)\n"_s;
    return text;
}

} // namespace invoke::format
