// tcpdump:V1's TCP reassembly on crafted segment sequences: in order, reordered, duplicated,
// overlapping, across the 2^32 sequence wrap, cut by the snaplen, lost (gaps), and bounded.
#include "../../plugins/tcpdump/V1/reassembly.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace tcpdump_v1;

namespace {

// Records the stream: data as is, a gap of n bytes as n '#'.
struct Recorder final : StreamSink {
    std::string s;
    void on_data(const uint8_t *d, size_t n, int64_t) override {
        s.append(reinterpret_cast<const char *>(d), n);
    }
    void on_gap(uint64_t n, int64_t) override { s.append(n, '#'); }
};

struct Stream {
    Reassembler r{1 << 20};
    Recorder out;
    ReassemblyCounters c;
    uint32_t isn;
    explicit Stream(uint32_t isn_ = 1000, size_t bound = 1 << 20) : r(bound), isn(isn_) {
        r.syn(isn);
    }
    // Bytes [off, off + text.size()) of the stream.
    void seg(uint32_t off, const std::string &text, bool fin = false) {
        r.segment(isn + 1 + off, reinterpret_cast<const uint8_t *>(text.data()),
                  static_cast<uint32_t>(text.size()), static_cast<uint32_t>(text.size()), fin, 0,
                  out, c);
    }
};

} // namespace

TEST_CASE("tcpdump reassembly: in order") {
    Stream s;
    s.seg(0, "hello ");
    s.seg(6, "world");
    CHECK(s.out.s == "hello world");
    CHECK(s.c.duplicate_bytes == 0);
}

TEST_CASE("tcpdump reassembly: reordered segments wait for the missing one") {
    Stream s;
    s.seg(6, "world");
    s.seg(11, "!");
    CHECK(s.out.s.empty());
    CHECK(s.r.buffered() == 6);
    s.seg(0, "hello ");
    CHECK(s.out.s == "hello world!");
    CHECK(s.r.buffered() == 0);
    CHECK(s.c.out_of_order_segments == 2);
}

TEST_CASE("tcpdump reassembly: duplicates and retransmissions are delivered once") {
    Stream s;
    s.seg(0, "abc");
    s.seg(0, "abc");
    s.seg(3, "def");
    s.seg(3, "def");
    s.seg(6, "gh");
    s.seg(6, "gh");
    CHECK(s.out.s == "abcdefgh");
    CHECK(s.c.duplicate_bytes == 8);
}

TEST_CASE("tcpdump reassembly: overlapping segments keep the first copy of each byte") {
    Stream s;
    s.seg(0, "abcd");
    s.seg(2, "CDEF"); // overlaps 2 bytes
    CHECK(s.out.s == "abcdEF");
    s.seg(10, "klm");
    s.seg(8, "ijKL"); // early, overlapping an early one
    s.seg(6, "gh");
    CHECK(s.out.s == "abcdEFghijKLm");
}

TEST_CASE("tcpdump reassembly: an early duplicate of a waiting segment") {
    Stream s;
    s.seg(4, "ef");
    s.seg(4, "efgh"); // longer copy at the same offset replaces it
    s.seg(4, "e");
    s.seg(0, "abcd");
    CHECK(s.out.s == "abcdefgh");
}

TEST_CASE("tcpdump reassembly: the sequence number wraps around 2^32") {
    Stream s(0xFFFFFFF0u);
    s.seg(0, "0123456789");  // up to 0xFFFFFFFA
    s.seg(20, "KLMNO");      // past the wrap, early
    s.seg(10, "ABCDEFGHIJ"); // crosses the wrap
    CHECK(s.out.s == "0123456789ABCDEFGHIJKLMNO");
}

TEST_CASE("tcpdump reassembly: without a SYN, the stream starts at the first data") {
    Reassembler r(1 << 20);
    Recorder out;
    ReassemblyCounters c;
    const std::string a = "middle", b = " end";
    r.segment(5000, nullptr, 0, 0, false, 0, out, c); // a bare ACK says nothing
    r.segment(7000, reinterpret_cast<const uint8_t *>(a.data()), 6, 6, false, 0, out, c);
    r.segment(7006, reinterpret_cast<const uint8_t *>(b.data()), 4, 4, false, 0, out, c);
    CHECK(out.s == "middle end");
}

TEST_CASE("tcpdump reassembly: bytes past the snaplen are a gap") {
    Stream s;
    const std::string text = "abcdefgh";
    s.r.segment(s.isn + 1, reinterpret_cast<const uint8_t *>(text.data()), 5, 8, false, 0, s.out,
                s.c);
    s.seg(8, "ij");
    CHECK(s.out.s == "abcde###ij");
    CHECK(s.c.gap_bytes == 3);
}

TEST_CASE("tcpdump reassembly: a lost segment becomes a gap at flush") {
    Stream s;
    s.seg(0, "abc");
    s.seg(6, "ghi", true);
    CHECK(s.out.s == "abc");
    CHECK_FALSE(s.r.finished());
    s.r.flush(0, s.out, s.c);
    CHECK(s.out.s == "abc###ghi");
    CHECK(s.r.finished());
}

TEST_CASE("tcpdump reassembly: the FIN is reached once everything before it is") {
    Stream s;
    s.seg(3, "def", true);
    CHECK_FALSE(s.r.finished());
    s.seg(0, "abc");
    CHECK(s.r.finished());
    CHECK(s.out.s == "abcdef");
}

TEST_CASE("tcpdump reassembly: memory is bounded; the oldest hole is given up") {
    Stream s(1000, 8);
    s.seg(0, "ab");
    s.seg(4, "efgh");   // waits (4 bytes)
    s.seg(10, "klmno"); // would pass 10 bytes: the hole at 2..4 is given up first
    CHECK(s.out.s == "ab##efgh");
    CHECK(s.r.buffered() == 5);
    s.seg(8, "ij");
    CHECK(s.out.s == "ab##efghijklmno");
    CHECK(s.c.gap_bytes == 2);
}

TEST_CASE("tcpdump reassembly: a segment larger than the bound alone is delivered past the hole") {
    Stream s(1000, 4);
    s.seg(0, "ab");
    s.seg(5, "fghijk");
    CHECK(s.out.s == "ab###fghijk");
    s.seg(2, "cde"); // too late: a duplicate now
    CHECK(s.out.s == "ab###fghijk");
}

TEST_CASE("tcpdump reassembly: a segment a gigabyte away is not this stream's") {
    Stream s;
    s.seg(0, "ab");
    s.seg(0x50000000u, "zz");
    s.seg(2, "cd");
    s.r.flush(0, s.out, s.c);
    CHECK(s.out.s == "abcd");
}
