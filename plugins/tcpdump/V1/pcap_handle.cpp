#include "pcap_handle.hpp"

#include "packet.hpp"

#include <pcap/pcap.h>

namespace tcpdump_v1 {

namespace {

// A packet buffer timeout: packets are handed over in blocks at most this late, so a quiet
// link costs no wake-ups per packet and a busy one is read in bulk.
constexpr int kBufferTimeoutMs = 100;

struct DispatchCtx {
    PacketFn fn;
    void *user;
    bool nano;
};

void trampoline(u_char *u, const pcap_pkthdr *h, const u_char *bytes) {
    auto *c = reinterpret_cast<DispatchCtx *>(u);
    const int64_t frac = c->nano ? h->ts.tv_usec : int64_t{h->ts.tv_usec} * 1000;
    c->fn(c->user, int64_t{h->ts.tv_sec} * 1000000000 + frac, bytes, h->caplen, h->len);
}

bool pseudo_device(const std::string &n) {
    for (const char *p : {"any", "nflog", "nfqueue", "usbmon", "bluetooth", "dbus"})
        if (n.rfind(p, 0) == 0) return true;
    return false;
}

} // namespace

PcapHandle::PcapHandle(pcap *p, std::string name) : p_(p), name_(std::move(name)) {}
PcapHandle::~PcapHandle() {
    pcap_close(p_);
}

std::unique_ptr<PcapHandle> PcapHandle::live(const std::string &iface, const LiveSettings &s,
                                             PcapError &err) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t *p = pcap_create(iface.c_str(), errbuf);
    if (!p) {
        err.message = iface + ": " + errbuf;
        return nullptr;
    }
    std::unique_ptr<PcapHandle> h(new PcapHandle(p, iface));
    pcap_set_snaplen(p, s.snaplen);
    pcap_set_promisc(p, s.promiscuous ? 1 : 0);
    pcap_set_timeout(p, kBufferTimeoutMs);
    if (s.buffer_size) pcap_set_buffer_size(p, static_cast<int>(s.buffer_size));
    pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO); // else micro: both are read
    const int rc = pcap_activate(p);
    if (rc < 0) {
        err.permission = rc == PCAP_ERROR_PERM_DENIED;
        err.message = iface + ": " + pcap_statustostr(rc);
        const std::string detail = pcap_geterr(p);
        if (!detail.empty()) err.message += " (" + detail + ")";
        return nullptr;
    }
    h->nano_ = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    if (pcap_setnonblock(p, 1, errbuf) < 0) {
        err.message = iface + ": " + errbuf;
        return nullptr;
    }
    h->linktype_ = pcap_datalink(p);
    h->fd_ = pcap_get_selectable_fd(p);
    if (h->fd_ < 0) {
        err.message = iface + ": libpcap offers no descriptor to wait on";
        return nullptr;
    }
    if (!link_supported(h->linktype_)) {
        err.message = iface + ": link type " +
                      std::string(pcap_datalink_val_to_name(h->linktype_)
                                      ? pcap_datalink_val_to_name(h->linktype_)
                                      : std::to_string(h->linktype_)) +
                      " is not decoded (Ethernet, Linux cooked, loopback and raw IP are)";
        return nullptr;
    }
    return h;
}

std::unique_ptr<PcapHandle> PcapHandle::file(const std::string &path, PcapError &err) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t *p =
        pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (!p) {
        err.message = path + ": " + errbuf;
        return nullptr;
    }
    std::unique_ptr<PcapHandle> h(new PcapHandle(p, path));
    h->nano_ = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
    h->linktype_ = pcap_datalink(p);
    if (!link_supported(h->linktype_)) {
        err.message = path + ": link type " + std::to_string(h->linktype_) +
                      " is not decoded (Ethernet, Linux cooked, loopback and raw IP are)";
        return nullptr;
    }
    return h;
}

bool PcapHandle::set_filter(const std::string &expr, std::string &err) {
    bpf_program prog{};
    if (pcap_compile(p_, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) < 0) {
        err = pcap_geterr(p_);
        return false;
    }
    const int rc = pcap_setfilter(p_, &prog);
    pcap_freecode(&prog);
    if (rc < 0) {
        err = pcap_geterr(p_);
        return false;
    }
    return true;
}

int PcapHandle::dispatch(int max, PacketFn fn, void *user) {
    DispatchCtx c{fn, user, nano_};
    const int n = pcap_dispatch(p_, max, trampoline, reinterpret_cast<u_char *>(&c));
    return n == PCAP_ERROR_BREAK ? 0 : n < 0 ? -1 : n;
}

std::string PcapHandle::error() const {
    return pcap_geterr(p_);
}

bool PcapHandle::stats(uint64_t &dropped, uint64_t &if_dropped) {
    pcap_stat st{};
    if (pcap_stats(p_, &st) < 0) return false;
    dropped = st.ps_drop;
    if_dropped = st.ps_ifdrop;
    return true;
}

bool filter_compiles(const std::string &expr, std::string &err) {
    pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
    if (!p) {
        err = "libpcap cannot open a dead handle";
        return false;
    }
    bpf_program prog{};
    const bool ok = pcap_compile(p, &prog, expr.c_str(), 1, PCAP_NETMASK_UNKNOWN) == 0;
    if (ok)
        pcap_freecode(&prog);
    else
        err = pcap_geterr(p);
    pcap_close(p);
    return ok;
}

namespace {
std::vector<std::string> list_interfaces(std::string &err, bool up_only) {
    std::vector<std::string> out;
    pcap_if_t *all = nullptr;
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    if (pcap_findalldevs(&all, errbuf) < 0) {
        err = errbuf;
        return out;
    }
    for (pcap_if_t *d = all; d; d = d->next) {
        if (up_only && (!(d->flags & PCAP_IF_UP) || pseudo_device(d->name))) continue;
        out.emplace_back(d->name);
    }
    pcap_freealldevs(all);
    return out;
}
} // namespace

std::vector<std::string> up_interfaces(std::string &err) {
    return list_interfaces(err, true);
}
std::vector<std::string> known_interfaces(std::string &err) {
    return list_interfaces(err, false);
}

} // namespace tcpdump_v1
