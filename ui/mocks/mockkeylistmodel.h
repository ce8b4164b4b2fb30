#pragma once
#include <QtCore/QAbstractListModel>
#include <QtGui/QIcon>

namespace invoke::ui {

class MockSetDocument;

// The keys of the open mock set, one row per key, in the document's order: the key,
// an icon for its state (ok, error mock, invalid JSON, missing field, schema problem)
// and the problem as a tooltip. Mirrors the document's signals row by row.
class MockKeyListModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Role {
        KeyRole = Qt::UserRole + 1, // QString
        ProblemKindRole,            // int: MockEntryProblem::Kind
        ProblemRole,                // QString: the problem in words, empty when fine
        SuccessRole,                // bool: a success mock (false: an error mock)
    };

    explicit MockKeyListModel(MockSetDocument *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // Renames the key (undoable); a refused name leaves it and emits renameRefused.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    QHash<int, QByteArray> roleNames() const override;

Q_SIGNALS:
    void renameRefused(const QString &reason);

private:
    MockSetDocument *m_document;
    QIcon m_ok, m_errorMock, m_invalid, m_warning;
};

} // namespace invoke::ui
