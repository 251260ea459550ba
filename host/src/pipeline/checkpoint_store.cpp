#include "pipeline/checkpoint_store.hpp"

#include "util/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace mafio {

namespace {

constexpr char magic_v1[8] = {'M', 'A', 'F', 'I', 'O', 'C', 'P', '1'};
constexpr char magic[8] = {'M', 'A', 'F', 'I', 'O', 'C', 'P', '2'};
constexpr uint32_t max_format_bytes = 256;
constexpr size_t max_file_bytes = 64u << 20; // far beyond any sane checkpoint set

uint32_t crc32(const std::string &data, size_t len) {
    static const auto table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t i = 0; i < 256; ++i) {
            uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; ++i)
        c = table[(c ^ static_cast<uint8_t>(data[i])) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

void put32(std::string &out, uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

bool get32(const std::string &in, size_t &pos, uint32_t &v) {
    if (in.size() - pos < 4 || pos > in.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i)
        v |= uint32_t(static_cast<uint8_t>(in[pos + i])) << (8 * i);
    pos += 4;
    return true;
}

bool write_all(int fd, const std::string &data) {
    size_t done = 0;
    while (done < data.size()) {
        ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

std::string errno_text() {
    return std::strerror(errno);
}

} // namespace

// Layout (little endian): magic "MAFIOCP2", u32 format length, format bytes, u32 count, then
// per stream u32 stream, u32 length, bytes; finally u32 CRC-32 of everything before it.
// Version 1 ("MAFIOCP1", 0.3) is the same without the format.
std::string encode_checkpoints(const CheckpointMap &checkpoints, const std::string &format) {
    std::string out(magic, sizeof magic);
    put32(out, static_cast<uint32_t>(format.size()));
    out += format;
    put32(out, static_cast<uint32_t>(checkpoints.size()));
    for (const auto &[stream, bytes] : checkpoints) {
        put32(out, stream);
        put32(out, static_cast<uint32_t>(bytes.size()));
        out.append(reinterpret_cast<const char *>(bytes.data()), bytes.size());
    }
    put32(out, crc32(out, out.size()));
    return out;
}

bool decode_checkpoints(const std::string &in, CheckpointMap &out, std::string *format) {
    if (in.size() < sizeof magic + 8) return false;
    const bool v1 = std::memcmp(in.data(), magic_v1, sizeof magic_v1) == 0;
    if (!v1 && std::memcmp(in.data(), magic, sizeof magic) != 0) return false;
    size_t body = in.size() - 4, pos = body;
    uint32_t stored_crc = 0;
    if (!get32(in, pos, stored_crc) || stored_crc != crc32(in, body)) return false;
    pos = sizeof magic;
    std::string fmt;
    if (!v1) {
        uint32_t len = 0;
        if (!get32(in, pos, len) || len > max_format_bytes || pos > body || len > body - pos)
            return false;
        fmt.assign(in, pos, len);
        pos += len;
    }
    uint32_t count = 0;
    if (!get32(in, pos, count)) return false;
    CheckpointMap result;
    for (uint32_t i = 0; i < count; ++i) {
        uint32_t stream = 0, len = 0;
        // pos > body: the two fields ran into the CRC (body - pos would wrap around).
        if (!get32(in, pos, stream) || !get32(in, pos, len) || pos > body || len > body - pos)
            return false;
        result[stream].assign(in.begin() + static_cast<std::ptrdiff_t>(pos),
                              in.begin() + static_cast<std::ptrdiff_t>(pos + len));
        pos += len;
    }
    if (pos != body) return false;
    out = std::move(result);
    if (format) *format = std::move(fmt);
    return true;
}

CheckpointStore::CheckpointStore(std::string data_dir, std::string key, std::string format)
    : dir_((fs::path(data_dir) / "checkpoints").string()),
      path_((fs::path(dir_) / (key + ".ckpt")).string()), format_(std::move(format)) {}

CheckpointMap CheckpointStore::load(std::string *format) const {
    std::error_code ec;
    if (!fs::exists(path_, ec)) return {};
    std::ifstream in(path_, std::ios::binary);
    std::string bytes;
    if (in) {
        std::ostringstream ss;
        ss << in.rdbuf();
        bytes = ss.str();
    }
    CheckpointMap out;
    if (in && bytes.size() <= max_file_bytes && decode_checkpoints(bytes, out, format)) return out;
    std::string aside = path_ + ".corrupt";
    fs::rename(path_, aside, ec);
    log::warn("checkpoint file {} is unreadable or corrupt; moved it to {} and starting the "
              "input as configured",
              path_, ec ? "(could not move: " + ec.message() + ")" : aside);
    return {};
}

bool CheckpointStore::store(const CheckpointMap &checkpoints, std::string &error) const {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) {
        error = "cannot create " + dir_ + ": " + ec.message() + " (set -data-dir)";
        return false;
    }
    std::string tmp = path_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        error = "cannot write " + tmp + ": " + errno_text();
        return false;
    }
    bool ok = write_all(fd, encode_checkpoints(checkpoints, format_)) && ::fsync(fd) == 0;
    if (!ok) error = "cannot write " + tmp + ": " + errno_text();
    ::close(fd);
    if (ok && ::rename(tmp.c_str(), path_.c_str()) != 0) {
        error = "cannot rename " + tmp + " to " + path_ + ": " + errno_text();
        ok = false;
    }
    if (!ok) {
        ::unlink(tmp.c_str());
        return false;
    }
    // The rename is durable only once the directory entry is.
    int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

} // namespace mafio
