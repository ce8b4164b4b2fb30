#include "ui/mocks/mockkeylistmodel.h"
#include "ui/mocks/mocksetdocument.h"

using namespace Qt::StringLiterals;

namespace invoke::ui {

MockKeyListModel::MockKeyListModel(MockSetDocument *document, QObject *parent)
    : QAbstractListModel(parent), m_document(document),
      m_ok(u":/icons/status-succeeded.svg"_s), m_errorMock(u":/icons/status-skipped.svg"_s),
      m_invalid(u":/icons/status-failed.svg"_s), m_warning(u":/icons/banner-warning.svg"_s)
{
    connect(document, &MockSetDocument::entryAboutToBeInserted, this, [this](int row) { beginInsertRows({}, row, row); });
    connect(document, &MockSetDocument::entryInserted, this, [this] { endInsertRows(); });
    connect(document, &MockSetDocument::entryAboutToBeRemoved, this, [this](int row) { beginRemoveRows({}, row, row); });
    connect(document, &MockSetDocument::entryRemoved, this, [this] { endRemoveRows(); });
    connect(document, &MockSetDocument::entryChanged, this, [this](int row) {
        Q_EMIT dataChanged(index(row), index(row));
    });
    connect(document, &MockSetDocument::aboutToReset, this, [this] { beginResetModel(); });
    connect(document, &MockSetDocument::reset, this, [this] { endResetModel(); });
}

int MockKeyListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_document->count();
}

QVariant MockKeyListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MockEntry &entry = m_document->entry(index.row());
    const MockEntryProblem &problem = m_document->problem(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case KeyRole:
        return entry.key;
    case Qt::DecorationRole:
        switch (problem.kind) {
        case MockEntryProblem::Syntax:
        case MockEntryProblem::Missing: return m_invalid;
        case MockEntryProblem::Schema: return m_warning;
        case MockEntryProblem::None: break;
        }
        return entry.success ? m_ok : m_errorMock;
    case Qt::ToolTipRole:
        if (!problem.message.isEmpty())
            return problem.message;
        return entry.success ? tr("Answers with this output") : tr("Fails with: %1").arg(entry.error);
    case ProblemKindRole:
        return int(problem.kind);
    case ProblemRole:
        return problem.message;
    case SuccessRole:
        return entry.success;
    default:
        return {};
    }
}

Qt::ItemFlags MockKeyListModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsEditable | Qt::ItemNeverHasChildren;
}

bool MockKeyListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    QString reason;
    if (!m_document->renameKey(index.row(), value.toString(), &reason)) {
        Q_EMIT renameRefused(reason);
        return false;
    }
    return true; // the document's entryChanged announces the new name
}

QHash<int, QByteArray> MockKeyListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(KeyRole, "key");
    names.insert(ProblemKindRole, "problemKind");
    names.insert(ProblemRole, "problem");
    names.insert(SuccessRole, "success");
    return names;
}

} // namespace invoke::ui
