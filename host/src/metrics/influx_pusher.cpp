#include "metrics/influx_pusher.hpp"

#include "metrics/line_protocol.hpp"
#include "util/log.hpp"

#include <pthread.h>

#include <algorithm>

namespace mafio {

namespace {
int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}
} // namespace

InfluxPusher::InfluxPusher(InfluxSettings settings, Collect collect)
    : settings_(std::move(settings)), collect_(std::move(collect)),
      buffer_(settings_.max_buffered_lines) {}

InfluxPusher::~InfluxPusher() {
    stop();
}

bool InfluxPusher::start() {
    std::string error;
    auto endpoint = parse_influx_endpoint(settings_.addr, error);
    if (!endpoint) {
        log::error("InfluxDB push disabled: {}", error);
        return false;
    }
    client_ = std::make_unique<InfluxClient>(*endpoint, settings_.database, settings_.timeout);
    log::info("pushing metrics to InfluxDB {} database \"{}\" every {} ms", client_->url(),
              settings_.database, settings_.interval.count());
    thread_ = std::thread([this] { loop(); });
    return true;
}

void InfluxPusher::stop() {
    if (!thread_.joinable()) return;
    {
        std::lock_guard lock(mutex_);
        stop_requested_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void InfluxPusher::loop() {
    pthread_setname_np(pthread_self(), "influx");
    auto next_collect = Clock::now() + settings_.interval;
    auto next_attempt = Clock::now();
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            auto until = buffer_.empty() ? next_collect : std::min(next_collect, next_attempt);
            wake_.wait_until(lock, until, [&] { return stop_requested_; });
            if (stop_requested_) break;
        }
        auto now = Clock::now();
        if (now >= next_collect) {
            collect_now();
            next_collect += settings_.interval;
            if (next_collect <= now) next_collect = now + settings_.interval; // we fell behind
        }
        if (!buffer_.empty() && now >= next_attempt && !send_buffered())
            next_attempt = Clock::now() + backoff_;
    }
    // Shutdown: the final figures, and one attempt to deliver them with whatever is buffered,
    // so that even a run shorter than one interval is recorded.
    collect_now();
    if (!send_buffered() && !buffer_.empty())
        log::warn("InfluxDB {}: {} points could not be sent before exit", client_->url(),
                  buffer_.size());
}

void InfluxPusher::collect_now() {
    auto lines = line_protocol(collect_(), settings_.tags, now_ns());
    if (size_t lost = buffer_.add(std::move(lines)))
        dropped_.fetch_add(lost, std::memory_order_relaxed);
}

bool InfluxPusher::send_buffered() {
    if (!database_ready_) {
        InfluxResult r = client_->create_database();
        if (r.kind != InfluxResult::Kind::ok) {
            failed("creating database \"" + settings_.database + "\": " + r.message);
            return false;
        }
        database_ready_ = true;
    }
    while (!buffer_.empty()) {
        size_t count = 0;
        std::string body = buffer_.front_body(settings_.max_lines_per_write, count);
        InfluxResult r = client_->write(body);
        switch (r.kind) {
        case InfluxResult::Kind::ok:
            buffer_.consume(count);
            sent_.fetch_add(count, std::memory_order_relaxed);
            succeeded();
            continue;
        case InfluxResult::Kind::refused:
            // Sending these again would fail the same way: drop them, say so, go on.
            buffer_.consume(count);
            dropped_.fetch_add(count, std::memory_order_relaxed);
            log::error("InfluxDB {} refused {} points; they are dropped: {}", client_->url(), count,
                       r.message);
            continue;
        case InfluxResult::Kind::missing_database:
            database_ready_ = false; // dropped behind our back: create it on the next attempt
            failed(r.message);
            return false;
        case InfluxResult::Kind::retry:
            failed(r.message);
            return false;
        }
    }
    return true;
}

void InfluxPusher::failed(const std::string &what) {
    failures_.fetch_add(1, std::memory_order_relaxed);
    if (streak_++ == 0) {
        dropped_at_streak_start_ = dropped_.load(std::memory_order_relaxed);
        log::warn("InfluxDB {}: push failed: {}; retrying with backoff, keeping up to {} points "
                  "(the oldest are dropped first); no more lines until it works again",
                  client_->url(), what, settings_.max_buffered_lines);
        backoff_ = std::min<std::chrono::milliseconds>(settings_.interval,
                                                       std::chrono::milliseconds(1000));
    } else {
        backoff_ = std::min(backoff_ * 2, settings_.backoff_max);
    }
}

void InfluxPusher::succeeded() {
    if (streak_ == 0) return;
    log::info("InfluxDB {}: pushing again after {} failed attempts; {} points were dropped "
              "meanwhile",
              client_->url(), streak_,
              dropped_.load(std::memory_order_relaxed) - dropped_at_streak_start_);
    streak_ = 0;
}

} // namespace mafio
