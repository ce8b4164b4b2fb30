#include "core/agenttests/junitreport.h"

#include "core/model/mocksetio.h"

#include <QtCore/QFileInfo>
#include <QtCore/QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace invoke::agenttests {

namespace {

QString shown(const Json &value)
{
    return value.is_string() ? toQString(value.get<std::string>()) : QString::fromUtf8(dumpJson(value));
}

QString suiteClassName(const QString &path)
{
    QString name = QFileInfo(path).fileName();
    if (name.endsWith(u".tests.json"_s))
        name.chop(int(qstrlen(".tests.json")));
    return name;
}

// XML 1.0 cannot hold most control characters, and an LLM's answer may carry them.
QString xmlSafe(QString text)
{
    for (QChar &c : text)
        if (c.unicode() < 0x20 && c != u'\t' && c != u'\n' && c != u'\r')
            c = QChar::ReplacementCharacter;
    return text;
}

} // namespace

QString describeFailure(const Failure &failure)
{
    return u"%1\n  expected: %2\n  actual:   %3"_s.arg(failure.assertion, shown(failure.expected),
                                                       shown(failure.actual));
}

void JUnitReport::add(const CaseResult &result, int indexInRun)
{
    auto suite = std::find_if(m_suites.begin(), m_suites.end(), [&](const Suite &s) { return s.path == result.file; });
    if (suite == m_suites.end()) {
        m_suites.append(Suite{result.file, {}});
        suite = std::prev(m_suites.end());
    }
    Entry entry;
    entry.name = result.name;
    entry.status = result.status;
    entry.seconds = double(result.durationMs) / 1000.0;
    if (!result.failures.isEmpty()) {
        entry.message = result.failures.first().assertion;
        if (result.status == CaseStatus::Error)
            entry.message = shown(result.failures.first().actual);
        QStringList parts;
        for (const Failure &f : result.failures)
            parts << describeFailure(f);
        entry.text = parts.join(u"\n\n"_s);
    }
    suite->cases.insert_or_assign(indexInRun, std::move(entry));
}

QByteArray JUnitReport::toXml() const
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    xml.writeStartElement(u"testsuites"_s);
    for (const Suite &suite : m_suites) {
        int failures = 0, errors = 0;
        double seconds = 0;
        for (const auto &[index, e] : suite.cases) {
            failures += e.status == CaseStatus::Failed;
            errors += e.status == CaseStatus::Error;
            seconds += e.seconds;
        }
        xml.writeStartElement(u"testsuite"_s);
        xml.writeAttribute(u"name"_s, suite.path);
        xml.writeAttribute(u"tests"_s, QString::number(suite.cases.size()));
        xml.writeAttribute(u"failures"_s, QString::number(failures));
        xml.writeAttribute(u"errors"_s, QString::number(errors));
        xml.writeAttribute(u"time"_s, QString::number(seconds, 'f', 3));
        const QString className = suiteClassName(suite.path);
        for (const auto &[index, e] : suite.cases) {
            xml.writeStartElement(u"testcase"_s);
            xml.writeAttribute(u"name"_s, xmlSafe(e.name));
            xml.writeAttribute(u"classname"_s, className);
            xml.writeAttribute(u"time"_s, QString::number(e.seconds, 'f', 3));
            if (e.status != CaseStatus::Passed) {
                xml.writeStartElement(e.status == CaseStatus::Failed ? u"failure"_s : u"error"_s);
                xml.writeAttribute(u"message"_s, xmlSafe(e.message));
                xml.writeCharacters(xmlSafe(e.text));
                xml.writeEndElement();
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

bool JUnitReport::write(const QString &filePath, QString *error) const
{
    return writeFileAtomically(filePath, toXml(), error);
}

} // namespace invoke::agenttests
