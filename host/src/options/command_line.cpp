#include "options/command_line.hpp"

#include "options/flag_table.hpp"

#include <mafio/units.hpp>

#include <boost/program_options.hpp>

#include <charconv>
#include <string_view>
#include <vector>

namespace mafio {

namespace po = boost::program_options;

namespace {

std::string dashed(std::string_view name) {
    return "-" + std::string(name);
}

std::string strip_dashes(std::string_view s) {
    while (!s.empty() && s.front() == '-')
        s.remove_prefix(1);
    return std::string(s.substr(0, s.find('=')));
}

po::options_description describe_flags() {
    po::options_description desc;
    for (const auto &f : flag_table()) {
        if (f.kind == FlagKind::boolean) {
            // An implicit value lets `-check` stand alone and `-check=false` still parse.
            desc.add_options()(std::string(f.name).c_str(),
                               po::value<std::string>()->implicit_value("true"));
        } else {
            desc.add_options()(std::string(f.name).c_str(), po::value<std::string>());
        }
    }
    return desc;
}

// Go style: one dash or two, the value after '=' or in the next argument. Guessing (accepting
// `-inp` for `-input`) stays off: Go does not do it and it turns typos into surprises.
int go_style() {
    namespace s = po::command_line_style;
    return s::allow_long | s::allow_long_disguise | s::long_allow_adjacent | s::long_allow_next;
}

[[noreturn]] void unknown_flag(std::string_view token) {
    std::string name = strip_dashes(token);
    std::vector<std::string> known;
    for (const auto &f : flag_table())
        known.emplace_back(f.name);
    std::string msg = "unknown flag " + dashed(name);
    std::string near = closest_match(name, known);
    if (!near.empty()) msg += "; did you mean " + dashed(near) + "?";
    throw UsageError(msg); // main adds the pointer to -h for every UsageError
}

[[noreturn]] void given_twice(const FlagSpec &f, const std::string &first,
                              const std::string &second) {
    std::string msg =
        dashed(f.name) + ": given twice (\"" + first + "\", then \"" + second + "\"); ";
    if (f.name == "config")
        msg += "mafio reads one config file: merge them, or put the second's settings in -f "
               "(a JSON document applied on top of -config)";
    else
        msg += "it may be given only once";
    throw UsageError(msg);
}

[[noreturn]] void unexpected_argument(std::string_view token) {
    throw UsageError("unexpected argument \"" + std::string(token) +
                     "\": mafio takes flags only (-name=value or -name value)");
}

[[noreturn]] void missing_value(const FlagSpec &f) {
    throw UsageError(dashed(f.name) + ": needs a value, " + std::string(f.accepted) + " (" +
                     dashed(f.name) + "=VALUE or " + dashed(f.name) + " VALUE)");
}

// Go's strconv.ParseBool, so `-check=true`, `-check=0` and friends behave as in the original.
bool parse_bool_flag(const FlagSpec &f, const std::string &value) {
    for (const char *t : {"1", "t", "T", "true", "TRUE", "True"})
        if (value == t) return true;
    for (const char *t : {"0", "f", "F", "false", "FALSE", "False"})
        if (value == t) return false;
    throw UsageError(dashed(f.name) + ": \"" + value + "\" is not a boolean; expected " +
                     dashed(f.name) + ", " + dashed(f.name) + "=true or " + dashed(f.name) +
                     "=false");
}

int64_t parse_integer_flag(const FlagSpec &f, const std::string &value) {
    std::string range = "a whole number from " + std::to_string(f.min) + " to " +
                        std::to_string(f.max) + " (default " + std::string(f.default_text) + ")";
    int64_t n = 0;
    const char *end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, n);
    if (ec == std::errc::result_out_of_range)
        throw UsageError(dashed(f.name) + ": " + value + " is out of range; expected " + range);
    if (ec != std::errc() || ptr != end || value.empty())
        throw UsageError(dashed(f.name) + ": \"" + value + "\" is not a whole number; expected " +
                         range);
    if (n < f.min || n > f.max)
        throw UsageError(dashed(f.name) + ": " + value + " is out of range; expected " + range);
    return n;
}

void apply_flag(CommandLine &cl, const FlagSpec &f, const std::vector<std::string> &values) {
    switch (f.kind) {
    case FlagKind::boolean:
        cl.*f.boolean = values.empty() ? true : parse_bool_flag(f, values.front());
        break;
    case FlagKind::integer:
        if (values.empty()) missing_value(f);
        cl.*f.integer = parse_integer_flag(f, values.front());
        break;
    case FlagKind::text:
        if (values.empty()) missing_value(f);
        cl.*f.text = values.front();
        break;
    }
}

// Boost refuses `--name=` with nothing after '=', but `-filter=` (no filters) and `-f=` are
// meaningful here, so such a token becomes `--name ""` before Boost sees it.
std::vector<std::string> split_empty_assignments(int argc, const char *const argv[]) {
    std::vector<std::string> out;
    bool flags_ended = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view tok = argv[i];
        if (tok == "--") flags_ended = true;
        bool empty_assignment = !flags_ended && tok.size() > 2 && tok.front() == '-' &&
                                tok.back() == '=' && tok.find('=') == tok.size() - 1;
        const FlagSpec *f = empty_assignment ? find_flag(strip_dashes(tok)) : nullptr;
        if (f && f->kind == FlagKind::boolean) parse_bool_flag(*f, "");
        if (f) {
            out.push_back("--" + std::string(f->name));
            out.emplace_back();
        } else {
            out.emplace_back(tok);
        }
    }
    return out;
}

} // namespace

CommandLine parse_command_line(int argc, const char *const argv[]) {
    std::vector<std::string> args = split_empty_assignments(argc, argv);
    po::options_description desc = describe_flags();
    po::parsed_options parsed(&desc);
    try {
        parsed = po::command_line_parser(args)
                     .options(desc)
                     .style(go_style())
                     .allow_unregistered()
                     .run();
    } catch (const po::invalid_command_line_syntax &e) {
        const FlagSpec *f = find_flag(strip_dashes(e.get_option_name()));
        if (f && e.kind() == po::invalid_command_line_syntax::missing_parameter) missing_value(*f);
        throw UsageError(std::string("command line: ") + e.what());
    } catch (const po::error &e) {
        throw UsageError(std::string("command line: ") + e.what());
    }

    // Applied in order, so a repeated flag's last value wins, as with Go's flag package (except
    // for the flags marked `once`).
    CommandLine cl;
    std::vector<std::pair<const FlagSpec *, std::string>> seen_once;
    for (const auto &opt : parsed.options) {
        if (opt.position_key >= 0) {
            const std::string &tok = opt.value.front();
            // Boost hands back a single-dash word it does not know as a positional argument.
            if (tok.size() > 1 && tok.front() == '-') unknown_flag(tok);
            unexpected_argument(tok);
        }
        if (opt.unregistered) unknown_flag(opt.string_key);
        const FlagSpec *f = find_flag(opt.string_key);
        if (!f) unknown_flag(opt.string_key);
        if (f->once) {
            std::string value = opt.value.empty() ? std::string() : opt.value.front();
            for (const auto &[earlier, earlier_value] : seen_once)
                if (earlier == f) given_twice(*f, earlier_value, value);
            seen_once.emplace_back(f, value);
        }
        apply_flag(cl, *f, opt.value);
    }
    if (cl.diff && !cl.check)
        throw UsageError("-diff: only means something with -check (mafio -check -diff -config "
                         "FILE prints what a reload of FILE would change)");
    if (cl.quiet && !cl.version)
        throw UsageError("-q: only means something with -version (mafio -version -q prints the "
                         "version number alone)");
    return cl;
}

namespace {

// The hidden aliases of `f`: flags that set the same field.
std::string aliases_of(const FlagSpec &f) {
    std::string out;
    for (const auto &other : flag_table()) {
        bool same =
            other.hidden && &other != &f && other.kind == f.kind &&
            ((f.text && other.text == f.text) || (f.integer && other.integer == f.integer) ||
             (f.boolean && other.boolean == f.boolean));
        if (same) out += ", " + dashed(other.name);
    }
    return out;
}

// What only the config file can set, and three ways to start.
const char *const usage_epilogue = R"(
Set only in the -config file (JSON; see docs/configuration.md):
  shutdown_grace, checkpoint_interval, influxdb.interval, health.output_failing_after,
  every component's id, each input's tag, each filter's and output's match (tag globs),
  each output's retry_initial and retry_max, etcd.prefix, etcd.lease_ttl, etcd.username,
  etcd.password_file, etcd.ca_file/cert_file/key_file, etcd.allow_exec, and every plugin's
  own options (mafio -describe NAME lists them). String values may use ${NAME} and ${NAME:-default}
  from the environment ($${ is a literal ${); // and /* */ comments are allowed.
  The original agent's TOML file (agent_id, plugins_config_paths, ...) is read too.

Examples:
  tail a file to stdout, no filter:
      mafio -input=file -filepath=/var/log/app.log -filter= -output=stdout
  check a configuration (every plugin loaded and its options validated), start nothing:
      mafio -config /etc/mafio/mafio.json -check
  run a configuration, with its output swapped for stdout to watch the records:
      mafio -config /etc/mafio/mafio.json -output=stdout
)";

} // namespace

std::string usage_text() {
    std::string out = "Usage: mafio [flags]\n\n"
                      "Flags take one dash or two, the value after '=' or as the next argument:\n"
                      "-input=file, -input file, --input=file.\n\n";
    for (const auto &f : flag_table()) {
        if (f.hidden) continue;
        out += "  " + dashed(f.name) + aliases_of(f);
        if (f.kind == FlagKind::text) out += " string";
        if (f.kind == FlagKind::integer) out += " int";
        out += "\n        " + std::string(f.help);
        if (!f.default_text.empty()) {
            if (f.kind == FlagKind::text)
                out += " (default \"" + std::string(f.default_text) + "\")";
            else
                out += " (default " + std::string(f.default_text) + ")";
        }
        out += "\n";
    }
    return out + usage_epilogue;
}

} // namespace mafio
