#pragma once
#include "core/model/mockset.h"

#include <QtCore/QObject>

#include <functional>

class QUndoStack;

namespace invoke::ui {

// One key of a mock set as the editor holds it: the output is kept as the text the
// user typed, so JSON that does not parse yet is never thrown away.
struct MockEntry
{
    QString key;
    bool success = true;
    QString error;      // the error text when !success
    QString outputText; // JSON as typed; may be empty for an error mock

    bool operator==(const MockEntry &) const = default;
    static MockEntry fromResponse(const QString &key, const MockResponse &response);
};

// What is wrong with an entry, worst first: the text is not JSON (blocks saving), a
// required field is missing, or the output does not fit its action type's schema.
struct MockEntryProblem
{
    enum Kind { None, Syntax, Missing, Schema };
    Kind kind = None;
    QString field;   // "output", "error" or a field inside the output
    QString message; // plain words, with line and column for a syntax error
    int position = -1; // character offset in outputText of a syntax error, else -1
    int line = 0;
    int column = 0;
};

// The mock set open in the editor: its entries in order, the file it came from, and an
// undo stack that every change goes through (key operations and field edits alike; a
// run of typing in one output merges into one step). Modified = the stack is not at
// its clean index. Rows are stable between signals; the list model mirrors them.
class MockSetDocument : public QObject
{
    Q_OBJECT
public:
    explicit MockSetDocument(QObject *parent = nullptr);
    ~MockSetDocument() override;

    int count() const { return int(m_entries.size()); }
    const MockEntry &entry(int row) const { return m_entries.at(row); }
    const MockEntryProblem &problem(int row) const { return m_problems.at(row); }
    int rowOf(const QString &key) const;
    QStringList keys() const;
    // Rows whose text does not parse (they keep the document from being saved).
    QList<int> invalidRows() const;

    // Checks an output against its key's action type; set by the editor (knows the bot).
    using SchemaCheck = std::function<QList<MockProblem>(const QString &key, const MockResponse &)>;
    void setSchemaCheck(SchemaCheck check);

    // Undoable key operations. `error` says why a name is refused (empty, taken).
    // `outputText` empty: a small {"content": ""} to start from.
    bool addKey(const QString &key, QString *error = nullptr, const QString &outputText = {});
    void removeKey(int row);
    // A copy under a free name ("gather (copy)"); returns its row.
    int duplicateKey(int row);
    bool renameKey(int row, const QString &newKey, QString *error = nullptr);
    // Adds `key` or replaces its answer (Promote to mock); returns its row.
    int putResponse(const QString &key, const MockResponse &response);
    // Undoable field edits; consecutive output edits of one key merge.
    void setSuccess(int row, bool success);
    void setErrorText(int row, const QString &text);
    void setOutputText(int row, const QString &text);
    QString checkKeyName(const QString &key, int exceptRow = -1) const;

    // The set to run or save; nullopt with `error` naming the key, line and column when
    // an output is not JSON.
    std::optional<MockSet> toMockSet(QString *error = nullptr) const;

    // Files. A document from a run or New has no path until Save As.
    void newDocument();
    void setMockSet(const MockSet &set, const QString &title);
    bool load(const QString &filePath, QString *error = nullptr);
    bool save(QString *error = nullptr);
    bool saveAs(const QString &filePath, QString *error = nullptr);
    QString filePath() const { return m_filePath; }
    // Resources (":/mocks/…") cannot be written: Save asks for a new file.
    bool isReadOnly() const { return m_filePath.startsWith(u':'); }
    QString displayName() const;
    bool isModified() const;
    QUndoStack *undoStack() const { return m_undo; }

Q_SIGNALS:
    void entryAboutToBeInserted(int row);
    void entryInserted(int row);
    void entryAboutToBeRemoved(int row);
    void entryRemoved(int row);
    void entryChanged(int row);
    void aboutToReset();
    void reset();
    void modifiedChanged(bool modified);
    // The file or title changed (open, save as, new).
    void identityChanged();

private:
    friend class MockEntryCommand;
    void insertEntry(int row, const MockEntry &entry);
    void removeEntry(int row);
    void replaceEntry(int row, const MockEntry &entry);
    void resetTo(QList<MockEntry> entries, const QString &filePath, const QString &title);
    MockEntryProblem check(const MockEntry &entry) const;
    QString freeName(const QString &base) const;

    QList<MockEntry> m_entries;
    QList<MockEntryProblem> m_problems;
    QString m_filePath;
    QString m_title; // shown for a document without a path
    SchemaCheck m_schemaCheck;
    QUndoStack *m_undo;
};

} // namespace invoke::ui
