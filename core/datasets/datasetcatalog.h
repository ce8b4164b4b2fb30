#pragma once
// Finds the datasets in a list of folders: every CSV, JSON Lines, Markdown or text file
// and every subfolder of a folder is one dataset (a subfolder's files, at any depth,
// together). Its slug is its name without the extension, in lowercase with runs of other
// characters than letters and digits made one "-" ("Planet notes.md" -> "planet-notes").
// An optional "<name>.dataset.json" beside it gives {"name", "description",
// "searched_columns", "shown_columns"}: the two lists name the columns (a CSV's header,
// a JSON Lines object's members) that memory.search searches and hands on; empty or
// missing means every column (core/datasets/datasetreader.h says how a record reads).
// When two folders hold the same slug, the later folder wins (a user's dataset overrides
// a bundled example) and the shadowing is listed with the problems, as bots do.
#include "core/model/botinfo.h"

namespace invoke::datasets {

// The settings key (a list of paths) of the folders the user added in the studio.
inline constexpr char FoldersSettingsKey[] = "datasets/folders";

struct DatasetSource
{
    QString slug;
    QString name;
    QString description;
    QString path;        // the file or the folder
    QStringList files;   // the files to index, sorted; paths inside `path`
    QStringList searchedColumns; // from the sidecar; empty: every column
    QStringList shownColumns;    // from the sidecar; empty: every column
    // Changes when a file is added, removed, resized or touched, or when the sidecar's
    // column lists change (what is indexed changes with them).
    QString fingerprint;

    // How a file is named in record ids and metadata: relative to a folder dataset, or
    // the file's own name.
    QString relativeName(const QString &file) const;
};

class DatasetCatalog
{
public:
    // The bundled examples, then the user's datasets folder, then `extraFolders`.
    static QStringList defaultFolders(const QStringList &extraFolders = {});
    static QString slugFor(const QString &name);

    void scan(const QStringList &folders);

    const QList<DatasetSource> &sources() const { return m_sources; }
    const QList<LoadProblem> &problems() const { return m_problems; }
    const DatasetSource *find(const QString &slug) const;

private:
    void add(DatasetSource source);

    QList<DatasetSource> m_sources;
    QList<LoadProblem> m_problems;
};

} // namespace invoke::datasets
