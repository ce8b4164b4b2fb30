#pragma once
// Where the replay cache lives, as one text (docs/cache.md): a file path or `sqlite:PATH`
// (the embedded store), or `postgresql://user[:password]@host[:port]/db[?sslmode=…]`
// (`postgres://` too) for a cache a team shares. The password is kept for connecting
// only: every text meant for people (display(), server()) leaves it out.
#include <QtCore/QList>
#include <QtCore/QPair>
#include <QtCore/QString>

#include <optional>

namespace invoke::cache {

struct CacheUrl
{
    enum Kind { Sqlite, Postgres };
    Kind kind = Sqlite;

    QString filePath; // Sqlite

    // Postgres
    QString user;
    QString password; // empty when the URL has none
    QString host;
    int port = 5432;
    QString database;
    // libpq connection options from the query (sslmode, sslrootcert, connect_timeout, ...),
    // in the order given.
    QList<QPair<QString, QString>> options;

    // Parses `text`; nullopt with `error` saying what is wrong and where. An empty text is
    // an error: the caller supplies its own default first.
    static std::optional<CacheUrl> parse(const QString &text, QString *error = nullptr);

    bool isPostgres() const { return kind == Postgres; }
    QString option(const QString &name) const;
    // The URL with the password masked ("postgresql://ci:***@db:5432/invoke?sslmode=require"),
    // or the file path: what `cache stats`, logs and messages show.
    QString display() const;
    // "PostgreSQL server db.example:5432 (database invoke, user ci)": for failure messages.
    QString server() const;
    // The URL with its password, for a program that connects with it (never to print).
    QString toString() const;
};

// `text` with the password of any URL in it masked; other text unchanged. For a URL
// that did not parse and is printed in an error message anyway.
QString maskCacheUrlPassword(const QString &text);

} // namespace invoke::cache
