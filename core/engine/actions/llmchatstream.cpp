#include "core/engine/actions/llmchatstream.h"

#include "core/wire/sseparser.h"

#include <QtCore/QEventLoop>
#include <QtCore/QTimer>
#include <QtNetwork/QNetworkAccessManager>
#include <QtNetwork/QNetworkReply>
#include <QtNetwork/QNetworkRequest>

#include <optional>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

constexpr qsizetype MaxErrorBody = 64 * 1024;

// An {"error": ...} chunk inside the stream: its message, its text, or its JSON.
QString streamErrorText(const Json &error)
{
    const QString json = QString::fromUtf8(dumpJson(error));
    if (error.is_object())
        return stringField(error, "message", json);
    return error.is_string() ? toQString(error.get_ref<const std::string &>()) : json;
}

// The provider's own words from an error body: {"error": {"message"}} (OpenAI, vLLM,
// llama.cpp), {"error": "..."} (Ollama) or {"message": "..."}; else the body's text.
QString providerMessage(const QByteArray &body)
{
    const Json json = parseJson(body);
    if (json.is_object()) {
        const Json error = json.value("error", Json());
        if (error.is_object() && error.value("message", Json()).is_string())
            return stringField(error, "message");
        if (error.is_string())
            return toQString(error.get<std::string>());
        if (json.value("message", Json()).is_string())
            return stringField(json, "message");
    }
    QString text = QString::fromUtf8(body).simplified();
    if (text.size() > 300)
        text = text.left(300) + u"…"_s;
    return text;
}

// Reads one streamed answer. Lives (and is created) in the worker thread.
class ChatStream
{
public:
    ChatStream(const LlmSettings &settings, const QUrl &url, ActionContext &context)
        : m_settings(settings), m_url(url), m_context(context),
          m_where(url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemoveQuery))
    {
    }

    ActionOutcome run(const Json &body)
    {
        QNetworkAccessManager network; // made here: it must live in the thread that uses it
        QNetworkRequest request(m_url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json"_ba);
        request.setRawHeader("Accept", "text/event-stream");
        if (!m_settings.apiKey.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_settings.apiKey.toUtf8());

        QEventLoop loop;
        QTimer idle; // no byte for timeoutSeconds fails the step
        idle.setSingleShot(true);
        idle.setInterval(std::max(1, m_settings.timeoutSeconds) * 1000);

        m_reply = network.post(request, dumpJson(body));
        QObject::connect(m_reply, &QNetworkReply::readyRead, &loop, [&] {
            idle.start();
            read();
        });
        QObject::connect(m_reply, &QNetworkReply::uploadProgress, &idle, qOverload<>(&QTimer::start));
        QObject::connect(m_reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QObject::connect(&idle, &QTimer::timeout, &loop, [&] {
            m_timedOut = true;
            m_reply->abort();
        });
        // cancel() may come from any thread: queue it to `loop`, which lives here.
        QObject::connect(&m_context.cancelToken(), &CancelToken::cancelled, &loop, [&] {
            m_cancelled = true;
            m_reply->abort();
        }, Qt::QueuedConnection);
        if (m_context.cancelToken().isCancelled()) { // cancelled before the connection was made
            m_cancelled = true;
            m_reply->abort();
        }
        idle.start();
        if (!m_reply->isFinished())
            loop.exec();
        idle.stop();
        read(); // whatever arrived with `finished`
        ActionOutcome outcome = result();
        delete m_reply;
        return outcome;
    }

private:
    void read()
    {
        if (m_status == 0)
            m_status = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (!m_reply->isOpen()) // aborted
            return;
        const QByteArray bytes = m_reply->readAll();
        if (bytes.isEmpty())
            return;
        m_gotBytes = true;
        if (m_status < 200 || m_status >= 300) {
            if (m_errorBody.size() < MaxErrorBody)
                m_errorBody += bytes.left(MaxErrorBody - m_errorBody.size());
            return;
        }
        if (!m_streaming) {
            const QByteArray type = m_reply->header(QNetworkRequest::ContentTypeHeader).toByteArray();
            m_streaming = type.isEmpty() || type.startsWith("text/event-stream");
        }
        if (!*m_streaming) { // a server that ignored stream: true answers with one JSON object
            m_plainBody += bytes;
            return;
        }
        m_messages.clear();
        m_parser.feed(bytes, m_messages);
        for (const wire::SseMessage &message : std::as_const(m_messages))
            handle(message.data);
    }

    void handle(const QByteArray &data)
    {
        if (data.trimmed() == "[DONE]") {
            m_done = true;
            return;
        }
        const Json chunk = parseJson(data);
        if (!chunk.is_object())
            return; // keep-alives and comments from some servers
        if (const auto error = chunk.find("error"); error != chunk.end() && !error->is_null()) {
            m_streamError = streamErrorText(*error);
            m_reply->abort();
            return;
        }
        const Json &choices = chunk.value("choices", Json::array());
        if (choices.is_array() && !choices.empty() && choices[0].is_object()) {
            const Json &choice = choices[0];
            const Json delta = choice.value("delta", Json::object());
            const QString text = stringField(delta, "content");
            if (!text.isEmpty()) {
                m_content += text;
                m_context.emitContent(text);
            }
            if (choice.value("finish_reason", Json()).is_string())
                m_finishReason = stringField(choice, "finish_reason");
        }
        if (const Json usage = chunk.value("usage", Json()); usage.is_object()) {
            m_usage.inputTokens = intField(usage, "prompt_tokens", -1);
            m_usage.outputTokens = intField(usage, "completion_tokens", -1);
        }
    }

    ActionOutcome failure(const QString &message) const
    {
        // Keep what did arrive: the user saw it stream, it should not vanish.
        return ActionOutcome::failure(message, m_content.isEmpty() ? Json() : Json{{"content", toStd(m_content)}});
    }

    ActionOutcome result()
    {
        const QString received = u"%1 characters"_s.arg(m_content.size());
        if (m_cancelled)
            return failure(u"cancelled while waiting for the LLM server at %1"_s.arg(m_where));
        if (m_timedOut)
            return failure(m_gotBytes
                ? u"the LLM server at %1 stopped sending for %2 s after %3 (llm timeout)"_s
                      .arg(m_where).arg(m_settings.timeoutSeconds).arg(received)
                : u"no answer from the LLM server at %1 within %2 s (llm timeout)"_s
                      .arg(m_where).arg(m_settings.timeoutSeconds));
        if (!m_streamError.isEmpty())
            return failure(u"the LLM server at %1 reported an error: %2"_s.arg(m_where, m_streamError));
        const int status = m_status ? m_status
                                    : m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status != 0 && (status < 200 || status >= 300)) {
            QString message = u"the LLM server at %1 answered HTTP %2"_s.arg(m_where).arg(status);
            const QString reason = m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
            if (!reason.isEmpty())
                message += u" "_s + reason;
            if (const QString said = providerMessage(m_errorBody); !said.isEmpty())
                message += u": "_s + said;
            if (status == 401 || status == 403)
                message += u" (check the API key: INVOKE_LLM_API_KEY or the studio's settings)"_s;
            return failure(message);
        }
        const QNetworkReply::NetworkError error = m_reply->error();
        if (error == QNetworkReply::ConnectionRefusedError)
            return failure(u"cannot connect to the LLM server at %1: connection refused "
                           "(is it running?)"_s.arg(m_where));
        if (error == QNetworkReply::HostNotFoundError)
            return failure(u"cannot connect to the LLM server at %1: host not found"_s.arg(m_where));
        if (m_streaming == false && error == QNetworkReply::NoError)
            return plainAnswer();
        const bool complete = m_done || !m_finishReason.isEmpty();
        if (status != 0 && !complete)
            return failure(u"the connection to the LLM server at %1 was cut off after %2 of the answer"_s
                               .arg(m_where, received));
        if (error != QNetworkReply::NoError && !complete) {
            QString why = m_reply->errorString();
            why.replace(m_url.toString(), m_where); // never echo credentials from the URL
            return failure(u"the request to the LLM server at %1 failed: %2"_s.arg(m_where, why));
        }
        return success();
    }

    // A whole chat.completion object: {choices: [{message: {content}, finish_reason}], usage}.
    ActionOutcome plainAnswer()
    {
        const Json body = parseJson(m_plainBody);
        const Json choices = body.is_object() ? body.value("choices", Json::array()) : Json::array();
        const Json choice = choices.is_array() && !choices.empty() ? choices[0] : Json();
        const Json message = choice.is_object() ? choice.value("message", Json()) : Json();
        if (!message.is_object() || !message.value("content", Json()).is_string()) {
            QString snippet = QString::fromUtf8(m_plainBody.left(200)).simplified();
            return failure(u"the LLM server at %1 answered with %2 instead of an event stream: %3"_s
                               .arg(m_where, m_reply->header(QNetworkRequest::ContentTypeHeader).toString(),
                                    snippet));
        }
        m_content = stringField(message, "content");
        if (!m_content.isEmpty())
            m_context.emitContent(m_content);
        m_finishReason = stringField(choice, "finish_reason");
        if (const Json usage = body.value("usage", Json()); usage.is_object()) {
            m_usage.inputTokens = intField(usage, "prompt_tokens", -1);
            m_usage.outputTokens = intField(usage, "completion_tokens", -1);
        }
        return success();
    }

    ActionOutcome success() const
    {
        const auto tokens = [](qint64 n) { return n >= 0 ? Json(n) : Json(); };
        Json output = {{"content", toStd(m_content)},
                       {"usage", {{"input_tokens", tokens(m_usage.inputTokens)},
                                  {"output_tokens", tokens(m_usage.outputTokens)}}},
                       {"finish_reason", m_finishReason.isEmpty() ? Json() : Json(toStd(m_finishReason))}};
        return ActionOutcome::success(std::move(output), m_usage);
    }

    const LlmSettings &m_settings;
    const QUrl m_url;
    ActionContext &m_context;
    const QString m_where; // the URL as messages show it
    QNetworkReply *m_reply = nullptr;
    wire::SseParser m_parser;
    QList<wire::SseMessage> m_messages;
    int m_status = 0;
    std::optional<bool> m_streaming; // known with the first bytes of a 2xx answer
    QByteArray m_plainBody;
    bool m_gotBytes = false;
    bool m_done = false;
    bool m_cancelled = false;
    bool m_timedOut = false;
    QByteArray m_errorBody;
    QString m_streamError;
    QString m_content;
    QString m_finishReason;
    wire::Usage m_usage;
};

} // namespace

ActionOutcome streamChatCompletion(const LlmSettings &settings, const QUrl &url, const Json &body,
                                   ActionContext &context)
{
    return ChatStream(settings, url, context).run(body);
}

} // namespace invoke::engine
