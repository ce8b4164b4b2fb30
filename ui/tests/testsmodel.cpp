#include "ui/tests/testsmodel.h"
#include "ui/tests/testsdocument.h"
#include "ui/common/icons.h"

#include <QtGui/QFont>

using namespace Qt::StringLiterals;

namespace invoke::ui {

using agenttests::CaseResult;

QString caseStateLabel(CaseState state)
{
    switch (state) {
    case CaseState::NotRun: return TestsModel::tr("not run");
    case CaseState::Queued: return TestsModel::tr("queued");
    case CaseState::Running: return TestsModel::tr("running");
    case CaseState::Passed: return TestsModel::tr("passed");
    case CaseState::Failed: return TestsModel::tr("failed");
    case CaseState::Error: return TestsModel::tr("error");
    }
    return {};
}

namespace {

QIcon stateIcon(CaseState state)
{
    switch (state) {
    case CaseState::NotRun: return icon(u"status-skipped"_s);
    case CaseState::Queued: return icon(u"status-skipped"_s);
    case CaseState::Running: return icon(u"status-running"_s);
    case CaseState::Passed: return icon(u"status-succeeded"_s);
    case CaseState::Failed: return icon(u"status-failed"_s);
    case CaseState::Error: return icon(u"banner-warning"_s);
    }
    return {};
}

// Worst first: what a file row shows of its cases.
int severity(CaseState state)
{
    switch (state) {
    case CaseState::Running: return 5;
    case CaseState::Queued: return 4;
    case CaseState::Error: return 3;
    case CaseState::Failed: return 2;
    case CaseState::Passed: return 1;
    case CaseState::NotRun: return 0;
    }
    return 0;
}

QString seconds(qint64 ms)
{
    return TestsModel::tr("%1 s").arg(double(ms) / 1000.0, 0, 'f', 2);
}

} // namespace

TestsModel::TestsModel(QObject *parent) : QAbstractItemModel(parent) {}

TestsModel::~TestsModel() = default;

int TestsModel::addDocument(TestsDocument *document)
{
    document->setParent(this);
    const int row = documentCount();
    beginInsertRows({}, row, row);
    auto file = std::make_unique<File>();
    file->document = document;
    file->caseSlots.resize(document->count());
    File *raw = file.get();
    m_files.push_back(std::move(file));
    endInsertRows();

    connect(document, &TestsDocument::caseAboutToBeInserted, this, [this, raw](int caseRow) {
        beginInsertRows(indexOfFile(raw->document), caseRow, caseRow);
    });
    connect(document, &TestsDocument::caseInserted, this, [this, raw](int caseRow) {
        raw->caseSlots.insert(caseRow, Slot{});
        endInsertRows();
        fileChanged(raw);
    });
    connect(document, &TestsDocument::caseAboutToBeRemoved, this, [this, raw](int caseRow) {
        beginRemoveRows(indexOfFile(raw->document), caseRow, caseRow);
    });
    connect(document, &TestsDocument::caseRemoved, this, [this, raw](int caseRow) {
        raw->caseSlots.removeAt(caseRow);
        endRemoveRows();
        fileChanged(raw);
    });
    connect(document, &TestsDocument::caseChanged, this, [this, raw](int caseRow) {
        raw->caseSlots[caseRow] = Slot{};
        const QModelIndex first = indexOfCase(raw->document, caseRow);
        Q_EMIT dataChanged(first, first.siblingAtColumn(ColumnCount - 1));
        fileChanged(raw);
    });
    connect(document, &TestsDocument::modifiedChanged, this, [this, raw] { fileChanged(raw); });
    Q_EMIT summaryChanged();
    return row;
}

void TestsModel::removeDocument(int row)
{
    beginRemoveRows({}, row, row);
    std::unique_ptr<File> file = std::move(m_files[row]);
    m_files.erase(m_files.begin() + row);
    endRemoveRows();
    file->document->disconnect(this);
    file->document->deleteLater();
    Q_EMIT summaryChanged();
}

TestsDocument *TestsModel::document(int row) const
{
    return m_files.at(row)->document;
}

int TestsModel::documentRowOf(const QString &filePath) const
{
    for (int row = 0; row < int(m_files.size()); ++row)
        if (m_files.at(row)->document->filePath() == filePath)
            return row;
    return -1;
}

TestsModel::File *TestsModel::fileOf(const TestsDocument *document) const
{
    for (const auto &file : m_files)
        if (file->document == document)
            return file.get();
    return nullptr;
}

int TestsModel::fileRowOf(const File *file) const
{
    for (int row = 0; row < int(m_files.size()); ++row)
        if (m_files.at(row).get() == file)
            return row;
    return -1;
}

QModelIndex TestsModel::indexOfFile(const TestsDocument *document) const
{
    const File *file = fileOf(document);
    return file ? createIndex(fileRowOf(file), 0, nullptr) : QModelIndex();
}

QModelIndex TestsModel::indexOfCase(const TestsDocument *document, int caseRow) const
{
    File *file = fileOf(document);
    if (!file || caseRow < 0 || caseRow >= file->caseSlots.size())
        return {};
    return createIndex(caseRow, 0, file);
}

TestsDocument *TestsModel::documentAt(const QModelIndex &index) const
{
    if (!index.isValid())
        return nullptr;
    if (auto *file = static_cast<File *>(index.internalPointer()))
        return file->document;
    return m_files.at(index.row())->document;
}

int TestsModel::caseRowAt(const QModelIndex &index) const
{
    return index.isValid() && index.internalPointer() ? index.row() : -1;
}

CaseState TestsModel::state(const TestsDocument *document, int caseRow) const
{
    const File *file = fileOf(document);
    return file && caseRow >= 0 && caseRow < file->caseSlots.size() ? file->caseSlots.at(caseRow).state : CaseState::NotRun;
}

const CaseResult *TestsModel::result(const TestsDocument *document, int caseRow) const
{
    const File *file = fileOf(document);
    if (!file || caseRow < 0 || caseRow >= file->caseSlots.size())
        return nullptr;
    return file->caseSlots.at(caseRow).result.get();
}

void TestsModel::setState(const TestsDocument *document, int caseRow, CaseState state)
{
    File *file = fileOf(document);
    if (!file || caseRow < 0 || caseRow >= file->caseSlots.size())
        return;
    file->caseSlots[caseRow].state = state;
    const QModelIndex index = createIndex(caseRow, 0, file);
    Q_EMIT dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
    fileChanged(file);
}

void TestsModel::setResult(const TestsDocument *document, int caseRow, const CaseResult &result)
{
    File *file = fileOf(document);
    if (!file || caseRow < 0 || caseRow >= file->caseSlots.size())
        return;
    Slot &slot = file->caseSlots[caseRow];
    slot.result = std::make_shared<const CaseResult>(result);
    switch (result.status) {
    case agenttests::CaseStatus::Passed: slot.state = CaseState::Passed; break;
    case agenttests::CaseStatus::Failed: slot.state = CaseState::Failed; break;
    case agenttests::CaseStatus::Error: slot.state = CaseState::Error; break;
    }
    const QModelIndex index = createIndex(caseRow, 0, file);
    Q_EMIT dataChanged(index, index.siblingAtColumn(ColumnCount - 1));
    fileChanged(file);
}

void TestsModel::clearResults()
{
    for (const auto &file : m_files) {
        for (Slot &slot : file->caseSlots)
            slot = Slot{};
        if (!file->caseSlots.isEmpty())
            Q_EMIT dataChanged(createIndex(0, 0, file.get()),
                               createIndex(int(file->caseSlots.size()) - 1, ColumnCount - 1, file.get()));
        fileChanged(file.get());
    }
}

void TestsModel::fileChanged(File *file)
{
    const int row = fileRowOf(file);
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    Q_EMIT summaryChanged();
}

CaseState TestsModel::worstState(const File &file) const
{
    CaseState worst = CaseState::NotRun;
    for (const Slot &slot : file.caseSlots)
        if (severity(slot.state) > severity(worst))
            worst = slot.state;
    return worst;
}

TestsModel::Summary TestsModel::summary() const
{
    Summary s;
    for (const auto &file : m_files) {
        for (const Slot &slot : file->caseSlots) {
            ++s.cases;
            switch (slot.state) {
            case CaseState::Passed: ++s.passed; break;
            case CaseState::Failed: ++s.failed; break;
            case CaseState::Error: ++s.errors; break;
            case CaseState::Queued:
            case CaseState::Running: ++s.running; break;
            case CaseState::NotRun: break;
            }
            if (slot.result)
                s.durationMs += slot.result->durationMs;
        }
    }
    return s;
}

QModelIndex TestsModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < int(m_files.size()) ? createIndex(row, column, nullptr) : QModelIndex();
    if (parent.internalPointer() || parent.row() >= int(m_files.size()))
        return {}; // cases have no children
    File *file = m_files.at(parent.row()).get();
    return row < file->caseSlots.size() ? createIndex(row, column, file) : QModelIndex();
}

QModelIndex TestsModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || !child.internalPointer())
        return {};
    const int row = fileRowOf(static_cast<const File *>(child.internalPointer()));
    return row < 0 ? QModelIndex() : createIndex(row, 0, nullptr);
}

int TestsModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_files.size());
    if (parent.column() != 0 || parent.internalPointer())
        return 0;
    return int(m_files.at(parent.row())->caseSlots.size());
}

int TestsModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant TestsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    auto *owner = static_cast<File *>(index.internalPointer());
    if (!owner) { // a file row
        const File &file = *m_files.at(index.row());
        const CaseState worst = worstState(file);
        switch (role) {
        case Qt::DisplayRole:
            if (index.column() == NameColumn)
                return QString(file.document->displayName() + (file.document->isModified() ? u" *"_s : QString()));
            {
                int passed = 0;
                for (const Slot &slot : file.caseSlots)
                    passed += slot.state == CaseState::Passed;
                return tr("%1/%2 passed").arg(passed).arg(file.caseSlots.size());
            }
        case Qt::DecorationRole:
            return index.column() == NameColumn ? QVariant(stateIcon(worst)) : QVariant();
        case Qt::ToolTipRole: return file.document->filePath();
        case Qt::FontRole: {
            QFont font;
            font.setBold(true);
            return font;
        }
        case StateRole: return int(worst);
        case IsFileRole: return true;
        default: return {};
        }
    }
    const Slot &slot = owner->caseSlots.at(index.row());
    const agenttests::TestCase &testCase = owner->document->testCase(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == NameColumn)
            return testCase.name;
        return slot.result ? seconds(slot.result->durationMs) : QVariant();
    case Qt::DecorationRole:
        return index.column() == NameColumn ? QVariant(stateIcon(slot.state)) : QVariant();
    case Qt::ToolTipRole: {
        QString tip = u"%1 — %2 (%3)"_s.arg(testCase.name, caseStateLabel(slot.state), testCase.request.botKey);
        if (slot.result && !slot.result->failures.isEmpty())
            tip += u"\n"_s + slot.result->failures.first().assertion;
        return tip;
    }
    case Qt::AccessibleDescriptionRole: return caseStateLabel(slot.state);
    case Qt::TextAlignmentRole:
        return index.column() == TimeColumn ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case StateRole: return int(slot.state);
    case IsFileRole: return false;
    default: return {};
    }
}

QVariant TestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == NameColumn ? tr("Test") : tr("Time");
}

} // namespace invoke::ui
