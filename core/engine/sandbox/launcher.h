#pragma once
// The Python program that runs first inside bubblewrap (see launcher.cpp), and the two
// byte formats it shares with the engine: the input files it writes into the work folder,
// and the listing of the files the program left there, which it sends back.
#include <QtCore/QByteArray>
#include <QtCore/QList>
#include <QtCore/QString>

namespace invoke::engine::sandbox {

// `python -B -s -c <launcherCode()> NPROC INPUT_FD LISTING_FD PROGRAM ARGS...`
const char *launcherCode();

// The exit code of the launcher when it could not set the work folder up (the reason is
// in the listing, as an error record).
constexpr int LauncherSetupFailed = 125;

// Caps of the listing (a regular file of the sandbox, so under RLIMIT_FSIZE): at most
// MaxListedEntries entries (sorted by name), content for regular files up to
// MaxContentBytes while MaxListingContentBytes last.
constexpr int MaxListedEntries = 2000;
constexpr qint64 MaxContentBytes = 16 * 1024;
constexpr qint64 MaxListingContentBytes = 4 * 1024 * 1024;

struct InputFile
{
    QString name; // relative, checked by WorkFolder::checkFilename
    QByteArray content;
};
QByteArray packInputs(const QList<InputFile> &files);

// One thing the program left in the work folder. The name is raw bytes: the program may
// use any bytes but "/" and NUL, invalid UTF-8 too.
struct OutputEntry
{
    enum Kind { File, Symlink, Special };
    Kind kind = File;
    QByteArray name;
    qint64 size = 0;
    QByteArray sha256;      // regular files
    QByteArray content;     // regular files of at most MaxContentBytes, while the budget lasts
    bool hasContent = false;
};

struct Listing
{
    bool complete = false;  // the end record came: the program ended and the files were read
    QString error;          // the launcher's own failure (the inputs did not fit, …)
    QList<OutputEntry> entries;
    qint64 notListed = 0;   // entries beyond MaxListedEntries
};
Listing parseListing(const QByteArray &bytes);

} // namespace invoke::engine::sandbox
