#include "ui/desktop/aboutdialog.h"
#include "ui/common/icons.h"

#include <QtCore/QCoreApplication>
#include <QtCore/QLibraryInfo>
#include <QtWidgets/QDialogButtonBox>
#include <QtWidgets/QHBoxLayout>
#include <QtWidgets/QLabel>
#include <QtWidgets/QVBoxLayout>

using namespace Qt::StringLiterals;

namespace invoke::ui {

QString AboutDialog::licenceName()
{
    return u"MIT"_s;
}

QString AboutDialog::aboutText()
{
    const QString version = QCoreApplication::applicationVersion();
    return tr("Invoke Studio %1\n"
              "A desktop playground for AI agents: invoke bots live, from a replay cache or from "
              "mock sets, and watch every step as it happens.\n"
              "Licence: %2 (see the copyright file installed with the program).\n"
              "Built with Qt %3, running on Qt %4.")
        .arg(version.isEmpty() ? tr("(development build)") : version, licenceName(),
             QString::fromLatin1(QT_VERSION_STR), QString::fromLatin1(qVersion()));
}

AboutDialog::AboutDialog(QWidget *parent) : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About"));
    const QString version = QCoreApplication::applicationVersion();

    auto *logo = new QLabel(this);
    logo->setPixmap(icon(u"invoke-studio"_s).pixmap(64, 64));
    logo->setAlignment(Qt::AlignTop);
    auto *text = new QLabel(this);
    text->setObjectName(u"aboutText"_s);
    text->setTextFormat(Qt::RichText);
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextBrowserInteraction);
    text->setText(
        tr("<h2>Invoke Studio %1</h2>"
           "<p>A desktop playground for AI agents: invoke bots live, from a replay cache or from "
           "mock sets, and watch every step as it happens.</p>"
           "<p><b>Licence:</b> %2. Copyright © the Invoke Studio developers. "
           "The copyright file installed with the program lists the licences of the libraries it uses.</p>"
           "<p>Built with Qt %3, running on Qt %4.</p>")
            .arg(version.isEmpty() ? tr("(development build)") : version.toHtmlEscaped(), licenceName(),
                 QString::fromLatin1(QT_VERSION_STR), QString::fromLatin1(qVersion())));
    text->setMinimumWidth(380);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addWidget(logo);
    top->addWidget(text, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(buttons);
}

} // namespace invoke::ui
