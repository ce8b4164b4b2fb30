#include "ui/events/eventstore.h"

#include <QtCore/QCoreApplication>

namespace invoke::ui {

namespace {

constexpr qsizetype kChunkBytes = 256 * 1024;

} // namespace

EventStore::EventStore(QObject *parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1); // in order, and never more than one core
}

EventStore::~EventStore()
{
    // A task still running would post to a dead object.
    m_pool.clear();
    m_pool.waitForDone();
}

EventStore::Ref EventStore::append(QByteArrayView bytes)
{
    // Appending inside a reserved chunk never reallocates, so refs keep their offsets.
    if (m_chunks.empty() || m_chunks.back().plain.capacity() - m_chunks.back().plain.size() < bytes.size()) {
        if (!m_chunks.empty())
            seal(m_chunks.size() - 1);
        Q_ASSERT(m_chunks.size() < 0xffff);
        Chunk next;
        next.plain.reserve(qMax(kChunkBytes, bytes.size()));
        m_chunks.push_back(std::move(next));
    }
    QByteArray &target = m_chunks.back().plain;
    Ref ref;
    ref.offset = quint32(target.size());
    ref.length = quint32(bytes.size());
    ref.chunk = quint16(m_chunks.size() - 1);
    target.append(bytes);
    return ref;
}

void EventStore::seal(size_t index)
{
    if (!m_compress)
        return;
    const QByteArray plain = m_chunks[index].plain; // shared, never written again
    const quint64 generation = m_generation;
    m_pool.start([this, plain, index, generation] {
        QByteArray packed = qCompress(plain, 1);
        packed.squeeze(); // qCompress leaves the capacity of its worst case, the input's size
        QMetaObject::invokeMethod(this, [this, index, generation, packed = std::move(packed)]() mutable {
            if (generation != m_generation || index >= m_chunks.size())
                return;
            Chunk &chunk = m_chunks[index];
            if (packed.size() < chunk.plain.size() * 9 / 10) { // worth the inflating later
                chunk.packed = std::move(packed);
                chunk.plain = QByteArray();
            } else {
                chunk.plain.squeeze();
            }
        }, Qt::QueuedConnection);
    });
}

const QByteArray &EventStore::plainChunk(quint16 index) const
{
    const Chunk &chunk = m_chunks.at(index);
    if (!chunk.plain.isNull())
        return chunk.plain;
    for (const auto &cached : m_cache)
        if (cached.chunk == index)
            return cached.plain;
    auto &slot = m_cache[m_cacheNext];
    m_cacheNext = (m_cacheNext + 1) % 2;
    slot.chunk = index;
    slot.plain = qUncompress(chunk.packed);
    return slot.plain;
}

QByteArrayView EventStore::view(const Ref &ref) const
{
    if (ref.chunk >= m_chunks.size())
        return {};
    return QByteArrayView(plainChunk(ref.chunk)).sliced(ref.offset, ref.length);
}

EventStore::Snapshot EventStore::snapshot() const
{
    Snapshot snapshot;
    snapshot.m_chunks.reserve(m_chunks.size());
    for (size_t i = 0; i < m_chunks.size(); ++i) {
        const Chunk &chunk = m_chunks[i];
        if (i + 1 == m_chunks.size() && !chunk.plain.isNull()) // the open chunk: appended to
            snapshot.m_chunks.emplace_back(QByteArray(chunk.plain.constData(), chunk.plain.size()), QByteArray());
        else
            snapshot.m_chunks.emplace_back(chunk.plain, chunk.packed);
    }
    return snapshot;
}

QByteArrayView EventStore::Snapshot::view(const Ref &ref) const
{
    if (ref.chunk >= m_chunks.size())
        return {};
    const auto &[plain, packed] = m_chunks[ref.chunk];
    if (!plain.isNull())
        return QByteArrayView(plain).sliced(ref.offset, ref.length);
    if (m_cachedChunk != ref.chunk) {
        m_cached = qUncompress(packed);
        m_cachedChunk = ref.chunk;
    }
    return QByteArrayView(m_cached).sliced(ref.offset, ref.length);
}

void EventStore::clear()
{
    ++m_generation;
    m_pool.clear(); // compressions not started yet are not needed any more
    m_chunks.clear();
    for (auto &cached : m_cache)
        cached = {};
}

void EventStore::waitForCompression()
{
    m_pool.waitForDone();
    // The results are queued to this thread: take them in now.
    QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
}

qint64 EventStore::heldBytes() const
{
    qint64 total = 0;
    for (const Chunk &chunk : m_chunks)
        total += chunk.plain.isNull() ? chunk.packed.capacity() : chunk.plain.capacity();
    return total;
}

} // namespace invoke::ui
