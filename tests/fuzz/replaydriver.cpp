// The plain driver the normal test run uses (tests/fuzz/CMakeLists.txt): no libFuzzer and
// no clang, just main() feeding every file under the folders given (regression inputs
// and the committed corpus) to the harness's LLVMFuzzerTestOneInput, the same function
// scripts/fuzz.sh runs under libFuzzer. A crash or a broken property aborts, and the
// input is named on stderr first.
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QStringList>

#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

char g_current[4096];

// Async-signal-safe: names the input that was running when the process died.
void nameInput(int signal)
{
    const char prefix[] = "replay: this input crashed: ";
    ssize_t ignored = write(STDERR_FILENO, prefix, sizeof prefix - 1);
    ignored = write(STDERR_FILENO, g_current, strnlen(g_current, sizeof g_current));
    ignored = write(STDERR_FILENO, "\n", 1);
    (void)ignored;
    std::signal(signal, SIG_DFL);
    std::raise(signal);
}

QStringList inputsUnder(const QString &path)
{
    if (QFileInfo(path).isFile())
        return {path};
    QStringList files;
    QDirIterator it(path, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    files.sort();
    return files;
}

} // namespace

int main(int argc, char **argv)
{
    for (int sig : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL})
        std::signal(sig, nameInput);
    qsizetype count = 0;
    for (int i = 1; i < argc; ++i) {
        const QString root = QString::fromLocal8Bit(argv[i]);
        if (!QFileInfo::exists(root))
            continue; // a harness with no regression inputs yet
        for (const QString &file : inputsUnder(root)) {
            QFile in(file);
            if (!in.open(QIODevice::ReadOnly)) {
                std::fprintf(stderr, "replay: cannot read %s\n", qPrintable(file));
                return 1;
            }
            const QByteArray bytes = in.readAll();
            std::snprintf(g_current, sizeof g_current, "%s", qPrintable(file));
            LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(bytes.constData()), size_t(bytes.size()));
            ++count;
        }
    }
    std::printf("replayed %lld inputs\n", static_cast<long long>(count));
    return count > 0 ? 0 : 1; // a replay of nothing would be a test that cannot fail
}
