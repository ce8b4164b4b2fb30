#include "ui/datasets/table/tablescan.h"

#include <algorithm>

namespace invoke::ui {

std::optional<std::vector<int>> runTableScan(const TableScan &scan, const std::function<void(int)> &progress, QString *error)
{
    const bool filtering = !scan.filter.isEmpty();
    const bool sorting = scan.sorted >= 0;
    const auto keeps = [&](const QStringList &texts) {
        if (!filtering)
            return true;
        for (const int at : scan.filtered)
            if (texts.at(at).contains(scan.filter, Qt::CaseInsensitive))
                return true;
        return false;
    };
    // The file's rows, read once: kept or not, and their sort keys.
    std::vector<char> kept(size_t(scan.fileRows), filtering ? 0 : 1);
    std::vector<QString> keys(sorting ? size_t(scan.fileRows) : 0);
    if (!scan.path.isEmpty() && scan.fileRows > 0) {
        int lastPermille = -1;
        const IndexerEnd end = readTableColumns(
            scan.path, scan.format, scan.fileColumns, scan.sources, scan.fileRows,
            [&](qint64 ref, const QStringList &fileTexts) {
                const auto edited = scan.edited.constFind(ref);
                const QStringList &texts = edited != scan.edited.cend() ? *edited : fileTexts;
                if (keeps(texts)) {
                    kept[size_t(ref)] = 1;
                    if (sorting)
                        keys[size_t(ref)] = texts.at(scan.sorted);
                }
                return true;
            },
            *scan.cancel, [&](qint64 done, qint64 total) {
                const int permille = int(done * 1000 / std::max<qint64>(1, total));
                if (permille != lastPermille)
                    progress(lastPermille = permille);
            });
        if (end.cancelled || !end.error.isEmpty()) {
            *error = end.error;
            return std::nullopt;
        }
    }
    // The table's rows in its order: a file row as read, an added row from its edits.
    std::vector<int> rows;
    std::vector<QString> rowKeys;
    const QStringList none(qsizetype(scan.sources.size()));
    for (size_t row = 0; row < scan.refs.size(); ++row) {
        const qint64 ref = scan.refs[row];
        if (ref >= 0 && ref < scan.fileRows) {
            if (!kept[size_t(ref)])
                continue;
            rows.push_back(int(row));
            if (sorting)
                rowKeys.push_back(std::move(keys[size_t(ref)]));
            continue;
        }
        const QStringList texts = scan.edited.value(ref, none);
        if (!keeps(texts))
            continue;
        rows.push_back(int(row));
        if (sorting)
            rowKeys.push_back(texts.at(scan.sorted));
    }
    if (scan.cancel->load())
        return std::nullopt;
    if (!sorting)
        return rows;
    // Numbers as numbers when every key is one, else text ignoring case; ties keep the order.
    std::vector<double> numbers(rowKeys.size());
    bool numeric = true;
    for (size_t i = 0; i < rowKeys.size() && numeric; ++i)
        numbers[i] = rowKeys[i].toDouble(&numeric);
    if (!numeric) {
        // Folded once: QString::compare(Qt::CaseInsensitive) folds each character of both
        // sides on every one of the ~20 comparisons per key a million keys take.
        for (QString &key : rowKeys)
            key = std::move(key).toCaseFolded();
    }
    std::vector<int> order(rows.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = int(i);
    const bool descending = scan.descending;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        const int cmp = numeric ? (numbers[size_t(a)] < numbers[size_t(b)] ? -1 : numbers[size_t(a)] > numbers[size_t(b)])
                                : rowKeys[size_t(a)].compare(rowKeys[size_t(b)], Qt::CaseSensitive);
        return descending ? cmp > 0 : cmp < 0;
    });
    std::vector<int> sorted(order.size());
    for (size_t i = 0; i < order.size(); ++i)
        sorted[i] = rows[size_t(order[i])];
    return sorted;
}

} // namespace invoke::ui
