#include "core/filter/filter.h"
#include "core/filter/filternode.h"

using namespace Qt::StringLiterals;

namespace invoke::filter {

Filter::Filter() = default;

QString caretDiagram(const QString &text, const ParseError &error)
{
    // Tabs keep their width under the caret; other characters become spaces.
    QString pad;
    for (qsizetype i = 0; i < qMin(error.position, text.size()); ++i)
        pad += text.at(i) == u'\t' ? u'\t' : u' ';
    return u"  "_s + text + u"\n  "_s + pad + u"^ "_s + error.message;
}

} // namespace invoke::filter
