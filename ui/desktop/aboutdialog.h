#pragma once
#include <QtWidgets/QDialog>

namespace invoke::ui {

// Help ▸ About: the application's name and version (QCoreApplication), its licence, and
// the Qt it was built with and runs on. Named "aboutDialog"; its text is aboutText().
class AboutDialog : public QDialog
{
    Q_OBJECT
public:
    explicit AboutDialog(QWidget *parent = nullptr);

    // The licence the project is under (LICENSE at the repository's root).
    static QString licenceName();
    // The plain text shown: name, version, licence, Qt versions (also for tests).
    static QString aboutText();
};

} // namespace invoke::ui
