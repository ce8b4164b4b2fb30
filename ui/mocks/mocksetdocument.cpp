#include "ui/mocks/mocksetdocument.h"
#include "ui/mocks/mockentrycommand.h"

#include "core/model/mocksetio.h"

#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtGui/QUndoStack>

using namespace Qt::StringLiterals;

namespace invoke::ui {

MockEntry MockEntry::fromResponse(const QString &key, const MockResponse &response)
{
    MockEntry entry;
    entry.key = key;
    entry.success = response.success;
    entry.error = response.error;
    if (response.success || !response.output.is_null())
        entry.outputText = QString::fromUtf8(dumpJson(response.output, 2));
    return entry;
}

namespace {

// The character offset, line and column of a parse error at byte `offset` of `utf8`.
void locate(const QByteArray &utf8, qsizetype offset, MockEntryProblem *problem)
{
    offset = qBound(qsizetype(0), offset, utf8.size());
    const QString before = QString::fromUtf8(utf8.first(offset));
    problem->position = int(before.size());
    problem->line = int(before.count(u'\n')) + 1;
    problem->column = int(before.size() - (before.lastIndexOf(u'\n') + 1)) + 1;
}

} // namespace

MockSetDocument::MockSetDocument(QObject *parent) : QObject(parent), m_undo(new QUndoStack(this))
{
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) { Q_EMIT modifiedChanged(!clean); });
}

MockSetDocument::~MockSetDocument() = default;

int MockSetDocument::rowOf(const QString &key) const
{
    for (int row = 0; row < count(); ++row)
        if (m_entries.at(row).key == key)
            return row;
    return -1;
}

QStringList MockSetDocument::keys() const
{
    QStringList keys;
    for (const MockEntry &entry : m_entries)
        keys << entry.key;
    return keys;
}

QList<int> MockSetDocument::invalidRows() const
{
    QList<int> rows;
    for (int row = 0; row < count(); ++row)
        if (m_problems.at(row).kind == MockEntryProblem::Syntax)
            rows << row;
    return rows;
}

void MockSetDocument::setSchemaCheck(SchemaCheck check)
{
    m_schemaCheck = std::move(check);
    for (int row = 0; row < count(); ++row) {
        const MockEntryProblem problem = this->check(m_entries.at(row));
        if (problem.kind != m_problems.at(row).kind || problem.message != m_problems.at(row).message) {
            m_problems[row] = problem;
            Q_EMIT entryChanged(row);
        }
    }
}

MockEntryProblem MockSetDocument::check(const MockEntry &entry) const
{
    MockEntryProblem problem;
    const QByteArray utf8 = entry.outputText.toUtf8();
    const bool blank = entry.outputText.trimmed().isEmpty();
    Json output;
    if (!blank) {
        JsonParseError error;
        output = parseJsonAt(utf8, &error);
        if (output.is_discarded()) {
            problem.kind = MockEntryProblem::Syntax;
            problem.field = u"output"_s;
            locate(utf8, error.offset, &problem);
            problem.message = tr("The output is not valid JSON (line %1, column %2): %3")
                                  .arg(problem.line).arg(problem.column).arg(error.reason);
            return problem;
        }
    }
    if (entry.success && blank) {
        problem.kind = MockEntryProblem::Missing;
        problem.field = u"output"_s;
        problem.message = tr("A success mock needs an output (JSON, e.g. {\"content\": \"…\"}).");
        return problem;
    }
    if (!entry.success && entry.error.trimmed().isEmpty()) {
        problem.kind = MockEntryProblem::Missing;
        problem.field = u"error"_s;
        problem.message = tr("An error mock needs an error text: it is what the step fails with.");
        return problem;
    }
    if (m_schemaCheck) {
        MockResponse response;
        response.success = entry.success;
        response.error = entry.error;
        response.output = blank ? Json() : output;
        const QList<MockProblem> found = m_schemaCheck(entry.key, response);
        if (!found.isEmpty()) {
            problem.kind = MockEntryProblem::Schema;
            problem.field = found.first().field;
            QStringList messages;
            for (const MockProblem &p : found)
                messages << p.message;
            problem.message = messages.join(u'\n');
        }
    }
    return problem;
}

QString MockSetDocument::checkKeyName(const QString &key, int exceptRow) const
{
    if (key.trimmed().isEmpty())
        return tr("A key cannot be empty: use a step path (\"gather\", \"summarise/answer\") or an action type (\"llm.message\").");
    if (key != key.trimmed())
        return tr("A key cannot start or end with spaces.");
    const int existing = rowOf(key);
    if (existing >= 0 && existing != exceptRow)
        return tr("The key “%1” is already in this mock set.").arg(key);
    return {};
}

QString MockSetDocument::freeName(const QString &base) const
{
    QString name = tr("%1 (copy)").arg(base);
    for (int n = 2; rowOf(name) >= 0; ++n)
        name = tr("%1 (copy %2)").arg(base).arg(n);
    return name;
}

bool MockSetDocument::addKey(const QString &key, QString *error, const QString &outputText)
{
    const QString problem = checkKeyName(key);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    MockEntry entry;
    entry.key = key;
    entry.outputText = outputText.isEmpty() ? u"{\n  \"content\": \"\"\n}"_s : outputText;
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Insert, count(), {}, entry, tr("Add “%1”").arg(key)));
    return true;
}

void MockSetDocument::removeKey(int row)
{
    if (row < 0 || row >= count())
        return;
    const MockEntry entry = m_entries.at(row);
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Remove, row, entry, {}, tr("Remove “%1”").arg(entry.key)));
}

int MockSetDocument::duplicateKey(int row)
{
    if (row < 0 || row >= count())
        return -1;
    MockEntry copy = m_entries.at(row);
    copy.key = freeName(copy.key);
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Insert, row + 1, {}, copy,
                                      tr("Duplicate “%1”").arg(m_entries.at(row).key)));
    return row + 1;
}

bool MockSetDocument::renameKey(int row, const QString &newKey, QString *error)
{
    if (row < 0 || row >= count())
        return false;
    const QString problem = checkKeyName(newKey, row);
    if (!problem.isEmpty()) {
        if (error)
            *error = problem;
        return false;
    }
    MockEntry renamed = m_entries.at(row);
    if (renamed.key == newKey)
        return true;
    renamed.key = newKey;
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Replace, row, m_entries.at(row), renamed,
                                      tr("Rename “%1” to “%2”").arg(m_entries.at(row).key, newKey)));
    return true;
}

int MockSetDocument::putResponse(const QString &key, const MockResponse &response)
{
    const MockEntry entry = MockEntry::fromResponse(key, response);
    const int row = rowOf(key);
    if (row < 0) {
        m_undo->push(new MockEntryCommand(this, MockEntryCommand::Insert, count(), {}, entry, tr("Mock “%1”").arg(key)));
        return count() - 1;
    }
    if (m_entries.at(row) != entry)
        m_undo->push(new MockEntryCommand(this, MockEntryCommand::Replace, row, m_entries.at(row), entry,
                                          tr("Replace the mock of “%1”").arg(key)));
    return row;
}

void MockSetDocument::setSuccess(int row, bool success)
{
    if (row < 0 || row >= count() || m_entries.at(row).success == success)
        return;
    MockEntry after = m_entries.at(row);
    after.success = success;
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Replace, row, m_entries.at(row), after,
                                      success ? tr("Make “%1” succeed").arg(after.key) : tr("Make “%1” fail").arg(after.key)));
}

void MockSetDocument::setErrorText(int row, const QString &text)
{
    if (row < 0 || row >= count() || m_entries.at(row).error == text)
        return;
    MockEntry after = m_entries.at(row);
    after.error = text;
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Replace, row, m_entries.at(row), after,
                                      tr("Edit the error of “%1”").arg(after.key), true));
}

void MockSetDocument::setOutputText(int row, const QString &text)
{
    if (row < 0 || row >= count() || m_entries.at(row).outputText == text)
        return;
    MockEntry after = m_entries.at(row);
    after.outputText = text;
    m_undo->push(new MockEntryCommand(this, MockEntryCommand::Replace, row, m_entries.at(row), after,
                                      tr("Edit the output of “%1”").arg(after.key), true));
}

void MockSetDocument::insertEntry(int row, const MockEntry &entry)
{
    Q_EMIT entryAboutToBeInserted(row);
    m_entries.insert(row, entry);
    m_problems.insert(row, check(entry));
    Q_EMIT entryInserted(row);
}

void MockSetDocument::removeEntry(int row)
{
    Q_EMIT entryAboutToBeRemoved(row);
    m_entries.removeAt(row);
    m_problems.removeAt(row);
    Q_EMIT entryRemoved(row);
}

void MockSetDocument::replaceEntry(int row, const MockEntry &entry)
{
    m_entries[row] = entry;
    m_problems[row] = check(entry);
    Q_EMIT entryChanged(row);
}

std::optional<MockSet> MockSetDocument::toMockSet(QString *error) const
{
    MockSet set;
    for (int row = 0; row < count(); ++row) {
        const MockEntry &entry = m_entries.at(row);
        const MockEntryProblem &problem = m_problems.at(row);
        if (problem.kind == MockEntryProblem::Syntax || problem.kind == MockEntryProblem::Missing) {
            if (error)
                *error = tr("Key “%1”: %2").arg(entry.key, problem.message);
            return std::nullopt;
        }
        MockResponse response;
        response.success = entry.success;
        response.error = entry.error;
        if (!entry.outputText.trimmed().isEmpty())
            response.output = parseJson(entry.outputText.toUtf8());
        set.insert(entry.key, response);
    }
    return set;
}

void MockSetDocument::resetTo(QList<MockEntry> entries, const QString &filePath, const QString &title)
{
    Q_EMIT aboutToReset();
    m_entries = std::move(entries);
    m_problems.clear();
    for (const MockEntry &entry : std::as_const(m_entries))
        m_problems << check(entry);
    m_filePath = filePath;
    m_title = title;
    Q_EMIT reset();
    m_undo->clear();
    Q_EMIT identityChanged();
    Q_EMIT modifiedChanged(isModified());
}

void MockSetDocument::newDocument()
{
    resetTo({}, {}, tr("Untitled"));
}

void MockSetDocument::setMockSet(const MockSet &set, const QString &title)
{
    QList<MockEntry> entries;
    for (const QString &key : set.keys())
        entries << MockEntry::fromResponse(key, *set.value(key));
    resetTo(std::move(entries), {}, title);
    // A document made in memory has never been saved: it starts modified.
    m_undo->resetClean();
    Q_EMIT modifiedChanged(true);
}

bool MockSetDocument::load(const QString &filePath, QString *error)
{
    QFile file(filePath);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: cannot open the mock set: %2").arg(filePath, file.errorString());
        return false;
    }
    const QByteArray bytes = file.readAll();
    QString parseError;
    const Json value = parseJson(bytes, &parseError);
    if (value.is_discarded() || !value.is_object()) {
        if (error)
            *error = value.is_discarded() ? tr("%1: not valid JSON: %2").arg(filePath, parseError)
                                          : tr("%1: a mock set must be a JSON object mapping keys to mocks").arg(filePath);
        return false;
    }
    // Every member is kept, also a wrong one: its problem shows on its key.
    QList<MockEntry> entries;
    for (auto it = value.begin(); it != value.end(); ++it) {
        MockEntry entry;
        entry.key = toQString(it.key());
        const Json &mock = it.value();
        if (mock.is_object()) {
            entry.success = stringField(mock, "status") != u"error"_s;
            entry.error = stringField(mock, "error");
            if (mock.contains("output"))
                entry.outputText = QString::fromUtf8(dumpJson(mock["output"], 2));
        } else {
            entry.outputText = QString::fromUtf8(dumpJson(mock, 2));
        }
        entries << entry;
    }
    resetTo(std::move(entries), filePath, QFileInfo(filePath).fileName());
    return true;
}

bool MockSetDocument::save(QString *error)
{
    if (m_filePath.isEmpty() || isReadOnly()) {
        if (error)
            *error = tr("Choose a file to save “%1” to (Save As).").arg(displayName());
        return false;
    }
    return saveAs(m_filePath, error);
}

bool MockSetDocument::saveAs(const QString &filePath, QString *error)
{
    QString problem;
    const std::optional<MockSet> set = toMockSet(&problem);
    if (!set) {
        if (error)
            *error = tr("Not saved — fix this first (your text is kept): %1").arg(problem);
        return false;
    }
    if (!saveMockSet(*set, filePath, error))
        return false;
    const bool renamed = filePath != m_filePath;
    m_filePath = filePath;
    m_title = QFileInfo(filePath).fileName();
    m_undo->setClean();
    if (renamed)
        Q_EMIT identityChanged();
    return true;
}

QString MockSetDocument::displayName() const
{
    return m_filePath.isEmpty() || m_title.isEmpty() ? (m_title.isEmpty() ? tr("Untitled") : m_title)
                                                     : QFileInfo(m_filePath).fileName();
}

bool MockSetDocument::isModified() const
{
    return !m_undo->isClean();
}

} // namespace invoke::ui
