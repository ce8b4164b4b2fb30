#pragma once
// Which *.tests.json files a list of files and folders names.
#include <QtCore/QStringList>

namespace invoke::agenttests {

// Files as given (any name), folders searched recursively for *.tests.json (sorted, so
// runs are repeatable). A path that does not exist is a problem "PATH: no such file or
// folder"; each file appears once.
QStringList findTestFiles(const QStringList &paths, QStringList *problems);

} // namespace invoke::agenttests
