// stdin:V1 — lines from standard input, one batch per chunk read; EOF ends the input.
#include "line_reader.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <string>
#include <unistd.h>

namespace {

// poll() must come back within about 100 ms when nothing arrives so the agent can stop.
constexpr int kWaitForDataMs = 100;

class StdinInput final : public mafio::Input {
public:
    StdinInput(mafio::Host host, mafio::Options &opts)
        : Input(host), lines_(host, mafio_plugins::max_line_bytes_option(opts)) {}

    mafio_status poll() override {
        if (at_eof_) return MAFIO_EOF;
        pollfd readable{STDIN_FILENO, POLLIN, 0};
        const int ready = ::poll(&readable, 1, kWaitForDataMs);
        if (ready < 0) {
            if (errno == EINTR) return MAFIO_RETRY;
            fail("cannot wait for standard input");
        }
        if (ready == 0) return MAFIO_RETRY;
        if (readable.revents & POLLNVAL) {
            // fd 0 is closed (a daemon started with <&-): there is nothing to read, ever.
            host().warn("standard input is not open; nothing to read");
            return end_of_input();
        }
        // POLLHUP and POLLERR also end up here: read() reports them as 0 or an error.
        const ssize_t n = lines_.read_chunk(STDIN_FILENO);
        if (n > 0) return MAFIO_OK;
        if (n == 0) return end_of_input();
        if (errno == EAGAIN || errno == EWOULDBLOCK) return MAFIO_RETRY;
        fail("cannot read standard input");
    }

private:
    mafio_status end_of_input() {
        lines_.finish();
        at_eof_ = true;
        return MAFIO_EOF;
    }

    [[noreturn]] void fail(const char *what) {
        const int err = errno;
        lines_.finish(); // the unterminated last line was read, so it is delivered too
        at_eof_ = true;
        throw mafio::Error(std::string(what) + ": " + std::strerror(err), MAFIO_ERR_IO);
    }

    mafio_plugins::LineReader lines_;
    bool at_eof_ = false;
};

} // namespace

MAFIO_PLUGIN(StdinInput, "stdin", "V1", "1.0.0",
             "lines from standard input; the input ends at end of file",
             "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":"
             "{" MAFIO_MAX_LINE_BYTES_SCHEMA "}}")
