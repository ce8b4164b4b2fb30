// DatasetTableModel, saving: the file written again by streaming (ui/datasets/table/datasettablemodel.h).
#include "ui/datasets/table/datasettablemodel.h"

#include <QtCore/QSaveFile>
#include <QtGui/QUndoStack>

using namespace Qt::StringLiterals;

namespace invoke::ui {

namespace {

QByteArray csvField(const QString &value)
{
    const bool quote = value.contains(u',') || value.contains(u'"') || value.contains(u'\n') || value.contains(u'\r')
        || (!value.isEmpty() && (value.front().isSpace() || value.back().isSpace()));
    if (!quote)
        return value.toUtf8();
    QString escaped = value;
    escaped.replace(u'"', u"\"\""_s);
    return '"' + escaped.toUtf8() + '"';
}

} // namespace

QByteArray DatasetTableModel::serialize(qint64 ref) const
{
    if (m_format == TableFormat::Csv) {
        QByteArrayList fields;
        for (const Column &column : m_columns)
            fields.append(csvField(textOfCell(cell(ref, column))));
        return fields.join(',');
    }
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (const Column &column : m_columns) {
        const Cell value = cell(ref, column);
        if (!value.is_discarded())
            object[toStd(column.name)] = value;
    }
    return QByteArray::fromStdString(object.dump());
}

bool DatasetTableModel::write(QIODevice &out, QString *error)
{
    const QByteArray eol = m_file ? m_file->lineEnding() : QByteArray("\n");
    bool rewriteAll = rowsRewritten();
    if (m_format == TableFormat::JsonLines && m_file)
        for (const Column &column : std::as_const(m_columns))
            if (column.source >= 0 && m_file->columns().value(column.source) != column.name)
                rewriteAll = true; // a member renamed: every line says the new name
    auto put = [&](const QByteArray &bytes) {
        if (out.write(bytes) != bytes.size()) {
            *error = tr("cannot write %1: %2").arg(m_savePath, out.errorString());
            return false;
        }
        return true;
    };
    if (m_format == TableFormat::Csv) {
        QByteArrayList header;
        for (const Column &column : std::as_const(m_columns))
            header.append(csvField(column.name));
        if (!put(header.join(',') + eol))
            return false;
    }
    const int rows = rowCount();
    for (int row = 0; row < rows; ++row) {
        const qint64 ref = refOf(row);
        QByteArray bytes;
        if (ref >= 0 && m_file && !rewriteAll && !m_edits.contains(ref)) {
            bytes = m_file->rawRow(ref); // as the file held it, with its line break
            if (!bytes.endsWith('\n') && !bytes.endsWith('\r'))
                bytes += eol;
        } else {
            bytes = serialize(ref) + eol;
        }
        if (!put(bytes))
            return false;
    }
    return true;
}

bool DatasetTableModel::save(QString *error)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (m_file && !m_file->finished()) {
        *error = tr("%1 is still being read; save once it is read to its end.").arg(m_file->path());
        return false;
    }
    if (m_file && !m_file->error().isEmpty() && !rowsRewritten()) {
        *error = tr("%1 was not read to its end (%2): saving would lose the rest.").arg(m_file->path(), m_file->error());
        return false;
    }
    if (m_file && m_file->changedOnDisk()) {
        *error = tr("%1 changed on disk since it was opened; open it again to edit it.").arg(m_file->path());
        return false;
    }
    const QList<LoadProblem> left = remainingFixes();
    if (!left.isEmpty()) {
        QStringList lines;
        for (const LoadProblem &problem : left)
            lines.append(problem.toString());
        *error = tr("%n row(s) still do not read; fix or remove each before saving:\n%1", nullptr, int(left.size()))
                     .arg(lines.join(u'\n'));
        return false;
    }
    QSaveFile out(m_savePath);
    if (!out.open(QIODevice::WriteOnly)) {
        *error = tr("cannot write %1: %2").arg(m_savePath, out.errorString());
        return false;
    }
    if (!write(out, error)) {
        out.cancelWriting();
        return false;
    }
    if (!out.commit()) {
        *error = tr("cannot write %1: %2").arg(m_savePath, out.errorString());
        return false;
    }
    // Read the saved file again: its rows, lines and offsets are the new ones.
    beginResetModel();
    TableFile *old = m_file;
    m_requiredFixes.clear();
    m_pendingWrite = false;
    attach(new TableFile(m_savePath, this));
    m_nextNewRef = -1;
    endResetModel();
    delete old;
    m_undo->clear();
    m_undo->setClean();
    Q_EMIT modifiedChanged(false);
    Q_EMIT saved(m_savePath);
    return true;
}

} // namespace invoke::ui
