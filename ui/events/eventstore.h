#pragma once
#include <QtCore/QByteArray>
#include <QtCore/QObject>
#include <QtCore/QThreadPool>

#include <vector>

namespace invoke::ui {

// Append-only storage for the raw bytes of many small events.
//
// Bytes go into chunks of ~256 KB. A full chunk is compressed on a worker thread
// (zlib, fast level): streamed events repeat the same keys, ids and paths, so a chunk
// shrinks about tenfold, and a long run costs tens of bytes per event instead of its
// JSON's hundreds. Reading a compressed chunk inflates it once into a small cache; the
// views read the newest rows, which are still plain.
class EventStore : public QObject
{
    Q_OBJECT
public:
    struct Ref
    {
        quint32 offset = 0;
        quint32 length = 0;
        quint16 chunk = 0;
    };

    // The chunks as they are now, for reading on another thread: sealed chunks are
    // shared, the open one is copied (it is still being appended to).
    class Snapshot
    {
    public:
        // The bytes of `ref`, valid until the next view() of another compressed chunk.
        QByteArrayView view(const Ref &ref) const;

    private:
        friend class EventStore;
        std::vector<std::pair<QByteArray, QByteArray>> m_chunks; // plain, packed
        mutable int m_cachedChunk = -1;
        mutable QByteArray m_cached;
    };

    explicit EventStore(QObject *parent = nullptr);
    ~EventStore() override;

    Ref append(QByteArrayView bytes);
    // The bytes of `ref`, in place: valid until control returns to the event loop (a
    // chunk may get compressed then) or two more reads from other compressed chunks.
    // Use them at once, or copy them.
    QByteArrayView view(const Ref &ref) const;
    // The bytes of `ref`, copied.
    QByteArray read(const Ref &ref) const { return view(ref).toByteArray(); }
    void clear();
    Snapshot snapshot() const;

    // Turns compression off (tests of the plain path) or on; on by default.
    void setCompression(bool enabled) { m_compress = enabled; }
    // Waits for the worker to finish compressing (tests, benchmarks).
    void waitForCompression();
    // Bytes held in chunks, plain or compressed (not counting the read cache).
    qint64 heldBytes() const;

private:
    struct Chunk
    {
        QByteArray plain;  // while open, or until compressed
        QByteArray packed; // qCompress()ed once full
    };

    void seal(size_t index);
    const QByteArray &plainChunk(quint16 index) const;

    std::vector<Chunk> m_chunks;
    quint64 m_generation = 0; // bumped by clear(): late results of older chunks are dropped
    bool m_compress = true;
    QThreadPool m_pool;
    // The two chunks inflated last (readers walk rows in order, or jump between two spots).
    mutable struct { int chunk = -1; QByteArray plain; } m_cache[2];
    mutable int m_cacheNext = 0;
};

} // namespace invoke::ui
