#include "discovery/discovery.hpp"

#include "app/version.hpp"
#include "config/load_config.hpp"
#include "discovery/agent_record.hpp"
#include "discovery/backoff.hpp"
#include "http/json_out.hpp"
#include "metrics/take_snapshot.hpp"
#include "util/log.hpp"

#include <mafio/abi/version.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace mafio {

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string read_password(const std::string &path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("etcd.password_file: cannot read \"" + path + "\"");
    std::stringstream s;
    s << in.rdbuf();
    std::string p = s.str();
    while (!p.empty() && (p.back() == '\n' || p.back() == '\r'))
        p.pop_back();
    return p;
}

EtcdSettings settings_of(const AgentConfig &cfg) {
    EtcdSettings s;
    s.endpoints = split_endpoints(cfg.etcd_endpoint);
    s.username = cfg.etcd_username;
    if (!cfg.etcd_password_file.empty()) s.password = read_password(cfg.etcd_password_file);
    s.ca_file = cfg.etcd_ca_file;
    s.cert_file = cfg.etcd_cert_file;
    s.key_file = cfg.etcd_key_file;
    s.timeout = std::chrono::milliseconds(2000);
    return s;
}

std::string hostname() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "";
    return buf;
}

} // namespace

Discovery::Discovery(const AgentConfig &local)
    : local_(local),
      agents_key_(local.etcd_prefix + "/agents/" + local.agent_group + "/" + local.agent_id),
      group_key_(local.etcd_prefix + "/config/" + local.agent_group),
      agent_key_(group_key_ + "/" + local.agent_id),
      status_key_(local.etcd_prefix + "/status/" + local.agent_group + "/" + local.agent_id),
      client_(std::make_unique<EtcdClient>(settings_of(local))), started_at_(rfc3339(now_s())) {}

Discovery::~Discovery() {
    stop();
}

CentralConfig Discovery::initial_central() {
    try {
        int64_t rev = 0;
        CentralConfig c;
        for (const auto &kv : client_->range(group_key_, prefix_range_end(group_key_), &rev)) {
            if (kv.key == group_key_) c.group = kv.value;
            if (kv.key == agent_key_) c.agent = kv.value;
        }
        c.revision = rev;
        log::info("etcd {}: central configuration of revision {} read ({}{}{})",
                  client_->endpoint(), rev, c.group ? group_key_ : "",
                  c.group && c.agent ? ", " : "",
                  c.agent ? agent_key_ : (c.group ? "" : "no group or agent key: local only"));
        std::lock_guard lock(mutex_);
        connected_ = true;
        source_ = "etcd";
        return c;
    } catch (const std::exception &e) {
        std::string problem;
        auto cached = load_central_cache(local_.data_dir, problem);
        if (!problem.empty()) log::warn("{}", problem);
        std::lock_guard lock(mutex_);
        last_error_ = e.what();
        down_logged_ = true;
        ++streak_;
        if (cached) {
            log::warn("etcd ({}) cannot be reached at start ({}): running with the cached central "
                      "configuration of revision {} ({}); retrying with backoff",
                      local_.etcd_endpoint, e.what(), cached->revision,
                      central_cache_path(local_.data_dir));
            source_ = "cache";
            return *cached;
        }
        log::warn("etcd ({}) cannot be reached at start ({}) and no central configuration is "
                  "cached: running with the local configuration; retrying with backoff",
                  local_.etcd_endpoint, e.what());
        source_ = "local";
        return {};
    }
}

ConfigOverlay Discovery::overlay(const CentralConfig &c) const {
    if (c.empty()) return {};
    return [c, g = "etcd " + group_key_, a = "etcd " + agent_key_](AgentConfig &cfg) {
        apply_central(cfg, c, g, a);
    };
}

void Discovery::started_with(const CentralConfig &c, bool ok, const std::string &error) {
    std::lock_guard lock(mutex_);
    attempted_ = c;
    if (ok) applied_ = c;
    last_apply_ok_ = ok;
    last_apply_message_ = ok ? "in force since the start" : error;
    last_applied_at_ = rfc3339(now_s());
    if (!ok) source_ = "local";
}

void Discovery::start(Reloader &reloader, const Pipeline &pipeline) {
    reloader_ = &reloader;
    pipeline_ = &pipeline;
    log::info("etcd discovery on ({}): registering as {} (lease {} s), central configuration "
              "from {} and {}",
              local_.etcd_endpoint, agents_key_, local_.etcd_lease_ttl_s, group_key_, agent_key_);
    lease_thread_ = std::thread([this] { lease_loop(); });
    watch_thread_ = std::thread([this] { watch_loop(); });
}

void Discovery::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
    }
    wake_.notify_all();
    client_->abort_watch(true);
    if (watch_thread_.joinable()) watch_thread_.join();
    if (lease_thread_.joinable()) lease_thread_.join();
}

bool Discovery::wait(std::chrono::milliseconds d, bool or_record_changed) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, d, [&] { return stopping_ || (or_record_changed && record_dirty_); });
    if (or_record_changed) record_dirty_ = false;
    return !stopping_;
}

void Discovery::failed(const char *what, const std::exception &e) {
    ++etcd_failures_;
    std::lock_guard lock(mutex_);
    connected_ = false;
    last_error_ = std::string(what) + ": " + e.what();
    ++streak_;
    if (!down_logged_) {
        log::warn("etcd: {} failed ({}); the data flows on with the configuration in force; "
                  "retrying with backoff (said once until etcd answers again)",
                  what, e.what());
        down_logged_ = true;
    } else {
        log::debug("etcd: {} failed again ({})", what, e.what());
    }
}

void Discovery::succeeded() {
    std::lock_guard lock(mutex_);
    connected_ = true;
    if (down_logged_)
        log::info("etcd answers again ({}) after {} failed attempts", client_->endpoint(), streak_);
    down_logged_ = false;
    streak_ = 0;
}

std::string Discovery::record() const {
    AgentRecord r;
    r.id = local_.agent_id;
    r.group = local_.agent_group;
    r.hostname = hostname();
    r.pid = static_cast<long>(::getpid());
    r.version = version_number();
    while (!r.version.empty() && r.version.back() == '\n')
        r.version.pop_back();
    r.abi_version = fmt::format("{}.{}", MAFIO_ABI_MAJOR, MAFIO_ABI_MINOR);
    r.http_address = local_.http_address;
    r.started_at = started_at_;
    AgentSnapshot snap = take_snapshot(*pipeline_, local_.agent_id, local_.agent_group);
    bool failing = false, degraded = false;
    for (const auto &i : snap.instances) {
        r.components.emplace_back(i.id, i.plugin);
        failing = failing || (i.kind == "input" && i.stopped_on_error);
        degraded = degraded || i.failing_since_ns > 0 || i.checkpoint_store_failing;
    }
    r.health = failing ? "failing" : degraded ? "degraded" : "ok";
    r.config_revision = reloader_->revision().first;
    {
        std::lock_guard lock(mutex_);
        r.central_revision = applied_.revision;
    }
    return agent_record_json(r);
}

void Discovery::lease_loop() {
    pthread_setname_np(pthread_self(), "etcd-lease");
    const auto ttl =
        std::chrono::milliseconds(static_cast<int64_t>(local_.etcd_lease_ttl_s * 1000));
    Backoff backoff(std::chrono::milliseconds(500), std::chrono::seconds(10));
    int64_t lease = 0;
    std::string put;
    auto last_ok = std::chrono::steady_clock::now();
    for (;;) {
        try {
            if (lease == 0) {
                lease = client_->grant(std::max<int64_t>(1, ttl.count() / 1000));
                put.clear();
            } else if (client_->keepalive(lease) <= 0) {
                log::info("etcd: lease {:x} expired; registering again with a new lease", lease);
                lease = 0;
                continue;
            }
            last_ok = std::chrono::steady_clock::now();
            if (std::string rec = record(); rec != put) {
                client_->put(agents_key_, rec, lease);
                if (put.empty())
                    log::info("etcd: registered {} (lease {:x}) at {}", agents_key_, lease,
                              client_->endpoint());
                put = rec;
            }
            std::string status;
            {
                std::lock_guard lock(mutex_);
                lease_ = lease;
                status = std::exchange(pending_status_, {});
            }
            if (!status.empty()) {
                try {
                    client_->put(status_key_, status);
                } catch (...) {
                    std::lock_guard lock(mutex_);
                    if (pending_status_.empty()) pending_status_ = status;
                    throw;
                }
            }
            succeeded();
            backoff.reset();
            if (!wait(ttl / 3, true)) break;
        } catch (const std::exception &e) {
            if (std::string(e.what()).find("lease not found") != std::string::npos) lease = 0;
            failed("registration", e);
            // A lease not kept alive for its TTL is gone: register anew once etcd answers.
            if (lease && std::chrono::steady_clock::now() - last_ok > ttl) lease = 0;
            {
                std::lock_guard lock(mutex_);
                lease_ = lease;
            }
            client_->abort_watch(); // the watch may hang on the member that is gone
            if (!wait(backoff.next())) break;
        }
    }
    if (lease == 0) return;
    try {
        client_->revoke(lease); // deletes the registration at once
        log::info("etcd: {} deregistered (lease {:x} revoked)", agents_key_, lease);
    } catch (const std::exception &e) {
        log::warn("etcd: could not revoke lease {:x} ({}); {} disappears within {} s", lease,
                  e.what(), agents_key_, local_.etcd_lease_ttl_s);
    }
}

void Discovery::read_and_apply() {
    int64_t rev = 0;
    CentralConfig next;
    for (const auto &kv : client_->range(group_key_, prefix_range_end(group_key_), &rev)) {
        if (kv.key == group_key_) next.group = kv.value;
        if (kv.key == agent_key_) next.agent = kv.value;
    }
    next.revision = rev;
    {
        std::lock_guard lock(mutex_);
        known_ = next;
        seen_revision_ = std::max(seen_revision_, rev);
    }
    apply(next, "read");
}

void Discovery::watch_loop() {
    pthread_setname_np(pthread_self(), "etcd-watch");
    Backoff backoff(std::chrono::milliseconds(500), std::chrono::seconds(10));
    bool need_read = true;
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) return;
        }
        try {
            if (need_read) {
                read_and_apply();
                need_read = false;
            }
            int64_t from;
            {
                std::lock_guard lock(mutex_);
                from = seen_revision_ + 1;
            }
            bool compacted = false;
            client_->watch(group_key_, prefix_range_end(group_key_), from,
                           [&](const WatchMessage &m) {
                               if (m.compact_revision > 0 || m.canceled) {
                                   compacted = true;
                                   return false;
                               }
                               if (m.created) {
                                   succeeded();
                                   backoff.reset();
                               }
                               CentralConfig next;
                               bool relevant = false;
                               {
                                   std::lock_guard lock(mutex_);
                                   for (const auto &e : m.events) {
                                       seen_revision_ = std::max(seen_revision_, e.kv.mod_revision);
                                       auto *doc = e.kv.key == group_key_   ? &known_.group
                                                   : e.kv.key == agent_key_ ? &known_.agent
                                                                            : nullptr;
                                       if (!doc) continue;
                                       relevant = true;
                                       if (e.deleted)
                                           doc->reset();
                                       else
                                           *doc = e.kv.value;
                                       known_.revision = e.kv.mod_revision;
                                   }
                                   next = known_;
                                   if (stopping_) return false;
                               }
                               if (relevant) {
                                   ++watch_events_;
                                   apply(next, "watch");
                               }
                               return true;
                           });
            if (compacted) {
                log::info("etcd: the watch's revision {} was compacted; reading {} again", from,
                          group_key_);
                need_read = true;
                continue;
            }
            // The stream ended (a member went away, or stop): resume from the last revision.
            if (!wait(backoff.next())) return;
        } catch (const std::exception &e) {
            failed("watch", e);
            if (!wait(backoff.next())) return;
        }
    }
}

void Discovery::put_status(int64_t revision, bool ok, const std::string &message) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("revision");
    w.Int64(revision);
    w.Key("applied_at");
    w.String(rfc3339(now_s()).c_str());
    w.Key("ok");
    w.Bool(ok);
    w.Key(ok ? "message" : "error");
    w.String(message.c_str());
    w.Key("config_revision");
    w.String(reloader_->revision().first.c_str());
    w.EndObject();
    std::string json(buf.GetString(), buf.GetSize());
    try {
        client_->put(status_key_, json);
    } catch (const std::exception &e) {
        // Put by the lease thread once etcd answers again.
        std::lock_guard lock(mutex_);
        pending_status_ = json;
    }
}

void Discovery::apply(const CentralConfig &next, const std::string &why) {
    bool same_applied, same_attempted;
    std::string previous;
    {
        std::lock_guard lock(mutex_);
        same_applied = next.same_documents(applied_);
        same_attempted = next.same_documents(attempted_);
        previous = last_apply_message_;
    }
    if (same_applied) {
        {
            std::lock_guard lock(mutex_);
            applied_.revision = next.revision;
            attempted_ = applied_;
        }
        if (std::string e = store_central_cache(local_.data_dir, next); !e.empty())
            log::warn("etcd: {}", e);
        put_status(next.revision, true,
                   previous.rfind("in force", 0) == 0 ? previous : "in force: " + previous);
        return;
    }
    if (same_attempted) { // refused before; the same documents are refused again
        put_status(next.revision, false, previous);
        return;
    }
    ConfigOverlay ov = overlay(next);
    ReloadResult r =
        reloader_->reload(fmt::format("etcd revision {} ({})", next.revision, why), &ov);
    {
        std::lock_guard lock(mutex_);
        attempted_ = next;
        last_apply_ok_ = r.ok;
        last_apply_message_ = r.message;
        last_applied_at_ = rfc3339(now_s());
        if (r.ok) {
            applied_ = next;
            source_ = "etcd";
        }
        record_dirty_ = true;
    }
    wake_.notify_all();
    if (r.ok) {
        ++applies_ok_;
        if (std::string e = store_central_cache(local_.data_dir, next); !e.empty())
            log::warn("etcd: {}", e);
    } else {
        ++applies_failed_;
    }
    put_status(next.revision, r.ok, r.message);
}

std::string Discovery::trouble() const {
    std::lock_guard lock(mutex_);
    if (connected_ || last_error_.empty()) return {};
    return "etcd (" + local_.etcd_endpoint + ") cannot be reached: " + last_error_ +
           "; the data flows on with the configuration in force";
}

std::string Discovery::state_json() const {
    std::lock_guard lock(mutex_);
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    auto field = [&](const char *k, const std::string &v) {
        w.Key(k);
        w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
    };
    w.StartObject();
    field("endpoints", local_.etcd_endpoint);
    w.Key("connected");
    w.Bool(connected_);
    field("endpoint", connected_ ? client_->endpoint() : "");
    field("registration_key", agents_key_);
    field("lease", lease_ ? fmt::format("{:x}", lease_) : "");
    field("central_config_from", source_);
    w.Key("last_revision_applied");
    w.Int64(applied_.revision);
    field("last_applied_at", last_applied_at_);
    w.Key("last_apply_ok");
    w.Bool(last_apply_ok_);
    field("last_apply", last_apply_message_);
    field("last_error", last_error_);
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

} // namespace mafio
