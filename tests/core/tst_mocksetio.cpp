// Saving mock sets: one stable layout (sorted keys, 2-space indent, trailing newline),
// save -> load -> save gives the same bytes, and a write that fails leaves the old
// file as it was.
#include "core/model/mocksetio.h"
#include "tests/support/testpaths.h"

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace Qt::StringLiterals;
using namespace invoke;

namespace {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

MockSet sample()
{
    MockSet set;
    set.insert(u"summarise/answer"_s, MockResponse{true, Json{{"content", "Zürich — ünïcödé ✓"}, {"usage", {{"output_tokens", 3}, {"input_tokens", 2}}}}, {}});
    set.insert(u"answer"_s, MockResponse{true, Json{{"content", "line one\nline \"two\""}, {"finish_reason", "stop"}}, {}});
    set.insert(u"llm.message"_s, MockResponse{false, Json(), u"rate limited"_s});
    set.insert(u"codeexec.execute"_s, MockResponse{false, Json{{"output", ""}, {"exit_code", 1}}, u"exit 1"_s});
    set.insert(u"empty"_s, MockResponse{true, Json::object(), {}});
    set.insert(u"list"_s, MockResponse{true, Json::array({1, 2.5, nullptr, true, Json::array()}), {}});
    return set;
}

} // namespace

class TestMockSetIo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void layout();
    void saveLoadSaveGivesTheSameBytes_data();
    void saveLoadSaveGivesTheSameBytes();
    void failedWriteKeepsTheOldFile();
    void missingFolderIsNamed();
};

void TestMockSetIo::layout()
{
    MockSet set;
    set.insert(u"b"_s, MockResponse{true, Json{{"z", 1}, {"a", Json::array({"x"})}}, {}});
    set.insert(u"a"_s, MockResponse{false, Json(), u"boom"_s});
    const QByteArray expected = "{\n"
                                "  \"a\": {\n"
                                "    \"error\": \"boom\",\n"
                                "    \"status\": \"error\"\n"
                                "  },\n"
                                "  \"b\": {\n"
                                "    \"output\": {\n"
                                "      \"a\": [\n"
                                "        \"x\"\n"
                                "      ],\n"
                                "      \"z\": 1\n"
                                "    },\n"
                                "    \"status\": \"success\"\n"
                                "  }\n"
                                "}\n";
    QCOMPARE(mockSetBytes(set), expected);
    QCOMPARE(mockSetBytes(MockSet()), QByteArray("{}\n"));
    QCOMPARE(mockDocumentBytes(Json{{"k", "é"}}), QByteArray("{\n  \"k\": \"é\"\n}\n"));
}

void TestMockSetIo::saveLoadSaveGivesTheSameBytes_data()
{
    QTest::addColumn<QString>("source"); // a file to start from; empty: sample()
    QTest::newRow("sample") << QString();
    const QDir dir(test::sourcePath(u"resources/mocks"_s));
    for (const QString &name : dir.entryList({u"*.mocks.json"_s}, QDir::Files, QDir::Name))
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
}

void TestMockSetIo::saveLoadSaveGivesTheSameBytes()
{
    QFETCH(QString, source);
    MockSet set = sample();
    if (!source.isEmpty()) {
        QString error;
        auto loaded = MockSet::load(source, &error);
        QVERIFY2(loaded, qPrintable(error));
        set = *loaded;
    }
    QTemporaryDir dir;
    const QString first = dir.filePath(u"first.mocks.json"_s);
    const QString second = dir.filePath(u"second.mocks.json"_s);
    QString error;
    QVERIFY2(saveMockSet(set, first, &error), qPrintable(error));
    const auto reloaded = MockSet::load(first, &error);
    QVERIFY2(reloaded, qPrintable(error));
    QCOMPARE(*reloaded, set);
    QVERIFY2(saveMockSet(*reloaded, second, &error), qPrintable(error));
    QCOMPARE(readAll(second), readAll(first));
    QVERIFY(readAll(first).endsWith("}\n"));
    // Saving over an existing file replaces it whole.
    QVERIFY2(saveMockSet(MockSet(), first, &error), qPrintable(error));
    QCOMPARE(readAll(first), QByteArray("{}\n"));
}

// The process's file-size limit makes the write itself fail (a full disk as far as the
// writer can tell; a read-only folder would not stop root, which runs these tests in CI).
void TestMockSetIo::failedWriteKeepsTheOldFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"keep.mocks.json"_s);
    MockSet small;
    small.insert(u"answer"_s, MockResponse{true, Json{{"content", "the old answer"}}, {}});
    QString error;
    QVERIFY2(saveMockSet(small, path, &error), qPrintable(error));
    const QByteArray before = readAll(path);

    MockSet big;
    big.insert(u"answer"_s, MockResponse{true, Json{{"content", std::string(64 * 1024, 'x')}}, {}});

    rlimit old{};
    QCOMPARE(getrlimit(RLIMIT_FSIZE, &old), 0);
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN); // a failed write, not a killed process
    rlimit limited = old;
    limited.rlim_cur = 4096;
    QCOMPARE(setrlimit(RLIMIT_FSIZE, &limited), 0);
    const bool saved = saveMockSet(big, path, &error);
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, previousHandler);

    QVERIFY(!saved);
    QVERIFY2(error.startsWith(path + u": "_s), qPrintable(error));
    QCOMPARE(readAll(path), before);
    // No temporary file is left behind next to it.
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{u"keep.mocks.json"_s});
}

void TestMockSetIo::missingFolderIsNamed()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"no/such/folder/x.mocks.json"_s);
    QString error;
    QVERIFY(!saveMockSet(MockSet(), path, &error));
    QVERIFY2(error.startsWith(path + u": cannot write: "_s), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestMockSetIo)
#include "tst_mocksetio.moc"
