// `compress: gzip`: one request body into a gzip member (RFC 1952), the Content-Encoding every
// HTTP server and collector understands. The zlib stream is kept and reset between bodies, so
// compressing costs no allocation once the buffers have grown.
#pragma once

#include <mafio/options.hpp>

#include <string>
#include <string_view>
#include <zlib.h>

namespace http_v1 {

class Gzip {
public:
    // Level 1: a request is compressed on the output's thread in the write path, where speed
    // matters more than the last percent of ratio.
    Gzip() {
        // 15 + 16: a 32 KiB window and a gzip header and trailer instead of zlib's.
        if (deflateInit2(&z_, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            throw mafio::Error("gzip: zlib could not be initialised", MAFIO_ERR_INTERNAL);
    }
    ~Gzip() { deflateEnd(&z_); }
    Gzip(const Gzip &) = delete;
    Gzip &operator=(const Gzip &) = delete;

    // Replaces `out` with the gzip of `in`.
    void compress(std::string_view in, std::string &out) {
        deflateReset(&z_);
        out.resize(deflateBound(&z_, in.size()));
        z_.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
        z_.avail_in = static_cast<uInt>(in.size());
        z_.next_out = reinterpret_cast<Bytef *>(out.data());
        z_.avail_out = static_cast<uInt>(out.size());
        // deflateBound is enough for one Z_FINISH call to finish.
        if (deflate(&z_, Z_FINISH) != Z_STREAM_END)
            throw mafio::Error("gzip: zlib could not compress a request body", MAFIO_ERR_INTERNAL);
        out.resize(z_.total_out);
    }

private:
    z_stream z_{};
};

} // namespace http_v1
