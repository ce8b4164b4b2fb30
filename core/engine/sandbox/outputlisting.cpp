#include "core/engine/sandbox/outputlisting.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QHash>
#include <QtCore/QStringDecoder>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

constexpr qint64 MaxTotalContentBytes = 256 * 1024; // over the listing

// Valid UTF-8 without NUL: text worth showing.
bool isText(const QByteArray &bytes, QString *text)
{
    if (bytes.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    *text = decoder(bytes);
    return !decoder.hasError();
}

} // namespace

QString escapeFileName(const QByteArray &name, bool *escaped)
{
    QString text;
    *escaped = false;
    const bool plain = isText(name, &text);
    if (plain) {
        bool control = false;
        for (const QChar c : std::as_const(text))
            control = control || c.category() == QChar::Other_Control;
        if (!control)
            return text;
    }
    // Byte by byte: valid UTF-8 sequences stay, every other byte becomes \xHH.
    *escaped = true;
    QString out;
    qsizetype i = 0;
    while (i < name.size()) {
        const uchar c = uchar(name[i]);
        const int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        QString decoded;
        if (length > 1 && i + length <= name.size() && isText(name.mid(i, length), &decoded)
            && decoded.size() >= 1 && decoded.front().category() != QChar::Other_Control) {
            out += decoded;
            i += length;
            continue;
        }
        if (c == '\\')
            out += u"\\\\"_s;
        else if (c < 0x20 || c >= 0x7F)
            out += u"\\x%1"_s.arg(uint(c), 2, 16, QChar(u'0'));
        else
            out += QLatin1Char(char(c));
        ++i;
    }
    return out;
}

Json changedFiles(const sandbox::Listing &listing, const QList<sandbox::InputFile> &inputs, int maxFiles,
                  int *more)
{
    QHash<QByteArray, QByteArray> inputHashes; // name -> SHA-256
    for (const sandbox::InputFile &input : inputs)
        inputHashes.insert(input.name.toUtf8(), QCryptographicHash::hash(input.content, QCryptographicHash::Sha256));

    Json files = Json::array();
    qint64 contentBudget = MaxTotalContentBytes;
    *more = int(std::min<qint64>(listing.notListed, std::numeric_limits<int>::max()));
    for (const sandbox::OutputEntry &entry : listing.entries) {
        if (entry.kind == sandbox::OutputEntry::File) {
            const auto input = inputHashes.constFind(entry.name);
            if (input != inputHashes.constEnd() && *input == entry.sha256)
                continue;
        }
        if (files.size() >= std::size_t(maxFiles)) {
            ++*more;
            continue;
        }
        bool escaped = false;
        Json item{{"name", toStd(escapeFileName(entry.name, &escaped))}};
        if (escaped)
            item["escaped"] = true;
        if (entry.kind == sandbox::OutputEntry::Symlink) {
            item["symlink"] = true;
        } else if (entry.kind == sandbox::OutputEntry::Special) {
            item["special"] = true; // a FIFO or socket
        } else {
            item["size"] = entry.size;
            QString text;
            if (entry.hasContent && entry.content.size() <= contentBudget && isText(entry.content, &text)) {
                item["content"] = toStd(text);
                contentBudget -= entry.content.size();
            }
        }
        files.push_back(std::move(item));
    }
    return files;
}

} // namespace invoke::engine
