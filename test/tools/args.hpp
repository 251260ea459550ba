// A minimal `--name=value` / `--name value` / `--flag` parser for the test tools. They are run
// by scripts, not people, so a wrong option is an error with the usage text, never a guess.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace testtool {

class Args {
public:
    // `valued`: options that take a value; `flags`: options that do not.
    Args(int argc, char **argv, const std::set<std::string> &valued,
         const std::set<std::string> &flags) {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) != 0) {
                positional_.push_back(a);
                continue;
            }
            std::string name = a.substr(2), value;
            const auto eq = name.find('=');
            const bool has_value = eq != std::string::npos;
            if (has_value) {
                value = name.substr(eq + 1);
                name.resize(eq);
            }
            if (flags.count(name)) {
                if (has_value) throw std::invalid_argument("--" + name + " takes no value");
                values_[name].push_back("1");
            } else if (valued.count(name)) {
                if (!has_value) {
                    if (i + 1 >= argc) throw std::invalid_argument("--" + name + " needs a value");
                    value = argv[++i];
                }
                values_[name].push_back(value);
            } else {
                throw std::invalid_argument("unknown option " + a);
            }
        }
    }

    bool has(const std::string &name) const { return values_.count(name) > 0; }

    std::string str(const std::string &name, const std::string &fallback = "") const {
        const auto it = values_.find(name);
        return it == values_.end() ? fallback : it->second.back();
    }

    // Every value given for a repeatable option, in order.
    std::vector<std::string> all(const std::string &name) const {
        const auto it = values_.find(name);
        return it == values_.end() ? std::vector<std::string>{} : it->second;
    }

    uint64_t num(const std::string &name, uint64_t fallback) const {
        if (!has(name)) return fallback;
        const std::string v = str(name);
        char *end = nullptr;
        const unsigned long long n = std::strtoull(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || v[0] == '-')
            throw std::invalid_argument("--" + name + ": expected a non-negative integer, got \"" +
                                        v + "\"");
        return n;
    }

    const std::vector<std::string> &positional() const { return positional_; }

private:
    std::map<std::string, std::vector<std::string>> values_;
    std::vector<std::string> positional_;
};

} // namespace testtool
