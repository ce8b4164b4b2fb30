#include "core/engine/sandbox/workfolder.h"

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStringDecoder>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::engine {

namespace {

constexpr qint64 MaxContentBytes = 16 * 1024;       // per listed file
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

WorkFolder::WorkFolder()
    : m_dir(QDir::tempPath() + u"/invoke-codeexec-XXXXXX"_s)
{
}

QString WorkFolder::checkFilename(const QString &name)
{
    if (name.isEmpty())
        return u"the file name is empty"_s;
    if (name.size() > 1024)
        return u"the file name is longer than 1024 characters"_s;
    if (name.startsWith(u'/'))
        return u"\"%1\" is an absolute path; give a name relative to the working folder"_s.arg(name);
    for (const QChar c : name) {
        if (c == u'\\' || c.category() == QChar::Other_Control)
            return u"\"%1\" contains a backslash or a control character"_s.arg(name);
    }
    const QStringList parts = name.split(u'/');
    for (const QString &part : parts) {
        if (part.isEmpty())
            return u"\"%1\" has an empty part (\"//\" or a trailing \"/\")"_s.arg(name);
        if (part == u"."_s || part == u".."_s)
            return u"\"%1\" has a \"%2\" part; files must stay inside the working folder"_s.arg(name, part);
        if (part.size() > 255)
            return u"\"%1\" has a part longer than 255 characters"_s.arg(name);
    }
    return {};
}

bool WorkFolder::write(const QString &name, const QByteArray &content, QString *error)
{
    if (const QString why = checkFilename(name); !why.isEmpty()) {
        *error = why;
        return false;
    }
    const QString path = m_dir.filePath(name);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        *error = u"cannot create the folder for \"%1\""_s.arg(name);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(content) != content.size()) {
        *error = u"cannot write \"%1\": %2"_s.arg(name, file.errorString());
        return false;
    }
    m_inputs.insert(name, content);
    return true;
}

Json WorkFolder::changedFiles(int maxFiles, int *more) const
{
    const QDir root(m_dir.path());
    QStringList names;
    QDirIterator it(m_dir.path(), QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        names << root.relativeFilePath(it.next());
    std::sort(names.begin(), names.end());

    Json files = Json::array();
    qint64 contentBudget = MaxTotalContentBytes;
    *more = 0;
    for (const QString &name : std::as_const(names)) {
        const QFileInfo info(root.filePath(name));
        const auto input = m_inputs.constFind(name);
        QByteArray bytes;
        // Only regular files are read: a FIFO the program left would block the read.
        const bool regular = info.isFile() && !info.isSymLink();
        const bool small = regular && info.size() <= MaxContentBytes;
        if (small) {
            QFile file(info.filePath());
            if (file.open(QIODevice::ReadOnly))
                bytes = file.read(MaxContentBytes + 1);
        }
        if (regular && input != m_inputs.constEnd() && info.size() == input->size()) {
            bool same = small ? bytes == *input : false;
            if (!small) { // a large input file: compare it whole
                QFile file(info.filePath());
                same = file.open(QIODevice::ReadOnly) && file.readAll() == *input;
            }
            if (same)
                continue;
        }
        if (files.size() >= std::size_t(maxFiles)) {
            ++*more;
            continue;
        }
        Json entry{{"name", toStd(name)}};
        if (info.isSymLink()) {
            entry["symlink"] = true;
        } else if (!regular) {
            entry["special"] = true; // a FIFO or socket
        } else {
            entry["size"] = info.size();
            QString text;
            if (small && bytes.size() <= contentBudget && isText(bytes, &text)) {
                entry["content"] = toStd(text);
                contentBudget -= bytes.size();
            }
        }
        files.push_back(std::move(entry));
    }
    return files;
}

} // namespace invoke::engine
