#include "core/model/redaction.h"

#include <QtCore/QRegularExpression>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke {

namespace {

struct Pattern
{
    QRegularExpression regex;
    QString reason;
    int keepGroup = 0; // capture group kept before the mask ("Bearer ")
};

const QList<Pattern> &patterns()
{
    static const QList<Pattern> list = {
        // Tokens are long; a short word after "bearer" in prose is left alone.
        {QRegularExpression(u"\\b([Bb]earer\\s+)[A-Za-z0-9._~+/=-]{16,}"_s), u"bearer token"_s, 1},
        {QRegularExpression(u"\\bsk-[A-Za-z0-9_-]{16,}"_s), u"OpenAI-style API key"_s},
        {QRegularExpression(u"\\bAKIA[0-9A-Z]{16}\\b"_s), u"AWS access key id"_s},
        {QRegularExpression(u"\\bgh[pousr]_[A-Za-z0-9]{36,}"_s), u"GitHub token"_s},
        {QRegularExpression(u"\\bgithub_pat_[A-Za-z0-9_]{22,}"_s), u"GitHub token"_s},
        {QRegularExpression(u"\\bxox[abprs]-[A-Za-z0-9-]{10,}"_s), u"Slack token"_s},
        {QRegularExpression(u"\\bAIza[0-9A-Za-z_-]{35}"_s), u"Google API key"_s},
    };
    return list;
}

// Member names whose string value is a secret as a whole.
bool secretName(QString name)
{
    name = name.toLower().replace(u'-', u'_');
    static const QStringList exact = {u"api_key"_s, u"apikey"_s, u"token"_s, u"access_token"_s,
                                      u"password"_s, u"passwd"_s, u"secret"_s, u"client_secret"_s,
                                      u"authorization"_s, u"private_key"_s};
    if (exact.contains(name))
        return true;
    for (const QString &suffix : {u"_api_key"_s, u"_token"_s, u"_secret"_s, u"_password"_s})
        if (name.endsWith(suffix))
            return true;
    return false;
}

// "~" and "/" are escaped in a JSON pointer token (RFC 6901).
QString pointerToken(const QString &name)
{
    QString token = name;
    return token.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
}

void walk(Json &value, const QStringList &secrets, const QString &key, const QString &pointer,
          const QString &memberName, QList<Redaction> *found)
{
    if (value.is_string()) {
        const QString text = toQString(value.get_ref<const std::string &>());
        if (text.isEmpty())
            return;
        QString reason;
        if (!memberName.isEmpty() && secretName(memberName) && text != QLatin1String(RedactedText)) {
            value = RedactedText;
            reason = u"a member named \"%1\""_s.arg(memberName);
        } else {
            const QString masked = redactText(text, secrets, &reason);
            if (reason.isEmpty())
                return;
            value = toStd(masked);
        }
        if (found)
            found->append(Redaction{key, pointer, reason});
    } else if (value.is_object()) {
        for (auto it = value.begin(); it != value.end(); ++it) {
            const QString name = toQString(it.key());
            walk(it.value(), secrets, key, pointer + u'/' + pointerToken(name), name, found);
        }
    } else if (value.is_array()) {
        for (size_t i = 0; i < value.size(); ++i)
            walk(value[i], secrets, key, pointer + u'/' + QString::number(i), {}, found);
    }
}

} // namespace

QString Redaction::toString() const
{
    return u"key \"%1\" at %2: %3"_s.arg(key, pointer.isEmpty() ? u"/"_s : pointer, reason);
}

QString redactText(const QString &text, const QStringList &secrets, QString *reason)
{
    QString result = text;
    QString first;
    // Configured secrets first: they are exact, and longer ones before their prefixes.
    QStringList literal;
    for (const QString &s : secrets)
        if (s.size() >= 4 && s != QLatin1String(RedactedText))
            literal.append(s);
    std::sort(literal.begin(), literal.end(), [](const QString &a, const QString &b) { return a.size() > b.size(); });
    for (const QString &s : std::as_const(literal)) {
        if (result.contains(s)) {
            result.replace(s, QLatin1String(RedactedText));
            if (first.isEmpty())
                first = u"configured secret"_s;
        }
    }
    for (const Pattern &p : patterns()) {
        QString out;
        qsizetype from = 0;
        auto it = p.regex.globalMatch(result);
        if (!it.hasNext())
            continue;
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            out += QStringView(result).mid(from, m.capturedStart() - from);
            if (p.keepGroup)
                out += m.captured(p.keepGroup);
            out += QLatin1String(RedactedText);
            from = m.capturedEnd();
        }
        out += QStringView(result).mid(from);
        result = out;
        if (first.isEmpty())
            first = p.reason;
    }
    if (reason)
        *reason = first;
    return result;
}

void redactJson(Json &value, const QStringList &secrets, const QString &key, const QString &pointerPrefix,
                QList<Redaction> *found)
{
    walk(value, secrets, key, pointerPrefix, {}, found);
}

QList<Redaction> redactMock(const QString &key, MockResponse &mock, const QStringList &secrets)
{
    QList<Redaction> found;
    redactJson(mock.output, secrets, key, u"/output"_s, &found);
    QString reason;
    const QString error = redactText(mock.error, secrets, &reason);
    if (!reason.isEmpty()) {
        mock.error = error;
        found.append(Redaction{key, u"/error"_s, reason});
    }
    return found;
}

QList<Redaction> redactMockSet(MockSet &set, const QStringList &secrets)
{
    QList<Redaction> found;
    for (const QString &key : set.keys()) {
        MockResponse mock = *set.value(key);
        const QList<Redaction> here = redactMock(key, mock, secrets);
        if (!here.isEmpty()) {
            set.insert(key, mock);
            found.append(here);
        }
    }
    return found;
}

} // namespace invoke
