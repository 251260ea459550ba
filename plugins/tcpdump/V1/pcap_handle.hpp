// One libpcap handle: a live capture on an interface (non-blocking, with a descriptor to poll)
// or a pcap/pcapng file. The only file that includes pcap.h, so the rest is testable without it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct pcap;

namespace tcpdump_v1 {

struct LiveSettings {
    int snaplen = 65535;
    bool promiscuous = false;
    uint64_t buffer_size = 0;
};

struct PcapError {
    std::string message;
    bool permission = false; // the process may not capture (CAP_NET_RAW)
};

// Called for each packet: capture time in ns since the epoch, captured bytes, wire length.
using PacketFn = void (*)(void *user, int64_t ts_ns, const uint8_t *data, uint32_t caplen,
                          uint32_t wirelen);

class PcapHandle {
public:
    static std::unique_ptr<PcapHandle> live(const std::string &iface, const LiveSettings &s,
                                            PcapError &err);
    static std::unique_ptr<PcapHandle> file(const std::string &path, PcapError &err);
    ~PcapHandle();
    PcapHandle(const PcapHandle &) = delete;
    PcapHandle &operator=(const PcapHandle &) = delete;

    const std::string &name() const { return name_; }
    int linktype() const { return linktype_; }
    int fd() const { return fd_; } // -1 for a file
    bool set_filter(const std::string &expr, std::string &err);
    // Up to `max` packets: how many, 0 when none is waiting (live) or at the end (file), -1 on
    // an error (error() says which).
    int dispatch(int max, PacketFn fn, void *user);
    std::string error() const;
    // Cumulative drops: by the kernel for want of buffer (ps_drop) and by the interface.
    bool stats(uint64_t &dropped, uint64_t &if_dropped);

private:
    PcapHandle(pcap *p, std::string name);
    pcap *p_;
    std::string name_;
    int linktype_ = -1, fd_ = -1;
    bool nano_ = false;
};

// Every interface that is up (loopback included), without libpcap's pseudo devices (any,
// nflog, nfqueue, usbmon, bluetooth, dbus).
std::vector<std::string> up_interfaces(std::string &err);
// Whether libpcap compiles `expr` (on a dead Ethernet handle: no capture, no privilege).
bool filter_compiles(const std::string &expr, std::string &err);
// Every name libpcap knows ("any" included), to check `interfaces` at create.
std::vector<std::string> known_interfaces(std::string &err);

} // namespace tcpdump_v1
