// RFC 5424 and RFC 3164 parsing (see syslog_message.hpp for the contract).
#include "syslog_message.hpp"

#include <ctime>

namespace syslog_v1 {

namespace {

constexpr int64_t kNsPerSec = 1000000000;

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// Reads exactly `n` digits at s[i..]; advances i. -1 when they are not all digits.
int digits(std::string_view s, size_t &i, size_t n) {
    if (i + n > s.size()) return -1;
    int v = 0;
    for (size_t k = 0; k < n; ++k) {
        if (!is_digit(s[i + k])) return -1;
        v = v * 10 + (s[i + k] - '0');
    }
    i += n;
    return v;
}

bool expect(std::string_view s, size_t &i, char c) {
    if (i >= s.size() || s[i] != c) return false;
    ++i;
    return true;
}

// "<PRI>" at the start: 1 to 3 digits, 0..191, no leading zero except "0" itself (RFC 5424
// 6.2.1). Sets i past '>'; -1 when there is none.
int parse_pri(std::string_view s, size_t &i) {
    if (s.size() < 3 || s[0] != '<') return -1;
    size_t k = 1;
    int v = 0;
    while (k < s.size() && k <= 4 && is_digit(s[k]))
        v = v * 10 + (s[k++] - '0');
    const size_t nd = k - 1;
    if (nd == 0 || nd > 3 || k >= s.size() || s[k] != '>') return -1;
    if (nd > 1 && s[1] == '0') return -1;
    if (v > 191) return -1;
    i = k + 1;
    return v;
}

// ".123456" fraction: returns ns, advances i. Up to 9 digits accepted (RFC 5424: 6).
int64_t parse_fraction(std::string_view s, size_t &i) {
    if (i >= s.size() || s[i] != '.') return 0;
    size_t k = i + 1;
    int64_t ns = 0;
    int n = 0;
    while (k < s.size() && is_digit(s[k]) && n < 9) {
        ns = ns * 10 + (s[k++] - '0');
        ++n;
    }
    if (n == 0) return 0; // a lone '.' is left for the caller to reject
    for (int p = n; p < 9; ++p)
        ns *= 10;
    i = k;
    return ns;
}

bool valid_date(int y, int mo, int d) {
    static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return y >= 0 && mo >= 1 && mo <= 12 && d >= 1 && d <= kDays[mo - 1];
}
bool valid_time(int h, int mi, int sec) {
    return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && sec >= 0 && sec <= 60; // 60: leap second
}

// RFC 3339 date-time as RFC 5424 restricts it: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
// Returns ns since the epoch and advances i; false (i unchanged) when it is not one.
bool parse_rfc3339(std::string_view s, size_t &i, int64_t &ns) {
    size_t k = i;
    const int y = digits(s, k, 4);
    if (y < 0 || !expect(s, k, '-')) return false;
    const int mo = digits(s, k, 2);
    if (mo < 0 || !expect(s, k, '-')) return false;
    const int d = digits(s, k, 2);
    if (d < 0 || !(expect(s, k, 'T') || expect(s, k, 't'))) return false;
    const int h = digits(s, k, 2);
    if (h < 0 || !expect(s, k, ':')) return false;
    const int mi = digits(s, k, 2);
    if (mi < 0 || !expect(s, k, ':')) return false;
    const int sec = digits(s, k, 2);
    if (sec < 0 || !valid_date(y, mo, d) || !valid_time(h, mi, sec)) return false;
    const int64_t frac = parse_fraction(s, k);
    if (k < s.size() && s[k] == '.') return false;
    int64_t offset = 0;
    if (expect(s, k, 'Z') || expect(s, k, 'z')) {
    } else if (k < s.size() && (s[k] == '+' || s[k] == '-')) {
        const int sign = s[k++] == '-' ? -1 : 1;
        const int oh = digits(s, k, 2);
        if (oh < 0 || oh > 23 || !expect(s, k, ':')) return false;
        const int om = digits(s, k, 2);
        if (om < 0 || om > 59) return false;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return false;
    }
    const int64_t secs =
        days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
        mi * 60 + sec - offset;
    ns = secs * kNsPerSec + frac;
    i = k;
    return true;
}

// The next SP-terminated field; fails when there is no SP after it.
bool field(std::string_view s, size_t &i, std::string_view &out) {
    const size_t sp = s.find(' ', i);
    if (sp == std::string_view::npos || sp == i) return false;
    out = s.substr(i, sp - i);
    if (out == "-") out = {};
    i = sp + 1;
    return true;
}

// STRUCTURED-DATA: NILVALUE or 1*SD-ELEMENT. Advances i past it.
bool parse_sd(std::string_view s, size_t &i, std::string_view &sd) {
    if (i < s.size() && s[i] == '-') {
        ++i;
        sd = {};
        return true;
    }
    const size_t start = i;
    if (i >= s.size() || s[i] != '[') return false;
    while (i < s.size() && s[i] == '[') {
        ++i;
        const size_t id = detail::sd_name_len(s.substr(i));
        if (id == 0) return false;
        i += id;
        while (i < s.size() && s[i] == ' ') {
            ++i;
            const size_t name = detail::sd_name_len(s.substr(i));
            if (name == 0) return false;
            i += name;
            if (!expect(s, i, '=') || !expect(s, i, '"')) return false;
            const size_t value = detail::sd_value_len(s.substr(i));
            if (value == std::string_view::npos) return false;
            i += value + 1;
        }
        if (!expect(s, i, ']')) return false;
    }
    sd = s.substr(start, i - start);
    return true;
}

void parse_5424(std::string_view s, size_t i, Message &m) {
    m.protocol = Protocol::rfc5424;
    // VERSION SP (the caller checked the digits and the SP)
    i = s.find(' ', i) + 1;
    if (i < s.size() && s[i] == '-' && i + 1 < s.size() && s[i + 1] == ' ') {
        i += 2;
    } else {
        const size_t start = i;
        int64_t ns = 0;
        if (!parse_rfc3339(s, i, ns)) {
            m.error = "RFC 5424 TIMESTAMP is neither \"-\" nor an RFC 3339 date-time";
            return;
        }
        if (!expect(s, i, ' ')) {
            m.error = "RFC 5424 TIMESTAMP is not followed by a space";
            return;
        }
        m.timestamp = s.substr(start, i - 1 - start);
        m.ts_ns = ns;
    }
    if (!field(s, i, m.host) || !field(s, i, m.app) || !field(s, i, m.procid) ||
        !field(s, i, m.msgid)) {
        m.error = "RFC 5424 header ends early (HOSTNAME APP-NAME PROCID MSGID expected)";
        return;
    }
    if (!parse_sd(s, i, m.sd)) {
        m.error = "RFC 5424 STRUCTURED-DATA is neither \"-\" nor well-formed SD-ELEMENTs";
        return;
    }
    if (i < s.size()) {
        if (s[i] != ' ') {
            m.error = "RFC 5424 STRUCTURED-DATA is not followed by a space";
            return;
        }
        ++i;
    }
    m.msg = s.substr(i);
    if (m.msg.size() >= 3 && m.msg.substr(0, 3) == "\xEF\xBB\xBF") {
        m.bom = true;
        m.msg.remove_prefix(3);
    }
}

int month_of(std::string_view s) {
    static constexpr const char *kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (int k = 0; k < 12; ++k)
        if (s == kMonths[k]) return k + 1;
    return 0;
}

// "HH:MM:SS[.frac]" at s[i..].
bool clock_time(std::string_view s, size_t &i, int &h, int &mi, int &sec, int64_t &frac) {
    size_t k = i;
    h = digits(s, k, 2);
    if (h < 0 || !expect(s, k, ':')) return false;
    mi = digits(s, k, 2);
    if (mi < 0 || !expect(s, k, ':')) return false;
    sec = digits(s, k, 2);
    if (sec < 0 || !valid_time(h, mi, sec)) return false;
    frac = parse_fraction(s, k);
    i = k;
    return true;
}

// The year that puts a month of the BSD timestamp nearest to now: a December message received
// in January is from last year, a January one received in December (a sender's clock ahead) is
// from next year.
int nearest_year(int month, int64_t now_ns, LocalClock &clock) {
    int year = 0, now_month = 0;
    clock.year_month(now_ns, year, now_month);
    if (month - now_month > 6) return year - 1;
    if (now_month - month > 6) return year + 1;
    return year;
}

// The BSD timestamp "Mmm dd hh:mm:ss", "Mmm dd yyyy hh:mm:ss" (Cisco and others), or an
// RFC 3339 one (rsyslog's high-precision forwarding format). Advances i past it.
bool parse_3164_time(std::string_view s, size_t &i, int64_t now_ns, LocalClock &clock, Message &m) {
    const size_t start = i;
    int64_t ns = 0;
    if (parse_rfc3339(s, i, ns)) {
        m.timestamp = s.substr(start, i - start);
        m.ts_ns = ns;
        return true;
    }
    if (s.size() - i < 15) return false;
    const int month = month_of(s.substr(i, 3));
    if (month == 0 || s[i + 3] != ' ') return false;
    size_t k = i + 4;
    if (s[k] == ' ') ++k; // "Nov  3": the day padded with a space
    int day = 0;
    while (k < s.size() && is_digit(s[k]) && day < 100)
        day = day * 10 + (s[k++] - '0');
    if (!expect(s, k, ' ')) return false;
    int year = -1;
    {
        size_t y = k;
        const int yy = digits(s, y, 4);
        if (yy >= 0 && expect(s, y, ' ')) {
            year = yy;
            k = y;
        }
    }
    int h = 0, mi = 0, sec = 0;
    int64_t frac = 0;
    if (!clock_time(s, k, h, mi, sec, frac)) return false;
    if (year < 0) year = nearest_year(month, now_ns, clock);
    if (!valid_date(year, month, day)) return false;
    m.timestamp = s.substr(start, k - start);
    m.ts_ns = clock.to_epoch(year, month, day, h, mi, sec) * kNsPerSec + frac;
    i = k;
    return true;
}

// TAG[PID]: at s[i..] when the token there ends with ':' (or is "name[pid]" followed by ':').
// RFC 3164 5.3: the TAG is alphanumeric; in practice it holds '-', '_', '.', '/' too.
bool parse_tag(std::string_view s, size_t &i, Message &m) {
    size_t k = i;
    while (k < s.size() && s[k] != ' ' && s[k] != '[' && s[k] != ':')
        ++k;
    if (k == i || k >= s.size()) return false;
    std::string_view pid;
    size_t end = k;
    if (s[k] == '[') {
        const size_t close = s.find(']', k);
        if (close == std::string_view::npos ||
            s.substr(k + 1, close - k - 1).find(' ') != std::string_view::npos)
            return false;
        pid = s.substr(k + 1, close - k - 1);
        end = close + 1;
    }
    if (end >= s.size() || s[end] != ':') return false;
    m.app = s.substr(i, k - i);
    m.procid = pid;
    i = end + 1;
    if (i < s.size() && s[i] == ' ') ++i;
    return true;
}

void parse_3164(std::string_view s, size_t i, int64_t now_ns, LocalClock &clock, Message &m) {
    m.protocol = Protocol::rfc3164;
    if (parse_3164_time(s, i, now_ns, clock, m)) {
        while (i < s.size() && s[i] == ' ')
            ++i;
        // A HOSTNAME follows unless the next token is already the TAG: messages written to
        // /dev/log by syslog(3) have no hostname.
        size_t tag_at = i;
        Message probe;
        if (!parse_tag(s, tag_at, probe)) {
            const size_t sp = s.find(' ', i);
            if (sp != std::string_view::npos) {
                m.host = s.substr(i, sp - i);
                i = sp + 1;
            } else if (i < s.size()) {
                m.host = s.substr(i); // only a hostname, no content
                i = s.size();
            }
        }
    }
    parse_tag(s, i, m);
    m.msg = s.substr(i);
}

} // namespace

int64_t LocalClock::to_epoch(int year, int month, int day, int hour, int minute, int second) {
    const int64_t key = ((static_cast<int64_t>(year) * 13 + month) * 32 + day) * 24 + hour;
    if (key != cached_key_) {
        struct tm tm {};
        tm.tm_year = year - 1900;
        tm.tm_mon = month - 1;
        tm.tm_mday = day;
        tm.tm_hour = hour;
        tm.tm_isdst = -1;
        cached_hour_start_ = static_cast<int64_t>(mktime(&tm));
        cached_key_ = key;
    }
    return cached_hour_start_ + minute * 60 + second;
}

void LocalClock::year_month(int64_t now_ns, int &year, int &month) {
    const int64_t minute = now_ns / (60 * kNsPerSec);
    if (minute != now_minute_) {
        const time_t now = static_cast<time_t>(now_ns / kNsPerSec);
        struct tm tm {};
        localtime_r(&now, &tm);
        now_year_ = tm.tm_year + 1900;
        now_month_ = tm.tm_mon + 1;
        now_minute_ = minute;
    }
    year = now_year_;
    month = now_month_;
}

Message parse_message(std::string_view s, int64_t now_ns, LocalClock &clock) {
    Message m;
    size_t i = 0;
    m.pri = parse_pri(s, i);
    if (m.pri < 0) {
        m.msg = s;
        m.error = "no PRI: a syslog message starts with <0> to <191>";
        return m;
    }
    // RFC 5424: PRI VERSION SP, VERSION being 1 to 3 digits without a leading zero.
    size_t v = i;
    while (v < s.size() && v - i < 3 && is_digit(s[v]))
        ++v;
    if (v > i && s[i] != '0' && v < s.size() && s[v] == ' ') {
        parse_5424(s, i, m);
    } else {
        parse_3164(s, i, now_ns, clock, m);
    }
    if (m.error) {
        // Fields read before the error would be misleading beside the raw message.
        const int pri = m.pri;
        const Protocol p = m.protocol;
        const char *error = m.error;
        m = Message{};
        m.pri = pri;
        m.protocol = p;
        m.error = error;
        m.msg = s;
    }
    return m;
}

const char *facility_name(int f) {
    static constexpr const char *kNames[] = {
        "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
        "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
        "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7"};
    return f >= 0 && f < 24 ? kNames[f] : "unknown";
}

const char *severity_name(int s) {
    static constexpr const char *kNames[] = {"emerg",   "alert",  "crit", "err",
                                             "warning", "notice", "info", "debug"};
    return s >= 0 && s < 8 ? kNames[s] : "unknown";
}

} // namespace syslog_v1
