#include "app/cli/console.h"

#include <cstdio>

namespace invoke::cli {

static void write(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

void printOut(const QString &text) { write(stdout, text); }
void printErr(const QString &text) { write(stderr, text); }

QString columns(const QList<QStringList> &rows)
{
    if (rows.isEmpty())
        return {};
    QList<qsizetype> widths(rows.first().size() - 1, 0);
    for (const QStringList &row : rows)
        for (qsizetype c = 0; c < widths.size(); ++c)
            widths[c] = qMax(widths[c], row.value(c).size());
    QString out;
    for (const QStringList &row : rows) {
        QString line;
        for (qsizetype c = 0; c < widths.size(); ++c)
            line += row.value(c).leftJustified(widths[c]) + QLatin1String("  ");
        out += QString(line + row.value(widths.size())).trimmed() + u'\n';
    }
    return out;
}

} // namespace invoke::cli
