#pragma once
// A SAX handler for nlohmann's sax_parse that follows the members of an event object
// that matter to a reader (a top-level member such as "type" or "payload", and members
// of "metadata"), without building a DOM. It validates the whole text as it goes; a
// repeated key replaces the earlier value, as it does in a DOM.
//
// Derived supplies, for its own slot numbers (0 means "not followed"):
//   int topKey(const std::string &key);      // a top-level member other than "metadata"
//   int metadataKey(const std::string &key); // a member of "metadata"
//   void resetMetadata();                    // a (new) "metadata" member starts
//   void onString(int slot, std::string &s);
//   void onNumber(int slot, qint64 n);       // floats truncated; out of range gives -1
// Each *Key() call also clears what an earlier occurrence of that key set.
// Nesting deeper than kJsonMaxWireDepth stops the parse, as parseJson does.
#include "core/model/json/json.h"

#include <cmath>

namespace invoke {

template <typename Derived>
class EventSaxReader
{
public:
    using number_integer_t = Json::number_integer_t;
    using number_unsigned_t = Json::number_unsigned_t;
    using number_float_t = Json::number_float_t;
    using string_t = Json::string_t;
    using binary_t = Json::binary_t;

    bool topIsObject() const { return m_topIsObject; }
    // For core/model/json/eventscan.h, which copies only what these say the reader reads: the
    // next string value, the next key (the rest are validated and skipped).
    bool wantsString() const { return m_pending > 0; }
    bool wantsKey() const { return m_depth == 1 || (m_depth == 2 && m_inMetadata); }

    bool null() { return value(); }
    bool boolean(bool) { return value(); }
    bool number_integer(number_integer_t n) { return number(qint64(n)); }
    bool number_unsigned(number_unsigned_t n) { return number(qint64(n)); }
    bool number_float(number_float_t n, const string_t &)
    {
        return number(std::isfinite(n) && std::abs(n) < 9.2e18 ? qint64(n) : -1);
    }
    bool binary(binary_t &) { return value(); }
    bool string(string_t &s)
    {
        if (m_pending > 0)
            self().onString(m_pending, s);
        return value();
    }

    bool start_object(std::size_t)
    {
        if (m_depth >= kJsonMaxWireDepth)
            return false; // as parseJson refuses it (core/model/json/json.h)
        if (m_depth == 0)
            m_topIsObject = true;
        else if (m_depth == 1 && m_pending == Metadata)
            m_inMetadata = true;
        m_pending = 0;
        ++m_depth;
        return true;
    }
    bool end_object()
    {
        if (--m_depth == 1)
            m_inMetadata = false;
        return true;
    }
    bool start_array(std::size_t)
    {
        if (m_depth >= kJsonMaxWireDepth)
            return false;
        m_pending = 0;
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }

    bool key(string_t &k)
    {
        m_pending = 0;
        if (m_depth == 1) {
            if (k == "metadata") {
                // A later "metadata" replaces an earlier one, whatever its shape.
                self().resetMetadata();
                m_pending = Metadata;
            } else {
                m_pending = self().topKey(k);
            }
        } else if (m_depth == 2 && m_inMetadata) {
            m_pending = self().metadataKey(k);
        }
        return true;
    }

    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) { return false; }

private:
    static constexpr int Metadata = -1;

    Derived &self() { return static_cast<Derived &>(*this); }
    bool value()
    {
        m_pending = 0;
        return true;
    }
    bool number(qint64 n)
    {
        if (m_pending > 0)
            self().onNumber(m_pending, n);
        return value();
    }

    int m_depth = 0;
    bool m_topIsObject = false;
    bool m_inMetadata = false;
    int m_pending = 0;
};

} // namespace invoke
