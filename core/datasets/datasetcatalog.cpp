#include "core/datasets/datasetcatalog.h"

#include "core/config/paths.h"
#include "core/datasets/datasetreader.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace invoke::datasets {

namespace {

const QString SidecarSuffix = u".dataset.json"_s;

// Name, size and modification time of every file: enough to see an edit without reading
// the files (resources carry the time rcc saw them).
QString fingerprintOf(const DatasetSource &source)
{
    QCryptographicHash hash(QCryptographicHash::Sha1);
    for (const QString &file : source.files) {
        const QFileInfo info(file);
        hash.addData(source.relativeName(file).toUtf8());
        hash.addData(u"|%1|%2\n"_s.arg(info.size()).arg(info.lastModified().toMSecsSinceEpoch()).toUtf8());
    }
    // The lists, not the sidecar's time: a new name or description needs no new index.
    if (!source.searchedColumns.isEmpty() || !source.shownColumns.isEmpty())
        hash.addData(dumpJson(Json{{"searched", invoke::toJson(source.searchedColumns)},
                                   {"shown", invoke::toJson(source.shownColumns)}}));
    return QString::fromLatin1(hash.result().toHex());
}

// A sidecar's column list: missing or null is every column; anything but a list of
// names is a problem and reads as every column.
QStringList columnList(const Json &meta, const char *key, const QString &sidecar, QList<LoadProblem> *problems)
{
    const auto it = meta.find(key);
    if (it == meta.end() || it->is_null())
        return {};
    bool names = it->is_array();
    if (names)
        for (const Json &item : *it)
            names = names && item.is_string() && !item.get_ref<const std::string &>().empty();
    if (!names) {
        problems->append({sidecar, 0, u"\"%1\" must be a list of column names; every column is used"_s.arg(
                                          QString::fromLatin1(key))});
        return {};
    }
    QStringList columns;
    for (const Json &item : *it)
        if (const QString name = toQString(item.get<std::string>()).trimmed(); !columns.contains(name))
            columns.append(name);
    return columns;
}

QStringList filesUnder(const QString &folder)
{
    QStringList files;
    QDirIterator it(folder, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        // Hidden files and folders (.git, editor swap files) are not data.
        if (QDir(folder).relativeFilePath(file).split(u'/').constFirst().startsWith(u'.')
            || it.fileName().startsWith(u'.'))
            continue;
        if (isDatasetFile(it.fileName()) && paths::resolvesInside(file, folder))
            files.append(file);
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

QString DatasetSource::relativeName(const QString &file) const
{
    return files.size() == 1 && file == path ? QFileInfo(file).fileName() : QDir(path).relativeFilePath(file);
}

QStringList DatasetCatalog::defaultFolders(const QStringList &extraFolders)
{
    return QStringList{paths::bundledDatasets(), paths::userDatasets()} + extraFolders;
}

QString DatasetCatalog::slugFor(const QString &name)
{
    QString slug;
    bool dash = false;
    for (const QChar c : name.toLower()) {
        if (c.isLetterOrNumber()) {
            if (dash && !slug.isEmpty())
                slug += u'-';
            slug += c;
            dash = false;
        } else {
            dash = true;
        }
    }
    return slug;
}

const DatasetSource *DatasetCatalog::find(const QString &slug) const
{
    for (const DatasetSource &source : m_sources)
        if (source.slug == slug)
            return &source;
    return nullptr;
}

void DatasetCatalog::scan(const QStringList &folders)
{
    m_sources.clear();
    m_problems.clear();
    for (const QString &folder : folders) {
        const QDir dir(folder);
        if (!dir.exists()) {
            m_problems.append({folder, 0, u"the datasets folder does not exist"_s});
            continue;
        }
        // By name, so that which of two same-slug entries wins never depends on the disk.
        const QFileInfoList entries = dir.entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot | QDir::Readable,
                                                        QDir::Name);
        for (const QFileInfo &entry : entries) {
            if (entry.fileName().startsWith(u'.'))
                continue;
            if (!paths::resolvesInside(entry.filePath(), folder)) {
                m_problems.append({entry.filePath(), 0, u"is a link that leads outside its datasets folder; it is not read"_s});
                continue;
            }
            DatasetSource source;
            source.path = entry.filePath();
            QString base;
            if (entry.isDir()) {
                base = entry.fileName();
                source.files = filesUnder(source.path);
                if (source.files.isEmpty()) {
                    m_problems.append({source.path, 0, u"the folder holds no CSV, JSON Lines, Markdown or text file"_s});
                    continue;
                }
            } else if (isDatasetFile(entry.fileName())) {
                base = entry.completeBaseName();
                source.files = {source.path};
            } else {
                continue; // sidecars and unrelated files
            }
            source.slug = slugFor(base);
            if (source.slug.isEmpty()) {
                m_problems.append({source.path, 0, u"the name gives no dataset slug (it needs a letter or a digit)"_s});
                continue;
            }
            source.name = base;
            source.description = entry.isDir()
                ? u"Folder %1 (%2 files)"_s.arg(entry.fileName()).arg(source.files.size())
                : u"File %1"_s.arg(entry.fileName());

            const QString sidecar = dir.filePath(base + SidecarSuffix);
            if (QFileInfo::exists(sidecar) && !paths::resolvesInside(sidecar, folder)) {
                m_problems.append({sidecar, 0, u"is a link that leads outside its datasets folder; it is not read"_s});
            } else if (QFileInfo::exists(sidecar)) {
                QFile in(sidecar);
                QString error;
                const Json meta = in.open(QIODevice::ReadOnly) ? parseJson(in.readAll(), &error) : Json();
                if (!in.isOpen())
                    m_problems.append({sidecar, 0, u"cannot read the file: "_s + in.errorString()});
                else if (meta.is_discarded())
                    m_problems.append({sidecar, 0, error});
                else if (!meta.is_object())
                    m_problems.append({sidecar, 1, u"expected an object {\"name\", \"description\", "
                                                   "\"searched_columns\", \"shown_columns\"}"_s});
                else {
                    source.name = stringField(meta, "name", source.name);
                    source.description = stringField(meta, "description", source.description);
                    source.searchedColumns = columnList(meta, "searched_columns", sidecar, &m_problems);
                    source.shownColumns = columnList(meta, "shown_columns", sidecar, &m_problems);
                }
            }
            source.fingerprint = fingerprintOf(source);
            add(std::move(source));
        }
    }
}

void DatasetCatalog::add(DatasetSource source)
{
    const auto same = std::find_if(m_sources.begin(), m_sources.end(),
                                   [&](const DatasetSource &s) { return s.slug == source.slug; });
    if (same == m_sources.end()) {
        m_sources.append(std::move(source));
        return;
    }
    m_problems.append({source.path, 0, u"overrides the dataset \"%1\" in %2"_s.arg(source.slug, same->path)});
    *same = std::move(source);
}

} // namespace invoke::datasets
