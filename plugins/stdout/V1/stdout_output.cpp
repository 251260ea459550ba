// stdout:V1 — writes each record as one line to standard output, a whole bulk per writev;
// with `format: json`, each as one line of JSON (json_lines.hpp).
#include "json_lines.hpp"
#include "write_lines.hpp"

#include <mafio/plugin.hpp>

#include <cerrno>
#include <cstring>
#include <string>
#include <unistd.h>

namespace {

class StdoutOutput final : public mafio::Output {
public:
    StdoutOutput(mafio::Host host, mafio::Options &opts)
        : Output(host), json_(opts.choice("format", "raw", {"raw", "json"}) == "json") {}

    mafio_status write(const mafio_batch *batch, uint32_t first, uint32_t count,
                       uint32_t &done) override {
        const mafio_plugins::WriteOutcome out =
            json_ ? writer_.write(STDOUT_FILENO,
                                  encoder_.encode(*batch, first, count, host().batch_tag(batch)), 0,
                                  count)
                  : writer_.write(STDOUT_FILENO, *batch, first, count);
        done = out.records_done;
        switch (out.error) {
        case 0:
            return MAFIO_OK;
        case EPIPE:
            // The reader went away (`mafio | head -1`): a normal end, the host exits 0.
            host().set_error("standard output was closed by its reader");
            return MAFIO_ERR_CLOSED;
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
            host().set_error("standard output is full (non-blocking and not ready); will retry");
            return MAFIO_RETRY;
        default:
            host().set_error(std::string("cannot write to standard output: ") +
                             std::strerror(out.error));
            return MAFIO_ERR_IO;
        }
    }

private:
    bool json_;
    mafio_plugins::JsonLineEncoder encoder_;
    mafio_plugins::LineWriter writer_;
};

} // namespace

MAFIO_PLUGIN(StdoutOutput, "stdout", "V1", "1.1.0",
             "writes each record as one line to standard output",
             "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
             "\"format\":{\"type\":\"string\",\"enum\":[\"raw\",\"json\"],\"default\":\"raw\","
             "\"description\":\"raw: each record as it is; json: one JSON object per line (a JSON "
             "object record as it is, with \\\"ts\\\" added; anything else wrapped as "
             "{\\\"ts\\\",\\\"tag\\\",\\\"log\\\"})\"}}}")
