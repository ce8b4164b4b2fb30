#include "core/engine/sandbox/launcher.h"

#include <QtCore/QtEndian>

namespace invoke::engine::sandbox {

namespace {

// Runs as the first program inside bubblewrap, in isolated mode (-I: nothing of the work
// folder can shadow a module it imports). It writes the input files into the work folder
// (a size-capped tmpfs), runs the program with RLIMIT_NPROC set (inside the new user
// namespace: outside it would count every process of the user), and once the program
// has ended kills whatever it left running, so the folder no longer changes, and lists it
// into LISTING_FD: the work folder is a tmpfs that vanishes with the sandbox, so nothing
// of it reaches the host's disk. It exits as bubblewrap reports a program: its code, or
// 128 + the signal that killed it. The formats: see packInputs() and parseListing().
constexpr char Code[] = R"PY(import hashlib, os, resource, signal, stat, struct, subprocess, sys, time
n, infd, outfd = (int(a) for a in sys.argv[1:4])
out = open(outfd, 'wb')
def record(kind, name, rest=b''):
    out.write(kind + struct.pack('>I', len(name)) + name + rest)
def setup_failed(why):
    record(b'E', why.encode())
    out.close()
    sys.exit(125)
try:
    with open(infd, 'rb') as f:
        data = f.read()
    i = 0
    while i < len(data):
        size, = struct.unpack_from('>I', data, i)
        name = data[i + 4:i + 4 + size]
        length, = struct.unpack_from('>Q', data, i + 4 + size)
        i += 12 + size
        if os.path.dirname(name):
            os.makedirs(os.path.dirname(name), exist_ok=True)
        with open(name, 'wb') as f:
            f.write(data[i:i + length])
        i += length
    del data
except OSError as e:
    setup_failed('the input files do not fit in the work folder /workspace (%s)' % e.strerror)
def limit():
    resource.setrlimit(resource.RLIMIT_NPROC, (n, n))
try:
    program = subprocess.Popen([sys.executable, '-B', '-s'] + sys.argv[4:], preexec_fn=limit)
except OSError as e:
    setup_failed('cannot start the program (%s)' % e.strerror)
code = program.wait()
def left():
    found = []
    for pid in os.listdir('/proc'):
        if pid.isdigit() and int(pid) not in (1, os.getpid()):
            try:
                with open('/proc/%s/stat' % pid, 'rb') as f:
                    if f.read().rsplit(b')', 1)[1].split()[0] != b'Z':
                        found.append(pid)
            except (OSError, IndexError):
                pass
    return found
while left():
    try:
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    time.sleep(0.01)
try:
    entries, folders = [], [b'.']
    while folders:
        folder = folders.pop()
        try:
            os.chmod(folder, 0o700)
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                folders.append(path)
            else:
                kind = b'F' if stat.S_ISREG(st.st_mode) else b'L' if stat.S_ISLNK(st.st_mode) else b'S'
                entries.append((path[2:], kind, st.st_size))
    entries.sort()
    budget = MAX_LISTING_CONTENT
    for name, kind, size in entries[:MAX_ENTRIES]:
        if kind != b'F':
            record(kind, name)
            continue
        digest, content = hashlib.sha256(), None
        try:
            os.chmod(name, 0o600)
            with open(name, 'rb') as f:
                while True:
                    chunk = f.read(1 << 20)
                    if not chunk:
                        break
                    digest.update(chunk)
                    if size <= MAX_CONTENT and size <= budget:
                        content = (content or b'') + chunk
        except OSError:
            pass
        if size <= MAX_CONTENT and size <= budget and content is None:
            content = b''
        rest = struct.pack('>Q', size) + digest.digest()
        if content is None:
            rest += b'\0'
        else:
            budget -= len(content)
            rest += b'\1' + struct.pack('>I', len(content)) + content
        record(b'F', name, rest)
    out.write(b'M' + struct.pack('>Q', max(0, len(entries) - MAX_ENTRIES)) + b'Z')
    out.close()
except Exception:
    pass
sys.exit(code if code >= 0 else 128 - code)
)PY";

quint32 readU32(const QByteArray &bytes, qsizetype at)
{
    return qFromBigEndian<quint32>(bytes.constData() + at);
}

quint64 readU64(const QByteArray &bytes, qsizetype at)
{
    return qFromBigEndian<quint64>(bytes.constData() + at);
}

} // namespace

const char *launcherCode()
{
    static const QByteArray code = QByteArray(Code)
                                       .replace("MAX_LISTING_CONTENT", QByteArray::number(MaxListingContentBytes))
                                       .replace("MAX_CONTENT", QByteArray::number(MaxContentBytes))
                                       .replace("MAX_ENTRIES", QByteArray::number(MaxListedEntries));
    return code.constData();
}

// Per file: u32 name length, the UTF-8 name, u64 content length, the content (big endian).
QByteArray packInputs(const QList<InputFile> &files)
{
    QByteArray packed;
    for (const InputFile &file : files) {
        const QByteArray name = file.name.toUtf8();
        char size[4];
        char length[8];
        qToBigEndian<quint32>(quint32(name.size()), size);
        qToBigEndian<quint64>(quint64(file.content.size()), length);
        packed += QByteArray(size, 4) + name + QByteArray(length, 8) + file.content;
    }
    return packed;
}

// Records: a kind byte, u32 name length, the name, then for 'F': u64 size, 32 bytes of
// SHA-256, a content flag (0, or 1 + u32 length + the content). 'E' (an error, its text
// as the name) ends it early; 'M' + u64 (entries not listed) then 'Z' end it.
Listing parseListing(const QByteArray &bytes)
{
    Listing listing;
    qsizetype at = 0;
    const auto has = [&](qsizetype n) { return n >= 0 && bytes.size() - at >= n; };
    while (has(1)) {
        const char kind = bytes[at++];
        if (kind == 'M') {
            if (!has(9))
                break;
            listing.notListed = qint64(std::min<quint64>(readU64(bytes, at), quint64(1) << 62));
            listing.complete = bytes[at + 8] == 'Z';
            break;
        }
        if (!has(4))
            break;
        const qsizetype nameSize = readU32(bytes, at);
        at += 4;
        if (!has(nameSize))
            break;
        OutputEntry entry;
        entry.name = bytes.mid(at, nameSize);
        at += nameSize;
        if (kind == 'E') {
            listing.error = QString::fromUtf8(entry.name);
            break;
        }
        if (kind == 'L' || kind == 'S') {
            entry.kind = kind == 'L' ? OutputEntry::Symlink : OutputEntry::Special;
        } else if (kind == 'F') {
            if (!has(8 + 32 + 1))
                break;
            entry.size = qint64(std::min<quint64>(readU64(bytes, at), quint64(1) << 62));
            entry.sha256 = bytes.mid(at + 8, 32);
            at += 8 + 32;
            if (bytes[at++] == 1) {
                if (!has(4))
                    break;
                const qsizetype length = readU32(bytes, at);
                at += 4;
                if (!has(length))
                    break;
                entry.content = bytes.mid(at, length);
                entry.hasContent = true;
                at += length;
            }
        } else {
            break; // not ours: stop at what was understood
        }
        listing.entries.append(std::move(entry));
    }
    return listing;
}

} // namespace invoke::engine::sandbox
