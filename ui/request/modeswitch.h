#pragma once
#include "core/model/mockset.h"
#include "core/model/invocation/mode.h"

#include <QtWidgets/QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace invoke::ui {

// Live / Replay / Replay (refresh) / Manual. Manual needs a mock-set file: an Open
// button picks one, and when the selected bot ships a mock set (":/mocks/<key>.mocks.json")
// and no file is chosen, a button offers it. A bundled mock set follows the bot: picking
// another example switches to that example's bundled set.
class ModeSwitch : public QWidget
{
    Q_OBJECT
public:
    explicit ModeSwitch(QWidget *parent = nullptr);

    Mode mode() const;
    void setMode(const Mode &mode);

    QString mockFile() const { return m_mockFile; }
    void setMockFile(const QString &path);

    // The bot the mode applies to, to find its bundled mock set.
    void setBotKey(const QString &key);
    // ":/mocks/<key>.mocks.json" when that resource exists, else empty.
    static QString bundledMockFile(const QString &botKey);

    // The mock set to send: an empty set outside Manual mode; in Manual mode the
    // loaded file, or nullopt with `error` saying what is missing or wrong (and where).
    std::optional<MockSet> mocks(QString *error) const;
    // Where Manual mode's mocks come from instead of reading the file (the studio's mock
    // set editor, whose document may hold unsaved edits).
    void setMockProvider(std::function<std::optional<MockSet>(QString *error)> provider);
    // Shown in place of the file name ("x.mocks.json — edited, unsaved"); empty: the file.
    void setMockDisplay(const QString &text);

    QComboBox *modeBox() const { return m_mode; }
    QPushButton *useBundledButton() const { return m_useBundled; }
    QToolButton *openButton() const { return m_open; }

Q_SIGNALS:
    void modeChanged();
    void mockFileChanged(const QString &path);

private:
    void openFile();
    void updateRows();

    QString m_botKey;
    QString m_mockFile;
    std::function<std::optional<MockSet>(QString *)> m_provider;
    QString m_display;
    QComboBox *m_mode;
    QWidget *m_mockRow;
    QLineEdit *m_path;
    QToolButton *m_open;
    QPushButton *m_useBundled;
    QLabel *m_help;
};

} // namespace invoke::ui
