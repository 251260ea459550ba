// stdin:V1 — lines from standard input, one batch per chunk read; EOF ends the input.
#include "line_reader.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <poll.h>
#include <string>
#include <unistd.h>

namespace {

// On a host without scheduling (ABI < 1.2), poll() waits here, and must come back within about
// 100 ms when nothing arrives so the agent can stop. On a scheduling host it never waits: the
// host polls it again when standard input is readable, so an idle agent costs nothing.
constexpr int kWaitForDataMs = 100;

class StdinInput final : public mafio::Input {
public:
    StdinInput(mafio::Host host, mafio::Options &opts)
        : Input(host), lines_(host, mafio_plugins::max_line_bytes_option(opts)) {}

    void start(const mafio_start_args &) override { scheduled_ = host().watch_fd(STDIN_FILENO); }
    void stop() override {
        if (scheduled_) host().unwatch_fd(STDIN_FILENO);
    }

    mafio_status poll() override {
        if (at_eof_) return MAFIO_EOF;
        // Standard input may be blocking (its file description is shared with whoever started
        // us): read only once poll(2) said it is readable.
        pollfd readable{STDIN_FILENO, POLLIN, 0};
        const int ready = ::poll(&readable, 1, scheduled_ ? 0 : kWaitForDataMs);
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
    bool scheduled_ = false; // the host wakes us when standard input is readable
};

} // namespace

MAFIO_PLUGIN(StdinInput, "stdin", "V1", "1.0.0",
             "lines from standard input; the input ends at end of file",
             "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":"
             "{" MAFIO_MAX_LINE_BYTES_SCHEMA "}}")
